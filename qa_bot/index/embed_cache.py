"""On-disk embedding cache, so rebuilding the index only embeds texts it has not embedded before.

The cache is a folder holding one SQLite database (``embeddings.sqlite3``) with a single table::

    embeddings(key TEXT PRIMARY KEY, vector BLOB)

``key`` is ``<embedder id>|<sha256 hex of the exact UTF-8 text>``, so two embedders never share
an entry and any change to a text (one character, whitespace) is a new key. ``vector`` is the
raw little-endian float32 bytes of the vector. The database runs in WAL mode and every
``put_many`` is one transaction: a process killed mid-write leaves the cache as it was before
that transaction (SQLite rolls the half-written one back on the next open). A blob that is
empty, of a length that is not a whole number of float32s, of the wrong dimension or holding
NaN/inf is treated as a miss and overwritten by the next ``put_many``. A file that is not a
SQLite database at all is moved aside (``*.corrupt``) and a fresh cache started.
"""

from __future__ import annotations

import hashlib
import logging
import sqlite3
import sys
import threading
from collections.abc import Iterator, Sequence
from pathlib import Path
from types import TracebackType
from typing import Any

import numpy as np

from qa_bot.index.embedders import Embedder

log = logging.getLogger(__name__)

DB_FILENAME = "embeddings.sqlite3"
_SQL_CHUNK = 500  # keys per SELECT ... IN (...), well under SQLite's variable limit
EMBED_CHUNK = 128  # texts embedded (and committed to the cache) per step of embed_with_cache


def text_key(embedder_id: str, text: str) -> str:
    """The cache key of one text under one embedder."""
    return f"{embedder_id}|{hashlib.sha256(text.encode('utf-8')).hexdigest()}"


def _decode(blob: Any, dim: int | None) -> np.ndarray | None:
    """A stored blob as a float32 vector, or None when it is unusable."""
    if not isinstance(blob, (bytes, bytearray, memoryview)):
        return None
    raw = bytes(blob)
    if not raw or len(raw) % 4:
        return None
    vec = np.frombuffer(raw, dtype="<f4").astype(np.float32)
    if dim is not None and vec.shape[0] != dim:
        return None
    if not np.isfinite(vec).all():
        return None
    return vec


