"""Request bodies of the JSON API, as pydantic models (their limits are part of the API's shape)."""

from __future__ import annotations

import re
from datetime import date
from typing import Annotated, Literal

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    StrictInt,
    StrictStr,
    field_validator,
)
from pydantic.config import JsonDict
from pydantic_core import PydanticCustomError

from qa_bot.answer.context import MAX_TOKEN_CHARS
from qa_bot.retrieve import Filters
from qa_bot.text.normalize import has_control_characters

MAX_ID_CHARS = 128
MAX_FILTER_CHARS = 100
MAX_COMMENT_CHARS = 2000
MAX_TEXT_CHARS = 20_000
MAX_CHUNK_IDS = 50
MAX_SQL_INT = 2**63 - 1  # SQLite's INTEGER
# Documented range of top_k (the engine checks it against settings.max_top_k, whose default this is).
TOP_K_SCHEMA: JsonDict = {"minimum": 1, "maximum": 50}
_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


def _iso_date_text(value: object) -> object:
    """Dates come as "YYYY-MM-DD" text only: pydantic alone would also take 0 (1970-01-01) or "…T00:00:00"."""
    if isinstance(value, date) or (isinstance(value, str) and _ISO_DATE.fullmatch(value)):
        return value
    raise PydanticCustomError("date_parsing", "date must be YYYY-MM-DD")


IsoDate = Annotated[date, BeforeValidator(_iso_date_text)]


class _Body(BaseModel):
    """Every text of a request body must be valid Unicode without control characters: a lone UTF-16 surrogate
    ("\\ud800" in JSON) can be neither embedded, stored nor sent back, and a control character (NUL …) is refused
    the same in every field as in a question (qa_bot.text.has_control_characters): a 422 naming the field."""

    @field_validator("*", mode="after")
    @classmethod
    def _whole_characters(cls, value: object) -> object:
        texts = value if isinstance(value, list) else [value]
        for text in texts:
            if isinstance(text, str):
                try:
                    text.encode("utf-8")
                except UnicodeEncodeError:
                    raise PydanticCustomError("invalid_unicode", "string contains a lone surrogate") from None
                if has_control_characters(text):
                    raise PydanticCustomError("control_characters", "string contains control characters")
        return value


class FiltersIn(_Body):
    """Restrict answers to one document (doc_id or 文号), an issuer, or a date range (YYYY-MM-DD)."""

    model_config = ConfigDict(extra="ignore")

    doc: StrictStr | None = Field(default=None, max_length=MAX_FILTER_CHARS)
    issuer: StrictStr | None = Field(default=None, max_length=MAX_FILTER_CHARS)
    date_from: IsoDate | None = None
    date_to: IsoDate | None = None
    issue: StrictStr | None = Field(default=None, max_length=MAX_FILTER_CHARS)
    year: StrictInt | None = Field(default=None, ge=1949, le=2100)

    def to_filters(self) -> Filters | None:
        return make_filters(self.doc, self.issuer, self.date_from, self.date_to, issue=self.issue, year=self.year)


def make_filters(
    doc: str | None,
    issuer: str | None,
    date_from: date | None,
    date_to: date | None,
    *,
    issue: str | None = None,
    year: int | None = None,
) -> Filters | None:
    """Engine filters from request values; blank values mean no restriction, and no restriction means None."""
    filters = Filters(
        doc=(doc or "").strip() or None,
        issuer=(issuer or "").strip() or None,
        date_from=date_from.isoformat() if date_from else None,
        date_to=date_to.isoformat() if date_to else None,
        issue=(issue or "").strip() or None,
        year=year,
    )
    return filters if filters.active() else None


class AskIn(_Body):
    """POST /api/ask and /api/ask/stream. Empty, blank and over-long questions are refused by the engine."""

    model_config = ConfigDict(
        extra="ignore", json_schema_extra={"examples": [{"question": "哪个单位牵头农村寄递物流体系建设？", "top_k": 5}]}
    )

    question: StrictStr = Field(min_length=1)
    top_k: StrictInt | None = Field(default=None, json_schema_extra=TOP_K_SCHEMA)
    session_id: StrictStr | None = Field(default=None, max_length=MAX_ID_CHARS)
    context: StrictStr | None = Field(
        default=None,
        max_length=MAX_TOKEN_CHARS,
        description=(
            "The `context` of the previous reply, sent back as it came: any replica can then answer a follow-up. "
            "A stale or unreadable one is ignored (the question is answered on its own)."
        ),
    )
    filters: FiltersIn | None = None


class FeedbackIn(_Body):
    """POST /api/feedback: a rating of one answer, with an optional comment."""

    model_config = ConfigDict(extra="ignore")

    question_id: StrictInt | None = Field(default=None, ge=1, le=MAX_SQL_INT)
    session_id: StrictStr | None = Field(default=None, max_length=MAX_ID_CHARS)
    question: StrictStr = Field(min_length=1, max_length=MAX_TEXT_CHARS)
    answer: StrictStr = Field(max_length=MAX_TEXT_CHARS)
    rating: Literal["up", "down"]
    comment: StrictStr | None = Field(default=None, max_length=MAX_COMMENT_CHARS)
    chunk_ids: list[StrictStr] | None = Field(default=None, max_length=MAX_CHUNK_IDS)


__all__ = ["TOP_K_SCHEMA", "AskIn", "FeedbackIn", "FiltersIn", "IsoDate", "make_filters"]
