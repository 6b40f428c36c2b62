"""How documents are shown by the API: list summaries, one document with its clauses and its heading tree."""

from __future__ import annotations

from typing import Any

from qa_bot.errors import NotFound
from qa_bot.index.loaded import LoadedIndex
from qa_bot.parse.model import Document, Heading
from qa_bot.text.normalize import normalize_text

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


def summary(document: Document) -> dict[str, Any]:
    """The document's metadata (doc_id, doc_no, title, issuer, date, issue, clause_count, its opening as printed, ...)
    without its text; the source file name and offsets stay internal to the index."""
    result = document.summary()
    del result["source"]
    result["header_text"] = document.header_text
    return result


def section_tree(headings: list[Heading]) -> list[dict[str, Any]]:
    """Nest the flat heading list (each with a depth, in document order) into a tree of `children`."""
    roots: list[dict[str, Any]] = []
    stack: list[dict[str, Any]] = []
    for heading in headings:
        node: dict[str, Any] = {
            "section_id": heading.section_id,
            "label": heading.label,
            "title": heading.title,
            "depth": heading.depth,
            "path": list(heading.path),
            "children": [],
        }
        while stack and stack[-1]["depth"] >= node["depth"]:
            stack.pop()
        (stack[-1]["children"] if stack else roots).append(node)
        stack.append(node)
    return roots


def detail(document: Document) -> dict[str, Any]:
    """One document: summary, clauses in document order, and the section tree."""
    clauses = [{name: stored.get(name) for name in CLAUSE_FIELDS} for stored in (c.to_dict() for c in document.clauses)]
    return {**summary(document), "clauses": clauses, "sections": section_tree(document.headings)}


def find_document(index: LoadedIndex, doc_id: str) -> Document:
    """A document by doc_id or by its 文号 (full- or half-width brackets alike); NotFound otherwise."""
    wanted = doc_id.strip()
    document = index.doc_by_id.get(wanted) or index.doc_by_no.get(wanted) or index.doc_by_no.get(normalize_text(wanted))
    if document is None:
        shown = wanted if len(wanted) <= _MAX_ECHO else wanted[:_MAX_ECHO] + "…"
        raise NotFound(f"未找到文件“{shown}”，请检查文件编号或文号。")
    return document


__all__ = ["CLAUSE_FIELDS", "detail", "find_document", "section_tree", "summary"]
