"""Does the evidence answer the question? Targeted checks first (a 文号, place, term, year or asked-for value the
evidence lacks: each names its reason), then a fitted model over soft signals for everything else.

The model is a logistic regression over Signals, fitted with cross-validation on labelled answerable/unanswerable
questions by `qa-bot eval --fit-support` (qa_bot/evaluation/fit.py) and shipped as support_model.json beside this
file; its operating point (threshold) is chosen there and reported with the whole curve in the eval report.
"""

from __future__ import annotations

import json
import math
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import NotRequired, TypedDict

MODEL_FILE = Path(__file__).with_name("support_model.json")
SIGNALS = ("coverage", "sentence_similarity", "clause_similarity", "fused_score", "margin", "bigram_coverage")


@dataclass(frozen=True)
class Signals:
    """Soft evidence that the chosen clause answers the question (each roughly 0..1)."""

    coverage: float  # share of the question's idf-weighted terms (with synonyms) the clause holds
    sentence_similarity: float  # cosine of the question and the clause's closest sentence (sentence index)
    clause_similarity: float  # cosine of the question and the clause's best passage
    fused_score: float  # the retrieval score the clause ranked by
    margin: float  # how far it ranked above the runner-up
    bigram_coverage: float  # share of the question's character bigrams (question words aside) found in the clause

    def values(self) -> list[float]:
        return [float(getattr(self, name)) for name in SIGNALS]

    def as_dict(self) -> dict[str, float]:
        return {k: round(v, 4) for k, v in asdict(self).items()}


class SupportModelJson(TypedDict):
    """support_model.json, as SupportModel.to_json writes it."""

    signals: list[str]
    weights: list[float]
    bias: float
    mean: list[float]
    scale: list[float]
    threshold: float
    embedder: NotRequired[str | None]


@dataclass(frozen=True)
class SupportModel:
    """P(the clause answers) = logistic(bias + Σ weight·(signal − mean)/scale); answered when ≥ threshold."""

    weights: tuple[float, ...]
    bias: float
    mean: tuple[float, ...]
    scale: tuple[float, ...]
    threshold: float
    embedder: str | None = None  # the embedder whose similarities it was fitted on; other embedders' differ in scale

    def probability(self, signals: Signals) -> float:
        z = self.bias + sum(
            w * (x - m) / s for w, x, m, s in zip(self.weights, signals.values(), self.mean, self.scale, strict=True)
        )
        return 1.0 / (1.0 + math.exp(-max(-30.0, min(30.0, z))))

    def supports(self, signals: Signals) -> bool:
        return self.probability(signals) >= self.threshold

    def to_json(self) -> SupportModelJson:
        return {"signals": list(SIGNALS), "weights": list(self.weights), "bias": self.bias, "mean": list(self.mean),
                "scale": list(self.scale), "threshold": self.threshold, "embedder": self.embedder}

    def fits(self, embedder_id: str) -> bool:
        """Was it fitted on this embedder's similarities (or on none in particular)?"""
        return self.embedder is None or self.embedder == embedder_id

    @classmethod
    def from_json(cls, data: SupportModelJson) -> SupportModel:
        if data.get("signals") != list(SIGNALS):
            raise ValueError("support model was fitted on other signals")
        return cls(
            weights=tuple(float(x) for x in data["weights"]),
            bias=float(data["bias"]),
            mean=tuple(float(x) for x in data["mean"]),
            scale=tuple(float(x) for x in data["scale"]),
            threshold=float(data["threshold"]),
            embedder=data.get("embedder") if isinstance(data.get("embedder"), str) else None,
        )

    @classmethod
    def load(cls, path: Path = MODEL_FILE) -> SupportModel:
        return cls.from_json(json.loads(path.read_text(encoding="utf-8")))


def bigram_share(question: str, text: str) -> float:
    """Share of the question's character bigrams that occur in text."""
    grams = {question[i : i + 2] for i in range(len(question) - 1)}
    grams = {g for g in grams if all("\u4e00" <= ch <= "\u9fff" or ch.isalnum() for ch in g)}
    if not grams:
        return 0.0
    return sum(1 for g in grams if g in text) / len(grams)


__all__ = ["MODEL_FILE", "SIGNALS", "Signals", "SupportModel", "bigram_share"]
