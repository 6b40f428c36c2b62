"""Faults with real processes: broken indexes at start-up, rebuilds and reloads while answering, kill -9 of
`qa-bot index` mid-build and of `qa-bot serve` right after acknowledging feedback.

Every server listens on 127.0.0.1 only; every load loop is bounded in requests and time and stops by itself.
"""

from __future__ import annotations

import json
import shutil
import signal
import sqlite3
import subprocess
import sys
import threading
import time
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from server_helpers import (
    FIXTURES,
    REPO,
    Client,
    child_env,
    copy_index,
    current_build,
    generated_gazette,
    run_cli,
    search_path,
    serving,
    sse_events,
)

OLD_QUESTION = "哪个单位牵头规范末端网点管理？"  # answered by the mini corpus: 市邮政管理局
NEW_QUESTION = "哪个单位牵头建设分类投放设施？"  # only the extra gazette answers it: 市城市管理局
NEW_DOC_NO = "测政办发〔2023〕9号"
ADMIN_KEY = "admin-key-for-fault-tests"
DB_FILENAME = "qa-bot.sqlite3"


@pytest.fixture
def index_copy(mini_index: Path, embed_cache_dir: Path, tmp_path: Path) -> Path:
    """A private copy of the mini index that a test may break or rebuild (embeddings cached for the session)."""
    return copy_index(mini_index, tmp_path / "index", cache=embed_cache_dir)


@pytest.fixture
def grown_corpus(mini_corpus: Path, tmp_path: Path) -> Path:
    """The mini corpus plus another issue: the changed corpus a rebuild picks up."""
    folder = tmp_path / "corpus"
    folder.mkdir()
    shutil.copy(mini_corpus / "mini-gazette.txt", folder / "mini-gazette.txt")
    shutil.copy(FIXTURES / "extra-gazette.txt", folder / "extra-gazette.txt")
    return folder


# -- a broken index stops `qa-bot serve` at start-up ---------------------------------------------------


def _build_folder(index_dir: Path) -> Path:
    return index_dir / "builds" / current_build(index_dir)


def _truncate(path: Path) -> None:
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 2])


