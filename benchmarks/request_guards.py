"""What the request guards cost per request: the one JSON body parser (depth scan + json.loads) against json.loads
alone, for the bodies clients send, and the log redaction of one access-log line. Prints a table; no server needed.

    python benchmarks/request_guards.py [--repeat 200]
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from _common import fmt, markdown_table  # noqa: E402

from qa_bot.serve.jsonbody import parse_json_body  # noqa: E402
from qa_bot.serve.redact import RedactSecrets  # noqa: E402

QUESTION = "哪个单位牵头农村寄递物流体系建设？"
BODIES = {
    "ask (90 B)": json.dumps({"question": QUESTION, "top_k": 5}, ensure_ascii=False).encode(),
    "feedback, 18,000-character answer": (
        json.dumps(
            {"question": QUESTION, "answer": "市邮政管理局牵头，" * 2000, "rating": "up", "comment": "很准确"},
            ensure_ascii=False,
        ).encode()
    ),
    "chat, 40 messages": (
        json.dumps(
            {"model": "qa-bot", "messages": [{"role": "user", "content": QUESTION}] * 40}, ensure_ascii=False
        ).encode()
    ),
    "64 KB of [1, 2, …]": json.dumps(list(range(12_000))).encode()[: 64 * 1024 - 1].rsplit(b",", 1)[0] + b"]",
}


def microseconds(fn: Callable[[], object], repeat: int) -> float:
    """Median of `repeat` runs, in µs."""
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append((time.perf_counter() - start) * 1e6)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeat", type=int, default=200)
    args = parser.parse_args()
    rows = []
    for name, body in BODIES.items():
        plain = microseconds(lambda body=body: json.loads(body), args.repeat)
        guarded = microseconds(lambda body=body: parse_json_body(body, max_depth=32), args.repeat)
        rows.append([name, f"{len(body):,}", fmt(plain), fmt(guarded), fmt(guarded - plain)])
    deep = b"[" * 1000 + b"]" * 1000
    refused = microseconds(lambda: _refuse(deep), args.repeat)
    rows.append(["1,000 deep (refused, 400)", f"{len(deep):,}", "RecursionError", fmt(refused), "–"])
    print(markdown_table(["body", "bytes", "json.loads µs", "parse_json_body µs", "added µs"], rows))
    redactor = RedactSecrets(["qa-key-" + "x" * 24, "admin-" + "y" * 24])
    line = "/api/search?q=%E5%BF%AB%E9%80%92&top_k=5&api_key=abcdef123456"
    print(
        f"\nredacting one access-log path: {fmt(microseconds(lambda: redactor.redact(line), args.repeat * 10), 2)} µs"
    )


def _refuse(body: bytes) -> None:
    try:
        parse_json_body(body, max_depth=32)
    except Exception:  # InvalidJson: what is measured is how fast the refusal is
        return


if __name__ == "__main__":
    main()
