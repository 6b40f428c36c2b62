"""A citation's shape, defined once: the clause a hit points to, as retrieval produces it and the API returns it."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict


class Citation(BaseModel):
    """One cited clause (or document card); the first citation of an answer supports it.

    The fields of the outside contract (doc_no, title, section, text, chunk_id, score) come first; the rest are added
    fields clients may use. `title` is the document's display title (parse.model.display_title)."""

    model_config = ConfigDict(frozen=True)

    doc_id: str
    doc_no: str | None
    title: str
    section: str
    text: str
    chunk_id: str
    score: float
    kind: str
    lead_units: list[str]
    responsible_units: list[str]
    issuer: str | None
    date: str | None


__all__ = ["Citation"]
