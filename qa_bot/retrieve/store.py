"""Where retrieval finds its candidates: the store interface, the local store (FAISS + BM25 files), and the choice.

A store proposes candidate records for a query — lexical and dense, fused — and gives each candidate its BM25 and
dense score (the best over the record's passages) and the share of the query's terms it contains. The Retriever
then ranks candidates the same way whatever the store, so answers do not depend on where the vectors live.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Protocol

import numpy as np

from qa_bot.errors import IndexNotReady
from qa_bot.index.bm25 import BM25Index, BM25Stats
from qa_bot.index.manifest import FIX_COMMAND
from qa_bot.index.vectors import search as ann_search
from qa_bot.retrieve.filters import Filters

if TYPE_CHECKING:
    import faiss

    from qa_bot.index.milvus import MilvusTarget
    from qa_bot.index.store import LoadedIndex


@dataclass
class Candidates:
    """Records worth ranking for one query, with their raw scores."""

    records: np.ndarray  # record numbers (int64)
    bm25: np.ndarray  # best BM25 over each record's passages
    dense: np.ndarray  # best inner product over each record's passages
    coverage: Callable[[int], float]  # record number → share of the query's idf-weighted terms it contains

    @classmethod
    def empty(cls) -> Candidates:
        none = np.zeros(0, dtype=np.float32)
        return cls(np.zeros(0, dtype=np.int64), none, none, lambda _record: 0.0)


class Store(Protocol):
    kind: str
    label: str  # "local" or "milvus:<uri>#<collection>", for /readyz and logs (no password)

    def candidates(
        self,
        terms: Mapping[str, float],
        query_vector: np.ndarray,
        *,
        n: int,
        top_k: int,
        filters: Filters | None,
        extra: np.ndarray,
        include: np.ndarray | None = None,
    ) -> Candidates:
        """BM25 and dense candidates (n records each way), plus those `extra` records whose document is among them
        (in_pool_documents) and every `include` record (found by the sentence index); all within `filters`."""
        ...


def in_pool_documents(index: LoadedIndex, pool: set[int], extra: np.ndarray) -> set[int]:
    """The preferred records (`extra`) that belong to a document the searches already found: a question's preferred
    kinds of record (its document's header card, clauses naming units) join the candidates from the documents in
    play, never from the whole archive — the candidate pool stays the same size however large the corpus grows."""
    documents = {index.records[r].doc_id for r in pool}
    return {int(r) for r in extra if index.records[int(r)].doc_id in documents}


def term_share(terms: Mapping[str, float], present: Callable[[str], bool], stats: BM25Stats) -> float:
    """Share of the query's idf-weighted terms for which `present(term)` holds (the one coverage formula)."""
    if not terms:
        return 0.0
    total = sum(w * stats.term_idf(t) for t, w in terms.items())
    got = sum(w * stats.term_idf(t) for t, w in terms.items() if present(t))
    return got / total if total else 0.0


class LocalStore:
    """FAISS (exact or HNSW) and the flat-numpy BM25 postings of a local build, in this process."""

    kind = "local"
    label = "local"

    def __init__(self, index: LoadedIndex) -> None:
        if index.faiss_index is None or index.vectors is None or not isinstance(index.bm25, BM25Index):
            raise IndexNotReady(
                f"索引 {index.build_id} 不含本地向量与倒排（构建于 {index.store.get('label')}）。请运行：{FIX_COMMAND}"
            )
        self.index = index
        self.bm25: BM25Index = index.bm25
        self.vectors: np.ndarray = index.vectors
        self.faiss_index: faiss.Index = index.faiss_index
        n_records = len(index.records)
        self._record_start = np.searchsorted(index.passage_records, np.arange(n_records + 1)).astype(np.int64)
        self._doc_of = [r.doc_id for r in index.records]

    def _allowed(self, filters: Filters | None) -> np.ndarray | None:
        docs = filters.allowed_docs(self.index.documents) if filters is not None else None
        if docs is None:
            return None
        return np.array([d in docs for d in self._doc_of], dtype=bool)

    def _record_max(self, passage_scores: np.ndarray) -> np.ndarray:
        out = np.full(len(self.index.records), -np.inf, dtype=np.float32)
        np.maximum.at(out, self.index.passage_records, passage_scores)
        return out

    def _dense_for(self, records: np.ndarray, query_vector: np.ndarray) -> np.ndarray:
        out = np.empty(len(records), dtype=np.float32)
        for k, r in enumerate(records):
            lo, hi = self._record_start[r], self._record_start[r + 1]
            out[k] = float(np.max(np.asarray(self.vectors[lo:hi]) @ query_vector))
        return out

    def _contains(self, record: int, term: str) -> bool:
        i = self.bm25.vocab.get(term)
        if i is None:
            return False
        lo, hi = self._record_start[record], self._record_start[record + 1]
        postings = self.bm25.doc_ids[self.bm25.offsets[i] : self.bm25.offsets[i + 1]]
        return bool(np.any((postings >= lo) & (postings < hi)))

    def candidates(
        self,
        terms: Mapping[str, float],
        query_vector: np.ndarray,
        *,
        n: int,
        top_k: int,
        filters: Filters | None,
        extra: np.ndarray,
        include: np.ndarray | None = None,
    ) -> Candidates:
        allowed = self._allowed(filters)
        bm25 = self._record_max(self.bm25.scores(terms))
        bm25[~np.isfinite(bm25)] = 0.0
        allowed_passages = None if allowed is None else np.flatnonzero(allowed[self.index.passage_records])
        _, passage_ids = ann_search(self.faiss_index, query_vector, n * 3, allowed_passages)
        dense_records = self.index.passage_records[passage_ids]
        bm25_masked = bm25 if allowed is None else np.where(allowed, bm25, -1.0)
        bm25_top = np.argsort(-bm25_masked)[:n]
        bm25_top = bm25_top[bm25_masked[bm25_top] > 0]
        chosen = {int(r) for r in bm25_top} | {int(r) for r in dense_records}
        chosen |= in_pool_documents(self.index, chosen, extra)
        chosen |= {int(r) for r in include} if include is not None else set()
        if allowed is not None:
            chosen = {r for r in chosen if allowed[r]}
            if len(chosen) < top_k:  # a narrow filter: score everything it allows
                chosen |= {int(r) for r in np.flatnonzero(allowed)}
        if not chosen:
            return Candidates.empty()
        records = np.array(sorted(chosen), dtype=np.int64)
        stats = self.bm25
        return Candidates(
            records=records,
            bm25=bm25[records],
            dense=self._dense_for(records, query_vector),
            coverage=lambda record: term_share(terms, lambda t: self._contains(record, t), stats),
        )


def open_store(
    index: LoadedIndex, target: MilvusTarget | None = None, *, dense_weight: float = 0.35, fusion: str = "weighted"
) -> Store:
    """The store the index was built for. `target` (from QA_BOT_STORE) says where this process reaches Milvus;
    without it, the location recorded at build time is used."""
    built = index.store
    if built.get("kind", "local") == "local":
        if target is not None:
            raise IndexNotReady(
                f"索引 {index.build_id} 建在本地存储，而 QA_BOT_STORE 指向 Milvus。请运行：{FIX_COMMAND}"
            )
        return LocalStore(index)
    from qa_bot.index.milvus import MilvusTarget
    from qa_bot.retrieve.milvus_store import MilvusStore

    if target is None:
        target = MilvusTarget(uri=built["uri"], collection=built["collection"])
    return MilvusStore(index, target, dense_weight=dense_weight, fusion=fusion)


__all__ = ["Candidates", "LocalStore", "Store", "in_pool_documents", "open_store", "term_share"]
