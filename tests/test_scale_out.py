"""The whole scale-out set-up of README "Scaling out", for real, on loopback: a Milvus server (milvus-lite's gRPC
server, reached over http:// like a cluster), one PostgreSQL, and two `qa-bot serve` replicas that share nothing
else — same catalog, same context secret, separate data dirs and processes."""

from __future__ import annotations

import shutil
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import REAL_CORPUS
from tests.server_helpers import Client, Server, free_port, run_cli

pytest.importorskip("pymilvus", reason="the milvus extra is part of `make test`")

SECRET = "scale-out-test-secret-0123456789abcdef"


@pytest.fixture(scope="module")
def milvus_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """`milvus-lite server` on a free loopback port: a Milvus gRPC endpoint several processes share."""
    folder = tmp_path_factory.mktemp("milvus-server")
    port = free_port()
    log = (folder / "server.log").open("wb")
    process = subprocess.Popen(
        [
            str(Path(sys.executable).with_name("milvus-lite")),
            "server",
            "--data-dir",
            str(folder / "data"),
            "--host",
            "127.0.0.1",
            "--port",
            str(port),
        ],
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    uri = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    from pymilvus import MilvusClient

    while True:
        try:
            MilvusClient(uri=uri, timeout=2).list_collections()
            break
        except Exception as exc:
            if process.poll() is not None or time.monotonic() > deadline:
                raise AssertionError(
                    "milvus-lite server did not start:\n" + (folder / "server.log").read_text(errors="replace")
                ) from exc
            time.sleep(0.3)
    try:
        yield uri
    finally:
        process.terminate()
        try:
            process.wait(15)
        except subprocess.TimeoutExpired:
            process.kill()
        log.close()


@pytest.fixture(scope="module")
def catalog(milvus_server: str, tmp_path_factory: pytest.TempPathFactory, embed_cache_dir: Path) -> Path:
    """`qa-bot index` against the Milvus server: the rows go to Milvus, the index dir keeps the catalog."""
    index_dir = tmp_path_factory.mktemp("scale-index")
    (index_dir / "cache").symlink_to(embed_cache_dir, target_is_directory=True)
    built = run_cli(
        ["index"], QA_BOT_INDEX_DIR=index_dir, QA_BOT_CORPUS_DIR=REAL_CORPUS, QA_BOT_STORE=f"milvus:{milvus_server}"
    )
    assert built.returncode == 0, built.stderr
    assert f"已同步到 milvus:{milvus_server}#qa_bot" in built.stdout
    return index_dir


@pytest.fixture(scope="module")
def replicas(
    catalog: Path, milvus_server: str, pg_server: Any, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[tuple[Server, Server, str]]:
    database = pg_server.url(pg_server.create_database("scale"))
    root = tmp_path_factory.mktemp("scale-replicas")
    env = {"QA_BOT_STORE": f"milvus:{milvus_server}", "QA_BOT_CONTEXT_SECRET": SECRET, "QA_BOT_DATABASE_URL": database}
    # Each replica gets its own copy of the catalog: nothing on disk is shared between them.
    servers = []
    for name in ("one", "two"):
        own = root / f"index-{name}"
        shutil.copytree(catalog / "builds", own / "builds")
        shutil.copy2(catalog / "CURRENT", own / "CURRENT")
        servers.append(Server(own, root / f"data-{name}", root / f"{name}.log", **env))
    try:
        for server in servers:
            server.start()
        yield servers[0], servers[1], database
    finally:
        for server in servers:
            server.stop()


def _ask(client: Client, **body: Any) -> dict[str, Any]:
    reply = client.post("/api/ask", body)
    assert reply.status == 200, reply.text
    return reply.json()


@pytest.mark.slow
def test_replicas_serve_from_milvus_and_follow_ups_cross_replicas(replicas, real_engine) -> None:
    one, two, _ = replicas
    for server in (one, two):
        ready = server.readyz()
        assert ready["status"] == "ready" and ready["store"].startswith("milvus:http://127.0.0.1:")
    c1, c2 = one.client(), two.client()
    # One process, local store: the reference conversation.
    expected_first = real_engine.ask("哪个单位牵头农村寄递物流体系建设？", session_id="scale-ref")
    expected_follow = real_engine.ask("那冷链寄递呢？", session_id="scale-ref")
    first = _ask(c1, question="哪个单位牵头农村寄递物流体系建设？")
    follow = _ask(c2, question="那冷链寄递呢？", context=first["context"])
    assert first["answer"] == expected_first.answer
    assert follow["answer"] == expected_follow.answer
    assert follow["citations"][0]["chunk_id"] == expected_follow.citations[0]["chunk_id"]
    assert follow["citations"][0]["doc_no"] == first["citations"][0]["doc_no"]


@pytest.mark.slow
def test_feedback_from_both_replicas_lands_in_one_postgresql(replicas) -> None:
    one, two, database = replicas
    ids = []
    for server, rating in ((one, "up"), (two, "down")):
        answer = _ask(server.client(), question="2025年细颗粒物浓度目标是多少？")
        reply = server.client().post(
            "/api/feedback",
            {
                "question": "2025年细颗粒物浓度目标是多少？",
                "answer": answer["answer"],
                "rating": rating,
                "chunk_ids": [answer["citations"][0]["chunk_id"]],
            },
        )
        assert reply.status == 201, reply.text
        ids.append(reply.json()["id"])
    import psycopg

    with psycopg.connect(database) as connection:
        rows = connection.execute("SELECT id, rating FROM feedback ORDER BY id").fetchall()
        logged = connection.execute("SELECT count(*) FROM questions").fetchone()[0]
    assert [(i, r) for i, r in rows if i in ids] == [(ids[0], "up"), (ids[1], "down")]
    assert len(set(ids)) == 2 and logged >= 2


@pytest.mark.slow
def test_a_new_build_reaches_every_replica(milvus_server: str, tmp_path: Path, embed_cache_dir: Path) -> None:
    """Index versioning per replica: `qa-bot index` adds a gazette to Milvus and switches the shared catalog;
    each replica notices the new build by itself and answers from it, with no failed request meanwhile."""
    from tests.conftest import FIXTURES

    corpus = tmp_path / "corpus"
    corpus.mkdir()
    shutil.copy(FIXTURES / "mini-gazette.txt", corpus / "mini-gazette.txt")
    index_dir = tmp_path / "index"
    index_dir.mkdir()
    (index_dir / "cache").symlink_to(embed_cache_dir, target_is_directory=True)
    env = {
        "QA_BOT_STORE": f"milvus:{milvus_server}",
        "QA_BOT_MILVUS_COLLECTION": "reload_test",
        "QA_BOT_CORPUS_DIR": corpus,
    }
    assert run_cli(["index"], QA_BOT_INDEX_DIR=index_dir, **env).returncode == 0
    servers = [
        Server(
            index_dir,
            tmp_path / f"data-{n}",
            tmp_path / f"{n}.log",
            QA_BOT_RELOAD_CHECK_SECONDS="0.5",
            QA_BOT_CONTEXT_SECRET=SECRET,
            **env,
        )
        for n in ("one", "two")
    ]
    question = "测政办发〔2023〕9号是什么文件？"
    try:
        for server in servers:
            server.start()
        old_build = servers[0].readyz()["build_id"]
        assert all(not _ask(s.client(), question=question)["found"] for s in servers)  # not in the corpus yet

        shutil.copy(FIXTURES / "extra-gazette.txt", corpus / "extra-gazette.txt")
        built = run_cli(["index"], QA_BOT_INDEX_DIR=index_dir, **env)
        assert built.returncode == 0, built.stderr
        assert "删除 0 段" in built.stdout and "新写入 0 段" not in built.stdout  # only the new gazette's rows
        deadline = time.monotonic() + 60
        while any(s.readyz()["build_id"] == old_build for s in servers):
            for server in servers:
                assert server.client().post("/api/ask", {"question": "垃圾分类由哪个单位牵头？"}).status == 200
            assert time.monotonic() < deadline, [s.log()[-2000:] for s in servers]
            time.sleep(0.3)
        for server in servers:
            reply = _ask(server.client(), question=question)
            assert reply["found"] and reply["citations"][0]["doc_no"] == "测政办发〔2023〕9号", reply["answer"]
    finally:
        for server in servers:
            server.stop()
