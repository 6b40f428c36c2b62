"""The parsed shapes: Document, Heading, Clause and TableRow (plain frozen dataclasses), and their stored form.

`Document.to_dict()` is what a build stores (documents.json) and the API shows; `Document.from_dict` reads it back,
tolerating the fields older builds lack, so every stage after parsing works on these records, never on dicts."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

from qa_bot.parse.basis import BasisDocument

SECTION_SEPARATOR = " > "
PREAMBLE_SECTION = "引言"
NOTICE_SECTION = "通知"


@dataclass(frozen=True)
class TableRow:
    """One row of a table: its caption, the inherited group cell, and every column name with its value."""

    table_title: str
    group: str
    cells: tuple[tuple[str, str], ...]  # (column name, value) in column order

    def to_dict(self) -> dict[str, Any]:
        return {"table_title": self.table_title, "group": self.group, "cells": [list(c) for c in self.cells]}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> TableRow:
        cells = tuple((str(k), str(v)) for k, v in data.get("cells") or [])
        return cls(str(data.get("table_title") or ""), str(data.get("group") or ""), cells)


@dataclass(frozen=True)
class Heading:
    """A node of the section tree: numbered heading as printed, its depth and stable numbering id."""

    section_id: str  # e.g. "3.1" for 三、(一)
    label: str  # "（一）"
    title: str  # first sentence without the label, e.g. "强化农村地区邮政体系支撑作用"
    rank: int
    depth: int
    path: tuple[str, ...]  # display titles from the outermost heading down to this one
    span: tuple[int, int]

    @property
    def display(self) -> str:
        return self.path[-1]

    def to_dict(self) -> dict[str, Any]:
        """The stored form (rank and span are parse-time only)."""
        return {
            "section_id": self.section_id,
            "label": self.label,
            "title": self.title,
            "depth": self.depth,
            "path": list(self.path),
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Heading:
        depth = int(data.get("depth") or 0)
        return cls(
            section_id=str(data.get("section_id") or ""),
            label=str(data.get("label") or ""),
            title=str(data.get("title") or ""),
            rank=int(data.get("rank", depth)),  # stored builds keep the depth only
            depth=depth,
            path=tuple(data.get("path") or ()),
            span=_span(data.get("span")),
        )


@dataclass(frozen=True)
class Clause:
    """The unit we cite: one numbered item or unnumbered paragraph with its full, repaired text."""

    chunk_id: str
    doc_id: str
    section_path: tuple[str, ...]
    text: str
    kind: str  # "item" | "paragraph" | "preamble" | "notice" | "table_row"
    span: tuple[int, int]  # character offsets in the source file (after BOM/CRLF handling)
    lead_units: tuple[str, ...] = ()
    responsible_units: tuple[str, ...] = ()
    note: str | None = None
    deadline: str | None = None
    table: TableRow | None = None
    joins: tuple[int, ...] = ()  # source offsets where a page break inside this clause was repaired

    @property
    def section(self) -> str:
        if self.kind == "notice":
            return NOTICE_SECTION
        return SECTION_SEPARATOR.join(self.section_path) if self.section_path else PREAMBLE_SECTION

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["section"] = self.section
        data["section_path"] = list(self.section_path)
        data["lead_units"] = list(self.lead_units)
        data["responsible_units"] = list(self.responsible_units)
        data["span"] = list(self.span)
        data["joins"] = list(self.joins)
        if self.table is not None:
            data["table"] = self.table.to_dict()
        return data

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Clause:
        table = data.get("table")
        return cls(
            chunk_id=data["chunk_id"],
            doc_id=data["doc_id"],
            section_path=tuple(data.get("section_path") or ()),
            text=data["text"],
            kind=data["kind"],
            span=_span(data.get("span")),
            lead_units=tuple(data.get("lead_units") or ()),
            responsible_units=tuple(data.get("responsible_units") or ()),
            note=data.get("note"),
            deadline=data.get("deadline"),
            table=TableRow.from_dict(table) if table else None,
            joins=tuple(data.get("joins") or ()),
        )


@dataclass
class Document:
    """One document of a gazette issue with its metadata and clauses in document order."""

    doc_id: str
    doc_no: str | None
    title: str
    plan_title: str | None
    issuer: str
    issuers: tuple[str, ...]
    addressees: str | None
    date: str | None
    publicity: str | None
    source: str  # corpus file name
    signers: tuple[str, ...] = ()  # who signed a government order ("自治区主席 乌力吉"), as printed
    gazette: str | None = None
    issue: str | None = None
    year: int | None = None  # the document's year: of its 成文日期, else of its issue, else of its 文号
    category: str | None = None
    page: int | None = None
    span: tuple[int, int] = (0, 0)
    body_start: int = 0  # offset where the body (after the header block) starts
    header_spans: tuple[tuple[int, int], ...] = ()  # metadata lines: masthead, 文号, title, 主送, signature …
    headings: list[Heading] = field(default_factory=list)
    clauses: list[Clause] = field(default_factory=list)
    basis: tuple[BasisDocument, ...] = ()  # the upper-level documents it implements (parse.basis)
    header_text: str = ""  # the document's opening as printed: masthead, 文号, title, 主送, notice, signature, date
    in_force: str | None = None  # the date it takes effect (ISO): a portal's 实施日期/生效日期, or "自…起施行"
    expires: str | None = None  # the date it ceases to have effect (ISO): a portal's 废止时间
    published: str | None = None  # the date a portal page published it (ISO): "时间:2019-01-24", not its own date

    @property
    def issuing_bodies(self) -> tuple[str, ...]:
        """Every body that issued it (an older build stored only `issuer`)."""
        return self.issuers or ((self.issuer,) if self.issuer else ())

    def summary(self) -> dict[str, Any]:
        return {
            "doc_id": self.doc_id,
            "doc_no": self.doc_no,
            "title": self.title,
            "plan_title": self.plan_title,
            "signers": list(self.signers),
            "issuer": self.issuer,
            "issuers": list(self.issuers),
            "date": self.date,
            "issue": self.issue,
            "year": self.year,
            "gazette": self.gazette,
            "category": self.category,
            "page": self.page,
            "publicity": self.publicity,
            "addressees": self.addressees,
            "basis": [b.to_dict() for b in self.basis],
            "in_force": self.in_force,
            "expires": self.expires,
            "published": self.published,
            "source": self.source,
            "clause_count": len(self.clauses),
        }

    @property
    def display_title(self) -> str:
        """The title users recognise: the attached plan's title when the document is an 印发 notice — the one rule,
        used by citations, replies, the ledger and ranking alike."""
        return self.plan_title or self.title

    def to_dict(self) -> dict[str, Any]:
        """The stored form: summary(), the span and opening as printed, the heading tree and every clause."""
        data = self.summary()
        data["span"] = list(self.span)
        data["header_text"] = self.header_text
        data["headings"] = [h.to_dict() for h in self.headings]
        data["clauses"] = [c.to_dict() for c in self.clauses]
        return data

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Document:
        """A stored document (documents.json) as a record; fields a build of an older version lacks get defaults."""
        return cls(
            doc_id=data["doc_id"],
            doc_no=data.get("doc_no"),
            title=data.get("title") or "",
            plan_title=data.get("plan_title"),
            issuer=data.get("issuer") or "",
            issuers=tuple(data.get("issuers") or ()),
            addressees=data.get("addressees"),
            date=data.get("date"),
            publicity=data.get("publicity"),
            source=data.get("source") or "",
            signers=tuple(data.get("signers") or ()),
            gazette=data.get("gazette"),
            issue=data.get("issue"),
            year=data.get("year"),
            category=data.get("category"),
            page=data.get("page"),
            span=_span(data.get("span")),
            header_text=data.get("header_text") or "",
            headings=[Heading.from_dict(h) for h in data.get("headings") or []],
            clauses=[Clause.from_dict(c) for c in data.get("clauses") or []],
            basis=tuple(BasisDocument(b["title"], b.get("doc_no"), b.get("issuer")) for b in data.get("basis") or []),
            in_force=data.get("in_force"),
            expires=data.get("expires"),
            published=data.get("published"),
        )


def _span(value: Any) -> tuple[int, int]:
    """A stored [start, end] offset pair ((0, 0) when a build did not store it)."""
    start, end = value or (0, 0)
    return int(start), int(end)


__all__ = ["Clause", "Document", "Heading", "NOTICE_SECTION", "PREAMBLE_SECTION", "SECTION_SEPARATOR", "TableRow"]
