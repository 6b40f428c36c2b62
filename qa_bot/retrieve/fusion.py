"""How BM25 and dense scores become one: a weighted sum of normalised scores (tuned) or reciprocal rank fusion."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from qa_bot.settings import DENSE_WEIGHT

RRF_K = 60  # reciprocal rank fusion's k, the same for the local and the Milvus backend
FUSION_METHODS = ("weighted", "rrf")


@dataclass(frozen=True)
class Fusion:
    """The fusion rule: `dense_weight` is the dense share; `method` "weighted" (min-max normalised scores) or "rrf"."""

    dense_weight: float = DENSE_WEIGHT
    method: str = "weighted"

    def __post_init__(self) -> None:
        if self.method not in FUSION_METHODS:
            raise ValueError(f"unknown fusion method {self.method!r}; one of {FUSION_METHODS}")

    def fuse(self, sparse: np.ndarray, dense: np.ndarray) -> np.ndarray:
        """One fused score per candidate from its BM25 and dense scores."""
        w = self.dense_weight
        if self.method == "rrf":
            sparse_rank = np.argsort(np.argsort(-sparse))
            dense_rank = np.argsort(np.argsort(-dense))
            return (1 - w) / (RRF_K + 1 + sparse_rank) + w / (RRF_K + 1 + dense_rank)
        top = float(sparse.max()) if len(sparse) else 0.0
        sparse_norm = sparse / top if top > 0 else np.zeros_like(sparse)
        low, high = float(dense.min()), float(dense.max())
        dense_norm = (dense - low) / (high - low) if high > low else np.ones_like(dense)
        return (1 - w) * sparse_norm + w * dense_norm


__all__ = ["FUSION_METHODS", "Fusion", "RRF_K"]
