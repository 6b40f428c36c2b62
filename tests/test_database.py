"""Feedback and the question log through QA_BOT_DATABASE_URL, on SQLite and on a real (throwaway) PostgreSQL.

The PostgreSQL server comes from the session fixture `pg_server` (tests/pg_helpers.py); every test that needs one
gets a database of its own.
"""

from __future__ import annotations

import json
import logging
import socket
import sqlite3
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import quote

import pytest
from click.testing import CliRunner
from fastapi.testclient import TestClient

from qa_bot.answer.engine import QaEngine
from qa_bot.serve import create_app
from qa_bot.serve.storage import (
    DB_FILENAME,
    DatabaseConfigError,
    PostgresStorage,
    SqliteStorage,
    Storage,
    StorageError,
    mask_url,
    open_storage,
    parse_database_url,
)
from qa_bot.settings import Settings

QUESTION = "哪个单位牵头规范末端网点管理？"
LATEST = len(SqliteStorage.MIGRATIONS)
SECRET = "Hunter2@qa/bot:pw"  # a password that has to be percent-encoded in a URL


def has_chinese(text: str) -> bool:
    return any("\u4e00" <= ch <= "\u9fff" for ch in text)


def assert_no_password(text: str, password: str) -> None:
    for form in (password, quote(password, safe="")):
        assert form not in text, f"password leaked: {text!r}"


# -- fixtures --------------------------------------------------------------------------------------


@pytest.fixture
def pg_url(pg_server: Any) -> str:
    """The URL of a new, empty PostgreSQL database owned by the (non-superuser) application role."""
    return pg_server.url(pg_server.create_database())


@pytest.fixture(params=["sqlite", "postgresql"])
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'db' / DB_FILENAME}"  # an absolute path: sqlite:////tmp/…
    return request.getfixturevalue("pg_url")


def storage_for(url: str, data_dir: Path) -> Storage:
    return open_storage(Settings(database_url=url, data_dir=data_dir))


@pytest.fixture
def storage(database_url: str, tmp_path: Path) -> Iterator[Storage]:
    opened = storage_for(database_url, tmp_path / "data")
    yield opened
    opened.close()


class Direct:
    """Plain SQL on the database behind a URL, beside qa-bot's own code (to prepare or inspect it)."""

    def __init__(self, url: str) -> None:
        self.url = url

    def execute(self, sql: str) -> list[tuple[Any, ...]]:
        if self.url.startswith("sqlite:///"):
            connection = sqlite3.connect(self.url[len("sqlite:///") :], isolation_level=None)
            try:
                return connection.execute(sql).fetchall()
            finally:
                connection.close()
        import psycopg

        with psycopg.connect(self.url, autocommit=True) as connection:
            cursor = connection.execute(sql)
            return cursor.fetchall() if cursor.description else []


def feedback(storage: Storage, comment: str = "缺少完成时限", **overrides: Any) -> int:
    values: dict[str, Any] = {
        "question": QUESTION,
        "answer": "市邮政管理局牵头。",
        "rating": "down",
        "comment": comment,
        "chunk_ids": ["测政办发-2023-5/2.3"],
        **overrides,
    }
    return storage.add_feedback(**values)


def black_hole() -> socket.socket:
    """A loopback port that accepts TCP connections and never says a word (a hung or firewalled server)."""
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(16)
    return server


# -- both backends: rows in, rows out --------------------------------------------------------------


