"""Evaluation report as Markdown and as one self-contained HTML page (inline CSS and SVG charts, no scripts)."""

from __future__ import annotations

import html
import json
from pathlib import Path

from qa_bot.evaluation.run import EvalResult

_TYPE_NAMES = {
    "lead": "牵头单位",
    "units": "责任单位",
    "figure": "数字目标",
    "deadline": "时间节点",
    "meta": "文件信息",
    "table": "指标表",
    "content": "条款内容",
    "unanswerable": "不可回答",
}


def _pct(value: float | None) -> str:
    return "—" if value is None else f"{value * 100:.1f}%"


def markdown(result: EvalResult) -> str:
    m = result.metrics()
    lat = result.latency()
    out = [
        f"# qa-bot 评测报告：{result.gold_name}",
        "",
        f"索引构建 `{result.build_id}`，向量模型 `{result.embedder}`。",
        "",
        "| 指标 | 数值 |",
        "|---|---|",
        f"| 问题数（可回答/不可回答） | {m['questions']}（{m['answerable']}/{m['unanswerable']}） |",
        f"| 检索 Hit@1 / Hit@5 / MRR | {_pct(m['hit_at_1'])} / {_pct(m['hit_at_5'])} / {m['mrr']:.3f} |",
        f"| 文件准确率 | {_pct(m['doc_accuracy'])} |",
        f"| 回答准确率 | {_pct(m['answer_accuracy'])} |",
        f"| 可回答问题的作答率 | {_pct(m['answered_rate'])} |",
        f"| 不可回答问题的拒答准确率 | {_pct(m['refusal_accuracy'])} |",
        f"| 谁/何时/多少类回复中位长度 | {m['median_reply_chars_short']} 字 |",
        f"| 延迟 p50 / p95 / p99 | {lat.get('p50')} / {lat.get('p95')} / {lat.get('p99')} ms |",
        "",
        "## 分类型",
        "",
        "| 类型 | 题数 | Hit@1 | Hit@5 | 回答准确率 | 拒答准确率 |",
        "|---|---|---|---|---|---|",
    ]
    for kind, t in result.by_type().items():
        answerable = t["answerable"] > 0
        out.append(
            f"| {_TYPE_NAMES.get(kind, kind)} | {t['questions']} | {_pct(t['hit_at_1']) if answerable else '—'} | "
            f"{_pct(t['hit_at_5']) if answerable else '—'} | {_pct(t['answer_accuracy']) if answerable else '—'} | "
            f"{_pct(t['refusal_accuracy']) if t['unanswerable'] else '—'} |"
        )
    out += [
        "",
        f"## 未命中的问题（{len(result.misses())}）",
        "",
        "| id | 问题 | 回复 | 应有依据 | 实际引用 |",
        "|---|---|---|---|---|",
    ]

    def cell(text: str | None) -> str:
        return (text or "—").replace("|", "｜").replace("\n", " ")

    for o in result.misses():
        out.append(
            f"| {o.id} | {cell(o.question)} | {cell(o.answer[:120])} | {cell(o.expected)} |"
            f" {cell(o.cited_sections[0] if o.cited_sections else '')} |"
        )
    return "\n".join(out) + "\n"


def _bars(result: EvalResult) -> str:
    rows = []
    for kind, t in result.by_type().items():
        value = t["answer_accuracy"] if t["answerable"] else t["refusal_accuracy"]
        rows.append((_TYPE_NAMES.get(kind, kind), value))
    height = 28 * len(rows) + 20
    parts = [f'<svg viewBox="0 0 520 {height}" width="520" height="{height}" role="img" aria-label="分类型准确率">']
    for i, (name, value) in enumerate(rows):
        y = 10 + 28 * i
        width = int(360 * value)
        colour = "#2e7d32" if value >= 0.9 else ("#f9a825" if value >= 0.75 else "#c62828")
        parts.append(f'<text x="0" y="{y + 15}" font-size="13">{html.escape(name)}</text>')
        parts.append(f'<rect x="90" y="{y}" width="{width}" height="20" fill="{colour}"/>')
        parts.append(f'<text x="{96 + width}" y="{y + 15}" font-size="12">{value * 100:.1f}%</text>')
    parts.append("</svg>")
    return "".join(parts)


