"""Soak: N clients for M seconds against a real `qa-bot serve` on the loopback interface; prints what it measured.

    python benchmarks/soak.py                       # 32 clients × 60 s on index/ (make soak)
    python benchmarks/soak.py --clients 8 --seconds 20 --index /tmp/some-index
    python benchmarks/soak.py --url http://127.0.0.1:8000   # a server that is already running (loopback only)

Each client thread keeps one HTTP/1.1 connection and sends, in turn, /api/ask, /api/ask/stream, /api/search and
/api/documents (questions from eval/gold.jsonl, or a fixed list), until the time is up or --max-requests have
been sent. A response counts as an error unless it is a 200 with the expected body (an answer, a stream ending
in `done`, a list of hits, the documents). Printed: throughput, p50/p95/p99 latency per endpoint and overall,
errors with examples, the server's resident memory before and after. Figures also go to
benchmarks/results/soak.json. Nothing is asserted: this is a benchmark, not a test.
"""

from __future__ import annotations

import argparse
import http.client
import ipaddress
import json
import os
import random
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter, defaultdict
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlsplit

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _common import (
    REPO,
    RESULTS,
    apply_omp_policy,
    machine_facts,
    markdown_table,
    percentile,
)

FALLBACK_QUESTIONS = [
    "哪个单位牵头农村寄递物流体系建设？",
    "冷链寄递由哪个单位负责？",
    "到2025年的目标是什么？",
    "快递末端网点如何管理？",
    "细颗粒物浓度目标是多少？",
]
KINDS = ("ask", "stream", "search", "documents")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def rss_kib(pid: int) -> int | None:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    except OSError:
        return None
    return None


def questions(gold: Path) -> list[str]:
    if not gold.is_file():
        return FALLBACK_QUESTIONS
    found = []
    for line in gold.read_text(encoding="utf-8").splitlines():
        if line.strip():
            question = json.loads(line).get("question")
            if isinstance(question, str) and question.strip():
                found.append(question)
    return found or FALLBACK_QUESTIONS


class Connection:
    def __init__(self, host: str, port: int, timeout: float) -> None:
        self.host, self.port, self.timeout = host, port, timeout
        self.conn: http.client.HTTPConnection | None = None

    def request(self, method: str, path: str, body: dict[str, Any] | None = None) -> tuple[int, bytes]:
        data = json.dumps(body, ensure_ascii=False).encode() if body is not None else None
        headers = {"Content-Type": "application/json"} if data is not None else {}
        for attempt in (1, 2):
            if self.conn is None:
                self.conn = http.client.HTTPConnection(self.host, self.port, timeout=self.timeout)
            try:
                self.conn.request(method, path, body=data, headers=headers)
                response = self.conn.getresponse()
                return response.status, response.read()
            except (http.client.RemoteDisconnected, BrokenPipeError, ConnectionResetError):
                self.close()
                if attempt == 2:
                    raise
        raise AssertionError("unreachable")

    def close(self) -> None:
        if self.conn is not None:
            self.conn.close()
            self.conn = None


def one(conn: Connection, kind: str, question: str) -> str | None:
    """Send one request of `kind`; None when the answer is right, else what was wrong."""
    if kind == "ask":
        status, body = conn.request("POST", "/api/ask", {"question": question})
        if status != 200:
            return f"ask {status}"
        return None if isinstance(json.loads(body).get("answer"), str) else "ask: no answer"
    if kind == "stream":
        status, body = conn.request("POST", "/api/ask/stream", {"question": question})
        if status != 200:
            return f"stream {status}"
        return None if b"event: done\n" in body else "stream: no done event"
    if kind == "search":
        status, body = conn.request("GET", f"/api/search?q={quote(question)}&top_k=5")
        if status != 200:
            return f"search {status}"
        return None if isinstance(json.loads(body).get("hits"), list) else "search: no hits list"
    status, body = conn.request("GET", "/api/documents")
    if status != 200:
        return f"documents {status}"
    return None if json.loads(body).get("documents") else "documents: empty"


