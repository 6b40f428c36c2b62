"""The one exception tree of qa-bot, mapped once to HTTP errors and once to CLI exit codes.

    QaBotError
    ├── BadInput            (client sent something unusable)          HTTP 400, exit 2
    │   ├── BadQuestion     (empty, blank, over-long question)        HTTP 422, exit 2
    │   └── BadGoldFile     (an evaluation gold file is malformed)    exit 2
    ├── NotFound            (unknown document or clause)              HTTP 404, exit 2
    │   └── UnknownUnit     (no unit by that name; carries the closest)
    ├── CorpusError         (a gazette file cannot be read/parsed)    exit 2
    └── IndexNotReady       (index missing, stale, foreign, corrupt)  HTTP 503, exit 3
        └── IndexIncompatible
"""

from __future__ import annotations

from typing import Any


class QaBotError(Exception):
    """Base of every error qa-bot raises on purpose; `message` is readable Chinese."""

    code = "error"
    http_status = 500
    exit_code = 1

    def __init__(self, message: str, *, detail: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.detail = detail

    @property
    def extra(self) -> dict[str, Any]:
        """Fields a client can act on, sent beside code and message in the HTTP error body."""
        return {}


class BadInput(QaBotError):
    code = "bad_input"
    http_status = 400
    exit_code = 2


class BadQuestion(BadInput):
    code = "bad_question"
    http_status = 422


class BadGoldFile(BadInput):
    code = "bad_gold_file"


class NotFound(QaBotError):
    code = "not_found"
    http_status = 404
    exit_code = 2


class UnknownUnit(NotFound):
    """A unit name that matches no unit of the task ledger; `closest` holds the nearest known names."""

    code = "unknown_unit"

    def __init__(self, message: str, *, closest: tuple[str, ...] = ()) -> None:
        super().__init__(message)
        self.closest = closest

    @property
    def extra(self) -> dict[str, Any]:
        return {"closest": list(self.closest)}


class CorpusError(QaBotError):
    """A gazette file that cannot be read or holds no document; names the file and line."""

    code = "corpus_error"
    http_status = 500
    exit_code = 2

    def __init__(self, message: str, *, path: str = "", line: int | None = None) -> None:
        where = path + (f":{line}" if line else "")
        super().__init__(f"{where}: {message}" if where else message)
        self.path = path
        self.line = line
        self.reason = message  # the message without the file and line


class IndexNotReady(QaBotError):
    """The index is missing or unusable; the message names the command that fixes it."""

    code = "index_not_ready"
    http_status = 503
    exit_code = 3


class IndexIncompatible(IndexNotReady):
    code = "index_incompatible"


__all__ = [
    "BadGoldFile",
    "BadInput",
    "BadQuestion",
    "CorpusError",
    "IndexIncompatible",
    "IndexNotReady",
    "NotFound",
    "QaBotError",
    "UnknownUnit",
]
