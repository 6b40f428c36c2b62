"""Feedback and the question log behind one database URL (settings.database_url, env QA_BOT_DATABASE_URL).

    ""                                  data_dir/qa-bot.sqlite3 (the default: one file per service)
    sqlite:///relative/path.sqlite3     a SQLite file relative to the working directory
    sqlite:////absolute/path.sqlite3    a SQLite file by absolute path
    postgresql://user:pass@host:5432/db one PostgreSQL database shared by every replica (also postgres://;
                                        needs the postgres extra: pip install 'qa-bot[postgres]')

One interface, `Storage` (log_question, add_feedback, rows, schema_version, open, close), two backends:

* SqliteStorage: WAL, synchronous=FULL, one connection shared by all threads behind a lock.
* PostgresStorage: psycopg 3, imported only when a PostgreSQL URL is configured. One autocommit connection shared
  by all threads behind a lock (every write is a single INSERT … RETURNING, so the lock is held for one round trip);
  a connection found broken is replaced, and the statement that found it broken is retried once on the new one.
  Connecting gives up after connect_timeout (5 s unless the URL says otherwise); after a failed connect the next
  RETRY_AFTER_S seconds fail at once, so that an unreachable server does not make every request wait.

Both backends commit each INSERT before returning (SQLite: synchronous=FULL; PostgreSQL: autocommit), so an
acknowledged feedback is durable before the 201 goes out.

The schema is versioned: MIGRATIONS[n] of a backend brings a database from version n to n + 1 (both backends have
the same number of versions). Migrations run in one transaction that first takes the database's migration lock
(SQLite: BEGIN IMMEDIATE; PostgreSQL: pg_advisory_xact_lock), so replicas starting together migrate exactly once.
A database of a newer version than this code is refused (StorageError).

The password of a URL never reaches a log line or an error message: they show `mask_url(url)`.
API keys and request headers are never stored.

The modules (each imports only those above it):

    errors.py    StorageError, DatabaseConfigError
    urls.py      DatabaseUrl, parse_database_url, mask_url, scrub; the lazy psycopg import
    base.py      the Storage interface, TABLES, timestamps, the schema version logic
    sqlite.py    SqliteStorage and its MIGRATIONS
    postgres.py  PostgresStorage and its MIGRATIONS
    __init__.py  open_storage, and every name above for `from qa_bot.feedback import …`
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from qa_bot.feedback.base import TABLES as TABLES
from qa_bot.feedback.base import Storage
from qa_bot.feedback.errors import DatabaseConfigError, StorageError
from qa_bot.feedback.postgres import CONNECT_TIMEOUT_S as CONNECT_TIMEOUT_S
from qa_bot.feedback.postgres import MIGRATION_LOCK_KEY as MIGRATION_LOCK_KEY
from qa_bot.feedback.postgres import RETRY_AFTER_S as RETRY_AFTER_S
from qa_bot.feedback.postgres import PostgresStorage
from qa_bot.feedback.sqlite import SqliteStorage
from qa_bot.feedback.urls import ACCEPTED_FORMS as ACCEPTED_FORMS
from qa_bot.feedback.urls import DB_FILENAME, DatabaseUrl, mask_url, parse_database_url
from qa_bot.feedback.urls import INSTALL_HINT as INSTALL_HINT
from qa_bot.feedback.urls import scrub as scrub
from qa_bot.redact import RedactSecrets

if TYPE_CHECKING:
    from qa_bot.settings import Settings


def open_storage(settings: Settings) -> Storage:
    """The storage settings.database_url names (not connected yet: the first use connects, or `open()`)."""
    target = parse_database_url(settings.database_url, settings.data_dir)
    storage: Storage
    if target.backend == "sqlite" and target.path is not None:
        storage = SqliteStorage(target.path, url=target.url)
    else:
        storage = PostgresStorage(target.url)
    storage.redactor = RedactSecrets(settings.secrets())
    return storage


# The `import X as X` names above are the rest of what the single-module storage.py offered; __all__ is unchanged.
__all__ = [
    "DB_FILENAME",
    "DatabaseConfigError",
    "DatabaseUrl",
    "PostgresStorage",
    "SqliteStorage",
    "Storage",
    "StorageError",
    "mask_url",
    "open_storage",
    "parse_database_url",
]
