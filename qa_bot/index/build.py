"""`qa-bot index`: parse the corpus, embed (with cache) and index every record, then swap the build in atomically."""

from __future__ import annotations

import fcntl
import json
import logging
import os
import shutil
import time
import uuid
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import numpy as np

from qa_bot import __version__
from qa_bot.errors import CorpusError, IndexNotReady
from qa_bot.index import milvus
from qa_bot.index.bm25 import BM25Index
from qa_bot.index.embed_cache import EmbeddingCache, embed_with_cache
from qa_bot.index.embedders import Embedder, make_embedder
from qa_bot.index.manifest import (
    BUILDS,
    CURRENT,
    MANIFEST,
    SCHEMA_VERSION,
    corpus_fingerprint,
    current_build,
    read_manifest,
    sha256_file,
    stale_reasons,
)
from qa_bot.index.passages import Passage, Record, build_records, record_sentences
from qa_bot.index.sparse import passage_vector
from qa_bot.index.tokenize import Segmenter, title_terms
from qa_bot.index.vectors import EXACT_SEARCH_MAX, build_faiss, choose_ann, save_faiss
from qa_bot.ledger import build_ledger, save_ledger
from qa_bot.parse import parse_corpus
from qa_bot.parse.corpus import corpus_files
from qa_bot.parse.model import Document
from qa_bot.parse.report import FileReport

log = logging.getLogger(__name__)
CACHE_DIR = "cache"
KEEP_BUILDS = 2


@dataclass(frozen=True)
class BuildReport:
    build_id: str
    documents: int
    clauses: int
    records: int
    passages: int
    embedded_now: int  # passages embedded by this build (the others came from the cache)
    sentences_embedded_now: int  # sentences of the sentence index embedded by this build
    seconds: float
    errors: list[str]
    ann: str
    ledger_units: int = 0  # the task ledger built with the index
    ledger_tasks: int = 0
    store: str = "local"
    store_inserted: int = 0
    store_deleted: int = 0
    files: tuple[FileReport, ...] = ()  # the parse report, one entry per corpus file


def document_to_dict(document: Document) -> dict[str, Any]:
    data = document.summary()
    data["span"] = list(document.span)
    data["header_text"] = document.header_text
    data["headings"] = [
        {"section_id": h.section_id, "label": h.label, "title": h.title, "depth": h.depth, "path": list(h.path)}
        for h in document.headings
    ]
    data["clauses"] = [c.to_dict() for c in document.clauses]
    return data


def user_words(documents: list[Document]) -> list[str]:
    """The corpus' own words for jieba: every unit named in a note, and the key terms of every title."""
    words: set[str] = set()
    for document in documents:
        for title in (document.title, document.plan_title or ""):
            words.update(title_terms(title))
        for clause in document.clauses:
            words.update(clause.lead_units)
            words.update(clause.responsible_units)
    return sorted(words)


def is_stale(
    index_dir: Path, corpus_dir: Path, embedder_spec: str, target: milvus.MilvusTarget | None = None
) -> list[str]:
    """Reasons to rebuild (missing or unusable index, corpus, embedder or store changed); empty when current."""
    try:
        manifest = read_manifest(current_build(index_dir))
    except IndexNotReady as exc:
        return [exc.message]
    reasons = stale_reasons(manifest, corpus_fingerprint(corpus_files(corpus_dir)), embedder_spec)
    built_in = manifest.data.get("store", {}).get("label", "local")
    if built_in != milvus.store_label(target):
        reasons.append(f"存储由 {built_in} 改为 {milvus.store_label(target)}")
    return reasons


