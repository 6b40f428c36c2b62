"""What the chat page's extras cost per reply, and how often they are there, on the real gazette.

For every question of a gold file: engine.ask (the reply), then qa_bot.serve.presentation.present on it (statement,
source line, each citation's quote, suggested next questions), timed apart. Prints the added time (p50 / p95 / max),
the share of answered replies whose first card's quote is a sentence of its clause that the reply repeats, the share
with suggestions, and how far into its clause the first card's quote starts (why the cards no longer preview the
clause's opening). Builds nothing: it needs a built index (`qa-bot index`).

    python benchmarks/chat_presentation.py [--index index/] [--gold eval/gold.jsonl]
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from qa_bot.answer.engine import QaEngine  # noqa: E402
from qa_bot.serve.presentation import present  # noqa: E402
from qa_bot.settings import Settings  # noqa: E402

REPO = Path(__file__).resolve().parent.parent
OLD_PREVIEW_CHARS = 80  # what a card showed before: the clause's first 80 characters


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--index", type=Path, default=REPO / "index")
    parser.add_argument("--gold", type=Path, default=REPO / "eval" / "gold.jsonl")
    args = parser.parse_args()
    engine = QaEngine.load(Settings(index_dir=args.index))
    questions = [
        json.loads(line)["question"] for line in args.gold.read_text(encoding="utf-8").splitlines() if line.strip()
    ]
    added_ms, answered, quoted, late, suggested = [], 0, 0, 0, 0
    for question in questions:
        body = engine.ask(question, top_k=3).body()
        started = time.perf_counter()
        shown = present(engine.index, body, question)
        added_ms.append((time.perf_counter() - started) * 1000)
        if not shown["found"]:
            continue
        answered += 1
        first = shown["citations"][0]
        if first["quote"] and first["quote"] in first["text"]:
            quoted += 1
            late += first["text"].index(first["quote"]) + len(first["quote"]) > OLD_PREVIEW_CHARS
        suggested += bool(shown["suggestions"])
    added_ms.sort()
    print(f"{len(questions)} questions of {args.gold.name}, {answered} answered")
    print(
        f"added per reply: p50 {statistics.median(added_ms):.2f} ms, p95"
        f" {added_ms[int(0.95 * (len(added_ms) - 1))]:.2f} ms, max {added_ms[-1]:.2f} ms"
    )
    print(f"first card has a quote inside its clause: {quoted}/{answered} ({quoted / max(answered, 1):.1%})")
    print(
        f"  … ending past the old {OLD_PREVIEW_CHARS}-character preview: {late}/{quoted} ({late / max(quoted, 1):.1%})"
    )
    print(f"replies with suggested next questions: {suggested}/{answered} ({suggested / max(answered, 1):.1%})")


if __name__ == "__main__":
    main()