def _chunks(items: Sequence[str], size: int) -> Iterator[Sequence[str]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


class EmbeddingCache:
    """Vectors keyed by (embedder id, sha256 of the text), kept in ``<path>/embeddings.sqlite3``."""

    def __init__(self, path: Path) -> None:
        self.path = Path(path)
        self.path.mkdir(parents=True, exist_ok=True)
        self.db_path = self.path / DB_FILENAME
        self._lock = threading.Lock()
        self._conn: sqlite3.Connection | None = None
        try:
            self._conn = self._connect()
        except sqlite3.OperationalError:
            raise  # locked, read-only, disk full...: not corruption, keep the file
        except sqlite3.DatabaseError as exc:  # "file is not a database", "malformed"
            self._move_aside(exc)
            self._conn = self._connect()

    def _connect(self) -> sqlite3.Connection:
        conn = sqlite3.connect(
            str(self.db_path), timeout=30.0, isolation_level=None, check_same_thread=False
        )
        try:
            conn.execute("PRAGMA journal_mode=WAL")
            conn.execute("PRAGMA synchronous=NORMAL")  # with WAL: atomic and consistent on a crash
            conn.execute(
                "CREATE TABLE IF NOT EXISTS embeddings (key TEXT PRIMARY KEY, vector BLOB NOT NULL)"
            )
        except BaseException:
            conn.close()
            raise
        return conn

    def _move_aside(self, exc: Exception) -> None:
        log.warning("embedding cache %s is unreadable (%s); starting a new one", self.db_path, exc)
        for suffix in ("", "-wal", "-shm"):
            part = Path(str(self.db_path) + suffix)
            if part.exists():
                part.replace(Path(str(part) + ".corrupt"))

    def _db(self) -> sqlite3.Connection:
        if self._conn is None:
            raise RuntimeError(f"embedding cache {self.path} is closed")
        return self._conn

    def get_many(
        self, embedder_id: str, texts: Sequence[str], *, dim: int | None = None
    ) -> list[np.ndarray | None]:
        """Cached vectors for texts, in order; None where missing or unusable (or not dim long)."""
        keys = [text_key(embedder_id, t) for t in texts]
        found: dict[str, Any] = {}
        with self._lock:
            db = self._db()
            unique = list(dict.fromkeys(keys))
            for chunk in _chunks(unique, _SQL_CHUNK):
                marks = ",".join("?" * len(chunk))
                rows = db.execute(
                    f"SELECT key, vector FROM embeddings WHERE key IN ({marks})", list(chunk)
                )
                found.update(rows.fetchall())
        return [_decode(found.get(k), dim) for k in keys]

    def put_many(self, embedder_id: str, texts: Sequence[str], vectors: np.ndarray) -> None:
        """Store one vector per text (replacing what was there), in a single transaction."""
        arr = np.asarray(vectors, dtype="<f4")
        if arr.ndim != 2 or arr.shape[0] != len(texts):
            raise ValueError(
                f"put_many needs one row per text: {len(texts)} texts, vectors of shape {arr.shape}"
            )
        rows = [(text_key(embedder_id, t), arr[i].tobytes()) for i, t in enumerate(texts)]
        if not rows:
            return
        with self._lock:
            db = self._db()
            db.execute("BEGIN IMMEDIATE")
            try:
                db.executemany("INSERT OR REPLACE INTO embeddings (key, vector) VALUES (?, ?)", rows)
            except BaseException:
                db.execute("ROLLBACK")
                raise
            db.execute("COMMIT")

    def __len__(self) -> int:
        with self._lock:
            return int(self._db().execute("SELECT COUNT(*) FROM embeddings").fetchone()[0])

    def close(self) -> None:
        """Close the database; safe to call twice."""
        with self._lock:
            if self._conn is not None:
                self._conn.close()
                self._conn = None

    def __enter__(self) -> EmbeddingCache:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()


def _is_unit(vec: np.ndarray) -> bool:
    return abs(float(np.dot(vec, vec)) - 1.0) < 1e-3


def embed_with_cache(
    embedder: Embedder,
    texts: Sequence[str],
    cache: EmbeddingCache | None,
    *,
    progress: bool = False,
) -> tuple[np.ndarray, int]:
    """Return (vectors for all texts in order, number of texts actually embedded now).

    Texts found in the cache are not embedded again; a text repeated in ``texts`` is embedded
    once. New vectors are committed to the cache every ``EMBED_CHUNK`` texts, so an interrupted
    build keeps what it had finished. A cached vector that is not unit-length counts as a miss.
    """
    items = list(texts)
    out = np.empty((len(items), embedder.dim), dtype=np.float32)
    cached: list[np.ndarray | None] = (
        cache.get_many(embedder.id, items, dim=embedder.dim) if cache is not None else [None] * len(items)
    )
    missing: dict[str, list[int]] = {}
    for i, (text, vec) in enumerate(zip(items, cached, strict=True)):
        if vec is not None and _is_unit(vec):
            out[i] = vec
        else:
            missing.setdefault(text, []).append(i)
    todo = list(missing)

    bar: Any = None
    if progress and todo:
        from tqdm import tqdm

        bar = tqdm(total=len(todo), desc=f"向量化 {embedder.id}", unit="段", file=sys.stderr)
        bar.set_postfix_str(f"缓存命中 {len(items) - sum(len(v) for v in missing.values())}")
    try:
        for chunk in _chunks(todo, EMBED_CHUNK):
            vecs = np.asarray(embedder.embed_passages(chunk), dtype=np.float32)
            if vecs.shape != (len(chunk), embedder.dim):
                raise RuntimeError(
                    f"{embedder.id} returned vectors of shape {vecs.shape}, "
                    f"expected {(len(chunk), embedder.dim)}"
                )
            if cache is not None:
                cache.put_many(embedder.id, chunk, vecs)
            for text, vec in zip(chunk, vecs, strict=True):
                out[missing[text]] = vec
            if bar is not None:
                bar.update(len(chunk))
    finally:
        if bar is not None:
            bar.close()
    return out, len(todo)


__all__ = ["DB_FILENAME", "EmbeddingCache", "embed_with_cache", "text_key"]
