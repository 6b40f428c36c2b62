"""The `Storage` interface, the table layout and the schema version logic shared by both backends.

The schema is versioned: MIGRATIONS[n] of a backend brings a database from version n to n + 1 (both backends have
the same number of versions). Migrations run in one transaction that first takes the database's migration lock
(SQLite: BEGIN IMMEDIATE; PostgreSQL: pg_advisory_xact_lock), so replicas starting together migrate exactly once.
A database of a newer version than this code is refused (StorageError).

Both backends commit each INSERT before returning (SQLite: synchronous=FULL; PostgreSQL: autocommit), so an
acknowledged feedback is durable before the 201 goes out.

API keys and request headers are never stored, and the configured secrets are masked in every stored text.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from datetime import UTC, datetime
from typing import Any, ClassVar

from qa_bot.serve.redact import RedactSecrets
from qa_bot.serve.storage.errors import DatabaseConfigError, StorageError
from qa_bot.serve.storage.urls import mask_url

log = logging.getLogger("qa_bot.serve")


# -- the rows, shared by both backends ---------------------------------------------------------------------------
# Column order of each table after `id`; the values handed to a backend are Python values (created_at: an aware
# datetime, found: bool, chunk_ids: list of str), each backend stores them its own way and reads them back alike.
TABLES: dict[str, tuple[str, ...]] = {
    "questions": (
        "created_at",
        "session_id",
        "client",
        "question",
        "answer",
        "found",
        "kind",
        "latency_ms",
        "chunk_ids",
    ),
    "feedback": (
        "created_at",
        "question_id",
        "session_id",
        "client",
        "question",
        "answer",
        "rating",
        "comment",
        "chunk_ids",
    ),
}


# Two feedback rows are about the same answer when they share question_id and session (a missing session is '').
_SAME_SESSION = "COALESCE(session_id, '') = {param}"


def _now() -> datetime:
    return datetime.now(UTC)


def _timestamp(value: datetime) -> str:
    return value.astimezone(UTC).isoformat(timespec="milliseconds")


def _sql_for(param: str, returning: bool) -> tuple[dict[str, str], dict[str, str]]:
    """(INSERT by table, SELECT by table) with a backend's parameter marker; PostgreSQL returns the new id."""
    inserts, selects = {}, {}
    for table, columns in TABLES.items():
        marks = ", ".join([param] * len(columns))
        inserts[table] = f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({marks})" + (
            " RETURNING id" if returning else ""
        )
        selects[table] = f"SELECT id, {', '.join(columns)} FROM {table}"
    return inserts, selects


