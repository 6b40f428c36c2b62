"""Load a built index (records, documents, task ledger, BM25, vectors, FAISS) once; refuse a corrupt or foreign
one clearly."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import faiss
import numpy as np

from qa_bot.errors import IndexNotReady
from qa_bot.index.bm25 import BM25Index, BM25Stats
from qa_bot.index.manifest import (
    FIX_COMMAND,
    Manifest,
    current_build,
    read_manifest,
    verify_files,
)
from qa_bot.index.passages import Record
from qa_bot.index.tokenize import Segmenter
from qa_bot.index.vectors import AnnChoice, load_faiss
from qa_bot.ledger import Ledger, build_ledger, load_ledger


@dataclass
class LoadedIndex:
    """Everything a query needs, in memory. Documents and clauses are plain dicts, as the API returns them."""

    folder: Path
    manifest: Manifest
    records: list[Record]
    passage_records: np.ndarray
    vectors: np.ndarray | None  # None when the vectors live in Milvus
    faiss_index: faiss.Index | None
    bm25: BM25Stats  # a full BM25Index (postings) for the local store; statistics only for Milvus
    segmenter: Segmenter
    documents: list[dict[str, Any]]
    # Every unit's tasks (qa_bot.ledger), built at index time; an index assembled without one builds it from documents.
    ledger: Ledger = None  # type: ignore[assignment]  # None only until __post_init__ builds it from documents
    doc_by_id: dict[str, dict[str, Any]] = field(default_factory=dict)
    doc_by_no: dict[str, dict[str, Any]] = field(default_factory=dict)
    clause_by_id: dict[str, dict[str, Any]] = field(default_factory=dict)
    record_by_id: dict[str, int] = field(default_factory=dict)
    # The sentence index: every clause sentence, its record and its vector (index.passages.record_sentences).
    sentence_texts: list[str] = field(default_factory=list)
    sentence_records: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=np.int32))
    sentence_vectors: np.ndarray = field(default_factory=lambda: np.zeros((0, 0), dtype=np.float32))
    record_sentence_rows: dict[int, list[int]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        rows: dict[int, list[int]] = {}
        for row, record in enumerate(self.sentence_records.tolist()):
            rows.setdefault(record, []).append(row)
        self.record_sentence_rows = rows
        self.doc_by_id = {d["doc_id"]: d for d in self.documents}
        self.doc_by_no = {d["doc_no"]: d for d in self.documents if d.get("doc_no")}
        self.clause_by_id = {c["chunk_id"]: c for d in self.documents for c in d["clauses"]}
        self.record_by_id = {r.chunk_id: i for i, r in enumerate(self.records)}
        if self.ledger is None:
            self.ledger = build_ledger(self.documents)

    @property
    def build_id(self) -> str:
        return self.manifest.build_id

    @property
    def store(self) -> dict[str, Any]:
        """Where vectors and postings live: {"kind": "local"} or the Milvus collection this catalog was synced to."""
        return self.manifest.data.get("store") or {"kind": "local", "label": "local"}


def load_index(index_dir: Path) -> LoadedIndex:
    """Load the current build of index_dir. Raises IndexNotReady naming `qa-bot index` when unusable."""
    folder = current_build(index_dir)
    manifest = read_manifest(folder)
    verify_files(folder, manifest)
    try:
        records = [Record(**r) for r in json.loads((folder / "records.json").read_text(encoding="utf-8"))]
        documents = json.loads((folder / "documents.json").read_text(encoding="utf-8"))
        passage_records = np.load(folder / "passage_records.npy")
        words = (folder / "userwords.txt").read_text(encoding="utf-8").split("\n")
        sentences = json.loads((folder / "sentences.json").read_text(encoding="utf-8"))
        sentence_vectors = np.load(folder / "sentence_vectors.npy")
        local = (manifest.data.get("store") or {}).get("kind", "local") == "local"
        vectors: np.ndarray | None = None
        faiss_index: faiss.Index | None = None
        bm25: BM25Stats
        if local:
            vectors = np.load(folder / "vectors.npy", mmap_mode="r")
            bm25 = BM25Index.load(folder)
            ann = AnnChoice(manifest.data["ann"]["kind"], manifest.data["ann"]["params"])
            faiss_index = load_faiss(folder / "faiss.index", ann)
        else:
            bm25 = BM25Stats.load(folder)
        ledger = load_ledger(folder, documents)
    except (OSError, ValueError, KeyError, TypeError, RuntimeError) as exc:
        raise IndexNotReady(f"索引文件无法读取（{exc.__class__.__name__}: {exc}）。请运行：{FIX_COMMAND}") from None
    if (
        len(sentences) != len(sentence_vectors)
        or len(passage_records) != bm25.n_docs
        or (
            vectors is not None
            and faiss_index is not None
            and (len(vectors) != len(passage_records) or faiss_index.ntotal != len(vectors))
        )
    ):
        raise IndexNotReady(f"索引文件之间数量不一致，可能已损坏。请运行：{FIX_COMMAND}")
    return LoadedIndex(
        folder=folder,
        manifest=manifest,
        ledger=ledger,
        records=records,
        passage_records=passage_records,
        vectors=vectors,
        faiss_index=faiss_index,
        bm25=bm25,
        segmenter=Segmenter(w for w in words if w),
        documents=documents,
        sentence_texts=[text for _, text in sentences],
        sentence_records=np.array([record for record, _ in sentences], dtype=np.int32),
        sentence_vectors=sentence_vectors,
    )


__all__ = ["LoadedIndex", "load_index"]