def _fill_milvus(
    target: milvus.MilvusTarget,
    *,
    build_id: str,
    documents: list[dict[str, Any]],
    records: list[Record],
    passages: list[Passage],
    tokens: list[list[str]],
    vectors: np.ndarray,
    bm25: BM25Index,
    embedder: Embedder,
    full: bool,
    progress: bool,
) -> milvus.SyncReport:
    """Bring the Milvus collection in line with this build: only passages that are new or changed are written."""
    if full:
        milvus.drop(target)
    avg_length, recreated = milvus.prepare(
        target,
        embedder_id=embedder.id,
        dim=int(vectors.shape[1]),
        avg_length=bm25.avg_length,
        expected_rows=len(passages),
        k1=bm25.k1,
        b=bm25.b,
    )
    doc_by_id = {d["doc_id"]: d for d in documents}
    clause_by_id = {c["chunk_id"]: c for d in documents for c in d["clauses"]}
    keys = [milvus.row_key(records[p.record].chunk_id, p.text) for p in passages]

    def row_maker(i: int) -> Any:  # rows are built only for the passages Milvus does not have yet
        record = records[passages[i].record]
        return lambda: milvus.passage_row(
            key=keys[i],
            record=record,
            document=doc_by_id[record.doc_id],
            clause=clause_by_id.get(record.chunk_id, {}),
            dense=vectors[i],
            sparse=passage_vector(tokens[i], avg_length=avg_length, k1=bm25.k1, b=bm25.b),
        )

    rows = [(keys[i], row_maker(i)) for i in range(len(passages))]
    return milvus.sync(target, rows, wanted=set(keys), build_id=build_id, recreated=recreated, progress=progress)


