"""The two errors of the storage layer. A leaf module: urls.py and base.py both raise them."""

from __future__ import annotations

from qa_bot.errors import BadInput, QaBotError


class StorageError(QaBotError, RuntimeError):
    """The feedback database cannot be used: unreachable, refused the schema, or belongs to a newer qa-bot."""

    code = "storage_unavailable"
    http_status = 503
    exit_code = 1


class DatabaseConfigError(BadInput):
    """QA_BOT_DATABASE_URL is not a URL qa-bot can use, or its driver is not installed (exit code 2)."""

    code = "bad_database_url"


def exception_detail(exc: BaseException) -> str:
    """A driver's error on one line (its name when it says nothing), with SQLite's extended code when it has one."""
    detail = " ".join(str(exc).split()) or exc.__class__.__name__
    name = getattr(exc, "sqlite_errorname", None)
    return f"{detail}, {name}" if name else detail


__all__ = ["DatabaseConfigError", "StorageError", "exception_detail"]
