"""Clauses → searchable records: each carries its context (title, section); long clauses also get windows."""

from __future__ import annotations

from dataclasses import dataclass

from qa_bot.parse.model import Clause, Document
from qa_bot.text.normalize import split_sentences
from qa_bot.text.patterns import chinese_date
from qa_bot.text.units import find_note_span

DOCUMENT_CARD_SECTION = "文件信息"
WINDOW_MIN_CLAUSE = 260  # clauses longer than this are also matched through windows
WINDOW_CHARS = 180


@dataclass(frozen=True)
class Record:
    """A citable unit in the index: a clause, or a document's header card (文号, title, issuer, date)."""

    chunk_id: str
    doc_id: str
    kind: str
    section: str
    text: str  # what is cited: the clause itself
    context: str  # what the search also sees: document title and section path


@dataclass(frozen=True)
class Passage:
    """What is embedded and BM25-indexed; maps back to its record."""

    record: int
    text: str


def document_card(document: Document) -> Record:
    """A record for questions about the document itself: its 文号, title, issuer, date, addressees."""
    lines = [document.title]
    if document.doc_no:
        lines.append(f"文号：{document.doc_no}")
    if document.issuer:
        lines.append(f"发文机关：{document.issuer}")
    if document.date:
        lines.append(f"成文日期：{chinese_date(document.date)}")
    if document.in_force:
        lines.append(f"施行日期：{chinese_date(document.in_force)}")
    if document.expires:
        lines.append(f"废止日期：{chinese_date(document.expires)}")
    if document.published and not document.date:
        lines.append(f"网页发布日期：{chinese_date(document.published)}")
    if document.signers:
        lines.append(f"签署：{'、'.join(document.signers)}")
    if document.addressees:
        lines.append(f"主送：{document.addressees}")
    if document.publicity:
        lines.append(f"公开属性：{document.publicity}")
    if document.plan_title:
        lines.append(f"印发文件：{document.plan_title}")
    for basis in document.basis:
        lines.append(f"依据：《{basis.title}》" + (f"（{basis.doc_no}）" if basis.doc_no else ""))
    if document.issue:
        lines.append(
            f"刊载：{document.gazette or '政府公报'}{document.issue}"
            + (f"第{document.page}页" if document.page else "")
        )
    return Record(
        chunk_id=f"{document.doc_id}/header",
        doc_id=document.doc_id,
        kind="header",
        section=DOCUMENT_CARD_SECTION,
        text="\n".join(lines),
        context=document.display_title,
    )


def clause_record(document: Document, clause: Clause) -> Record:
    return Record(
        chunk_id=clause.chunk_id,
        doc_id=document.doc_id,
        kind=clause.kind,
        section=clause.section,
        text=clause.text,
        context=f"{document.display_title} {clause.section}",
    )


def sentences(text: str) -> list[str]:
    return split_sentences(text)


def windows(text: str, size: int = WINDOW_CHARS) -> list[str]:
    """Consecutive sentence groups of about `size` characters, overlapping by one sentence."""
    parts = sentences(text)
    out: list[str] = []
    start = 0
    while start < len(parts):
        end, length = start, 0
        while end < len(parts) and (length < size or end == start):
            length += len(parts[end])
            end += 1
        out.append("".join(parts[start:end]))
        if end >= len(parts):
            break
        start = max(end - 1, start + 1)
    return out


def clause_sentences(text: str) -> list[str]:
    """The sentences a reply can be made of: a clause's sentences without its responsibility note (the note is
    answered from the unit fields)."""
    span = find_note_span(text)
    if span is not None:
        text = text[: span[0]] + text[span[1] :]
    return [s.strip() for s in split_sentences(text) if s.strip()]


def record_sentences(records: list[Record]) -> list[tuple[int, str]]:
    """(record number, sentence) for every sentence of every clause record (document cards have none): what the
    sentence index embeds, for retrieval by meaning and for choosing the sentence a reply is made of."""
    return [(i, s) for i, r in enumerate(records) if r.kind != "header" for s in clause_sentences(r.text)]


def passages_for(record_index: int, record: Record) -> list[Passage]:
    out = [Passage(record_index, f"{record.context}\n{record.text}")]
    if len(record.text) > WINDOW_MIN_CLAUSE:
        out += [Passage(record_index, f"{record.context}\n{w}") for w in windows(record.text)]
    return out


def build_records(documents: list[Document]) -> tuple[list[Record], list[Passage]]:
    """All records of the corpus in document order, and their passages."""
    records: list[Record] = []
    for document in documents:
        records.append(document_card(document))
        records += [clause_record(document, c) for c in document.clauses]
    passages = [p for i, r in enumerate(records) for p in passages_for(i, r)]
    return records, passages


__all__ = [
    "DOCUMENT_CARD_SECTION",
    "Passage",
    "Record",
    "build_records",
    "clause_record",
    "clause_sentences",
    "document_card",
    "passages_for",
    "record_sentences",
    "windows",
]
