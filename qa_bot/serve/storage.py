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
"""

from __future__ import annotations

import json
import logging
import re
import sqlite3
import threading
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar
from urllib.parse import unquote

from qa_bot.errors import BadInput, QaBotError

if TYPE_CHECKING:
    from qa_bot.settings import Settings

log = logging.getLogger("qa_bot.serve")

DB_FILENAME = "qa-bot.sqlite3"
CONNECT_TIMEOUT_S = 5
RETRY_AFTER_S = 5.0
INSTALL_HINT = "pip install 'qa-bot[postgres]'"
ACCEPTED_FORMS = (
    "可用的写法：留空（data_dir/qa-bot.sqlite3）、sqlite:///相对路径、sqlite:////绝对路径、"
    "postgresql://用户:密码@主机:端口/数据库（或 postgres://…）"
)
# pg_advisory_xact_lock key taken by every migration transaction (b"qa-bot-s" as a signed 64-bit integer).
MIGRATION_LOCK_KEY = int.from_bytes(b"qa-bot-s", "big", signed=True)


class StorageError(QaBotError, RuntimeError):
    """The feedback database cannot be used: unreachable, refused the schema, or belongs to a newer qa-bot."""

    code = "storage_unavailable"
    http_status = 503
    exit_code = 1


class DatabaseConfigError(BadInput):
    """QA_BOT_DATABASE_URL is not a URL qa-bot can use, or its driver is not installed (exit code 2)."""

    code = "bad_database_url"


# -- the rows, shared by both backends ---------------------------------------------------------------------------
# Column order of each table after `id`; the values handed to a backend are Python values (created_at: an aware
# datetime, found: bool, chunk_ids: list of str), each backend stores them its own way and reads them back alike.
TABLES: dict[str, tuple[str, ...]] = {
    "questions": ("created_at", "session_id", "client", "question", "answer", "found", "kind", "latency_ms", "chunk_ids"),
    "feedback": ("created_at", "question_id", "session_id", "client", "question", "answer", "rating", "comment", "chunk_ids"),
}


def _now() -> datetime:
    return datetime.now(UTC)


def _timestamp(value: datetime) -> str:
    return value.astimezone(UTC).isoformat(timespec="milliseconds")


# -- database URLs -----------------------------------------------------------------------------------------------
_SCHEME = re.compile(r"^([A-Za-z][A-Za-z0-9+.-]*):")
_PASSWORD_PARAM = re.compile(r"(?i)([?&]password=)[^&#]*")


def _passwords_of(url: str) -> list[str]:
    """The passwords as written in the URL: of the userinfo part, and of password= query parameters."""
    found = []
    if "://" in url:
        rest = url.split("://", 1)[1]
        head = re.split(r"[?#]", rest, maxsplit=1)[0]
        at = head.rfind("@")
        if at >= 0 and ":" in head[:at]:
            found.append(head[:at].split(":", 1)[1])
    found += [match.group(0).split("=", 1)[1] for match in _PASSWORD_PARAM.finditer(url)]
    return [password for password in found if password]


def mask_url(url: str) -> str:
    """The URL with its password replaced by ***, for logs and messages."""
    if "://" in url:
        scheme, rest = url.split("://", 1)
        query = re.search(r"[?#]", rest)
        head, tail = (rest[: query.start()], rest[query.start() :]) if query else (rest, "")
        at = head.rfind("@")
        if at >= 0 and ":" in head[:at]:
            user = head[:at].split(":", 1)[0]
            head = f"{user}:***{head[at:]}"
        url = f"{scheme}://{head}{tail}"
    return _PASSWORD_PARAM.sub(r"\1***", url)


def scrub(text: str, url: str) -> str:
    """`text` with every form of the URL's passwords (as written, percent-decoded) replaced by ***."""
    forms = {form for password in _passwords_of(url) for form in (password, unquote(password))}
    for form in sorted(forms, key=len, reverse=True):
        if form:
            text = text.replace(form, "***")
    return text


@dataclass(frozen=True)
class DatabaseUrl:
    """A checked QA_BOT_DATABASE_URL: backend "sqlite" (path) or "postgresql" (url)."""

    backend: str
    url: str
    path: Path | None = None

    @property
    def display(self) -> str:
        return mask_url(self.url)