class _BuildLock:
    def __init__(self, index_dir: Path) -> None:
        self.path = index_dir / ".build.lock"
        self.handle: Any = None

    def __enter__(self) -> _BuildLock:
        self.handle = self.path.open("w")
        try:
            fcntl.flock(self.handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            self.handle.close()
            raise IndexNotReady("另一个索引构建正在进行，请等待其完成后再试") from None
        return self

    def __exit__(self, *exc: object) -> None:
        fcntl.flock(self.handle, fcntl.LOCK_UN)
        self.handle.close()


def _write_json(path: Path, data: Any) -> None:
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")


def _publish(index_dir: Path, build_id: str) -> None:
    """Point CURRENT at the new build with an atomic rename, then drop builds older than the previous one."""
    pointer_tmp = index_dir / f".{CURRENT}.{build_id}.tmp"
    with pointer_tmp.open("w", encoding="utf-8") as handle:
        handle.write(build_id)
        handle.flush()
        os.fsync(handle.fileno())
    os.replace(pointer_tmp, index_dir / CURRENT)
    builds = sorted((index_dir / BUILDS).iterdir(), key=lambda p: p.stat().st_mtime, reverse=True)
    keep = {build_id}
    for folder in builds:
        if folder.name in keep or folder.name.endswith(".tmp"):
            continue
        if len(keep) < KEEP_BUILDS:
            keep.add(folder.name)
            continue
        shutil.rmtree(folder, ignore_errors=True)
    for leftover in (index_dir / BUILDS).glob("*.tmp"):
        if leftover.name != f"{build_id}.tmp":
            shutil.rmtree(leftover, ignore_errors=True)


def build_index(
    corpus_dir: Path,
    index_dir: Path,
    embedder_spec: str,
    *,
    embedder: Embedder | None = None,
    progress: bool = False,
    exact_max: int = EXACT_SEARCH_MAX,
    target: milvus.MilvusTarget | None = None,
    full: bool = False,
) -> BuildReport:
    """Build a complete index for corpus_dir into index_dir and make it current; the old one stays until then.

    With a Milvus target the vectors and lexical postings go to Milvus (incrementally; `full` starts the collection
    afresh) and index_dir keeps the catalog: documents, records, term statistics, the manifest."""
    started = time.perf_counter()
    parsed = parse_corpus(corpus_dir)
    if not parsed.documents:
        detail = "；".join(str(e) for e in parsed.errors) or "目录中没有语料文件（.txt、.pdf、.docx、.html）"
        raise CorpusError(f"没有可索引的文件：{detail}", path=str(corpus_dir))
    embedder = embedder or make_embedder(embedder_spec)
    index_dir.mkdir(parents=True, exist_ok=True)
    (index_dir / BUILDS).mkdir(exist_ok=True)
    with _BuildLock(index_dir):
        build_id = datetime.now(UTC).strftime("%Y%m%dT%H%M%S") + "-" + uuid.uuid4().hex[:6]
        tmp = index_dir / BUILDS / f"{build_id}.tmp"
        tmp.mkdir()
        records, passages = build_records(parsed.documents)
        words = user_words(parsed.documents)
        segmenter = Segmenter(words)
        tokens = [segmenter.tokens(p.text) for p in passages]
        bm25 = BM25Index.build(tokens)
        sentences = record_sentences(records)
        with EmbeddingCache(index_dir / CACHE_DIR) as cache:
            vectors, embedded_now = embed_with_cache(embedder, [p.text for p in passages], cache, progress=progress)
            sentence_vectors, sentences_now = embed_with_cache(
                embedder, [s for _, s in sentences], cache, progress=progress
            )
        vectors = np.ascontiguousarray(vectors, dtype=np.float32)
        documents = [document_to_dict(d) for d in parsed.documents]
        ann = choose_ann(len(vectors), exact_max)
        store: dict[str, Any] = {"kind": "local", "label": "local"}
        synced: milvus.SyncReport | None = None
        if target is None:
            save_faiss(build_faiss(vectors, ann), tmp / "faiss.index")
            np.save(tmp / "vectors.npy", vectors)
            bm25.save(tmp)
        else:
            synced = _fill_milvus(
                target, build_id=build_id, documents=documents, records=records, passages=passages, tokens=tokens,
                vectors=vectors, bm25=bm25, embedder=embedder, full=full, progress=progress,
            )
            bm25.stats().save(tmp)
            store = {
                "kind": "milvus",
                "label": milvus.store_label(target),
                "uri": target.display(),
                "collection": target.collection,
                "rows": synced.rows,
                "inserted": synced.inserted,
                "deleted": synced.deleted,
                "recreated": synced.recreated,
                "avg_length": synced.avg_length,
            }
        np.save(tmp / "passage_records.npy", np.array([p.record for p in passages], dtype=np.int32))
        np.save(
            tmp / "sentence_vectors.npy",
            np.ascontiguousarray(sentence_vectors, dtype=np.float32).reshape(len(sentences), -1),
        )
        _write_json(tmp / "sentences.json", sentences)
        (tmp / "userwords.txt").write_text("\n".join(words), encoding="utf-8")
        _write_json(tmp / "records.json", [asdict(r) for r in records])
        _write_json(tmp / "documents.json", documents)
        ledger = build_ledger(documents)
        save_ledger(ledger, tmp)
        files = {p.name: {"bytes": p.stat().st_size, "sha256": sha256_file(p)} for p in sorted(tmp.iterdir())}
        seconds = round(time.perf_counter() - started, 2)
        clauses = sum(len(d.clauses) for d in parsed.documents)
        manifest = {
            "schema_version": SCHEMA_VERSION,
            "qa_bot_version": __version__,
            "build_id": build_id,
            "created_at": datetime.now(UTC).isoformat(timespec="seconds"),
            "build_seconds": seconds,
            "corpus": {
                "dir": str(corpus_dir),
                "files": corpus_fingerprint(parsed.files),
                "errors": [str(e) for e in parsed.errors],
                "report": [r.to_dict() for r in parsed.reports],
            },
            "embedder": {
                "spec": embedder_spec,
                "id": embedder.id,
                "dim": int(vectors.shape[1]) if len(vectors) else embedder.dim,
            },
            "counts": {
                "documents": len(parsed.documents),
                "clauses": clauses,
                "records": len(records),
                "passages": len(passages),
                "sentences": len(sentences),
                "embedded_now": embedded_now,
                "sentences_embedded_now": sentences_now,
            },
            "ann": {"kind": ann.kind, "params": ann.params},
            "store": store,
            "tokenizer": {"user_words": len(words)},
            "ledger": {"units": len(ledger.units()), "tasks": len(ledger.all_tasks()), "rules": ledger.rules},
            "files": files,
        }
        _write_json(tmp / MANIFEST, manifest)
        final = index_dir / BUILDS / build_id
        os.replace(tmp, final)
        _publish(index_dir, build_id)
    log.info(
        "index %s built: %d records, %d passages, %d embedded now", build_id, len(records), len(passages), embedded_now
    )
    return BuildReport(
        build_id=build_id,
        documents=len(parsed.documents),
        clauses=clauses,
        records=len(records),
        passages=len(passages),
        embedded_now=embedded_now,
        sentences_embedded_now=sentences_now,
        seconds=seconds,
        errors=[str(e) for e in parsed.errors],
        ann=ann.kind if target is None else "milvus",
        ledger_units=len(ledger.units()),
        ledger_tasks=len(ledger.all_tasks()),
        store=store["label"],
        store_inserted=synced.inserted if synced else 0,
        store_deleted=synced.deleted if synced else 0,
        files=tuple(parsed.reports),
    )


__all__ = ["BuildReport", "build_index", "document_to_dict", "is_stale", "user_words"]
