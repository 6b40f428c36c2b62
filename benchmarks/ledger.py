"""Task ledger: how long building it takes at index time, loading it, and answering GET /api/units/{name}/tasks.

    PYTHONPATH=. .venv/bin/python benchmarks/ledger.py [--index index/] [--rounds 20]

Starts a real `qa-bot serve` on the index (loopback, a free port), asks for every unit's tasks `--rounds` times over
one keep-alive connection (JSON, the unit's canonical name, then a short alias), and a CSV and an XLSX download per
unit once; prints p50/p95 per kind of request. In-process figures: building the ledger from documents.json (what
`qa-bot index` adds) and reading ledger.json back (what loading the index adds). Results also go to
benchmarks/results/ledger.{json,md}.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import quote

from _common import REPO, RESULTS, latency_summary, machine_facts, machine_markdown, markdown_table, timed
from soak import Connection, free_port, start_server

from qa_bot.index.manifest import current_build
from qa_bot.ledger import LEDGER_FILE, Ledger, build_ledger


def in_process(index_dir: Path, rounds: int) -> dict[str, dict[str, float]]:
    folder = current_build(index_dir)
    documents = json.loads((folder / "documents.json").read_text(encoding="utf-8"))
    builds = [timed(lambda: build_ledger(documents))[1] for _ in range(rounds)]
    raw = (folder / LEDGER_FILE).read_text(encoding="utf-8")
    loads = [timed(lambda: Ledger.from_dict(json.loads(raw)))[1] for _ in range(rounds)]
    ledger = Ledger.from_dict(json.loads(raw))
    lookups = [timed(lambda u=u: ledger.tasks(u.name))[1] for _ in range(rounds) for u in ledger.units()]
    return {
        "build (index time)": latency_summary(builds),
        "load ledger.json": latency_summary(loads),
        "Ledger.tasks()": latency_summary(lookups),
    }


def over_http(index_dir: Path, rounds: int) -> dict[str, dict[str, float]]:
    port = free_port()
    with tempfile.TemporaryDirectory() as work:
        process = start_server(index_dir, port, 0, Path(work) / "server.log")
        try:
            conn = Connection("127.0.0.1", port, 30)
            status, body = conn.request("GET", "/api/units")
            units = json.loads(body)["units"]
            timings: dict[str, list[float]] = {
                "GET /api/units": [],
                "tasks (canonical name)": [],
                "tasks (alias)": [],
                "tasks ?format=csv": [],
                "tasks ?format=xlsx": [],
            }
            for _ in range(rounds):
                started = time.perf_counter()
                conn.request("GET", "/api/units")
                timings["GET /api/units"].append((time.perf_counter() - started) * 1000)
                for unit in units:
                    for label, name in (
                        ("tasks (canonical name)", unit["name"]),
                        ("tasks (alias)", (unit["aliases"] or [unit["name"]])[-1]),
                    ):
                        started = time.perf_counter()
                        status, _ = conn.request("GET", f"/api/units/{quote(name, safe='')}/tasks")
                        timings[label].append((time.perf_counter() - started) * 1000)
                        if status != 200:
                            sys.exit(f"{name}: HTTP {status}")
            for unit in units:
                for kind in ("csv", "xlsx"):
                    started = time.perf_counter()
                    conn.request("GET", f"/api/units/{quote(unit['name'], safe='')}/tasks?format={kind}")
                    timings[f"tasks ?format={kind}"].append((time.perf_counter() - started) * 1000)
            conn.close()
        finally:
            process.terminate()
            process.wait(15)
    return {label: latency_summary(values) for label, values in timings.items()}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--index", type=Path, default=REPO / "index", help="a built index (qa-bot index)")
    parser.add_argument("--rounds", type=int, default=20, help="requests per unit and kind")
    args = parser.parse_args()
    facts = machine_facts()
    local = in_process(args.index, args.rounds)
    http = over_http(args.index, args.rounds)
    rows = [[label, s["n"], s["p50_ms"], s["p95_ms"], s["max_ms"]] for label, s in {**local, **http}.items()]
    table = markdown_table(["what", "n", "p50 ms", "p95 ms", "max ms"], rows)
    print(table)
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / "ledger.json").write_text(
        json.dumps({"machine": facts, "in_process": local, "http": http}, ensure_ascii=False, indent=2),
        encoding="utf-8",
    )
    (RESULTS / "ledger.md").write_text(f"# Task ledger\n\n{table}\n\n{machine_markdown(facts)}\n", encoding="utf-8")


if __name__ == "__main__":
    main()
