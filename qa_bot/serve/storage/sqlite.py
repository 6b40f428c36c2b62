"""SqliteStorage: WAL, synchronous=FULL, one connection shared by all threads behind a lock.

Each INSERT is committed (autocommit, synchronous=FULL: on disk) before it returns. MIGRATIONS[n] brings a file
from schema version n to n + 1; the migration transaction is BEGIN IMMEDIATE, so a second process waits for it.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from qa_bot.serve.storage.base import Storage, _sql_for, _timestamp


class SqliteStorage(Storage):
    """One SQLite file (WAL, synchronous=FULL), created with its folder if missing."""

    backend = "sqlite"
    MIGRATIONS = (
        (
            """
            CREATE TABLE questions (
                id          INTEGER PRIMARY KEY AUTOINCREMENT,
                created_at  TEXT NOT NULL,
                session_id  TEXT,
                client      TEXT,
                question    TEXT NOT NULL,
                answer      TEXT NOT NULL,
                found       INTEGER NOT NULL,
                kind        TEXT,
                latency_ms  REAL NOT NULL,
                chunk_ids   TEXT NOT NULL DEFAULT '[]'
            )
            """,
            "CREATE INDEX questions_session ON questions (session_id)",
            """
            CREATE TABLE feedback (
                id          INTEGER PRIMARY KEY AUTOINCREMENT,
                created_at  TEXT NOT NULL,
                question_id INTEGER,
                session_id  TEXT,
                client      TEXT,
                question    TEXT NOT NULL,
                answer      TEXT NOT NULL,
                rating      TEXT NOT NULL CHECK (rating IN ('up', 'down')),
                comment     TEXT NOT NULL DEFAULT '',
                chunk_ids   TEXT NOT NULL DEFAULT '[]'
            )
            """,
        ),
    )
    PARAM = "?"
    INSERTS, SELECTS = _sql_for(PARAM, returning=False)

    def __init__(self, path: Path, *, url: str | None = None) -> None:
        super().__init__(url or f"sqlite:///{path}")
        self.path = Path(path)
        self._connection_: sqlite3.Connection | None = None

    def _connection(self) -> sqlite3.Connection:
        if self._connection_ is None:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            connection = sqlite3.connect(self.path, check_same_thread=False, isolation_level=None, timeout=10)
            try:
                connection.execute("PRAGMA journal_mode=WAL")
                connection.execute("PRAGMA synchronous=FULL")
                connection.execute("PRAGMA busy_timeout=10000")
                self._migrate(connection)
            except BaseException:
                connection.close()
                raise
            self._connection_ = connection
        return self._connection_

    @contextmanager
    def _transaction(self, connection: sqlite3.Connection) -> Iterator[None]:
        connection.execute("BEGIN IMMEDIATE")  # the write lock: a second process waits here (busy_timeout)
        try:
            yield
        except BaseException:
            connection.execute("ROLLBACK")
            raise
        connection.execute("COMMIT")

    def _execute_insert(self, sql: str, values: Sequence[Any]) -> int:
        cursor = self._connection().execute(sql, values)  # autocommit: on disk (synchronous=FULL) when it returns
        return int(cursor.lastrowid or 0)

    def _query(self, sql: str, values: Sequence[Any]) -> list[Sequence[Any]]:
        return self._connection().execute(sql, values).fetchall()

    def _to_db(self, column: str, value: Any) -> Any:
        if column == "created_at":
            return _timestamp(value)
        if column == "found":
            return int(value)
        if column == "chunk_ids":
            return json.dumps(list(value), ensure_ascii=False)
        return value

    def _from_db(self, column: str, value: Any) -> Any:
        if column == "found":
            return bool(value)
        if column == "chunk_ids":
            return json.loads(value)
        return value

    def _close(self) -> None:
        if self._connection_ is not None:
            self._connection_.close()
            self._connection_ = None


__all__ = ["SqliteStorage"]