def test_feedback_and_question_log_are_stored(storage: Storage) -> None:
    question_id = storage.log_question(
        question=QUESTION,
        answer="市邮政管理局牵头。",
        found=True,
        latency_ms=12.5,
        session_id="s-1",
        client="127.0.0.1",
        kind="lead_unit",
        chunk_ids=["测政办发-2023-5/2.3", "测政办发-2023-5/2.2"],
    )
    feedback_id = feedback(storage, question_id=question_id, session_id="s-1", client="127.0.0.1")
    assert question_id >= 1 and feedback_id >= 1

    (question,) = storage.rows("questions")
    assert question["id"] == question_id
    assert (question["question"], question["found"], question["kind"], question["latency_ms"]) == (
        QUESTION,
        True,
        "lead_unit",
        12.5,
    )
    assert question["chunk_ids"] == ["测政办发-2023-5/2.3", "测政办发-2023-5/2.2"]
    assert question["created_at"].endswith("+00:00") and question["created_at"][:2] == "20"

    (stored,) = storage.rows("feedback")
    assert stored["id"] == feedback_id and stored["question_id"] == question_id
    assert (stored["rating"], stored["comment"], stored["session_id"], stored["client"]) == (
        "down",
        "缺少完成时限",
        "s-1",
        "127.0.0.1",
    )
    assert stored["chunk_ids"] == ["测政办发-2023-5/2.3"]

    second = feedback(storage, comment="", rating="up", question_id=None, chunk_ids=[])
    assert second > feedback_id
    assert [row["id"] for row in storage.rows("feedback", limit=1)] == [second]
    assert set(storage.rows("feedback")[1]) == {
        "id",
        "created_at",
        "question_id",
        "session_id",
        "client",
        "question",
        "answer",
        "rating",
        "comment",
        "chunk_ids",
    }


def test_the_latest_feedback_on_an_answer_is_in_force(storage: Storage) -> None:
    """A user may change a rating: the latest one on the same answer (question_id, within one session) counts."""
    asked = storage.log_question(
        question=QUESTION, answer="甲", found=True, latency_ms=1.0, session_id="s-1", client=None
    )
    first = feedback(storage, question_id=asked, session_id="s-1", rating="up", comment="")
    assert storage.latest_feedback_id(asked, "s-1") == first
    second = feedback(storage, question_id=asked, session_id="s-1", rating="down", comment="缺少完成时限")
    other = feedback(storage, question_id=asked, session_id="s-2", rating="up", comment="")
    loose = feedback(storage, question_id=None, session_id="s-1", rating="up", comment="")
    assert storage.latest_feedback_id(asked, "s-1") == second and storage.latest_feedback_id(None, "s-1") is None
    assert [(row["id"], row["rating"]) for row in storage.current_feedback()] == [
        (second, "down"),
        (other, "up"),
        (loose, "up"),
    ]
    assert len(storage.rows("feedback")) == 4  # the earlier rating stays as history


def test_a_fresh_database_gets_the_schema(storage: Storage, database_url: str) -> None:
    storage.open()
    assert storage.schema_version() == LATEST
    direct = Direct(database_url)
    assert direct.execute("SELECT version FROM schema_version") == [(LATEST,)]
    assert direct.execute("SELECT COUNT(*) FROM feedback") == [(0,)]
    assert direct.execute("SELECT COUNT(*) FROM questions") == [(0,)]
    storage.close()
    storage.open()  # a second start changes nothing
    assert direct.execute("SELECT version FROM schema_version") == [(LATEST,)]


