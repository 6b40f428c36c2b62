"""Run a gold set through search and ask: retrieval (Hit@1/5, MRR, document accuracy) and answer figures."""

from __future__ import annotations

import re
import statistics
import time
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from typing import TYPE_CHECKING, Any

from tqdm import tqdm

from qa_bot.evaluation.gold import GoldQuestion
from qa_bot.text.normalize import compact, evidence_in, in_simplified, match_key, without_pinyin
from qa_bot.text.patterns import DATE_ARABIC, DATE_CHINESE, parse_date

if TYPE_CHECKING:
    from qa_bot.index.loaded import LoadedIndex
    from qa_bot.retrieve.citation import Citation

SHORT_TYPES = ("lead", "units", "figure", "deadline")
PASTE_RATIO = 0.8  # a reply holding this much of a long cited clause verbatim is a paste, not an answer
LONG_CLAUSE = 150


@dataclass
class Outcome:
    """What happened to one gold question."""

    id: str
    question: str
    type: str
    answerable: bool
    answer: str
    found: bool
    kind: str
    hit_rank: int | None  # 1-based rank of the first searched clause containing the evidence
    doc_correct: bool
    doc_no: str | None  # the document the gold file expects (None: the question is about the whole issue)
    answer_ok: bool
    is_reply: bool
    latency_ms: float
    expected: str | None
    answer_any: list[str]
    cited: list[str]
    cited_sections: list[str]


@dataclass
class EvalResult:
    outcomes: list[Outcome]
    gold_name: str = ""
    build_id: str = ""
    embedder: str = ""
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def answerable(self) -> list[Outcome]:
        return [o for o in self.outcomes if o.answerable]

    @property
    def unanswerable(self) -> list[Outcome]:
        return [o for o in self.outcomes if not o.answerable]

    def _rate(self, items: list[Outcome], test: Any) -> float:
        return round(sum(1 for o in items if test(o)) / len(items), 4) if items else 0.0

    def metrics(self, items: list[Outcome] | None = None) -> dict[str, Any]:
        answerable = [o for o in (items if items is not None else self.outcomes) if o.answerable]
        unanswerable = [o for o in (items if items is not None else self.outcomes) if not o.answerable]
        mrr = sum(1 / o.hit_rank for o in answerable if o.hit_rank) / len(answerable) if answerable else 0.0
        short = [len(o.answer) for o in answerable if o.found and o.type in SHORT_TYPES]
        return {
            "questions": len(answerable) + len(unanswerable),
            "answerable": len(answerable),
            "unanswerable": len(unanswerable),
            "hit_at_1": self._rate(answerable, lambda o: o.hit_rank == 1),
            "hit_at_5": self._rate(answerable, lambda o: o.hit_rank is not None and o.hit_rank <= 5),
            "mrr": round(mrr, 4),
            "doc_accuracy": self._rate([o for o in answerable if o.doc_no], lambda o: o.doc_correct),
            "answer_accuracy": self._rate(answerable, lambda o: o.answer_ok),
            "answered_rate": self._rate(answerable, lambda o: o.found),
            "refusal_accuracy": self._rate(unanswerable, lambda o: not o.found),
            "median_reply_chars_short": statistics.median(short) if short else None,
        }

    def by_type(self) -> dict[str, dict[str, Any]]:
        groups: dict[str, list[Outcome]] = defaultdict(list)
        for o in self.outcomes:
            groups[o.type].append(o)
        return {t: self.metrics(items) for t, items in sorted(groups.items())}

    def latency(self) -> dict[str, float]:
        values = sorted(o.latency_ms for o in self.outcomes)
        if not values:
            return {}

        def pct(p: float) -> float:
            return round(values[min(len(values) - 1, int(p * len(values)))], 1)

        return {"p50": pct(0.5), "p95": pct(0.95), "p99": pct(0.99), "max": round(values[-1], 1)}

    def misses(self) -> list[Outcome]:
        return [
            o
            for o in self.outcomes
            if (o.answerable and not (o.answer_ok and o.hit_rank == 1)) or (not o.answerable and o.found)
        ]

    def passed_ids(self) -> list[str]:
        return [o.id for o in self.outcomes if (o.answer_ok if o.answerable else not o.found)]

    def summary(self) -> dict[str, Any]:
        return {
            "gold": self.gold_name,
            "build_id": self.build_id,
            "embedder": self.embedder,
            "overall": self.metrics(),
            "by_type": self.by_type(),
            "latency_ms": self.latency(),
            "misses": [asdict(o) for o in self.misses()],
            **self.extra,
        }

    def table(self) -> str:
        m = self.metrics()
        lines = [
            f"问题集 {self.gold_name}：{m['questions']} 题（可回答 {m['answerable']}，不可回答 {m['unanswerable']}）",
            (
                f"检索  Hit@1 {m['hit_at_1']:.3f}  Hit@5 {m['hit_at_5']:.3f}  MRR {m['mrr']:.3f}  文件准确率"
                f" {m['doc_accuracy']:.3f}"
            ),
            (
                f"回答  准确率 {m['answer_accuracy']:.3f}  作答率 {m['answered_rate']:.3f}  拒答准确率"
                f" {m['refusal_accuracy']:.3f}  "
                f"短问题回复中位长度 {m['median_reply_chars_short']} 字"
            ),
            "延迟  " + "  ".join(f"{k} {v} ms" for k, v in self.latency().items()),
            "",
            f"{'类型':<14}{'题数':>6}{'Hit@1':>8}{'Hit@5':>8}{'回答':>8}{'拒答':>8}",
        ]
        for kind, t in self.by_type().items():
            refusal = f"{t['refusal_accuracy']:.3f}" if t["unanswerable"] else "—"
            hit1 = f"{t['hit_at_1']:.3f}" if t["answerable"] else "—"
            hit5 = f"{t['hit_at_5']:.3f}" if t["answerable"] else "—"
            answer = f"{t['answer_accuracy']:.3f}" if t["answerable"] else "—"
            lines.append(f"{kind:<14}{t['questions']:>6}{hit1:>8}{hit5:>8}{answer:>8}{refusal:>8}")
        misses = self.misses()
        if misses:
            lines.append("")
            lines.append(f"未命中 {len(misses)} 题：" + " ".join(o.id for o in misses))
        return "\n".join(lines)


