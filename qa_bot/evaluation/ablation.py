"""Ablation: every tuned number of the answer layer (AnswerPolicy), the sentence index and the sentence promotion set
to zero in turn, each question set re-run, and the change of every figure recorded. A number whose zeroing changes
nothing is dead weight."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from qa_bot.evaluation.gold import GoldQuestion
from qa_bot.evaluation.run import run_eval

FIGURES = ("hit_at_1", "hit_at_5", "answer_accuracy", "answered_rate", "refusal_accuracy")
SENTENCE_INDEX = "sentence_candidates"
SENTENCE_PROMOTE = "sentence_promote"  # the records with the closest sentences let into the first five
RETRIEVER_NUMBERS = (SENTENCE_INDEX, SENTENCE_PROMOTE)


@dataclass(frozen=True)
class AblationRow:
    name: str
    value: Any
    deltas: dict[str, dict[str, float]]  # set → figure → (ablated − baseline)

    @property
    def matters(self) -> bool:
        return any(abs(d) > 1e-9 for figures in self.deltas.values() for d in figures.values())


@contextmanager
def _ablated(engine: Any, name: str) -> Iterator[Any]:
    if name in RETRIEVER_NUMBERS:
        saved = getattr(engine.retriever, name)
        setattr(engine.retriever, name, 0)
        try:
            yield saved
        finally:
            setattr(engine.retriever, name, saved)
        return
    policy = engine.policy
    value = getattr(policy, name)
    engine.policy = dataclasses.replace(policy, **{name: False if isinstance(value, bool) else 0})
    try:
        yield value
    finally:
        engine.policy = policy


def _figures(engine: Any, sets: dict[str, list[GoldQuestion]]) -> dict[str, dict[str, float]]:
    return {name: {f: run_eval(engine, gold).metrics()[f] for f in FIGURES} for name, gold in sets.items()}


def ablate(engine: Any, sets: dict[str, list[GoldQuestion]]) -> tuple[dict[str, dict[str, float]], list[AblationRow]]:
    """Baseline figures per set, and one row per number with the figures' changes when it is zeroed."""
    baseline = _figures(engine, sets)
    names = [f.name for f in dataclasses.fields(engine.policy) if f.name != "min_coverage"] + list(RETRIEVER_NUMBERS)
    rows = []
    for name in names:
        with _ablated(engine, name) as value:
            figures = _figures(engine, sets)
        deltas = {s: {f: round(figures[s][f] - baseline[s][f], 4) for f in FIGURES} for s in sets}
        rows.append(AblationRow(name, value, deltas))
    return baseline, rows


def markdown(baseline: dict[str, dict[str, float]], rows: list[AblationRow]) -> str:
    sets = list(baseline)
    short = {
        "hit_at_1": "H@1",
        "hit_at_5": "H@5",
        "answer_accuracy": "ans",
        "answered_rate": "answered",
        "refusal_accuracy": "refusal",
    }
    out = ["| number (value) | " + " | ".join(sets) + " |", "|---|" + "---|" * len(sets)]
    out.append(
        "| baseline | " + " | ".join(" ".join(f"{short[f]} {baseline[s][f]:.3f}" for f in FIGURES) for s in sets) + " |"
    )
    for row in rows:
        cells = []
        for s in sets:
            changed = [f"{short[f]} {d:+.3f}" for f, d in row.deltas[s].items() if abs(d) > 1e-9]
            cells.append(" ".join(changed) or "—")
        out.append(f"| `{row.name}` ({row.value}) | " + " | ".join(cells) + " |")
    return "\n".join(out) + "\n"


__all__ = ["AblationRow", "FIGURES", "ablate", "markdown"]
