"""Hybrid search: jieba-BM25 and dense candidates per clause, fused by tuned weights (or RRF), with filters."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from qa_bot.index.embedders import Embedder
from qa_bot.index.passages import Record
from qa_bot.index.store import LoadedIndex
from qa_bot.index.vectors import search as ann_search
from qa_bot.text.normalize import normalize_text

RRF_K = 60
BONUS_CANDIDATE = 0.2


@dataclass(frozen=True)
class Filters:
    """Restrict hits to one document (doc_id or 文号), an issuer, or a range of ISO dates."""

    doc: str | None = None
    issuer: str | None = None
    date_from: str | None = None
    date_to: str | None = None

    def active(self) -> bool:
        return any((self.doc, self.issuer, self.date_from, self.date_to))


@dataclass
class Hit:
    """One clause (or document card) found for a query, with its scores and what the API cites."""

    record: int
    chunk_id: str
    doc_id: str
    score: float
    bm25: float
    dense: float
    coverage: float  # share of the query's term weight (by idf) the clause contains

    def citation(self, index: LoadedIndex) -> dict[str, Any]:
        record = index.records[self.record]
        document = index.doc_by_id[record.doc_id]
        clause = index.clause_by_id.get(record.chunk_id, {})
        return {
            "doc_id": record.doc_id,
            "doc_no": document.get("doc_no"),
            "title": document.get("plan_title") or document.get("title"),
            "section": record.section,
            "text": record.text,
            "chunk_id": record.chunk_id,
            "score": round(float(self.score), 4),
            "kind": record.kind,
            "lead_units": clause.get("lead_units", []),
            "responsible_units": clause.get("responsible_units", []),
            "issuer": document.get("issuer"),
            "date": document.get("date"),
        }


@dataclass
class SearchResult:
    query: str
    hits: list[Hit]
    terms: dict[str, float] = field(default_factory=dict)


class Retriever:
    """Ranks the records of a loaded index for a question."""

    def __init__(self, index: LoadedIndex, embedder: Embedder, *, dense_weight: float = 0.35, candidates: int = 50, fusion: str = "weighted") -> None:
        self.index = index
        self.embedder = embedder
        self.dense_weight = dense_weight
        self.candidates = candidates
        self.fusion = fusion
        n_records = len(index.records)
        self._record_start = np.searchsorted(index.passage_records, np.arange(n_records + 1)).astype(np.int64)
        self._dates = [index.doc_by_id[r.doc_id].get("date") or "" for r in index.records]

    # -- filters ------------------------------------------------------------------------------
    def _allowed(self, filters: Filters | None) -> np.ndarray | None:
        if filters is None or not filters.active():
            return None
        mask = np.ones(len(self.index.records), dtype=bool)
        if filters.doc:
            wanted = normalize_text(filters.doc)
            doc_ids = {d["doc_id"] for d in self.index.documents if wanted in (d["doc_id"], d.get("doc_no"))}
            mask &= np.array([r.doc_id in doc_ids for r in self.index.records])
        if filters.issuer:
            # Exact issuer first (锦州市人民政府 is not its 办公室); a partial name matches when nothing is exact.
            wanted = normalize_text(filters.issuer)
            issuers = {d["doc_id"]: d.get("issuers") or [d.get("issuer") or ""] for d in self.index.documents}
            exact = {doc for doc, names in issuers.items() if wanted in names}
            chosen = exact or {doc for doc, names in issuers.items() if any(wanted in n for n in names)}
            mask &= np.array([r.doc_id in chosen for r in self.index.records])
        if filters.date_from:
            mask &= np.array([bool(d) and d >= filters.date_from for d in self._dates])
        if filters.date_to:
            mask &= np.array([bool(d) and d <= filters.date_to for d in self._dates])
        return mask

    # -- scoring ------------------------------------------------------------------------------
    def _record_max(self, passage_scores: np.ndarray) -> np.ndarray:
        out = np.full(len(self.index.records), -np.inf, dtype=np.float32)
        np.maximum.at(out, self.index.passage_records, passage_scores)
        return out

    def _dense_for(self, records: np.ndarray, query_vector: np.ndarray) -> np.ndarray:
        out = np.empty(len(records), dtype=np.float32)
        for k, r in enumerate(records):
            lo, hi = self._record_start[r], self._record_start[r + 1]
            out[k] = float(np.max(np.asarray(self.index.vectors[lo:hi]) @ query_vector))
        return out

    def coverage(self, record: int, terms: dict[str, float]) -> float:
        """Share of the query's idf-weighted terms that occur in the record (text or context)."""
        if not terms:
            return 0.0
        lo, hi = self._record_start[record], self._record_start[record + 1]
        present = set()
        vocab = self.index.bm25.vocab
        offsets, doc_ids = self.index.bm25.offsets, self.index.bm25.doc_ids
        for term in terms:
            i = vocab.get(term)
            if i is None:
                continue
            postings = doc_ids[offsets[i] : offsets[i + 1]]
            if np.any((postings >= lo) & (postings < hi)):
                present.add(term)
        total = sum(w * self.index.bm25.term_idf(t) for t, w in terms.items())
        got = sum(w * self.index.bm25.term_idf(t) for t, w in terms.items() if t in present)
        return got / total if total else 0.0

    def search(
        self,
        query: str,
        top_k: int = 5,
        filters: Filters | None = None,
        *,
        query_vector: np.ndarray | None = None,
        bonus: np.ndarray | None = None,
        candidate_bonus: Callable[[Record], float] | None = None,
    ) -> SearchResult:
        """Top records for query. `bonus` (one value per record) is added to the fused score of candidates."""
        query = normalize_text(query)
        terms = self.index.segmenter.query_terms(query)
        allowed = self._allowed(filters)
        bm25 = self._record_max(self.index.bm25.scores(terms))
        bm25[~np.isfinite(bm25)] = 0.0
        if query_vector is None:
            query_vector = self.embedder.embed_query(query)
        n_candidates = max(self.candidates, top_k)
        scores, passage_ids = ann_search(self.index.faiss_index, query_vector, n_candidates * 3)
        dense_records = self.index.passage_records[passage_ids]
        bm25_masked = bm25 if allowed is None else np.where(allowed, bm25, -1.0)
        bm25_top = np.argsort(-bm25_masked)[:n_candidates]
        bm25_top = bm25_top[bm25_masked[bm25_top] > 0]
        candidate_set = set(int(r) for r in bm25_top) | set(int(r) for r in dense_records)
        if bonus is not None:  # strongly preferred records compete even when neither ranker found them
            candidate_set |= set(int(r) for r in np.flatnonzero(bonus >= BONUS_CANDIDATE))
        if allowed is not None:
            candidate_set = {r for r in candidate_set if allowed[r]}
            if len(candidate_set) < top_k:  # a narrow filter: score everything it allows
                candidate_set |= set(int(r) for r in np.flatnonzero(allowed))
        if not candidate_set:
            return SearchResult(query=query, hits=[], terms=terms)
        candidates = np.array(sorted(candidate_set), dtype=np.int64)
        dense = self._dense_for(candidates, query_vector)
        sparse = bm25[candidates]
        fused = self._fuse(sparse, dense)
        if bonus is not None:
            fused = fused + bonus[candidates]
        if candidate_bonus is not None:
            fused = fused + np.array([candidate_bonus(self.index.records[int(r)]) for r in candidates], dtype=np.float32)
        order = np.argsort(-fused, kind="stable")[:top_k]
        hits = []
        for k in order:
            r = int(candidates[k])
            record = self.index.records[r]
            hits.append(
                Hit(
                    record=r,
                    chunk_id=record.chunk_id,
                    doc_id=record.doc_id,
                    score=float(fused[k]),
                    bm25=float(sparse[k]),
                    dense=float(dense[k]),
                    coverage=self.coverage(r, terms),
                )
            )
        return SearchResult(query=query, hits=hits, terms=terms)

    def _fuse(self, sparse: np.ndarray, dense: np.ndarray) -> np.ndarray:
        w = self.dense_weight
        if self.fusion == "rrf":
            sparse_rank = np.argsort(np.argsort(-sparse))
            dense_rank = np.argsort(np.argsort(-dense))
            return (1 - w) / (RRF_K + 1 + sparse_rank) + w / (RRF_K + 1 + dense_rank)
        top = float(sparse.max()) if len(sparse) else 0.0
        sparse_norm = sparse / top if top > 0 else np.zeros_like(sparse)
        low, high = float(dense.min()), float(dense.max())
        dense_norm = (dense - low) / (high - low) if high > low else np.ones_like(dense)
        return (1 - w) * sparse_norm + w * dense_norm


__all__ = ["Filters", "Hit", "Retriever", "SearchResult"]
