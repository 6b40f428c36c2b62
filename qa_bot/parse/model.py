"""The parsed shapes: Document, Heading, Clause and TableRow (plain frozen dataclasses)."""

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
            data["table"] = {
                "table_title": self.table.table_title,
                "group": self.table.group,
                "cells": [list(c) for c in self.table.cells],
            }
        return data


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
            "source": self.source,
            "clause_count": len(self.clauses),
        }

    @property
    def display_title(self) -> str:
        """The title users recognise: the attached plan's title when the document is an 印发 notice."""
        return self.plan_title or self.title


__all__ = ["Clause", "Document", "Heading", "NOTICE_SECTION", "PREAMBLE_SECTION", "SECTION_SEPARATOR", "TableRow"]