def soak(
    host: str, port: int, clients: int, seconds: float, max_requests: int, pool: list[str], timeout: float
) -> dict[str, Any]:
    latencies: dict[str, list[float]] = defaultdict(list)
    errors: Counter[str] = Counter()
    lock = threading.Lock()
    sent = 0
    start_line = threading.Barrier(clients + 1)
    deadline = 0.0

    def take() -> bool:
        nonlocal sent
        with lock:
            if sent >= max_requests or time.monotonic() >= deadline:
                return False
            sent += 1
            return True

    def client(n: int) -> None:
        rng = random.Random(n)
        conn = Connection(host, port, timeout)
        start_line.wait(60)
        i = n
        while take():
            kind = KINDS[i % len(KINDS)]
            i += 1
            began = time.perf_counter()
            try:
                problem = one(conn, kind, rng.choice(pool))
            except Exception as exc:  # refused, reset, timed out
                problem = f"{kind}: {exc.__class__.__name__}"
                conn.close()
            elapsed = (time.perf_counter() - began) * 1000
            with lock:
                latencies[kind].append(elapsed)
                if problem:
                    errors[problem] += 1
        conn.close()

    threads = [threading.Thread(target=client, args=(n,), daemon=True) for n in range(clients)]
    for thread in threads:
        thread.start()
    deadline = time.monotonic() + seconds
    start_line.wait(60)
    began = time.monotonic()
    for thread in threads:
        thread.join(seconds + timeout + 30)
    wall = time.monotonic() - began
    every = [ms for values in latencies.values() for ms in values]
    rows = {}
    for kind in (*KINDS, "all"):
        values = every if kind == "all" else latencies.get(kind, [])
        rows[kind] = {
            "requests": len(values),
            "per_s": round(len(values) / wall, 1) if wall else 0.0,
            "p50_ms": round(percentile(values, 50), 1) if values else None,
            "p95_ms": round(percentile(values, 95), 1) if values else None,
            "p99_ms": round(percentile(values, 99), 1) if values else None,
            "max_ms": round(max(values), 1) if values else None,
        }
    return {"wall_s": round(wall, 1), "rows": rows, "errors": dict(errors), "error_count": sum(errors.values())}


