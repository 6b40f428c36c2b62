"""Search filters — one document, an issuer, a range of dates, a gazette issue or a year — and how they resolve
against the catalog."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from qa_bot.parse.model import Document
from qa_bot.text.normalize import normalize_text


@dataclass(frozen=True)
class Filters:
    """Restrict hits to one document (doc_id or 文号), an issuer, a range of ISO dates, a gazette issue
    ("2022年第4期") or a year (of the document's 成文日期)."""

    doc: str | None = None
    issuer: str | None = None
    date_from: str | None = None
    date_to: str | None = None
    issue: str | None = None
    year: int | None = None

    def active(self) -> bool:
        return any((self.doc, self.issuer, self.date_from, self.date_to, self.issue, self.year))

    def doc_key(self) -> str | None:
        return normalize_text(self.doc) if self.doc else None

    def issuer_match(self, documents: Iterable[Document]) -> tuple[str, bool] | None:
        """The issuer to match and whether exactly: 示例市人民政府 is not its 办公室, so an exact name wins; a partial
        name matches only when no document has that exact issuer."""
        if not self.issuer:
            return None
        wanted = normalize_text(self.issuer)
        exact = any(wanted in _issuers(d) for d in documents)
        return wanted, exact

    def allowed_docs(self, documents: list[Document]) -> set[str] | None:
        """doc_ids of the documents these filters allow (None: no filter)."""
        if not self.active():
            return None
        chosen = {d.doc_id for d in documents}
        if self.doc:
            wanted = self.doc_key()
            chosen &= {d.doc_id for d in documents if wanted in (d.doc_id, d.doc_no)}
        issuer = self.issuer_match(documents)
        if issuer is not None:
            wanted, exact = issuer
            chosen &= {
                d.doc_id
                for d in documents
                if (wanted in _issuers(d) if exact else any(wanted in n for n in _issuers(d)))
            }
        if self.date_from:
            chosen &= {d.doc_id for d in documents if d.date and d.date >= self.date_from}
        if self.date_to:
            chosen &= {d.doc_id for d in documents if d.date and d.date <= self.date_to}
        if self.issue:
            wanted_issue = re.sub(r"\s+", "", normalize_text(self.issue))
            chosen &= {d.doc_id for d in documents if wanted_issue in re.sub(r"\s+", "", d.issue or "")}
        if self.year:
            chosen &= {d.doc_id for d in documents if d.year == self.year}
        return chosen


def _issuers(document: Document) -> list[str]:
    return list(document.issuing_bodies) or [""]


__all__ = ["Filters"]