def _flip_bytes(path: Path) -> None:
    data = bytearray(path.read_bytes())
    for offset in range(len(data) // 3, len(data) // 3 + 16):
        data[offset] ^= 0xFF
    path.write_bytes(bytes(data))


FAULTS: dict[str, Callable[[Path], None]] = {
    "no-index-folder": lambda d: shutil.rmtree(d),
    "no-CURRENT": lambda d: (d / "CURRENT").unlink(),
    "empty-CURRENT": lambda d: (d / "CURRENT").write_text(""),
    "CURRENT-to-missing-build": lambda d: (d / "CURRENT").write_text("20990101T000000-abcdef"),
    "CURRENT-traversal": lambda d: (d / "CURRENT").write_text("../../etc"),
    "build-folder-deleted": lambda d: shutil.rmtree(_build_folder(d)),
    "faiss-truncated": lambda d: _truncate(_build_folder(d) / "faiss.index"),
    "vectors-truncated": lambda d: _truncate(_build_folder(d) / "vectors.npy"),
    "faiss-missing": lambda d: (_build_folder(d) / "faiss.index").unlink(),
    "documents-bytes-flipped": lambda d: _flip_bytes(_build_folder(d) / "documents.json"),
    "manifest-garbage": lambda d: (_build_folder(d) / "manifest.json").write_bytes(b"\x00\xffnot json at all{{{"),
    "manifest-wrong-shape": lambda d: (_build_folder(d) / "manifest.json").write_text('["a list"]'),
    "manifest-future-schema": lambda d: _edit_manifest(d, schema_version=99),
    "manifest-missing": lambda d: (_build_folder(d) / "manifest.json").unlink(),
}


def _edit_manifest(index_dir: Path, **changes: Any) -> None:
    path = _build_folder(index_dir) / "manifest.json"
    path.write_text(json.dumps({**json.loads(path.read_text(encoding="utf-8")), **changes}), encoding="utf-8")


@pytest.mark.parametrize("fault", sorted(FAULTS))
def test_serve_refuses_a_broken_index_at_start_up(index_copy: Path, tmp_path: Path, fault: str) -> None:
    """Exit 3 before any port is opened, with the fix command in a readable message — no traceback, no crash later."""
    FAULTS[fault](index_copy)
    result = run_cli(
        ["serve", "--host", "127.0.0.1", "--port", "9"],  # a port that is never reached: the index is checked first
        timeout=120,
        QA_BOT_INDEX_DIR=index_copy,
        QA_BOT_DATA_DIR=tmp_path / "data",
    )
    assert result.returncode == 3, (result.returncode, result.stderr[-2000:])
    assert "qa-bot index" in result.stderr
    assert "Traceback" not in result.stderr
    assert any("\u4e00" <= ch <= "\u9fff" for ch in result.stderr)


def test_a_broken_new_build_never_takes_the_server_down(index_copy: Path, tmp_path: Path) -> None:
    """Auto-reload meets a corrupt build (and the served build's files disappear): the old index keeps answering."""
    with serving(
        index_copy, tmp_path / "server", QA_BOT_RELOAD_CHECK_SECONDS="0.2", QA_BOT_ADMIN_KEY=ADMIN_KEY
    ) as server:
        client = server.client()
        old_build = server.readyz()["build_id"]
        # A "new build" whose manifest is garbage, published the way build_index publishes.
        bad = index_copy / "builds" / "20990101T000000-badbad"
        shutil.copytree(_build_folder(index_copy), bad)
        (bad / "manifest.json").write_text("{garbage", encoding="utf-8")
        (index_copy / "CURRENT").write_text(bad.name, encoding="utf-8")
        _wait_for(
            lambda: "badbad" in server.log() and "not loaded" in server.log(), 30, "the failed reload to be logged"
        )
        # ... and the served build's files are deleted underneath the running server.
        shutil.rmtree(index_copy / "builds" / old_build)
        for _ in range(20):
            assert client.post("/api/ask", {"question": OLD_QUESTION}).json()["found"] is True
            assert client.get(search_path("快递")).status == 200
            assert client.get("/api/documents").status == 200
        assert server.readyz()["build_id"] == old_build
        forced = client.post("/api/admin/reload?wait=true", None, headers={"X-Admin-Key": ADMIN_KEY})
        assert forced.status == 503 and forced.json()["error"]["code"] == "reload_failed"
        assert "qa-bot index" in forced.json()["error"]["message"]
        assert server.process is not None and server.process.poll() is None
        assert server.readyz()["build_id"] == old_build
        assert "Traceback" not in server.log()


# -- rebuild while serving ---------------------------------------------------------------------------


class Hammer:
    """Client threads asking, streaming and searching until stopped (at most `limit` requests or `seconds`)."""

    def __init__(self, port: int, threads: int = 3, limit: int = 5000, seconds: float = 240) -> None:
        self.port = port
        self.limit = limit
        self.deadline = time.monotonic() + seconds
        self.stop_event = threading.Event()
        self.lock = threading.Lock()
        self.sent = 0
        self.outcomes: Counter[str] = Counter()
        self.failures: list[str] = []
        self.threads = [threading.Thread(target=self._run, args=(n,), daemon=True) for n in range(threads)]

    def __enter__(self) -> Hammer:
        for thread in self.threads:
            thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop_event.set()
        for thread in self.threads:
            thread.join(60)

    def _take(self) -> bool:
        with self.lock:
            if self.stop_event.is_set() or self.sent >= self.limit or time.monotonic() > self.deadline:
                return False
            self.sent += 1
            return True

    def _record(self, name: str, problem: str | None) -> None:
        with self.lock:
            self.outcomes[name] += 1
            if problem:
                self.failures.append(f"{name}: {problem}")

    def _run(self, n: int) -> None:
        client = Client(self.port, timeout=60)
        kinds = ["ask", "stream", "search", "ask"]
        i = n
        while self._take():
            kind = kinds[i % len(kinds)]
            i += 1
            try:
                problem = self._one(client, kind)
            except Exception as exc:  # a refused or reset connection is a failure too
                problem = f"{exc.__class__.__name__}: {exc}"
                client.close()
            self._record(kind, problem)

    @staticmethod
    def _one(client: Client, kind: str) -> str | None:
        if kind == "ask":
            reply = client.post("/api/ask", {"question": OLD_QUESTION})
            if reply.status != 200:
                return f"{reply.status} {reply.text[:200]}"
            body = reply.json()
            return (
                None if body["found"] and "市邮政管理局" in body["answer"] else f"wrong answer {body['answer'][:100]}"
            )
        if kind == "stream":
            reply = client.post("/api/ask/stream", {"question": OLD_QUESTION})
            if reply.status != 200:
                return f"{reply.status} {reply.text[:200]}"
            events = sse_events(reply.text)
            if not events or events[-1][0] != "done":
                return f"stream did not finish: {reply.text[-200:]}"
            deltas = "".join(data["text"] for name, data in events if name == "delta")
            return None if deltas == events[-1][1]["answer"] else "deltas do not add up to the answer"
        reply = client.get(search_path("快递末端网点备案", top_k=3))
        if reply.status != 200:
            return f"{reply.status} {reply.text[:200]}"
        return None if reply.json()["hits"] else "no hits"

    def assert_clean(self, at_least: int = 20) -> None:
        assert not self.failures, self.failures[:10]
        assert sum(self.outcomes.values()) >= at_least, self.outcomes


def _wait_for(condition: Callable[[], bool], seconds: float, what: str) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        time.sleep(0.1)


def _answers_new_question(client: Client) -> bool:
    body = client.post("/api/ask", {"question": NEW_QUESTION}).json()
    return bool(body["found"]) and "市城市管理局" in body["answer"] and body["citations"][0]["doc_no"] == NEW_DOC_NO


def _rebuild(corpus: Path, index_dir: Path) -> str:
    result = run_cli(["index", "--corpus", str(corpus), "--index", str(index_dir)], timeout=300)
    assert result.returncode == 0, result.stderr[-2000:]
    return current_build(index_dir)


def test_rebuild_and_admin_reload_while_answering(index_copy: Path, grown_corpus: Path, tmp_path: Path) -> None:
    """`qa-bot index` on a changed corpus + POST /api/admin/reload under load: no failed request, new answers after."""
    with serving(index_copy, tmp_path / "server", QA_BOT_ADMIN_KEY=ADMIN_KEY) as server:  # automatic reload off
        client = server.client()
        old_build = server.readyz()["build_id"]
        assert not _answers_new_question(client)
        with Hammer(server.port) as hammer:
            _wait_for(lambda: sum(hammer.outcomes.values()) >= 10, 60, "the first answers")
            new_build = _rebuild(grown_corpus, index_copy)
            assert new_build != old_build
            assert server.readyz()["build_id"] == old_build  # nothing changes until asked to
            reply = client.post("/api/admin/reload", None, headers={"X-Admin-Key": ADMIN_KEY})
            assert reply.status == 202, reply.text
            assert reply.json()["status"] in ("started", "already_running")
            assert reply.json()["current_build_id"] == new_build
            _wait_for(lambda: server.readyz()["build_id"] == new_build, 120, "the new build to be served")
            served_before = sum(hammer.outcomes.values())
            _wait_for(lambda: sum(hammer.outcomes.values()) >= served_before + 20, 60, "answers from the new build")
        hammer.assert_clean(at_least=40)
        assert _answers_new_question(client)
        assert server.readyz()["documents"] == 3
        assert "Traceback" not in server.log()


def test_rebuild_is_picked_up_automatically(index_copy: Path, grown_corpus: Path, tmp_path: Path) -> None:
    """With QA_BOT_RELOAD_CHECK_SECONDS the server notices CURRENT changed and swaps the new build in by itself."""
    with serving(index_copy, tmp_path / "server", QA_BOT_RELOAD_CHECK_SECONDS="1") as server:
        client = server.client()
        old_build = server.readyz()["build_id"]
        with Hammer(server.port) as hammer:
            _wait_for(lambda: sum(hammer.outcomes.values()) >= 10, 60, "the first answers")
            new_build = _rebuild(grown_corpus, index_copy)
            assert new_build != old_build
            _wait_for(lambda: server.readyz()["build_id"] == new_build, 60, "the automatic reload")
            served_before = sum(hammer.outcomes.values())
            _wait_for(lambda: sum(hammer.outcomes.values()) >= served_before + 20, 60, "answers from the new build")
        hammer.assert_clean(at_least=40)
        assert _answers_new_question(client)
        assert "Traceback" not in server.log()


# -- kill -9 of `qa-bot index` midway ----------------------------------------------------------------


@pytest.mark.slow
def test_kill_9_of_index_build_leaves_the_previous_index_serving(
    mini_index: Path, mini_corpus: Path, tmp_path: Path
) -> None:
    """SIGKILL once the new build's folder appears: CURRENT, the served index and the cache survive; the next build
    works."""
    index_dir = copy_index(mini_index, tmp_path / "index")  # its own, empty embedding cache: the build has real work
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    shutil.copy(mini_corpus / "mini-gazette.txt", corpus / "mini-gazette.txt")
    (corpus / "generated.txt").write_text(generated_gazette(8, 8), encoding="utf-8")
    old_build = current_build(index_dir)
    builds = index_dir / "builds"
    before = {p.name for p in builds.iterdir()}

    with serving(index_dir, tmp_path / "server", QA_BOT_RELOAD_CHECK_SECONDS="0.5") as server:
        with Hammer(server.port, threads=2) as hammer:
            build = subprocess.Popen(
                [sys.executable, "-m", "qa_bot", "index", "--corpus", str(corpus), "--index", str(index_dir)],
                cwd=REPO,
                env=child_env(),
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
            )
            try:
                _wait_for(
                    lambda: bool({p.name for p in builds.iterdir()} - before) or build.poll() is not None,
                    120,
                    "the build folder",
                )
                assert build.poll() is None, "the build finished before it could be killed: make the corpus bigger"
                build.send_signal(signal.SIGKILL)
                assert build.wait(30) == -signal.SIGKILL
            finally:
                if build.poll() is None:
                    build.kill()
                    build.wait(30)
            leftovers = {p.name for p in builds.iterdir()} - before
            assert leftovers and all(
                name.endswith(".tmp") for name in leftovers
            ), leftovers  # half-built, never published
            assert current_build(index_dir) == old_build
            time.sleep(2)  # several reload checks: nothing to reload
            assert server.readyz()["build_id"] == old_build
            from qa_bot.index.store import load_index

            assert load_index(index_dir).build_id == old_build  # loadable from disk, not only from memory
            served_before = sum(hammer.outcomes.values())
            _wait_for(lambda: sum(hammer.outcomes.values()) >= served_before + 10, 60, "answers after the kill")

            # The next build succeeds (the lock died with the process; the cache is intact) and is picked up.
            result = run_cli(["index", "--corpus", str(corpus), "--index", str(index_dir)], timeout=600)
            assert result.returncode == 0, result.stderr[-2000:]
            new_build = current_build(index_dir)
            assert new_build != old_build
            _wait_for(lambda: server.readyz()["build_id"] == new_build, 60, "the new build to be served")
        hammer.assert_clean(at_least=20)
        assert server.readyz()["documents"] == 10
        assert not [p for p in builds.iterdir() if p.name.endswith(".tmp")]  # the next publish cleaned up
        assert "Traceback" not in server.log()


# -- kill -9 of the server right after acknowledging feedback -----------------------------------------


def test_kill_9_after_feedback_loses_no_acknowledged_feedback(index_copy: Path, tmp_path: Path) -> None:
    """Writers post feedback; the server is SIGKILLed while they still are: every 201 id is in the database."""
    folder = tmp_path / "server"
    acknowledged: dict[int, str] = {}
    lock = threading.Lock()
    enough = threading.Event()
    stop = threading.Event()

    def writer(n: int, port: int) -> None:
        client = Client(port, timeout=10)
        for i in range(200):  # bounded; the kill ends it sooner
            if stop.is_set():
                return
            token = f"w{n}-{i}"
            try:
                reply = client.post(
                    "/api/feedback", {"question": OLD_QUESTION, "answer": "答", "rating": "up", "comment": token}
                )
            except OSError:
                return  # the server is gone
            if reply.status == 201:
                with lock:
                    acknowledged[reply.json()["id"]] = token
                    if len(acknowledged) >= 60:
                        enough.set()

    with serving(index_copy, folder) as server:
        writers = [threading.Thread(target=writer, args=(n, server.port), daemon=True) for n in range(4)]
        for thread in writers:
            thread.start()
        assert enough.wait(60), "no feedback acknowledged"
        server.kill()  # SIGKILL while the writers are still posting
        stop.set()
        for thread in writers:
            thread.join(30)
        with lock:
            acked = dict(acknowledged)

    connection = sqlite3.connect(folder / "data" / DB_FILENAME)
    try:
        stored = dict(connection.execute("SELECT id, comment FROM feedback").fetchall())
        assert connection.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    finally:
        connection.close()
    missing = {i: t for i, t in acked.items() if stored.get(i) != t}
    assert not missing, f"{len(missing)} acknowledged feedbacks lost: {list(missing.items())[:5]}"
    assert len(acked) >= 60

    # The same data folder serves again and keeps counting.
    with serving(index_copy, folder) as server:
        reply = server.client().post(
            "/api/feedback", {"question": OLD_QUESTION, "answer": "答", "rating": "down", "comment": "after"}
        )
        assert reply.status == 201 and reply.json()["id"] > max(acked)
