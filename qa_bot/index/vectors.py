"""FAISS inner-product search: exact while the corpus is small, HNSW above a measured size."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import faiss
import numpy as np

# Exact search costs ~10 ms a query at 46,500 passages and ~140 ms at 465,000 on 2 cores (384-d,
# benchmarks/growth.py); HNSW answers in ~0.1 ms. Up to this size exact search stays near 60 ms and loses nothing;
# above it HNSW keeps latency flat (its recall is reported by the same benchmark).
EXACT_SEARCH_MAX = 200_000
HNSW_M = 32
HNSW_EF_CONSTRUCTION = 80
HNSW_EF_SEARCH = 128


@dataclass(frozen=True)
class AnnChoice:
    kind: str  # "flat" | "hnsw"
    params: dict[str, int]


def choose_ann(n_vectors: int, exact_max: int = EXACT_SEARCH_MAX) -> AnnChoice:
    if n_vectors <= exact_max:
        return AnnChoice("flat", {})
    return AnnChoice("hnsw", {"M": HNSW_M, "efConstruction": HNSW_EF_CONSTRUCTION, "efSearch": HNSW_EF_SEARCH})


def build_faiss(vectors: np.ndarray, choice: AnnChoice) -> faiss.Index:
    dim = vectors.shape[1]
    index: faiss.Index
    if choice.kind == "flat":
        index = faiss.IndexFlatIP(dim)
    else:
        graph = faiss.IndexHNSWFlat(dim, choice.params["M"], faiss.METRIC_INNER_PRODUCT)
        graph.hnsw.efConstruction = choice.params["efConstruction"]
        graph.hnsw.efSearch = choice.params["efSearch"]
        index = graph
    if len(vectors):
        index.add(np.ascontiguousarray(vectors, dtype=np.float32))
    return index


def save_faiss(index: faiss.Index, path: Path) -> None:
    faiss.write_index(index, str(path))


def load_faiss(path: Path, choice: AnnChoice) -> faiss.Index:
    index = faiss.read_index(str(path))
    graph = faiss.downcast_index(index)
    if choice.kind == "hnsw" and isinstance(graph, faiss.IndexHNSW):
        graph.hnsw.efSearch = choice.params.get("efSearch", HNSW_EF_SEARCH)
    return index


def search(
    index: faiss.Index, query: np.ndarray, k: int, allowed: np.ndarray | None = None
) -> tuple[np.ndarray, np.ndarray]:
    """Top-k (scores, ids) for one query vector, among `allowed` ids when given (a filter applied inside the search,
    so a narrow filter still gets k neighbours); ids of -1 (not enough vectors) are dropped."""
    if index.ntotal == 0 or (allowed is not None and len(allowed) == 0):
        return np.zeros(0, dtype=np.float32), np.zeros(0, dtype=np.int64)
    vector = np.ascontiguousarray(query.reshape(1, -1), dtype=np.float32)
    if allowed is None:
        scores, ids = index.search(vector, min(k, index.ntotal))
    else:
        selector = faiss.IDSelectorBatch(np.ascontiguousarray(allowed, dtype=np.int64))
        graph = faiss.downcast_index(index)
        params = faiss.SearchParameters()
        if isinstance(graph, faiss.IndexHNSW):
            # faiss 1.15's stubs omit SearchParametersHNSW; the class exists at run time
            params = faiss.SearchParametersHNSW()  # type: ignore[attr-defined]
            params.efSearch = max(graph.hnsw.efSearch, k)
        params.sel = selector
        scores, ids = index.search(vector, min(k, len(allowed)), params=params)
    keep = ids[0] >= 0
    return scores[0][keep], ids[0][keep]


__all__ = ["AnnChoice", "EXACT_SEARCH_MAX", "build_faiss", "choose_ann", "load_faiss", "save_faiss", "search"]
