"""The parse report: per corpus file what the parser understood (documents, clauses, notes, tables) and warnings
that name the file and line of what it only half understood.

Warnings (code — meaning):
    orphan_text     — text before the first document that belongs to no document
    no_clauses      — a document without any clause
    header_line     — a line of a document's header that is neither title, issuer, date, 文号 nor metadata
    no_doc_no       — a document that prints no 文号: it was found by its title (one document in its file), or —
                      printing no title either — by its first line (the addressees or the body; also no_title)
    no_title / no_issuer / no_date — a header field the parser did not find
    missed_doc_no   — a line in a document's body that looks like the start of another document (a 文号 at the
                      start of the line, a "……文件" masthead): the document may have swallowed the next one
    unreadable_part — part of the file could not be read (a scanned page without a text layer in a PDF)
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

from qa_bot.parse.model import Document

WARNING_TEXT = {
    "orphan_text": "不属于任何文件的文字",
    "no_clauses": "文件没有解析出任何条款",
    "header_line": "公文头中有未识别的行",
    "no_doc_no": "未找到文号，按标题识别为一份文件",
    # the message of no_doc_no for a text found by its first line (no title either)
    "no_header": "未找到文号和标题，整份文字按一份文件识别",
    "no_title": "未识别出标题",
    "no_issuer": "未识别出发文机关",
    "no_date": "未识别出成文日期",
    "missed_doc_no": "正文中有疑似另一份文件的开头（文号或版头），可能漏识别了一份文件",
    "unreadable_part": "文件中有未能读取的部分",
}
_QUOTE_MAX = 30


@dataclass(frozen=True)
class ParseWarning:
    """Something the parser only half understood, with the file and line to look at."""

    path: str
    line: int | None
    code: str
    message: str

    def __str__(self) -> str:
        where = self.path + (f":{self.line}" if self.line else "")
        return f"{where}: {self.message}"

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def make_warning(
    path: str, line: int | None, code: str, quote: str | None = None, *, message: str | None = None
) -> ParseWarning:
    message = message or WARNING_TEXT[code]
    if quote:
        shown = quote.strip()
        message += f"：“{shown[:_QUOTE_MAX]}{'…' if len(shown) > _QUOTE_MAX else ''}”"
    return ParseWarning(path=path, line=line, code=code, message=message)


@dataclass
class FileReport:
    """What one corpus file gave: its format, documents, clauses, notes and tables, and its warnings or error."""

    path: str
    format: str | None = None
    documents: int = 0
    clauses: int = 0
    notes: int = 0
    tables: int = 0
    doc_nos: list[str] = field(default_factory=list)
    warnings: list[ParseWarning] = field(default_factory=list)
    error: str | None = None
    error_line: int | None = None
    reprints: list[str] = field(default_factory=list)  # 文号 already read from an earlier file (indexed once)

    @classmethod
    def of(cls, path: str, how: str, documents: list[Document], warnings: list[ParseWarning]) -> FileReport:
        clauses = [c for d in documents for c in d.clauses]
        tables = {(c.doc_id, c.table.table_title) for c in clauses if c.table is not None}
        return cls(
            path=path,
            format="text" if how not in ("pdf", "docx", "html") else how,
            documents=len(documents),
            clauses=len(clauses),
            notes=sum(1 for c in clauses if c.lead_units or c.responsible_units or c.note),
            tables=len(tables),
            doc_nos=[d.doc_no or d.doc_id for d in documents],
            warnings=warnings,
        )

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["warnings"] = [w.to_dict() for w in self.warnings]
        return data

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> FileReport:
        fields = {k: v for k, v in data.items() if k in cls.__dataclass_fields__}
        fields["warnings"] = [ParseWarning(**w) for w in data.get("warnings", [])]
        return cls(**fields)

    def summary_line(self) -> str:
        """One line a person reads: 'x.pdf（PDF）：6 份文件，342 条条款，57 条含责任单位，1 张表格'."""
        from qa_bot.parse.formats import FORMAT_NAMES

        kind = FORMAT_NAMES.get(self.format or "", "")
        head = f"{self.path}（{kind}）" if kind else self.path
        if self.error:
            where = self.path + (f":{self.error_line}" if self.error_line else "")
            return f"{where}：未能解析（{self.error}）"
        line = (
            f"{head}：{self.documents} 份文件，{self.clauses} 条条款，{self.notes} 条含责任单位，{self.tables} 张表格"
        )
        if self.reprints:
            line += f"，其中 {len(self.reprints)} 份已在其他文件中收录（只索引一次）"
        return line + (f"，{len(self.warnings)} 条警告" if self.warnings else "")


__all__ = ["FileReport", "ParseWarning", "WARNING_TEXT", "make_warning"]