def parse_database_url(url: str, data_dir: Path) -> DatabaseUrl:
    """Check the URL (DatabaseConfigError, in Chinese, password masked, if qa-bot cannot use it)."""
    url = (url or "").strip()
    if not url:
        path = Path(data_dir) / DB_FILENAME
        return DatabaseUrl("sqlite", f"sqlite:///{path}", path)
    shown = mask_url(url)
    match = _SCHEME.match(url)
    scheme = match.group(1).lower() if match else ""
    if scheme == "sqlite":
        if not url.lower().startswith("sqlite:///") or not url[len("sqlite:///") :].strip():
            raise DatabaseConfigError(
                f"QA_BOT_DATABASE_URL={shown} 不是有效的 SQLite 地址：应为 sqlite:/// 后接文件路径"
                f"（sqlite:///data/qa-bot.sqlite3 为相对路径，sqlite:////var/lib/qa-bot/qa-bot.sqlite3 为绝对路径）。"
            )
        path = Path(url[len("sqlite:///") :])
        return DatabaseUrl("sqlite", url, path)
    if scheme in ("postgresql", "postgres") and url[len(scheme) :].startswith("://"):
        url = scheme + url[len(scheme) :]  # libpq wants the scheme in lower case
        _check_postgres_url(url)
        return DatabaseUrl("postgresql", url)
    raise DatabaseConfigError(f"无法识别的数据库地址 QA_BOT_DATABASE_URL={shown}。{ACCEPTED_FORMS}")


def _psycopg() -> Any:
    try:
        import psycopg
    except ImportError:
        raise DatabaseConfigError(
            f"QA_BOT_DATABASE_URL 指向 PostgreSQL，但没有安装 PostgreSQL 驱动 psycopg。请运行：{INSTALL_HINT}"
        ) from None
    return psycopg


def _check_postgres_url(url: str) -> dict[str, Any]:
    psycopg = _psycopg()
    shown = mask_url(url)
    try:
        params: dict[str, Any] = psycopg.conninfo.conninfo_to_dict(url)
    except psycopg.Error as exc:
        raise DatabaseConfigError(f"QA_BOT_DATABASE_URL={shown} 无法解析：{scrub(str(exc), url)}。{ACCEPTED_FORMS}") from None
    for port in str(params.get("port", "")).split(","):
        if port and not (port.isdigit() and 0 < int(port) < 65536):
            raise DatabaseConfigError(f"QA_BOT_DATABASE_URL={shown} 的端口无效：{scrub(port, url)}。{ACCEPTED_FORMS}")
    return params


def open_storage(settings: Settings) -> Storage:
    """The storage settings.database_url names (not connected yet: the first use connects, or `open()`)."""
    target = parse_database_url(settings.database_url, settings.data_dir)
    if target.backend == "postgresql":
        return PostgresStorage(target.url)
    assert target.path is not None
    return SqliteStorage(target.path, url=target.url)


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

    def rows(self, table: str, *, limit: int | None = None) -> list[dict[str, Any]]:
        """The rows of "questions" or "feedback" in id order (the last `limit` ones), alike on both backends:
        {"id", …columns}, created_at an ISO 8601 UTC string, found a bool, chunk_ids a list."""
        columns = TABLES[table]  # KeyError for anything else: no SQL from callers
        with self._lock:
            if limit is None:
                fetched = self._query(self.SELECTS[table] + " ORDER BY id", ())
            else:
                fetched = self._query(self.SELECTS[table] + f" ORDER BY id DESC LIMIT {self.PARAM}", (limit,))[::-1]
        result = []
        for values in fetched:
            row = dict(zip(("id", *columns), values, strict=True))
            result.append({name: self._from_db(name, value) for name, value in row.items()})
        return result

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

    def _insert(self, table: str, row: dict[str, Any]) -> int:
        values = [self._to_db(name, row[name]) for name in TABLES[table]]
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


# -- SQLite ------------------------------------------------------------------------------------------------------
def _sql_for(param: str, returning: bool) -> tuple[dict[str, str], dict[str, str]]:
    """(INSERT by table, SELECT by table) with a backend's parameter marker; PostgreSQL returns the new id."""
    inserts, selects = {}, {}
    for table, columns in TABLES.items():
        marks = ", ".join([param] * len(columns))
        inserts[table] = f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({marks})" + (" RETURNING id" if returning else "")
        selects[table] = f"SELECT id, {', '.join(columns)} FROM {table}"
    return inserts, selects


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


# -- PostgreSQL --------------------------------------------------------------------------------------------------
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
        detail = " ".join(str(exc).split()) or exc.__class__.__name__
        return StorageError(f"PostgreSQL 数据库 {self.url} {doing}：{scrub(detail, self._raw_url)}")

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
                return connection.execute(sql, values).fetchall()
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
