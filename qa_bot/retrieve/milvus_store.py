"""The Milvus store: hybrid search (BM25 sparse + dense, fused by Milvus) with filters as Milvus expressions.

Milvus proposes the candidates: one sparse and one dense request under the same filter expression, fused by a
WeightedRanker with the tuned weights (or an RRFRanker). Then every passage of those candidates is fetched once and
each candidate gets its raw BM25 and dense scores, exactly as the local store computes them, so the Retriever ranks
the same way on both stores.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

import numpy as np

from qa_bot.errors import IndexNotReady
from qa_bot.index import milvus
from qa_bot.index.sparse import query_vector as sparse_query
from qa_bot.index.sparse import score as sparse_score
from qa_bot.index.sparse import term_id
from qa_bot.retrieve.filters import Filters
from qa_bot.retrieve.store import Candidates, in_pool_documents, term_share

if TYPE_CHECKING:
    from qa_bot.index.store import LoadedIndex

log = logging.getLogger(__name__)

RRF_K = 60
MAX_LIMIT = 16_384  # Milvus' cap on topk / query limit
FETCH_BATCH = 512


def _quote(value: str) -> str:
    """A string literal for a Milvus boolean expression (JSON escaping: quotes and backslashes)."""
    return json.dumps(value, ensure_ascii=False)


def _like_pattern(value: str) -> str:
    escaped = value.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return _quote(f"%{escaped}%")


def filter_expression(filters: Filters | None, documents: list[dict[str, Any]]) -> str:
    """The Milvus expression for these filters ("" when none)."""
    if filters is None or not filters.active():
        return ""
    parts = []
    if filters.doc:
        key = _quote(filters.doc_key() or "")
        parts.append(f"(doc_id == {key} or doc_no == {key})")
    issuer = filters.issuer_match(documents)
    if issuer is not None:
        wanted, exact = issuer
        parts.append(f"array_contains(issuers, {_quote(wanted)})" if exact else f"issuer like {_like_pattern(wanted)}")
    if filters.date_from:
        parts.append(f'(date != "" and date >= {_quote(filters.date_from)})')
    if filters.date_to:
        parts.append(f'(date != "" and date <= {_quote(filters.date_to)})')
    if filters.issue or filters.year:
        allowed = Filters(issue=filters.issue, year=filters.year).allowed_docs(documents) or set()
        parts.append(f"doc_id in [{', '.join(_quote(d) for d in sorted(allowed))}]")
    return " and ".join(parts)


class MilvusStore:
    kind = "milvus"

    def __init__(
        self, index: LoadedIndex, target: milvus.MilvusTarget, *, dense_weight: float = 0.35, fusion: str = "weighted"
    ) -> None:
        self.index = index
        self.target = target
        self.label = milvus.store_label(target)
        self.dense_weight = dense_weight
        self.fusion = fusion
        self.client = milvus.client_for(target)
        try:
            if not self.client.has_collection(target.collection):
                raise IndexNotReady(f"Milvus（{target.display()}）中没有集合 {target.collection}。请运行：qa-bot index")
            meta = milvus.read_meta(self.client, target)
            self.client.load_collection(target.collection)
        except IndexNotReady:
            raise
        except Exception as exc:  # pymilvus' MilvusException and connection errors
            raise IndexNotReady(
                f"Milvus（{target.display()}）不可用：{exc.__class__.__name__}: {str(exc)[:200]}"
            ) from None
        if meta.get("embedder_id") != index.manifest.embedder_id:
            raise IndexNotReady(
                f"Milvus 集合 {target.collection}"
                f" 的向量模型（{meta.get('embedder_id')}）与索引（{index.manifest.embedder_id}）不符。请运行：qa-bot"
                " index"
            )
        if meta.get("synced_build") != index.build_id:
            log.warning(
                "Milvus collection %s holds build %s, this catalog is %s",
                target.collection,
                meta.get("synced_build"),
                index.build_id,
            )
        self.synced_build = meta.get("synced_build")

    # -- Milvus calls ------------------------------------------------------------------------------
    def _call(self, method: str, *args: Any, **kwargs: Any) -> Any:
        try:
            return getattr(self.client, method)(*args, **kwargs)
        except Exception as exc:  # a Milvus outage answers 503, not 500
            raise IndexNotReady(
                f"Milvus 查询失败（{self.target.display()}）：{exc.__class__.__name__}: {str(exc)[:200]}"
            ) from None

    def _hybrid(self, sparse: dict[int, float], dense: np.ndarray, n: int, expr: str) -> list[str]:
        """chunk_ids of the fused top passages, best first: the n best BM25 passages and the 3n best dense ones
        (the local store's candidate pool), fused by Milvus."""
        from pymilvus import AnnSearchRequest, RRFRanker, WeightedRanker

        n_sparse, n_dense = min(n, MAX_LIMIT), min(n * 3, MAX_LIMIT)
        ef = max(milvus.HNSW_EF, n_dense)
        dense_req = AnnSearchRequest(
            data=[dense.astype(np.float32).tolist()],
            anns_field="dense",
            param={"ef": ef},
            limit=n_dense,
            expr=expr or None,
        )
        if not sparse:
            hits = self._call(
                "search",
                self.target.collection,
                data=[dense_req.data[0]],
                anns_field="dense",
                limit=n_dense,
                filter=expr,
                output_fields=["chunk_id"],
                search_params={"params": {"ef": ef}},
            )
        else:
            sparse_req = AnnSearchRequest(
                data=[sparse], anns_field="sparse", param={}, limit=n_sparse, expr=expr or None
            )
            w = self.dense_weight
            ranker = RRFRanker(RRF_K) if self.fusion == "rrf" else WeightedRanker(1 - w, w)
            hits = self._call(
                "hybrid_search",
                self.target.collection,
                [sparse_req, dense_req],
                ranker,
                limit=min(n_sparse + n_dense, MAX_LIMIT),
                output_fields=["chunk_id"],
            )
        return [h["entity"]["chunk_id"] for h in hits[0]]

    def _passages_of(self, chunk_ids: list[str]) -> list[dict[str, Any]]:
        rows: list[dict[str, Any]] = []
        for start in range(0, len(chunk_ids), FETCH_BATCH):
            batch = chunk_ids[start : start + FETCH_BATCH]
            expr = f"chunk_id in [{', '.join(_quote(c) for c in batch)}]"
            rows += self._call(
                "query",
                self.target.collection,
                filter=expr,
                output_fields=["chunk_id", "dense", "sparse"],
                limit=MAX_LIMIT,
            )
        return rows

    # -- the Store interface ------------------------------------------------------------------------
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
        index = self.index
        stats = index.bm25
        q_sparse = sparse_query(terms, stats.term_idf, stats.contains)
        expr = filter_expression(filters, index.documents)
        chunk_ids = self._hybrid(q_sparse, query_vector, n, expr)
        chosen = {index.record_by_id[c] for c in chunk_ids if c in index.record_by_id}
        chosen |= in_pool_documents(index, chosen, extra)
        if include is not None and len(include):
            allowed = filters.allowed_docs(index.documents) if filters is not None else None
            chosen |= {int(r) for r in include if allowed is None or index.records[int(r)].doc_id in allowed}
        if expr and len(chosen) < top_k:  # a narrow filter: score everything it allows
            rows = self._call("query", self.target.collection, filter=expr, output_fields=["chunk_id"], limit=MAX_LIMIT)
            chosen |= {index.record_by_id[r["chunk_id"]] for r in rows if r["chunk_id"] in index.record_by_id}
        if not chosen:
            return Candidates.empty()
        records = np.array(sorted(chosen), dtype=np.int64)
        position = {int(r): k for k, r in enumerate(records)}
        bm25 = np.zeros(len(records), dtype=np.float32)
        dense = np.full(len(records), -np.inf, dtype=np.float32)
        present: dict[int, set[int]] = {int(r): set() for r in records}
        qv = np.asarray(query_vector, dtype=np.float32)
        for row in self._passages_of([index.records[int(r)].chunk_id for r in records]):
            r = index.record_by_id.get(row["chunk_id"])
            if r is None or r not in position:
                continue
            k = position[r]
            passage = {int(key): float(value) for key, value in (row.get("sparse") or {}).items()}
            bm25[k] = max(bm25[k], sparse_score(q_sparse, passage))
            dense[k] = max(dense[k], float(np.dot(np.asarray(row["dense"], dtype=np.float32), qv)))
            present[r].update(passage)
        dense[~np.isfinite(dense)] = 0.0
        term_ids = {t: term_id(t) for t in terms}
        return Candidates(
            records=records,
            bm25=bm25,
            dense=dense,
            coverage=lambda record: term_share(
                terms, lambda t: stats.contains(t) and term_ids[t] in present.get(record, ()), stats
            ),
        )


__all__ = ["MilvusStore", "filter_expression"]
