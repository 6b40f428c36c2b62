"""How documents are shown by the API: list summaries, one document with its clauses and its heading tree."""

from __future__ import annotations

from typing import Any

from qa_bot.errors import NotFound
from qa_bot.index.store import LoadedIndex
from qa_bot.text.normalize import normalize_text

# Stored with each document but internal to the index (offsets into the gazette file, raw heading list).
_INTERNAL = {"clauses", "headings", "span", "source"}
CLAUSE_FIELDS = (
    "chunk_id",
    "section",
    "section_path",
    "text",
    "kind",
    "lead_units",
    "responsible_units",
    "deadline",
    "table",
)
_MAX_ECHO = 60


def summary(document: dict[str, Any]) -> dict[str, Any]:
    """The document's metadata (doc_id, doc_no, title, issuer, date, issue, clause_count, ...) without its text."""
    result = {key: value for key, value in document.items() if key not in _INTERNAL}
    result.setdefault("clause_count", len(document.get("clauses", [])))
    return result


def section_tree(headings: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Nest the flat heading list (each with a depth, in document order) into a tree of `children`."""
    roots: list[dict[str, Any]] = []
    stack: list[dict[str, Any]] = []
    for heading in headings:
        node = {
            "section_id": heading.get("section_id"),
            "label": heading.get("label"),
            "title": heading.get("title"),
            "depth": heading.get("depth", 1),
            "path": heading.get("path", []),
            "children": [],
        }
        while stack and stack[-1]["depth"] >= node["depth"]:
            stack.pop()
        (stack[-1]["children"] if stack else roots).append(node)
        stack.append(node)
    return roots


def detail(document: dict[str, Any]) -> dict[str, Any]:
    """One document: summary, clauses in document order, and the section tree."""
    clauses = [{name: clause.get(name) for name in CLAUSE_FIELDS} for clause in document.get("clauses", [])]
    return {**summary(document), "clauses": clauses, "sections": section_tree(document.get("headings", []))}


def find_document(index: LoadedIndex, doc_id: str) -> dict[str, Any]:
    """A document by doc_id or by its 文号 (full- or half-width brackets alike); NotFound otherwise."""
    wanted = doc_id.strip()
    document = index.doc_by_id.get(wanted) or index.doc_by_no.get(wanted) or index.doc_by_no.get(normalize_text(wanted))
    if document is None:
        shown = wanted if len(wanted) <= _MAX_ECHO else wanted[:_MAX_ECHO] + "…"
        raise NotFound(f"未找到文件“{shown}”，请检查文件编号或文号。")
    return document


__all__ = ["CLAUSE_FIELDS", "detail", "find_document", "section_tree", "summary"]
