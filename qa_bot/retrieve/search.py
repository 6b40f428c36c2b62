"""Hybrid search: jieba-BM25 and dense candidates per clause (from the search backend, local or Milvus), fused by
tuned weights (or RRF), plus the question's bonuses, within filters."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np

from qa_bot.index.embedders import Embedder
from qa_bot.index.loaded import LoadedIndex
from qa_bot.index.passages import Record
from qa_bot.retrieve.backend import SearchBackend, open_backend
from qa_bot.retrieve.citation import Citation
from qa_bot.retrieve.filters import Filters
from qa_bot.retrieve.fusion import Fusion
from qa_bot.settings import CANDIDATES, DENSE_WEIGHT
from qa_bot.text.normalize import compact, normalize_text
from qa_bot.text.patterns import YEAR_MENTION

SENTENCE_CANDIDATES = 10  # records the sentence index adds to every candidate pool
SENTENCE_KEEP, SENTENCE_PROMOTE = 3, 2  # the fused top three, then the two records with the closest sentences
BONUS_CANDIDATE = 0.25


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

    def citation(self, index: LoadedIndex) -> Citation:
        record = index.records[self.record]
        document = index.doc_by_id[record.doc_id]
        clause = index.clause_by_id.get(record.chunk_id)
        return Citation(
            doc_id=record.doc_id,
            doc_no=document.doc_no,
            title=document.display_title,
            section=record.section,
            text=record.text,
            chunk_id=record.chunk_id,
            score=round(float(self.score), 4),
            kind=record.kind,
            lead_units=list(clause.lead_units) if clause else [],
            responsible_units=list(clause.responsible_units) if clause else [],
            issuer=document.issuer,
            date=document.date,
        )


@dataclass
class SearchResult:
    query: str
    hits: list[Hit]
    terms: dict[str, float] = field(default_factory=dict)


class Retriever:
    """Ranks the records of a loaded index for a question; the search backend (local or Milvus) proposes the
    candidates, and the same fusion rule ranks them whichever it is."""

    def __init__(
        self,
        index: LoadedIndex,
        embedder: Embedder,
        *,
        dense_weight: float = DENSE_WEIGHT,
        candidates: int = CANDIDATES,
        fusion: str = "weighted",
        backend: SearchBackend | None = None,
        sentence_candidates: int = SENTENCE_CANDIDATES,
    ) -> None:
        self.index = index
        self.embedder = embedder
        self.fusion = Fusion(dense_weight, fusion)
        self.candidates = candidates
        self.sentence_candidates = sentence_candidates
        self.sentence_promote = SENTENCE_PROMOTE
        self.backend = backend if backend is not None else open_backend(index)
        self._titles: dict[str, tuple[str, int]] | None = None

    def search(
        self,
        query: str,
        top_k: int = 5,
        filters: Filters | None = None,
        *,
        query_vector: np.ndarray | None = None,
        bonus: np.ndarray | None = None,
        candidate_bonus: Callable[[Record], float] | None = None,
        promote_sentences: bool = True,
    ) -> SearchResult:
        """Top records for query. `bonus` (one value per record) is added to the fused score of candidates;
        `promote_sentences` lets the records with the closest sentences into the first five (off when the bonus
        expresses a preference for kinds of records that should keep their places)."""
        query = normalize_text(query)
        terms = self.index.segmenter.query_terms(query)
        if query_vector is None:
            query_vector = self.embedder.embed_query(query)
        # Strongly preferred records (a named document's clauses, header cards for questions about a document) compete
        # even when neither ranker found them, if their document is in play (0.25: a who-leads preference alone,
        # 0.2, does not add candidates; measured: same gold and held-out figures as 0.2).
        extra = np.flatnonzero(bonus >= BONUS_CANDIDATE) if bonus is not None else np.zeros(0, dtype=np.int64)
        sentence_best = self._sentence_best(query_vector)
        found = self.backend.candidates(
            terms, query_vector, n=max(self.candidates, top_k), top_k=top_k, filters=filters, extra=extra,
            fusion=self.fusion, include=self._top_records(sentence_best),
        )
        if not len(found.records):
            return SearchResult(query=query, hits=[], terms=terms)
        candidates = found.records
        dense = found.dense if sentence_best is None else np.maximum(found.dense, sentence_best[candidates])
        fused = self.fusion.fuse(found.bm25, dense)
        if bonus is not None:
            fused = fused + bonus[candidates]
        if candidate_bonus is not None:
            fused = fused + np.array(
                [candidate_bonus(self.index.records[int(r)]) for r in candidates], dtype=np.float32
            )
        order = self._newest_first(query, np.argsort(-fused, kind="stable"), candidates)
        if promote_sentences:
            order = self._with_closest_sentences(order, candidates, sentence_best)
        order = order[:top_k]
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
                    bm25=float(found.bm25[k]),
                    dense=float(dense[k]),
                    coverage=found.coverage(r),
                )
            )
        return SearchResult(query=query, hits=hits, terms=terms)

    def _newest_first(self, query: str, order: np.ndarray, candidates: np.ndarray) -> np.ndarray:
        """Documents of the same title from different years (a plan renewed each year) keep the places they won
        together, newest first — unless the question names a year, which then decides by itself."""
        if YEAR_MENTION.search(query):
            return order
        if self._titles is None:  # each document's compact title and year, once
            self._titles = {d.doc_id: (compact(d.display_title), int(d.year or 0)) for d in self.index.documents}
        titles_years = self._titles

        def title_of(k: int) -> str:
            return titles_years.get(self.index.records[int(candidates[k])].doc_id, ("", 0))[0]

        def year_of(k: int) -> int:
            return titles_years.get(self.index.records[int(candidates[k])].doc_id, ("", 0))[1]

        titles = [title_of(int(k)) for k in order]
        result = list(order)
        for title in {t for t in titles if t}:
            places = [i for i, t in enumerate(titles) if t == title]
            if len({self.index.records[int(candidates[order[i]])].doc_id for i in places}) < 2:
                continue
            ranked = sorted(
                (order[i] for i in places), key=lambda k: -year_of(int(k))
            )  # stable: score order within a year
            for i, k in zip(places, ranked, strict=True):
                result[i] = k
        return np.array(result, dtype=order.dtype)

    def _with_closest_sentences(self, order: np.ndarray, candidates: np.ndarray, best: np.ndarray | None) -> np.ndarray:
        """The fused ranking's first SENTENCE_KEEP records, then the `sentence_promote` records whose sentences come
        closest to the question among the rest, then the rest: everyday words the fused score misses still reach the
        first five citations."""
        if best is None or not self.sentence_promote:
            return order
        head, rest = list(order[:SENTENCE_KEEP]), list(order[SENTENCE_KEEP:])
        promoted = sorted(rest, key=lambda k: -best[candidates[k]])[: self.sentence_promote]
        return np.array(head + promoted + [k for k in rest if k not in promoted], dtype=np.int64)

    def _sentence_best(self, query_vector: np.ndarray) -> np.ndarray | None:
        """Each record's closest sentence to the question (the sentence index), -1 for records without sentences:
        everyday words that match no passage as a whole often match one sentence of the right clause."""
        if not self.sentence_candidates or not len(self.index.sentence_texts):
            return None
        best = np.full(len(self.index.records), -1.0, dtype=np.float32)
        np.maximum.at(best, self.index.sentence_records, self.index.sentence_vectors @ query_vector)
        return best

    def _top_records(self, best: np.ndarray | None) -> np.ndarray | None:
        """The records whose sentences come closest: they join every candidate pool."""
        if best is None:
            return None
        return np.argsort(-best)[: self.sentence_candidates].astype(np.int64)



__all__ = ["Filters", "Hit", "Retriever", "SearchResult"]
