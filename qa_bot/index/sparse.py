"""BM25 as sparse vectors, so a vector database scores exactly what qa_bot.index.bm25 scores.

A passage becomes {term id: tf·(k1+1) / (tf + k1·(1 − b + b·len/avg_len))}, a query {term id: weight·idf}; their inner
product is the passage's BM25 score. The idf stays on the query side, so adding documents never rewrites the stored
passages (only idf changes, and it is computed at query time from the catalog's statistics). Term ids are a stable hash
of the jieba token — no shared vocabulary to keep in step between the indexer and the replicas.
"""

from __future__ import annotations

import hashlib
from collections import Counter
from collections.abc import Callable, Mapping, Sequence

# Milvus sparse indices are uint32; 2**32 − 1 is reserved.
_ID_SPACE = 2**32 - 1


def term_id(term: str) -> int:
    """A stable 32-bit id for a token (blake2b; collisions between two real tokens are ~1 in 10⁴ for 10⁵ terms)."""
    return int.from_bytes(hashlib.blake2b(term.encode("utf-8"), digest_size=4).digest(), "big") % _ID_SPACE


def passage_vector(tokens: Sequence[str], *, avg_length: float, k1: float, b: float) -> dict[int, float]:
    """The BM25 term-frequency part of one passage, keyed by term id."""
    if not tokens:
        return {}
    norm = k1 * (1 - b + b * len(tokens) / max(avg_length, 1e-9))
    out: dict[int, float] = {}
    for term, tf in Counter(tokens).items():
        key = term_id(term)
        out[key] = out.get(key, 0.0) + tf * (k1 + 1) / (tf + norm)
    return out


def query_vector(
    terms: Mapping[str, float], idf: Callable[[str], float], known: Callable[[str], bool]
) -> dict[int, float]:
    """{term id: weight · idf} for the query terms the corpus has (unknown terms cannot match anything)."""
    out: dict[int, float] = {}
    for term, weight in terms.items():
        if known(term):
            key = term_id(term)
            out[key] = out.get(key, 0.0) + float(weight) * idf(term)
    return out


def score(query: Mapping[int, float], passage: Mapping[int, float]) -> float:
    """Inner product of two sparse vectors (the BM25 score of the passage)."""
    if len(query) > len(passage):
        query, passage = passage, query
    return float(sum(w * passage.get(k, 0.0) for k, w in query.items()))


__all__ = ["passage_vector", "query_vector", "score", "term_id"]
