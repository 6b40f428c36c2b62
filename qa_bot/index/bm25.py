"""A small BM25 scorer over token lists, stored as flat numpy postings (published defaults k1=1.5, b=0.75)."""

from __future__ import annotations

import json
import math
from collections import Counter
from collections.abc import Mapping, Sequence
from pathlib import Path

import numpy as np


class BM25Stats:
    """What a query needs to weigh its terms (idf) without the postings: the vocabulary, document frequencies, sizes.

    Loaded instead of the postings when lexical search runs in another store (Milvus)."""

    def __init__(
        self, vocab: dict[str, int], df: np.ndarray, n_docs: int, avg_length: float, *, k1: float = 1.5, b: float = 0.75
    ) -> None:
        self.vocab = vocab
        self.df = df
        self.n_docs = int(n_docs)
        self.avg_length = float(avg_length)
        self.k1 = k1
        self.b = b
        self.idf = np.log1p((self.n_docs - df + 0.5) / (df + 0.5)).astype(np.float32)

    def term_idf(self, term: str) -> float:
        i = self.vocab.get(term)
        return float(self.idf[i]) if i is not None else math.log1p(self.n_docs + 0.5)

    def contains(self, term: str) -> bool:
        return term in self.vocab

    def save(self, folder: Path) -> None:
        np.savez(
            folder / "bm25_stats.npz", df=self.df, sizes=np.array([self.n_docs, self.avg_length], dtype=np.float64)
        )
        (folder / "bm25_vocab.json").write_text(
            json.dumps({"k1": self.k1, "b": self.b, "vocab": self.vocab}, ensure_ascii=False), encoding="utf-8"
        )

    @classmethod
    def load(cls, folder: Path) -> BM25Stats:
        meta = json.loads((folder / "bm25_vocab.json").read_text(encoding="utf-8"))
        with np.load(folder / "bm25_stats.npz") as arrays:
            n_docs, avg_length = arrays["sizes"]
            return cls(meta["vocab"], arrays["df"], int(n_docs), float(avg_length), k1=meta["k1"], b=meta["b"])


class BM25Index(BM25Stats):
    """Okapi BM25 with postings in three flat arrays, so it loads fast and scores with numpy."""

    def __init__(
        self,
        vocab: dict[str, int],
        offsets: np.ndarray,
        doc_ids: np.ndarray,
        tfs: np.ndarray,
        lengths: np.ndarray,
        *,
        k1: float = 1.5,
        b: float = 0.75,
    ) -> None:
        n_docs = len(lengths)
        super().__init__(vocab, np.diff(offsets), n_docs, float(lengths.mean()) if n_docs else 0.0, k1=k1, b=b)
        self.offsets = offsets
        self.doc_ids = doc_ids
        self.tfs = tfs
        self.lengths = lengths

    @classmethod
    def build(cls, documents: Sequence[Sequence[str]], *, k1: float = 1.5, b: float = 0.75) -> BM25Index:
        postings: dict[str, list[tuple[int, int]]] = {}
        lengths = np.zeros(len(documents), dtype=np.float32)
        for doc_id, tokens in enumerate(documents):
            lengths[doc_id] = len(tokens)
            for term, tf in Counter(tokens).items():
                postings.setdefault(term, []).append((doc_id, tf))
        vocab = {term: i for i, term in enumerate(sorted(postings))}
        offsets = np.zeros(len(vocab) + 1, dtype=np.int64)
        for term, i in vocab.items():
            offsets[i + 1] = len(postings[term])
        offsets = np.cumsum(offsets)
        doc_ids = np.empty(offsets[-1], dtype=np.int32)
        tfs = np.empty(offsets[-1], dtype=np.float32)
        for term, i in vocab.items():
            entries = postings[term]
            doc_ids[offsets[i] : offsets[i + 1]] = [d for d, _ in entries]
            tfs[offsets[i] : offsets[i + 1]] = [t for _, t in entries]
        return cls(vocab, offsets, doc_ids, tfs, lengths, k1=k1, b=b)

    def scores(self, weighted_terms: Mapping[str, float]) -> np.ndarray:
        """BM25 score of every document for a query given as {term: weight}."""
        out = np.zeros(self.n_docs, dtype=np.float32)
        if not self.n_docs:
            return out
        norm = self.k1 * (1 - self.b + self.b * self.lengths / max(self.avg_length, 1e-9))
        for term, weight in weighted_terms.items():
            i = self.vocab.get(term)
            if i is None:
                continue
            lo, hi = self.offsets[i], self.offsets[i + 1]
            docs, tf = self.doc_ids[lo:hi], self.tfs[lo:hi]
            out[docs] += weight * self.idf[i] * tf * (self.k1 + 1) / (tf + norm[docs])
        return out

    def stats(self) -> BM25Stats:
        return BM25Stats(self.vocab, np.diff(self.offsets), self.n_docs, self.avg_length, k1=self.k1, b=self.b)

    def save(self, folder: Path) -> None:
        np.savez(folder / "bm25.npz", offsets=self.offsets, doc_ids=self.doc_ids, tfs=self.tfs, lengths=self.lengths)
        (folder / "bm25_vocab.json").write_text(
            json.dumps({"k1": self.k1, "b": self.b, "vocab": self.vocab}, ensure_ascii=False), encoding="utf-8"
        )

    @classmethod
    def load(cls, folder: Path) -> BM25Index:
        meta = json.loads((folder / "bm25_vocab.json").read_text(encoding="utf-8"))
        with np.load(folder / "bm25.npz") as arrays:
            return cls(
                meta["vocab"],
                arrays["offsets"],
                arrays["doc_ids"],
                arrays["tfs"],
                arrays["lengths"],
                k1=meta["k1"],
                b=meta["b"],
            )


__all__ = ["BM25Index", "BM25Stats"]
