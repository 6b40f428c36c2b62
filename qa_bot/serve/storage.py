"""Feedback and the question log in one SQLite file under settings.data_dir (WAL, synchronous=FULL, versioned schema).

An acknowledged feedback is on disk before the 201 goes out (synchronous=FULL commits survive kill -9).
One connection is shared by all threads behind a lock; writes are single INSERTs, so the lock is held briefly.
API keys and request headers are never stored.
"""

from __future__ import annotations

import json
import sqlite3
import threading
from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path

DB_FILENAME = "qa-bot.sqlite3"
SCHEMA_VERSION = 1

# MIGRATIONS[n] brings a database from version n to n + 1.
MIGRATIONS: list[str] = [
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
    );
    CREATE INDEX questions_session ON questions (session_id);
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
    );
    """,
]


class StorageError(RuntimeError):
    """The database belongs to a newer qa-bot (its schema version is higher than this code knows)."""


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="milliseconds")


class Storage:
    """The service's SQLite file: opened on first use, created with its folder if missing."""

    def __init__(self, data_dir: Path) -> None:
        self.path = Path(data_dir) / DB_FILENAME
        self._lock = threading.Lock()
        self._connection: sqlite3.Connection | None = None

    def _connect(self) -> sqlite3.Connection:
        if self._connection is None:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            connection = sqlite3.connect(self.path, check_same_thread=False, isolation_level=None, timeout=10)
            connection.execute("PRAGMA journal_mode=WAL")
            connection.execute("PRAGMA synchronous=FULL")
            connection.execute("PRAGMA busy_timeout=10000")
            self._migrate(connection)
            self._connection = connection
        return self._connection

    @staticmethod
    def _migrate(connection: sqlite3.Connection) -> None:
        connection.execute("BEGIN IMMEDIATE")
        try:
            connection.execute("CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL)")
            row = connection.execute("SELECT version FROM schema_version").fetchone()
            version = row[0] if row else 0
            if version > SCHEMA_VERSION:
                raise StorageError(f"数据库 schema 版本 {version} 高于本程序支持的 {SCHEMA_VERSION}")
            for step in range(version, SCHEMA_VERSION):
                for statement in MIGRATIONS[step].split(";"):
                    if statement.strip():
                        connection.execute(statement)
            if row is None:
                connection.execute("INSERT INTO schema_version (version) VALUES (?)", (SCHEMA_VERSION,))
            else:
                connection.execute("UPDATE schema_version SET version = ?", (SCHEMA_VERSION,))
            connection.execute("COMMIT")
        except BaseException:
            connection.execute("ROLLBACK")
            raise

    def _insert(self, sql: str, values: Sequence[object]) -> int:
        with self._lock:
            cursor = self._connect().execute(sql, values)
            return int(cursor.lastrowid or 0)

    def log_question(
        self,
        *,
        question: str,
        answer: str,
        found: bool,
        latency_ms: float,
        session_id: str | None,
        client: str | None,
        kind: str | None = None,
        chunk_ids: Sequence[str] = (),
    ) -> int:
        """Record one answered question; returns its id (what feedback refers to as question_id)."""
        return self._insert(
            "INSERT INTO questions (created_at, session_id, client, question, answer, found, kind, latency_ms, chunk_ids)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (_now(), session_id, client, question, answer, int(found), kind, latency_ms, json.dumps(list(chunk_ids), ensure_ascii=False)),
        )

    def add_feedback(
        self,
        *,
        question: str,
        answer: str,
        rating: str,
        comment: str = "",
        question_id: int | None = None,
        session_id: str | None = None,
        client: str | None = None,
        chunk_ids: Sequence[str] = (),
    ) -> int:
        """Store one feedback durably; returns its id."""
        return self._insert(
            "INSERT INTO feedback (created_at, question_id, session_id, client, question, answer, rating, comment, chunk_ids)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (_now(), question_id, session_id, client, question, answer, rating, comment, json.dumps(list(chunk_ids), ensure_ascii=False)),
        )

    def close(self) -> None:
        with self._lock:
            if self._connection is not None:
                self._connection.close()
                self._connection = None


__all__ = ["DB_FILENAME", "SCHEMA_VERSION", "Storage", "StorageError"]