def start_server(index_dir: Path, port: int, stream_delay_ms: int, log_path: Path) -> subprocess.Popen[bytes]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("QA_BOT_")}
    env.update(
        PYTHONPATH=str(REPO) + os.pathsep + env.get("PYTHONPATH", ""),
        QA_BOT_INDEX_DIR=str(index_dir),
        QA_BOT_DATA_DIR=str(log_path.parent / "data"),
        QA_BOT_RATE_LIMIT="0",
        QA_BOT_STREAM_DELAY_MS=str(stream_delay_ms),
        QA_BOT_RELOAD_CHECK_SECONDS="0",
        QA_BOT_LOG_LEVEL="WARNING",
    )
    with log_path.open("wb") as log:
        process = subprocess.Popen(
            [sys.executable, "-m", "qa_bot", "serve", "--host", "127.0.0.1", "--port", str(port)],
            cwd=REPO,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
    deadline = time.monotonic() + 180
    while True:
        try:
            if Connection("127.0.0.1", port, 2).request("GET", "/readyz")[0] == 200:
                return process
        except OSError:
            pass
        if process.poll() is not None or time.monotonic() > deadline:
            process.kill()
            sys.exit(
                f"the server did not start (exit {process.poll()}):\n{log_path.read_text(errors='replace')[-3000:]}"
            )
        time.sleep(0.2)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--clients", type=int, default=32, help="client threads, one connection each (default 32)")
    parser.add_argument("--seconds", type=float, default=60.0, help="how long to send (default 60)")
    parser.add_argument("--max-requests", type=int, default=500_000, help="stop after this many requests in any case")
    parser.add_argument(
        "--index", type=Path, default=Path(os.environ.get("QA_BOT_INDEX_DIR", REPO / "index")), help="index to serve"
    )
    parser.add_argument(
        "--url", help="soak a server that is already running instead (127.0.0.0/8, ::1 or localhost only)"
    )
    parser.add_argument("--pid", type=int, help="with --url: the server's process id, for its memory figures")
    parser.add_argument("--gold", type=Path, default=REPO / "eval" / "gold.jsonl", help="questions to ask")
    parser.add_argument(
        "--stream-delay-ms", type=int, default=0, help="QA_BOT_STREAM_DELAY_MS of the started server (default 0)"
    )
    parser.add_argument("--timeout", type=float, default=60.0, help="per-request timeout in seconds")
    parser.add_argument("--omp-wait-policy", default="passive", choices=["passive", "active", "inherit"])
    parser.add_argument("--out", type=Path, default=RESULTS)
    args = parser.parse_args()
    if args.clients < 1 or args.seconds <= 0:
        parser.error("--clients and --seconds must be positive")

    apply_omp_policy(args.omp_wait_policy)
    pool = questions(args.gold)
    process: subprocess.Popen[bytes] | None = None
    work = Path(tempfile.mkdtemp(prefix="qa-bot-soak-"))
    if args.url:
        parts = urlsplit(args.url)
        host, port = parts.hostname or "", parts.port or 80
        if not loopback(host):
            parser.error("--url must point at this machine's loopback interface")
        pid = args.pid
    else:
        if not (args.index / "CURRENT").is_file():
            sys.exit(f"no index in {args.index}: run `qa-bot index` (or `make index`) first")
        host, port = "127.0.0.1", free_port()
        process = start_server(args.index, port, args.stream_delay_ms, work / "server.log")
        pid = process.pid
    try:
        warm = Connection(host, port, args.timeout)
        for kind in KINDS:  # one of each first: lazy start-up costs are not the soak's
            one(warm, kind, pool[0])
        warm.close()
        readyz = json.loads(Connection(host, port, 10).request("GET", "/readyz")[1])
        before = rss_kib(pid) if pid else None
        print(
            f"soak: {args.clients} clients × {args.seconds:g} s against {host}:{port} (build {readyz.get('build_id')}, "
            f"{readyz.get('documents')} documents, {readyz.get('clauses')} clauses), {len(pool)} questions"
        )
        result = soak(host, port, args.clients, args.seconds, args.max_requests, pool, args.timeout)
        after = rss_kib(pid) if pid else None
    finally:
        if process is not None:
            process.terminate()
            try:
                process.wait(15)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait(5)

    rows = [
        [kind, r["requests"], r["per_s"], r["p50_ms"], r["p95_ms"], r["p99_ms"], r["max_ms"]]
        for kind, r in result["rows"].items()
    ]
    print(markdown_table(["endpoint", "requests", "req/s", "p50 ms", "p95 ms", "p99 ms", "max ms"], rows))
    print(f"errors: {result['error_count']}" + (f" {result['errors']}" if result["errors"] else ""))
    if before is not None and after is not None:
        print(
            f"server RSS: {before / 1024:.1f} MB before, {after / 1024:.1f} MB after"
            f" ({(after - before) / 1024:+.1f} MB)"
        )
    facts = machine_facts()
    print(
        f"machine: {facts.get('cpu_model')}, {facts.get('cores')} cores;"
        f" OMP_WAIT_POLICY={os.environ.get('OMP_WAIT_POLICY', '(unset)')}"
    )
    args.out.mkdir(parents=True, exist_ok=True)
    record = {
        "clients": args.clients,
        "seconds": args.seconds,
        "build_id": readyz.get("build_id"),
        "rss_kib_before": before,
        "rss_kib_after": after,
        **result,
        "machine": facts,
    }
    (args.out / "soak.json").write_text(json.dumps(record, ensure_ascii=False, indent=2), encoding="utf-8")


if __name__ == "__main__":
    main()