def answer_key(text: str) -> str:
    """The form in which an expected answer is looked up in a reply: compact, and a date in either script as ISO
    ("二○○七年六月五日" and "2007年6月5日" are one answer)."""
    key = compact(text)
    for pattern in (DATE_CHINESE, DATE_ARABIC):
        key = pattern.sub(lambda m: parse_date(m.group(0)) or m.group(0), key)
    return key


def gives(answer: str, expected: str) -> bool:
    """Does the reply give the expected answer: as written, in simplified characters, or as the same date in another
    script. A month and day
    ("12月29日") is found in a full date the reply gives ("2022年12月29日"), which answer_key turns into ISO form."""
    if compact(expected) in compact(answer) or answer_key(expected) in answer_key(answer):
        return True
    # 146項 is 146项; 發(fā)布 is 發布
    return compact(in_simplified(without_pinyin(expected))) in compact(in_simplified(answer))


def is_reply(answer: str, cited_text: str | None) -> bool:
    """A reply, not a pasted clause: it does not reproduce most of a long clause verbatim."""
    if not cited_text or len(cited_text) < LONG_CLAUSE:
        return True
    body = compact(answer.split("（《")[0])
    clause = compact(cited_text)
    reproduced = sum(len(s) for s in re.split(r"[。；;]", clause) if len(s) >= 6 and s in body)
    return reproduced < PASTE_RATIO * len(clause)


def hit_rank(texts: Sequence[str], evidence: str | None) -> int | None:
    """1-based rank of the first text holding the evidence (text.normalize.evidence_in), or None: the definition of
    a hit."""
    if not evidence or not match_key(evidence):
        return None
    return next((rank for rank, text in enumerate(texts, start=1) if evidence_in(evidence, text)), None)


def cited_text(citation: Citation, index: LoadedIndex | None = None) -> str:
    """What a citation stands for, as evidence written by someone else may quote it: the clause with its
    responsibility note as the unit fields say it (whether the parser left the note in the text or not), an indicator
    row's cells as printed, and for a document card the document's opening as printed (title, notice, signature)."""
    lead, responsible = citation.lead_units, citation.responsible_units
    note = ("、".join(lead) + "牵头" if lead else "") + "、".join(responsible)
    parts = [citation.text, note]
    if index is not None:
        clause = index.clause_by_id.get(citation.chunk_id)
        parts.append("".join(value for _, value in (clause.table.cells if clause and clause.table else ())))
        if citation.kind == "header":
            document = index.doc_by_id.get(citation.doc_id)
            parts.append(document.header_text if document else "")
    return "\n".join(p for p in parts if p)


def evaluate_one(engine: Any, item: GoldQuestion) -> Outcome:
    hits = engine.search(item.question, top_k=5)
    rank = hit_rank([cited_text(h, getattr(engine, "index", None)) for h in hits], item.evidence)
    started = time.perf_counter()
    reply = engine.ask(item.question, top_k=5)
    latency = (time.perf_counter() - started) * 1000
    cited = reply.citations[0] if reply.citations else None
    answer_ok = False
    replied = True
    if item.answerable and reply.found:
        replied = is_reply(reply.answer, cited.text if cited else None)
        answer_ok = replied and any(gives(reply.answer, a) for a in item.answer_any)
    return Outcome(
        id=item.id,
        question=item.question,
        type=item.type,
        answerable=item.answerable,
        answer=reply.answer,
        found=reply.found,
        kind=reply.question.kind,
        hit_rank=rank,
        doc_correct=bool(item.doc_no and hits and hits[0].doc_no == item.doc_no),
        doc_no=item.doc_no,
        answer_ok=answer_ok,
        is_reply=replied,
        latency_ms=latency,
        expected=item.evidence,
        answer_any=list(item.answer_any),
        cited=[c.text for c in reply.citations[:3]],
        cited_sections=[f"{c.doc_no or ''} {c.section}" for c in reply.citations[:3]],
    )


def run_eval(engine: Any, gold: list[GoldQuestion], *, progress: bool = False, gold_name: str = "") -> EvalResult:
    items = tqdm(gold, desc="评测", unit="题", disable=not progress, file=None)
    outcomes = [evaluate_one(engine, item) for item in items]
    manifest = engine.index.manifest
    return EvalResult(outcomes=outcomes, gold_name=gold_name, build_id=manifest.build_id, embedder=manifest.embedder_id)


__all__ = ["EvalResult", "Outcome", "cited_text", "evaluate_one", "gives", "hit_rank", "is_reply", "run_eval"]