def test_an_older_database_is_migrated_and_keeps_its_rows(
    database_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    old = storage_for(database_url, tmp_path / "data")
    first = feedback(old, comment="迁移前")
    old.close()

    # The next release adds a column: version LATEST + 1 on both backends.
    for backend in (SqliteStorage, PostgresStorage):
        monkeypatch.setattr(
            backend,
            "MIGRATIONS",
            (*backend.MIGRATIONS, ("ALTER TABLE feedback ADD COLUMN reviewed INTEGER NOT NULL DEFAULT 0",)),
        )
    new = storage_for(database_url, tmp_path / "data")
    try:
        assert new.schema_version() == LATEST + 1
        assert [row["comment"] for row in new.rows("feedback")] == ["迁移前"]
        assert feedback(new, comment="迁移后") > first
    finally:
        new.close()
    direct = Direct(database_url)
    assert direct.execute("SELECT version FROM schema_version") == [(LATEST + 1,)]
    assert direct.execute("SELECT comment, reviewed FROM feedback ORDER BY id") == [("迁移前", 0), ("迁移后", 0)]


def test_a_failed_migration_changes_nothing(database_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    old = storage_for(database_url, tmp_path / "data")
    feedback(old)
    old.close()
    broken = ("ALTER TABLE feedback ADD COLUMN reviewed INTEGER", "THIS IS NOT SQL")
    for backend in (SqliteStorage, PostgresStorage):
        monkeypatch.setattr(backend, "MIGRATIONS", (*backend.MIGRATIONS, broken))
    new = storage_for(database_url, tmp_path / "data")
    with pytest.raises(
        (sqlite3.OperationalError, StorageError)
    ):  # SQLite's own error, or PostgreSQL's as a StorageError
        new.open()
    new.close()
    direct = Direct(database_url)
    assert direct.execute("SELECT version FROM schema_version") == [(LATEST,)]
    columns = direct.execute("SELECT * FROM feedback")
    assert len(columns) == 1 and len(columns[0]) == 10  # no half-added column


def test_a_newer_database_is_refused(database_url: str, tmp_path: Path) -> None:
    first = storage_for(database_url, tmp_path / "data")
    feedback(first)
    first.close()
    Direct(database_url).execute(f"UPDATE schema_version SET version = {LATEST + 98}")

    newer = storage_for(database_url, tmp_path / "data")
    with pytest.raises(StorageError) as caught:
        newer.open()
    message = caught.value.message
    assert has_chinese(message) and str(LATEST + 98) in message and "升级 qa-bot" in message
    assert caught.value.http_status == 503
    with pytest.raises(StorageError):
        feedback(newer)
    newer.close()
    assert Direct(database_url).execute("SELECT COUNT(*) FROM feedback") == [(1,)]  # nothing written, nothing dropped
    if database_url.startswith("postgresql"):
        assert_no_password(message, SECRET)


def test_concurrent_writers(storage: Storage) -> None:
    threads, each = 8, 25
    ids: list[int] = []
    errors: list[BaseException] = []
    start = threading.Barrier(threads)

    def write(n: int) -> None:
        try:
            start.wait()
            for i in range(each):
                if i % 2:
                    ids.append(feedback(storage, comment=f"{n}-{i}"))
                else:
                    storage.log_question(
                        question=f"{n}-{i}", answer="答", found=False, latency_ms=1.0, session_id=str(n), client=None
                    )
        except BaseException as exc:  # pragma: no cover - reported below
            errors.append(exc)

    workers = [threading.Thread(target=write, args=(n,)) for n in range(threads)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(60)
    assert not errors, errors
    assert len(ids) == len(set(ids)) == threads * (each // 2)
    assert {row["comment"] for row in storage.rows("feedback")} == {
        f"{n}-{i}" for n in range(threads) for i in range(1, each, 2)
    }
    assert len(storage.rows("questions")) == threads * ((each + 1) // 2)


def test_two_replicas_see_each_others_rows(database_url: str, tmp_path: Path) -> None:
    one = storage_for(database_url, tmp_path / "one")
    two = storage_for(database_url.replace("postgresql://", "postgres://"), tmp_path / "two")  # both spellings
    try:
        first = feedback(one, comment="来自一号")
        assert [row["comment"] for row in two.rows("feedback")] == [
            "来自一号"
        ]  # committed before add_feedback returned
        second = feedback(two, comment="来自二号")
        assert second != first
        assert [row["comment"] for row in one.rows("feedback")] == ["来自一号", "来自二号"]
        question = two.log_question(
            question=QUESTION, answer="答", found=True, latency_ms=3.0, session_id=None, client=None
        )
        assert [row["id"] for row in one.rows("questions")] == [question]
    finally:
        one.close()
        two.close()


# -- PostgreSQL: replicas starting together, lost connections, timeouts ----------------------------


def test_replicas_starting_together_migrate_once(
    pg_url: str, caplog: pytest.LogCaptureFixture, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A slow migration step widens the window in which an unlocked start would create the tables twice.
    monkeypatch.setattr(
        PostgresStorage,
        "MIGRATIONS",
        (("SELECT pg_sleep(0.3)", *PostgresStorage.MIGRATIONS[0]), *PostgresStorage.MIGRATIONS[1:]),
    )
    caplog.set_level(logging.INFO, logger="qa_bot.serve")
    replicas = [PostgresStorage(pg_url) for _ in range(6)]
    start = threading.Barrier(len(replicas))
    errors: list[BaseException] = []

    def boot(replica: Storage) -> None:
        try:
            start.wait()
            replica.open()
        except BaseException as exc:
            errors.append(exc)

    workers = [threading.Thread(target=boot, args=(replica,)) for replica in replicas]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(60)
    try:
        assert not errors, errors
        assert Direct(pg_url).execute("SELECT version FROM schema_version") == [(LATEST,)]
        assert sum("schema migrated" in record.getMessage() for record in caplog.records) == 1
        assert len({feedback(replica) for replica in replicas}) == len(replicas)
    finally:
        for replica in replicas:
            replica.close()


def test_a_lost_connection_is_replaced(pg_url: str, pg_server: Any) -> None:
    storage = PostgresStorage(pg_url)
    try:
        first = feedback(storage, comment="之前")
        dbname = pg_url.rsplit("/", 1)[1]
        with pg_server.admin() as admin:
            killed = admin.execute(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = %s AND application_name ="
                " 'qa-bot'",
                (dbname,),
            ).fetchall()
        assert killed == [(True,)]
        time.sleep(0.2)
        second = feedback(storage, comment="之后")  # the dead connection is noticed, replaced, the INSERT retried once
        assert second > first
        assert [row["comment"] for row in storage.rows("feedback")] == ["之前", "之后"]
    finally:
        storage.close()


def test_an_unreachable_server_fails_fast_and_readably(caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)
    hole = black_hole()
    port = hole.getsockname()[1]
    try:
        storage = PostgresStorage(f"postgresql://qa_app:{quote(SECRET, safe='')}@127.0.0.1:{port}/qa?connect_timeout=1")
        started = time.monotonic()
        with pytest.raises(StorageError) as caught:
            feedback(storage)
        assert time.monotonic() - started < 5
        message = caught.value.message
        assert has_chinese(message) and "连接失败" in message and "***" in message
        assert_no_password(message, SECRET)
        started = time.monotonic()
        with pytest.raises(StorageError):  # within RETRY_AFTER_S: no second wait
            storage.log_question(question="q", answer="a", found=False, latency_ms=1.0, session_id=None, client=None)
        assert time.monotonic() - started < 0.5
        storage.close()
    finally:
        hole.close()
    assert_no_password(caplog.text, SECRET)


def test_connect_timeout_defaults_to_five_seconds_unless_the_url_says() -> None:
    assert PostgresStorage("postgresql://u@127.0.0.1:1/db")._options["connect_timeout"] == 5
    assert "connect_timeout" not in PostgresStorage("postgresql://u@127.0.0.1:1/db?connect_timeout=2")._options


def test_the_password_is_never_shown(pg_server: Any, pg_url: str, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)
    storage = PostgresStorage(pg_url)
    assert_no_password(repr(storage) + storage.url, pg_server.password)
    feedback(storage)
    storage.close()
    assert "qa_app:***@" in caplog.text  # the connection is logged, masked
    assert_no_password(caplog.text, pg_server.password)

    dbname = pg_url.rsplit("/", 1)[1]
    wrong = PostgresStorage(pg_server.url(dbname, password=SECRET))
    with pytest.raises(StorageError) as caught:
        wrong.open()
    assert "password authentication failed" in caught.value.message or "认证" in caught.value.message
    for text in (caught.value.message, str(caught.value), caplog.text):
        assert_no_password(text, SECRET)
    assert caught.value.__cause__ is None and caught.value.__suppress_context__


# -- URLs --------------------------------------------------------------------------------------------


def test_empty_url_is_the_sqlite_file_in_data_dir(tmp_path: Path) -> None:
    for url in ("", "   "):
        storage = open_storage(Settings(database_url=url, data_dir=tmp_path / "data"))
        assert isinstance(storage, SqliteStorage) and storage.path == tmp_path / "data" / DB_FILENAME
    feedback(storage)
    storage.close()
    assert (tmp_path / "data" / DB_FILENAME).is_file()


def test_sqlite_urls_relative_and_absolute(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    relative = open_storage(Settings(database_url="sqlite:///var/feedback.sqlite3", data_dir=tmp_path / "data"))
    absolute = open_storage(
        Settings(database_url=f"sqlite:///{tmp_path}/abs/feedback.sqlite3", data_dir=tmp_path / "data")
    )
    assert isinstance(relative, SqliteStorage) and relative.path == Path("var/feedback.sqlite3")
    assert isinstance(absolute, SqliteStorage) and absolute.path == tmp_path / "abs" / "feedback.sqlite3"
    for storage in (relative, absolute):
        feedback(storage)
        storage.close()
    assert (tmp_path / "var" / "feedback.sqlite3").is_file() and (tmp_path / "abs" / "feedback.sqlite3").is_file()
    assert not (tmp_path / "data").exists()


@pytest.mark.parametrize("scheme", ["postgresql", "postgres"])
def test_postgres_urls_are_accepted(scheme: str, tmp_path: Path) -> None:
    target = parse_database_url(
        f"{scheme}://qa:{quote(SECRET, safe='')}@db.internal:5432/qa_bot?sslmode=require", tmp_path
    )
    assert target.backend == "postgresql"
    assert target.display == f"{scheme}://qa:***@db.internal:5432/qa_bot?sslmode=require"
    assert isinstance(open_storage(Settings(database_url=target.url, data_dir=tmp_path)), PostgresStorage)


@pytest.mark.parametrize(
    ("url", "says"),
    [
        (f"mysql://qa:{SECRET}@db/qa", "无法识别的数据库地址"),
        (f"https://qa:{SECRET}@db/qa", "无法识别的数据库地址"),
        ("data/qa-bot.sqlite3", "无法识别的数据库地址"),
        ("postgresql:/db", "无法识别的数据库地址"),
        ("sqlite://", "不是有效的 SQLite 地址"),
        ("sqlite://host/file.sqlite3", "不是有效的 SQLite 地址"),
        ("sqlite:relative.sqlite3", "不是有效的 SQLite 地址"),
        (f"postgresql://qa:{quote(SECRET, safe='')}@db:port/qa", "端口无效"),
        (f"postgresql://qa:{quote(SECRET, safe='')}@db:70000/qa", "端口无效"),
        (f"postgresql://qa:{quote(SECRET, safe='')}@db/qa?nonsense=1", "无法解析"),
        ("postgresql://qa:Hunter2%zz@db/qa", "无法解析"),
    ],
)
def test_bad_urls_are_refused_in_chinese_without_the_password(url: str, says: str, tmp_path: Path) -> None:
    with pytest.raises(DatabaseConfigError) as caught:
        open_storage(Settings(database_url=url, data_dir=tmp_path))
    error = caught.value
    assert says in error.message and has_chinese(error.message)
    assert error.exit_code == 2  # a configuration error: `qa-bot serve` exits with 2
    assert_no_password(error.message, SECRET)
    assert "Hunter2%zz" not in error.message and "Hunter2" not in error.message


def test_mask_url() -> None:
    assert mask_url("postgresql://qa:s3cret@db:5432/qa") == "postgresql://qa:***@db:5432/qa"
    assert mask_url("postgresql://qa@db/qa?password=s3cret&sslmode=require") == "postgresql://qa@db/qa?password=***&sslmode=require"
    assert mask_url("postgresql://qa:pa/ss@db/qa") == "postgresql://qa:***@db/qa"
    assert mask_url("sqlite:///data/qa-bot.sqlite3") == "sqlite:///data/qa-bot.sqlite3"


def test_missing_driver_says_what_to_install(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setitem(sys.modules, "psycopg", None)  # import psycopg → ImportError
    with pytest.raises(DatabaseConfigError) as caught:
        open_storage(Settings(database_url="postgresql://qa:pw@db/qa", data_dir=tmp_path))
    assert "pip install 'qa-bot[postgres]'" in caught.value.message and has_chinese(caught.value.message)
    # SQLite needs no driver
    assert isinstance(open_storage(Settings(data_dir=tmp_path)), SqliteStorage)


def test_serve_with_a_bad_url_exits_2(mini_index: Path, mini_corpus: Path) -> None:
    from qa_bot.cli import main

    env = {"QA_BOT_INDEX_DIR": str(mini_index), "QA_BOT_CORPUS_DIR": str(mini_corpus), "QA_BOT_DATABASE_URL": f"mysql://qa:{SECRET}@db/qa"}
    result = CliRunner().invoke(main, ["serve", "--port", "1"], env=env)
    assert result.exit_code == 2, result.output
    assert "QA_BOT_DATABASE_URL" in result.output and "无法识别" in result.output
    assert_no_password(result.output, SECRET)


# -- the service on PostgreSQL -------------------------------------------------------------------------


def api_settings(mini_index: Path, data_dir: Path, database_url: str) -> Settings:
    return Settings(
        index_dir=mini_index, data_dir=data_dir, rate_limit="0", stream_delay_ms=0, database_url=database_url
    )


def test_api_feedback_lands_in_postgresql(pg_url: str, mini_index: Path, mini_engine: QaEngine, tmp_path: Path) -> None:
    data_dir = tmp_path / "data"
    with TestClient(create_app(api_settings(mini_index, data_dir, pg_url), engine=mini_engine)) as client:
        asked = client.post("/api/ask", json={"question": QUESTION, "session_id": "s-pg"}).json()
        assert isinstance(asked["question_id"], int)
        assert client.get("/readyz").json()["storage"] == {"backend": "postgresql", "ok": True, "error": None}
        payload = {
            "question": QUESTION,
            "answer": asked["answer"],
            "rating": "up",
            "comment": "很准确",
            "question_id": asked["question_id"],
            "session_id": "s-pg",
            "chunk_ids": ["测政办发-2023-5/2.3"],
        }
        response = client.post("/api/feedback", json=payload)
        assert response.status_code == 201, response.text
        feedback_id = response.json()["id"]
        # In PostgreSQL as soon as the 201 is out (read over a connection of its own):
        rows = Direct(pg_url).execute(
            "SELECT id, question_id, rating, comment, session_id, client, chunk_ids FROM feedback"
        )
        assert rows == [
            (feedback_id, asked["question_id"], "up", "很准确", "s-pg", "testclient", ["测政办发-2023-5/2.3"])
        ]
        logged = Direct(pg_url).execute("SELECT id, question, found FROM questions")
        assert logged == [(asked["question_id"], QUESTION, asked["found"])]
    assert not (data_dir / DB_FILENAME).exists()


def test_api_with_postgresql_unreachable(mini_index: Path, mini_engine: QaEngine, tmp_path: Path) -> None:
    hole = black_hole()
    url = f"postgresql://qa_app:{quote(SECRET, safe='')}@127.0.0.1:{hole.getsockname()[1]}/qa?connect_timeout=1"
    try:
        with TestClient(create_app(api_settings(mini_index, tmp_path / "data", url), engine=mini_engine)) as client:
            started = time.monotonic()
            ready = client.get("/readyz")  # ready (questions are answered), with the store reported down
            assert ready.status_code == 200
            storage = ready.json()["storage"]
            assert storage["backend"] == "postgresql" and storage["ok"] is False and has_chinese(storage["error"])
            assert_no_password(storage["error"], SECRET)
            response = client.post("/api/feedback", json={"question": QUESTION, "answer": "答", "rating": "down"})
            assert response.status_code == 503
            error = response.json()["error"]
            assert error["code"] == "storage_unavailable" and has_chinese(error["message"])
            assert_no_password(json.dumps(response.json(), ensure_ascii=False), SECRET)
            asked = client.post("/api/ask", json={"question": QUESTION})  # the answer does not depend on the log
            assert asked.status_code == 200 and asked.json()["question_id"] is None
            assert time.monotonic() - started < 10
    finally:
        hole.close()
