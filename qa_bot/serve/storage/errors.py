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


__all__ = ["DatabaseConfigError", "StorageError"]
