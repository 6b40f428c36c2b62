"""Fit the support model (answer/support.py) on labelled questions: a logistic regression over the soft signals,
its operating point chosen from cross-validated predictions, the whole curve kept for the eval report.

Only questions that pass the targeted checks reach the model, so only those are fitted: for each, the engine answers
with the soft check off and records the signals of the clause it would answer from; the label is whether the gold
file marks the question answerable.
"""

from __future__ import annotations

import dataclasses
import random
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from qa_bot.answer.support import SIGNALS, SupportModel
from qa_bot.evaluation.gold import GoldQuestion

L2 = 1.0
FOLDS = 5
MIN_ANSWERED = 0.97  # the operating point answers at least this share of the answerable questions it sees: the
# targeted checks before it refuse a few answerable ones too, and the whole must answer ≥ 0.95


@dataclass(frozen=True)
class CurvePoint:
    threshold: float
    answered: float  # share of answerable questions (reaching the model) that are answered
    refused: float  # share of unanswerable questions (reaching the model) that are refused


@dataclass(frozen=True)
class Fit:
    model: SupportModel
    curve: list[CurvePoint]
    samples: int
    positives: int
    cv_auc: float


def tuning_sets(eval_dir: Path) -> dict[str, Path]:
    """The question sets that may be tuned on: our own gold and held-out sets and the blind sets' dev halves (never
    their test halves)."""
    sets = {name: eval_dir / f"{name}.jsonl" for name in ("gold", "heldout") if (eval_dir / f"{name}.jsonl").exists()}
    sets.update({p.stem: p for p in sorted((eval_dir / "blind").glob("*-dev.jsonl"))})
    return sets


def signal_aucs(x: np.ndarray, y: np.ndarray) -> dict[str, float]:
    """How well each signal alone separates answerable from unanswerable questions."""
    return {name: round(_auc(x[:, i], y), 4) for i, name in enumerate(SIGNALS)}


def curve_markdown(result: Fit, aucs: dict[str, float]) -> str:
    lines = [
        (
            f"Fitted on {result.samples} questions that pass the targeted checks ({result.positives} answerable); "
            f"cross-validated AUC {result.cv_auc}; shipped threshold {result.model.threshold}."
        ),
        "",
        "| signal alone | AUC |",
        "|---|---|",
        *[f"| {k} | {v} |" for k, v in aucs.items()],
        "",
        "| threshold | answered (answerable) | refused (unanswerable) |",
        "|---|---|---|",
        *[
            f"| {p.threshold:.2f}{' ← shipped' if p.threshold == result.model.threshold else ''} | {p.answered:.3f} |"
            f" {p.refused:.3f} |"
            for p in result.curve
        ],
    ]
    return "\n".join(lines) + "\n"


def collect(engine: Any, gold: list[GoldQuestion]) -> tuple[np.ndarray, np.ndarray]:
    """Signals and labels of the questions that reach the soft check."""
    soft_off = dataclasses.replace(engine.policy, use_support_model=False, min_coverage=0.0)
    saved, engine.policy = engine.policy, soft_off
    rows, labels = [], []
    try:
        for item in gold:
            reply = engine.ask(item.question, top_k=5)
            if reply.signals is not None:
                rows.append(reply.signals.values())
                labels.append(1.0 if item.answerable else 0.0)
    finally:
        engine.policy = saved
    return np.array(rows, dtype=np.float64).reshape(-1, len(SIGNALS)), np.array(labels)


def _train(x: np.ndarray, y: np.ndarray, steps: int = 3000, rate: float = 0.1) -> tuple[np.ndarray, float]:
    """Standardised logistic regression with an L2 penalty, by gradient descent (small data, no dependency)."""
    w = np.zeros(x.shape[1])
    b = 0.0
    n = len(y)
    for _ in range(steps):
        p = 1.0 / (1.0 + np.exp(-(x @ w + b)))
        grad_w = x.T @ (p - y) / n + L2 * w / n
        grad_b = float(np.mean(p - y))
        w -= rate * grad_w
        b -= rate * grad_b
    return w, b


def _auc(scores: np.ndarray, y: np.ndarray) -> float:
    pos, neg = scores[y == 1], scores[y == 0]
    if not len(pos) or not len(neg):
        return float("nan")
    return float(np.mean([(p > q) + 0.5 * (p == q) for p in pos for q in neg]))


def fit(x: np.ndarray, y: np.ndarray, *, seed: int = 13, embedder: str | None = None) -> Fit:
    mean = x.mean(axis=0)
    scale = x.std(axis=0)
    scale[scale == 0] = 1.0
    z = (x - mean) / scale
    order = list(range(len(y)))
    random.Random(seed).shuffle(order)
    folds = [order[k::FOLDS] for k in range(FOLDS)]
    predicted = np.zeros(len(y))
    for fold in folds:
        train = np.array([i for i in order if i not in set(fold)])
        w, b = _train(z[train], y[train])
        predicted[fold] = 1.0 / (1.0 + np.exp(-(z[fold] @ w + b)))
    curve = []
    for threshold in np.round(np.arange(0.02, 0.99, 0.02), 2):
        answered = float(np.mean(predicted[y == 1] >= threshold)) if (y == 1).any() else 0.0
        refused = float(np.mean(predicted[y == 0] < threshold)) if (y == 0).any() else 0.0
        curve.append(CurvePoint(float(threshold), round(answered, 4), round(refused, 4)))
    feasible = [p for p in curve if p.answered >= MIN_ANSWERED] or curve
    chosen = max(feasible, key=lambda p: (p.refused, p.answered))
    w, b = _train(z, y)
    model = SupportModel(weights=tuple(float(v) for v in w), bias=float(b), mean=tuple(float(v) for v in mean),
                         scale=tuple(float(v) for v in scale), threshold=chosen.threshold, embedder=embedder)
    return Fit(model=model, curve=curve, samples=len(y), positives=int(y.sum()), cv_auc=round(_auc(predicted, y), 4))


__all__ = ["CurvePoint", "Fit", "MIN_ANSWERED", "collect", "curve_markdown", "fit", "signal_aucs", "tuning_sets"]
