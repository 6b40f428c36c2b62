"""PostgresStorage: one PostgreSQL database, possibly shared by several replicas.

psycopg 3, imported only when a PostgreSQL URL is configured. One autocommit connection shared by all threads
behind a lock (every write is a single INSERT … RETURNING, so the lock is held for one round trip); a connection
found broken is replaced, and the statement that found it broken is retried once on the new one. Connecting gives
up after connect_timeout (5 s unless the URL says otherwise); after a failed connect the next RETRY_AFTER_S seconds
fail at once, so that an unreachable server does not make every request wait.

Each INSERT is committed (autocommit) when the reply arrives. Migrations take pg_advisory_xact_lock(MIGRATION_LOCK_KEY)
first, so replicas starting together migrate exactly once.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager, suppress
from typing import Any

from qa_bot.serve.storage.base import Storage, _sql_for, _timestamp
from qa_bot.serve.storage.errors import StorageError, exception_detail
from qa_bot.serve.storage.urls import _check_postgres_url, _psycopg, scrub

log = logging.getLogger("qa_bot.serve")

CONNECT_TIMEOUT_S = 5
RETRY_AFTER_S = 5.0
# pg_advisory_xact_lock key taken by every migration transaction (b"qa-bot-s" as a signed 64-bit integer).
MIGRATION_LOCK_KEY = int.from_bytes(b"qa-bot-s", "big", signed=True)


class PostgresStorage(Storage):
    """One PostgreSQL database, possibly shared by several replicas; psycopg 3, one autocommit connection."""

    backend = "postgresql"
    MIGRATIONS = (
        (
            """
            CREATE TABLE questions (
                id          BIGSERIAL PRIMARY KEY,
                created_at  TIMESTAMPTZ NOT NULL,
                session_id  TEXT,
                client      TEXT,
                question    TEXT NOT NULL,
                answer      TEXT NOT NULL,
                found       BOOLEAN NOT NULL,
                kind        TEXT,
                latency_ms  DOUBLE PRECISION NOT NULL,
                chunk_ids   JSONB NOT NULL DEFAULT '[]'
            )
            """,
            "CREATE INDEX questions_session ON questions (session_id)",
            """
            CREATE TABLE feedback (
                id          BIGSERIAL PRIMARY KEY,
                created_at  TIMESTAMPTZ NOT NULL,
                question_id BIGINT,
                session_id  TEXT,
                client      TEXT,
                question    TEXT NOT NULL,
                answer      TEXT NOT NULL,
                rating      TEXT NOT NULL CHECK (rating IN ('up', 'down')),
                comment     TEXT NOT NULL DEFAULT '',
                chunk_ids   JSONB NOT NULL DEFAULT '[]'
            )
            """,
        ),
    )
    # Replicas starting together queue here; the lock goes with the transaction's COMMIT or ROLLBACK.
    MIGRATION_LOCK = (f"SELECT pg_advisory_xact_lock({MIGRATION_LOCK_KEY})",)
    PARAM = "%s"
    INSERTS, SELECTS = _sql_for(PARAM, returning=True)

    def __init__(self, url: str) -> None:
        super().__init__(url)
        self._psycopg = _psycopg()
        params = _check_postgres_url(url)
        # Defaults that the URL may override: bounded waits when the server is unreachable or the network drops.
        self._options: dict[str, Any] = {}
        if "connect_timeout" not in params:
            self._options["connect_timeout"] = CONNECT_TIMEOUT_S
        if "application_name" not in params:
            self._options["application_name"] = "qa-bot"
        if not any(name.startswith("keepalives") for name in params):
            self._options.update(keepalives=1, keepalives_idle=30, keepalives_interval=10, keepalives_count=3)
        if "tcp_user_timeout" not in params and self._psycopg.pq.version() >= 120000:
            self._options["tcp_user_timeout"] = 30_000
        self._connection_: Any = None
        self._retry_at = 0.0
        self._last_error = ""
        self._announced = False

    def _error(self, doing: str, exc: BaseException) -> StorageError:
        return StorageError(f"PostgreSQL 数据库 {self.url} {doing}：{scrub(exception_detail(exc), self._raw_url)}")

    def _connection(self) -> Any:
        connection = self._connection_
        if connection is not None and not connection.closed and not connection.broken:
            return connection
        self._close()
        if time.monotonic() < self._retry_at:  # the last attempt failed moments ago: do not wait again
            raise StorageError(f"{self._last_error}（{RETRY_AFTER_S:g} 秒内不再重试）")
        psycopg = self._psycopg
        try:
            connection = psycopg.connect(self._raw_url, autocommit=True, prepare_threshold=None, **self._options)
        except psycopg.Error as exc:
            error = self._error("连接失败", exc)
            self._retry_at = time.monotonic() + RETRY_AFTER_S
            self._last_error = error.message
            log.error("%s", error.message)
            raise error from None
        try:
            self._migrate(connection)
        except StorageError:
            connection.close()
            raise
        except psycopg.Error as exc:
            connection.close()
            raise self._error("无法建立或升级表结构", exc) from None
        except BaseException:
            connection.close()
            raise
        if not self._announced:
            log.info("feedback and question log in PostgreSQL %s", self.url)
            self._announced = True
        self._retry_at = 0.0
        self._connection_ = connection
        return connection

    @contextmanager
    def _transaction(self, connection: Any) -> Iterator[None]:
        with connection.transaction():
            yield

    def _query(self, sql: str, values: Sequence[Any]) -> list[Sequence[Any]]:
        """Execute with the lock held. A reused connection that turns out dead (server restarted, idle connection
        dropped) is replaced and the statement retried once; connection trouble otherwise → StorageError (503), its
        message without the password. (Only if the server died between committing and replying would a retried
        INSERT be written twice; an acknowledged one is never lost.)"""
        psycopg = self._psycopg
        for attempt in (1, 2):
            fresh = self._connection_ is None or self._connection_.closed or self._connection_.broken
            connection = self._connection()
            try:
                rows: list[Sequence[Any]] = connection.execute(sql, values).fetchall()
                return rows
            except (psycopg.OperationalError, psycopg.InterfaceError) as exc:
                if connection.broken or connection.closed:
                    self._close()
                    if attempt == 1 and not fresh:
                        log.warning("database %s: connection lost, reconnecting", self.url)
                        continue
                raise self._error("执行失败", exc) from None
        raise AssertionError("unreachable")

    def _execute_insert(self, sql: str, values: Sequence[Any]) -> int:
        ((new_id,),) = self._query(sql, values)  # autocommit: committed when the reply arrives
        return int(new_id)

    def _to_db(self, column: str, value: Any) -> Any:
        return self._psycopg.types.json.Jsonb(value) if column == "chunk_ids" else value

    def _from_db(self, column: str, value: Any) -> Any:
        if column == "created_at":
            return _timestamp(value)
        return value

    def _close(self) -> None:
        connection, self._connection_ = self._connection_, None
        if connection is not None:
            with suppress(Exception):  # closing a broken connection must not hide why it broke
                connection.close()


__all__ = ["CONNECT_TIMEOUT_S", "MIGRATION_LOCK_KEY", "RETRY_AFTER_S", "PostgresStorage"]
