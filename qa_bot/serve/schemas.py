"""Request bodies of the JSON API, as pydantic models (their limits are part of the API's shape)."""

from __future__ import annotations

from datetime import date
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, StrictInt, StrictStr

from qa_bot.retrieve import Filters

MAX_ID_CHARS = 128
MAX_FILTER_CHARS = 100
MAX_COMMENT_CHARS = 2000
MAX_TEXT_CHARS = 20_000
MAX_CHUNK_IDS = 50


class FiltersIn(BaseModel):
    """Restrict answers to one document (doc_id or 文号), an issuer, or a date range (YYYY-MM-DD)."""

    model_config = ConfigDict(extra="ignore")

    doc: StrictStr | None = Field(default=None, max_length=MAX_FILTER_CHARS)
    issuer: StrictStr | None = Field(default=None, max_length=MAX_FILTER_CHARS)
    date_from: date | None = None
    date_to: date | None = None

    def to_filters(self) -> Filters | None:
        return make_filters(self.doc, self.issuer, self.date_from, self.date_to)


def make_filters(doc: str | None, issuer: str | None, date_from: date | None, date_to: date | None) -> Filters | None:
    """Engine filters from request values; blank values mean no restriction, and no restriction means None."""
    filters = Filters(
        doc=(doc or "").strip() or None,
        issuer=(issuer or "").strip() or None,
        date_from=date_from.isoformat() if date_from else None,
        date_to=date_to.isoformat() if date_to else None,
    )
    return filters if filters.active() else None


class AskIn(BaseModel):
    """POST /api/ask and /api/ask/stream. Empty, blank and over-long questions are refused by the engine."""

    model_config = ConfigDict(
        extra="ignore", json_schema_extra={"examples": [{"question": "哪个单位牵头农村寄递物流体系建设？", "top_k": 5}]}
    )

    question: StrictStr
    top_k: StrictInt | None = None
    session_id: StrictStr | None = Field(default=None, max_length=MAX_ID_CHARS)
    filters: FiltersIn | None = None


class FeedbackIn(BaseModel):
    """POST /api/feedback: a rating of one answer, with an optional comment."""

    model_config = ConfigDict(extra="ignore")

    question_id: StrictInt | None = None
    session_id: StrictStr | None = Field(default=None, max_length=MAX_ID_CHARS)
    question: StrictStr = Field(min_length=1, max_length=MAX_TEXT_CHARS)
    answer: StrictStr = Field(max_length=MAX_TEXT_CHARS)
    rating: Literal["up", "down"]
    comment: StrictStr | None = Field(default=None, max_length=MAX_COMMENT_CHARS)
    chunk_ids: list[StrictStr] | None = Field(default=None, max_length=MAX_CHUNK_IDS)


__all__ = ["AskIn", "FeedbackIn", "FiltersIn", "make_filters"]