def _histogram(result: EvalResult) -> str:
    values = [o.latency_ms for o in result.outcomes]
    if not values:
        return ""
    top = max(values)
    buckets = 12
    width = top / buckets or 1
    counts = [0] * buckets
    for v in values:
        counts[min(buckets - 1, int(v / width))] += 1
    peak = max(counts) or 1
    parts = ['<svg viewBox="0 0 520 180" width="520" height="180" role="img" aria-label="延迟分布">']
    for i, c in enumerate(counts):
        h = int(130 * c / peak)
        x = 30 + i * 40
        parts.append(f'<rect x="{x}" y="{140 - h}" width="34" height="{h}" fill="#1f4e79"/>')
        parts.append(f'<text x="{x}" y="{136 - h}" font-size="11">{c}</text>')
        parts.append(f'<text x="{x}" y="158" font-size="10">{i * width:.0f}</text>')
    parts.append('<text x="30" y="176" font-size="11">毫秒（每格起点）</text></svg>')
    return "".join(parts)


def html_page(result: EvalResult) -> str:
    m = result.metrics()
    lat = result.latency()
    e = html.escape
    cards = [
        ("回答准确率", _pct(m["answer_accuracy"])),
        ("拒答准确率", _pct(m["refusal_accuracy"])),
        ("检索 Hit@1", _pct(m["hit_at_1"])),
        ("检索 Hit@5", _pct(m["hit_at_5"])),
        ("作答率", _pct(m["answered_rate"])),
        ("延迟 p95", f"{lat.get('p95')} ms"),
    ]
    miss_rows = "".join(
        f"<tr><td>{e(o.id)}</td><td>{e(o.question)}</td><td>{e(o.answer)}</td><td>{e(o.expected or '—')}</td>"
        f"<td>{e(o.cited_sections[0] if o.cited_sections else '—')}</td></tr>"
        for o in result.misses()
    )
    type_rows = "".join(
        f"<tr><td>{e(_TYPE_NAMES.get(k, k))}</td><td>{t['questions']}</td><td>{_pct(t['hit_at_1']) if t['answerable'] else '—'}</td>"
        f"<td>{_pct(t['answer_accuracy']) if t['answerable'] else '—'}</td><td>{_pct(t['refusal_accuracy']) if t['unanswerable'] else '—'}</td></tr>"
        for k, t in result.by_type().items()
    )
    return f"""<!doctype html>
<html lang="zh-CN"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>qa-bot 评测报告</title>
<style>
body{{font-family:"PingFang SC","Microsoft YaHei","Noto Sans CJK SC",sans-serif;margin:24px auto;max-width:1100px;color:#222;padding:0 16px}}
h1{{font-size:22px}} h2{{font-size:17px;margin-top:28px}}
.cards{{display:grid;grid-template-columns:repeat(auto-fit,minmax(150px,1fr));gap:12px}}
.card{{border:1px solid #ddd;border-radius:8px;padding:12px}} .card b{{display:block;font-size:24px;color:#1f4e79}}
table{{border-collapse:collapse;width:100%;font-size:13px}} td,th{{border:1px solid #ddd;padding:6px;vertical-align:top;text-align:left}}
.charts{{display:flex;flex-wrap:wrap;gap:24px}} .meta{{color:#666;font-size:13px}}
</style></head><body>
<h1>qa-bot 评测报告</h1>
<p class="meta">问题集 {e(result.gold_name)}：{m['questions']} 题（可回答 {m['answerable']}，不可回答 {m['unanswerable']}）；索引 {e(result.build_id)}；向量模型 {e(result.embedder)}；谁/何时/多少类回复中位长度 {m['median_reply_chars_short']} 字</p>
<div class="cards">{''.join(f'<div class="card">{e(k)}<b>{e(v)}</b></div>' for k, v in cards)}</div>
<div class="charts"><div><h2>分类型准确率（不可回答类为拒答准确率）</h2>{_bars(result)}</div><div><h2>延迟分布</h2>{_histogram(result)}</div></div>
<h2>分类型</h2><table><tr><th>类型</th><th>题数</th><th>Hit@1</th><th>回答准确率</th><th>拒答准确率</th></tr>{type_rows}</table>
<h2>未命中的问题（{len(result.misses())}）</h2>
<table><tr><th>id</th><th>问题</th><th>回复</th><th>应有依据</th><th>实际引用</th></tr>{miss_rows}</table>
</body></html>
"""


def write_report(result: EvalResult, out_dir: Path) -> list[Path]:
    out_dir.mkdir(parents=True, exist_ok=True)
    paths = [out_dir / "report.md", out_dir / "report.html", out_dir / "report.json"]
    paths[0].write_text(markdown(result), encoding="utf-8")
    paths[1].write_text(html_page(result), encoding="utf-8")
    paths[2].write_text(json.dumps(result.summary(), ensure_ascii=False, indent=1), encoding="utf-8")
    return paths


__all__ = ["html_page", "markdown", "write_report"]
