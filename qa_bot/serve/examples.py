"""Example questions for the chat page, made from the loaded corpus by general templates; deterministic and varied."""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from typing import Any

EXAMPLE_COUNT = 6
MAX_TITLE_CHARS = 24
_YEAR_COLUMN = re.compile(r"^(19|20)\d{2}年$")
_TRAILING_UNIT = re.compile(r"[（(][^（()）]*[)）]$")
_EMPTY_CELL = {"", "—", "-", "－", "/", "无"}


@dataclass(frozen=True)
class Candidate:
    template: str
    question: str
    doc_id: str
    order: int  # position in the corpus, for a stable choice


def _heading_titles(document: dict[str, Any]) -> dict[tuple[str, ...], str]:
    return {tuple(h.get("path", [])): str(h.get("title", "")) for h in document.get("headings", []) if h.get("title")}


def _table_question(clause: dict[str, Any]) -> str | None:
    cells = {str(k): str(v) for k, v in (clause.get("table") or {}).get("cells", [])}
    indicator = cells.get("指标") or cells.get("指标名称") or cells.get("名称")
    years = [k for k, v in cells.items() if _YEAR_COLUMN.match(k) and v.strip() not in _EMPTY_CELL]
    if not indicator or not years:
        return None
    indicator = _TRAILING_UNIT.sub("", indicator.strip()).strip()
    if not indicator or len(indicator) > MAX_TITLE_CHARS:
        return None
    return f"{indicator} {max(years)}目标是多少？"


def clause_questions(clause: dict[str, Any], titles: dict[tuple[str, ...], str]) -> list[tuple[str, str]]:
    """(template, question) pairs one clause answers: its lead or responsible units, its deadline, its table row."""
    if clause.get("kind") == "table_row":
        question = _table_question(clause)
        return [("table", question)] if question else []
    title = titles.get(tuple(clause.get("section_path") or ()), "").strip("。；; ")
    if not title or len(title) > MAX_TITLE_CHARS:
        return []
    found: list[tuple[str, str]] = []
    if clause.get("lead_units"):
        who = "哪些单位" if len(clause["lead_units"]) > 1 else "哪个单位"
        found.append(("lead", f"{who}牵头{title}？"))
    elif clause.get("responsible_units"):
        who = "哪些单位" if len(clause["responsible_units"]) > 1 else "哪个单位"
        found.append(("responsible", f"{title}由{who}负责？"))
    if clause.get("deadline"):
        found.append(("deadline", f"{title}的完成时限是什么？"))
    return found


def document_question(document: dict[str, Any]) -> str | None:
    """The question a document's header answers (when it was issued), if it has a 文号 and a date."""
    if document.get("doc_no") and document.get("date"):
        return f"{document['doc_no']}是什么时候印发的？"
    return None


def _clause_candidates(document: dict[str, Any], titles: dict[tuple[str, ...], str]) -> list[tuple[str, str]]:
    return [pair for clause in document.get("clauses", []) for pair in clause_questions(clause, titles)]


# The kinds of question (qa_bot.answer.question) each template asks: after one of them it is not suggested again.
TEMPLATE_KINDS = {
    "lead": ("lead", "units"),  # a who-question is answered with the lead and the responsible units alike
    "responsible": ("lead", "units"),
    "deadline": ("deadline",),
    "meta": ("meta",),
    "table": ("table", "figure"),
}


def follow_on_questions(
    document: dict[str, Any], clause: dict[str, Any] | None, *, asked_kind: str, asked: str
) -> list[str]:
    """Questions to ask next about a reply's clause and document — other kinds of question than the one asked:
    the clause's lead unit, its deadline, the document's date. The same templates as the examples."""
    pairs = clause_questions(clause, _heading_titles(document)) if clause else []
    meta = document_question(document)
    if meta:
        pairs.append(("meta", meta))
    asked_compact = asked.strip().rstrip("？?")
    return [
        q for template, q in pairs if asked_kind not in TEMPLATE_KINDS[template] and q.rstrip("？") != asked_compact
    ]


TEMPLATE_ORDER = ("lead", "table", "meta", "deadline", "responsible")


def candidates(documents: list[dict[str, Any]]) -> dict[str, list[Candidate]]:
    """Every question the templates can make, grouped by template, in corpus order."""
    pools: dict[str, list[Candidate]] = {name: [] for name in TEMPLATE_ORDER}
    order = 0
    for document in documents:
        doc_id = str(document.get("doc_id"))
        meta = document_question(document)
        if meta:
            pools["meta"].append(Candidate("meta", meta, doc_id, order))
            order += 1
        for template, question in _clause_candidates(document, _heading_titles(document)):
            pools[template].append(Candidate(template, question, doc_id, order))
            order += 1
    return pools


def example_questions(documents: list[dict[str, Any]], count: int = EXAMPLE_COUNT) -> list[str]:
    """Up to `count` questions, cycling through the templates and preferring documents used least so far."""
    pools = candidates(documents)
    chosen: list[str] = []
    used_docs: Counter[str] = Counter()
    while len(chosen) < count:
        progress = False
        for template in TEMPLATE_ORDER:
            options = [c for c in pools[template] if c.question not in chosen]
            if not options:
                continue
            best = min(options, key=lambda c: (used_docs[c.doc_id], c.order))
            chosen.append(best.question)
            used_docs[best.doc_id] += 1
            progress = True
            if len(chosen) == count:
                break
        if not progress:
            break
    return chosen


__all__ = ["EXAMPLE_COUNT", "clause_questions", "document_question", "example_questions", "follow_on_questions"]