# -- the interface -----------------------------------------------------------------------------------------------
class Storage:
    """Feedback and question log. Subclasses give the SQL and the connection; the row shapes and the schema
    version logic are here. Thread-safe: one connection per Storage, used under self._lock."""

    backend: ClassVar[str] = ""
    # MIGRATIONS[n]: the statements that bring a database from version n to n + 1.
    MIGRATIONS: ClassVar[Sequence[Sequence[str]]] = ()
    # Run first in the migration transaction, to keep other processes out until it commits.
    MIGRATION_LOCK: ClassVar[Sequence[str]] = ()

    def __init__(self, url: str) -> None:
        self.url = mask_url(url)  # what logs and messages show
        self._raw_url = url
        self._lock = threading.Lock()
        # Masks the service's own keys in every stored text (open_storage sets it from the settings).
        self.redactor = RedactSecrets()

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.url!r})"

    @property
    def latest_version(self) -> int:
        return len(self.MIGRATIONS)

    # -- public ----------------------------------------------------------------------------------------------
    def open(self) -> None:
        """Connect and create or migrate the schema now (otherwise the first write does it)."""
        with self._lock:
            self._connection()

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
        row = {
            "created_at": _now(),
            "session_id": session_id,
            "client": client,
            "question": question,
            "answer": answer,
            "found": bool(found),
            "kind": kind,
            "latency_ms": float(latency_ms),
            "chunk_ids": list(chunk_ids),
        }
        return self._insert("questions", row)

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
        """Store one feedback durably (committed when this returns); returns its id."""
        row = {
            "created_at": _now(),
            "question_id": question_id,
            "session_id": session_id,
            "client": client,
            "question": question,
            "answer": answer,
            "rating": rating,
            "comment": comment,
            "chunk_ids": list(chunk_ids),
        }
        return self._insert("feedback", row)

    def latest_feedback_id(self, question_id: int | None, session_id: str | None) -> int | None:
        """The id of the feedback that a new one on the same answer (question_id, within one session) replaces."""
        if question_id is None:
            return None  # an answer that was not logged cannot be told apart from another: nothing is replaced
        sql = (
            f"SELECT MAX(id) FROM feedback WHERE question_id = {self.PARAM} AND"
            f" {_SAME_SESSION.format(param=self.PARAM)}"
        )
        with self._lock:
            rows = self._query(sql, (question_id, session_id or ""))
        return int(rows[0][0]) if rows and rows[0][0] is not None else None

    def current_feedback(self) -> list[dict[str, Any]]:
        """The feedback in force, in id order: for each answer (question_id and session) only the latest — a user may
        change a rating until the conversation is cleared; earlier rows stay stored as its history."""
        latest = (
            " f WHERE f.question_id IS NULL OR f.id = (SELECT MAX(g.id) FROM feedback g WHERE g.question_id ="
            " f.question_id AND COALESCE(g.session_id, '') = COALESCE(f.session_id, '')) ORDER BY f.id"
        )
        with self._lock:
            fetched = self._query(self.SELECTS["feedback"] + latest, ())
        return self._rows("feedback", fetched)

    def rows(self, table: str, *, limit: int | None = None) -> list[dict[str, Any]]:
        """The rows of "questions" or "feedback" in id order (the last `limit` ones), alike on both backends:
        {"id", …columns}, created_at an ISO 8601 UTC string, found a bool, chunk_ids a list."""
        if table not in TABLES:  # no SQL from callers
            raise KeyError(table)
        with self._lock:
            if limit is None:
                fetched = self._query(self.SELECTS[table] + " ORDER BY id", ())
            else:
                fetched = self._query(self.SELECTS[table] + f" ORDER BY id DESC LIMIT {self.PARAM}", (limit,))[::-1]
        return self._rows(table, fetched)

    def _rows(self, table: str, fetched: list[Sequence[Any]]) -> list[dict[str, Any]]:
        result = []
        for values in fetched:
            row = dict(zip(("id", *TABLES[table]), values, strict=True))
            result.append({name: self._from_db(name, value) for name, value in row.items()})
        return result

    def health(self) -> dict[str, Any]:
        """{"backend", "ok", "error"} for /readyz: one trivial query (so a vanished SQLite file is noticed and
        recreated, an unreachable PostgreSQL reported); never raises for a storage problem."""
        try:
            with self._lock:
                self._query("SELECT 1", ())
        except StorageError as exc:
            return {"backend": self.backend, "ok": False, "error": exc.message}
        return {"backend": self.backend, "ok": True, "error": None}

    def schema_version(self) -> int:
        """The version of the schema in the database (connecting, and so migrating, first)."""
        with self._lock:
            rows = self._query("SELECT MAX(version) FROM schema_version", ())
        return int(rows[0][0]) if rows and rows[0][0] is not None else 0

    def close(self) -> None:
        with self._lock:
            self._close()

    # -- shared schema version logic ---------------------------------------------------------------------------
    def _migrate(self, connection: Any) -> None:
        """Create or upgrade the schema in one transaction under the migration lock; refuse a newer database."""
        latest = self.latest_version
        with self._transaction(connection):
            for statement in self.MIGRATION_LOCK:
                connection.execute(statement)
            connection.execute("CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL)")
            found = self._read_version(connection)
            if found > latest:
                raise StorageError(
                    f"数据库 {self.url} 的 schema 版本 {found} 高于本程序支持的 {latest}："
                    "它已被更新版本的 qa-bot 使用过。请升级 qa-bot，或换用另一个数据库。"
                )
            if found == latest:
                return
            for step in range(found, latest):
                for statement in self.MIGRATIONS[step]:
                    connection.execute(statement)
            connection.execute("DELETE FROM schema_version")
            connection.execute(f"INSERT INTO schema_version (version) VALUES ({int(latest)})")
        log.info("database %s: schema migrated from version %d to %d", self.url, found, latest)

    @staticmethod
    def _read_version(connection: Any) -> int:
        row = connection.execute("SELECT MAX(version) FROM schema_version").fetchone()
        return int(row[0]) if row and row[0] is not None else 0

    def _masked(self, value: Any) -> Any:
        if isinstance(value, str):
            return self.redactor.mask_secrets(value)
        if isinstance(value, list):
            return [self._masked(item) for item in value]
        return value

    def _insert(self, table: str, row: dict[str, Any]) -> int:
        values = [self._to_db(name, self._masked(row[name])) for name in TABLES[table]]
        with self._lock:
            return self._execute_insert(self.INSERTS[table], values)

    # -- what a backend provides (all called with self._lock held) ---------------------------------------------
    PARAM: ClassVar[str] = "?"  # the parameter marker of the driver
    INSERTS: ClassVar[dict[str, str]] = {}  # table → INSERT of TABLES[table]
    SELECTS: ClassVar[dict[str, str]] = {}  # table → SELECT id, TABLES[table]

    def _connection(self) -> Any:
        """The open connection; connects and migrates when there is none."""
        raise NotImplementedError

    @contextmanager
    def _transaction(self, connection: Any) -> Iterator[None]:
        raise NotImplementedError
        yield

    def _execute_insert(self, sql: str, values: Sequence[Any]) -> int:
        """Run one INSERT, committed when this returns; the new row's id."""
        raise NotImplementedError

    def _query(self, sql: str, values: Sequence[Any]) -> list[Sequence[Any]]:
        raise NotImplementedError

    def _to_db(self, column: str, value: Any) -> Any:
        return value

    def _from_db(self, column: str, value: Any) -> Any:
        return value

    def _close(self) -> None:
        raise NotImplementedError


__all__ = ["TABLES", "DatabaseConfigError", "Storage", "StorageError"]
