"""Load: 24 client threads × 10 requests per round against a real `qa-bot serve` on 127.0.0.1 with the mini index.

Four identical rounds mix /api/ask, /api/ask/stream, /api/search and /api/documents. Every response is checked
for content, not only status; none may fail. The server's resident memory after round 2 and after round 4 may
differ by at most 30 MB. Nothing is timed here (latency is benchmarks/soak.py's business).
"""

from __future__ import annotations

import threading
from collections import Counter
from pathlib import Path

import pytest
from server_helpers import Client, copy_index, search_path, serving, sse_events

THREADS = 24
REQUESTS_PER_THREAD = 10
ROUNDS = 4
MAX_GROWTH_KIB = 30 * 1024

# (question, a unit the answer must name, the 文号 of the first citation)
ASKS = [
    ("哪个单位牵头规范末端网点管理？", "市邮政管理局", "测政办发〔2023〕5号"),
    ("冷链寄递由哪个单位牵头？", "市商务局", "测政办发〔2023〕5号"),
    ("哪个单位牵头完善县乡村三级物流体系？", "市邮政管理局", "测政办发〔2023〕5号"),
]
SEARCHES = [("快递末端网点备案", "测政办发〔2023〕5号"), ("细颗粒物浓度", "测政发〔2023〕2号")]


def one_request(client: Client, thread: int, i: int) -> tuple[str, str | None]:
    """One request of the mix; returns (kind, None) or (kind, what was wrong)."""
    kind = ("ask", "stream", "search", "documents", "ask")[(thread + i) % 5]
    question, unit, doc_no = ASKS[(thread * 7 + i) % len(ASKS)]
    if kind == "ask":
        reply = client.post("/api/ask", {"question": question, "top_k": 3, "session_id": f"load-{thread}"})
        if reply.status != 200:
            return kind, f"{reply.status} {reply.text[:200]}"
        body = reply.json()
        if not body["found"] or unit not in body["answer"] or body["citations"][0]["doc_no"] != doc_no:
            return kind, f"wrong answer to {question}: {body['answer'][:120]}"
        return kind, None
    if kind == "stream":
        reply = client.post("/api/ask/stream", {"question": question})
        if reply.status != 200 or not reply.headers.get("content-type", "").startswith("text/event-stream"):
            return kind, f"{reply.status} {reply.text[:200]}"
        events = sse_events(reply.text)
        if not events or events[-1][0] != "done":
            return kind, "stream did not end with done"
        done = events[-1][1]
        if (
            "".join(d["text"] for name, d in events[:-1] if name == "delta") != done["answer"]
            or unit not in done["answer"]
        ):
            return kind, f"stream pieces do not make the answer: {done['answer'][:120]}"
        return kind, None
    if kind == "search":
        query, expected = SEARCHES[(thread + i) % len(SEARCHES)]
        reply = client.get(search_path(query, top_k=5))
        if reply.status != 200:
            return kind, f"{reply.status} {reply.text[:200]}"
        hits = reply.json()["hits"]
        return kind, None if hits and hits[0]["doc_no"] == expected else f"wrong first hit for {query}"
    reply = client.get("/api/documents")
    if reply.status != 200:
        return kind, f"{reply.status} {reply.text[:200]}"
    numbers = [d["doc_no"] for d in reply.json()["documents"]]
    return kind, None if numbers == ["测政办发〔2023〕5号", "测政发〔2023〕2号"] else f"wrong documents {numbers}"


def run_round(port: int) -> tuple[Counter[str], list[str]]:
    """THREADS threads, each with its own keep-alive connection, REQUESTS_PER_THREAD requests each, all at once."""
    done: Counter[str] = Counter()
    failures: list[str] = []
    lock = threading.Lock()
    start = threading.Barrier(THREADS)

    def worker(thread: int) -> None:
        client = Client(port, timeout=120)
        start.wait(60)
        for i in range(REQUESTS_PER_THREAD):
            try:
                kind, problem = one_request(client, thread, i)
            except Exception as exc:  # refused, reset or timed out: a failure like any other
                kind, problem = "error", f"{exc.__class__.__name__}: {exc}"
                client.close()
            with lock:
                done[kind] += 1
                if problem:
                    failures.append(f"thread {thread} request {i} {kind}: {problem}")
        client.close()

    threads = [threading.Thread(target=worker, args=(n,), daemon=True) for n in range(THREADS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(300)
    assert not any(thread.is_alive() for thread in threads), "a client thread did not finish"
    return done, failures


@pytest.mark.slow
def test_concurrent_load_has_no_errors_and_no_memory_growth(
    mini_index: Path, embed_cache_dir: Path, tmp_path: Path
) -> None:
    index_dir = copy_index(mini_index, tmp_path / "index", cache=embed_cache_dir)
    with serving(index_dir, tmp_path / "server") as server:
        rss: list[int] = []
        totals: Counter[str] = Counter()
        for number in range(1, ROUNDS + 1):
            done, failures = run_round(server.port)
            assert not failures, f"round {number}: {len(failures)} failures, e.g. {failures[:5]}"
            assert sum(done.values()) == THREADS * REQUESTS_PER_THREAD
            totals.update(done)
            rss.append(server.rss_kib())
        assert set(totals) == {"ask", "stream", "search", "documents"}, totals
        growth = rss[3] - rss[1]
        assert growth < MAX_GROWTH_KIB, f"RSS grew {growth} KiB between round 2 and round 4 (per round: {rss} KiB)"
        assert server.process is not None and server.process.poll() is None
        assert server.client().get("/readyz").status == 200
        assert "Traceback" not in server.log()
        print(f"\nload: {dict(totals)}; server RSS after each round (KiB): {rss}")
