"""SqliteStorage: WAL, synchronous=FULL, one connection shared by all threads behind a lock.

Each INSERT is committed (autocommit, synchronous=FULL: on disk) before it returns. MIGRATIONS[n] brings a file
from schema version n to n + 1; the migration transaction is BEGIN IMMEDIATE, so a second process waits for it.

The file is watched: its (device, inode) is compared before and after every write. A file deleted or replaced
while the service runs (its folder too) is opened again — created anew if need be — and a write that raced the
deletion is refused (StorageError, 503) instead of acknowledged. Whatever cannot be opened is a 503 until it can.
"""

from __future__ import annotations

import json
import logging
import os
import sqlite3
from collections.abc import Iterator, Sequence
from contextlib import contextmanager, suppress
from pathlib import Path
from typing import Any

from qa_bot.feedback.base import Storage, _sql_for, _timestamp
from qa_bot.feedback.errors import StorageError, exception_detail

log = logging.getLogger("qa_bot.serve")


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
        self._identity: tuple[int, int] | None = None  # (device, inode) of the file the connection has open

    def _file_identity(self) -> tuple[int, int] | None:
        try:
            stat = os.stat(self.path)
        except OSError:  # gone, or its folder is gone or is no longer a folder
            return None
        return (stat.st_dev, stat.st_ino)

    def _connection(self) -> sqlite3.Connection:
        if self._connection_ is not None and self._file_identity() != self._identity:
            # Deleted or replaced under us: writes to the old connection would go to an unlinked file and vanish.
            log.error("database file %s was deleted or replaced while in use: opening it again", self.path)
            self._remove_orphan_sidecars()
            self._close()
        if self._connection_ is None:
            connection = self._open()
            identity = self._file_identity()
            if identity is None:  # deleted again the moment it was made
                connection.close()
                raise StorageError(f"反馈数据库文件 {self.path} 刚创建即被删除，本次未保存，请稍后重试。")
            self._connection_, self._identity = connection, identity
        return self._connection_

    def _remove_orphan_sidecars(self) -> None:
        """The -wal and -shm of the file that vanished or was replaced, before anything opens the path again: read
        through them, a new file looks like the old one, half-written (SQLITE_IOERR_SHORT_READ). Sidecars written
        since the new file arrived belong to another process using it, and are left alone."""
        try:
            arrived: int | None = os.stat(self.path).st_ctime_ns
        except OSError:
            arrived = None  # no file: whatever sidecars remain are orphans
        for suffix in ("-wal", "-shm"):
            sidecar = self.path.with_name(self.path.name + suffix)
            try:
                if arrived is None or sidecar.stat().st_mtime_ns < arrived:
                    sidecar.unlink()
            except OSError:
                continue

    def _open(self) -> sqlite3.Connection:
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            connection = sqlite3.connect(self.path, check_same_thread=False, isolation_level=None, timeout=10)
        except (OSError, sqlite3.Error) as exc:
            raise self._unavailable("无法创建或打开", exc) from None
        try:
            connection.execute("PRAGMA journal_mode=WAL")
            connection.execute("PRAGMA synchronous=FULL")
            connection.execute("PRAGMA busy_timeout=10000")
            self._migrate(connection)
        except sqlite3.Error as exc:
            connection.close()
            raise self._unavailable("无法使用", exc) from None
        except BaseException:
            connection.close()
            raise
        return connection

    def _unavailable(self, doing: str, exc: BaseException) -> StorageError:
        return StorageError(f"反馈数据库文件 {self.path} {doing}（{exception_detail(exc)}），本次未保存，请稍后重试。")

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
        """Autocommit: on disk (synchronous=FULL) when it returns — in the file at self.path, checked after the
        commit too, so a row written to a file deleted meanwhile is reported (503), never acknowledged."""
        try:
            cursor = self._connection().execute(sql, values)
        except sqlite3.Error as exc:
            self._close()
            raise self._unavailable("写入失败", exc) from None
        if self._file_identity() != self._identity:  # the next call reopens it (and clears its sidecars)
            raise StorageError(f"反馈数据库文件 {self.path} 在写入时被删除或替换，本次未保存，请重试。")
        return int(cursor.lastrowid or 0)

    def _query(self, sql: str, values: Sequence[Any]) -> list[Sequence[Any]]:
        try:
            return self._connection().execute(sql, values).fetchall()
        except sqlite3.Error as exc:
            self._close()
            raise self._unavailable("读取失败", exc) from None

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
        connection, self._connection_, self._identity = self._connection_, None, None
        if connection is not None:
            with suppress(sqlite3.Error):
                connection.close()


__all__ = ["SqliteStorage"]
