"""The index manifest: schema version, corpus file hashes, embedder, counts; and the checks readers make."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from qa_bot.errors import IndexIncompatible, IndexNotReady

SCHEMA_VERSION = 2  # 2: the build also holds sentence vectors (sentences.json, sentence_vectors.npy)
MANIFEST = "manifest.json"
CURRENT = "CURRENT"
BUILDS = "builds"
FIX_COMMAND = "qa-bot index"
_HASH_LIMIT = 256 * 1024 * 1024  # files larger than this are checked by size only when loading
_REQUIRED = ("schema_version", "build_id", "corpus", "embedder", "counts", "ann", "files")


def sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def corpus_fingerprint(files: list[Path]) -> list[dict[str, Any]]:
    return [{"name": f.name, "sha256": sha256_file(f), "bytes": f.stat().st_size} for f in files]


@dataclass(frozen=True)
class Manifest:
    data: dict[str, Any]

    @property
    def build_id(self) -> str:
        return str(self.data["build_id"])

    @property
    def embedder_spec(self) -> str:
        return str(self.data["embedder"]["spec"])

    @property
    def embedder_id(self) -> str:
        return str(self.data["embedder"]["id"])

    @property
    def dim(self) -> int:
        return int(self.data["embedder"]["dim"])


def current_build(index_dir: Path) -> Path:
    """The folder of the build CURRENT points to; IndexNotReady (naming the fix) when there is none."""
    pointer = index_dir / CURRENT
    if not pointer.is_file():
        raise IndexNotReady(f"索引不存在（{index_dir} 下没有已构建的索引）。请先运行：{FIX_COMMAND}")
    build_id = pointer.read_text(encoding="utf-8").strip()
    folder = index_dir / BUILDS / build_id
    if not build_id or "/" in build_id or not folder.is_dir():
        raise IndexNotReady(f"索引指向的构建“{build_id}”不存在或已损坏。请运行：{FIX_COMMAND}")
    return folder


def read_manifest(folder: Path) -> Manifest:
    """Read and validate a build's manifest; refuse one this version does not understand."""
    path = folder / MANIFEST
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise IndexNotReady(f"索引清单 {path} 缺失。请运行：{FIX_COMMAND}") from None
    except (OSError, ValueError) as exc:
        raise IndexNotReady(f"索引清单 {path} 无法读取（{exc.__class__.__name__}）。请运行：{FIX_COMMAND}") from None
    if not isinstance(data, dict) or any(k not in data for k in _REQUIRED):
        raise IndexIncompatible(f"索引清单 {path} 不是 qa-bot 的索引或缺少字段。请运行：{FIX_COMMAND}")
    if data["schema_version"] != SCHEMA_VERSION:
        raise IndexIncompatible(
            f"索引格式版本 {data['schema_version']!r} 与本程序（{SCHEMA_VERSION}）不符。请运行：{FIX_COMMAND} 重建"
        )
    return Manifest(data)


def verify_files(folder: Path, manifest: Manifest) -> None:
    """Check every index file is present with the size (and, when small, the hash) the build recorded."""
    for name, expected in manifest.data["files"].items():
        path = folder / name
        if not path.is_file():
            raise IndexNotReady(f"索引文件 {name} 缺失。请运行：{FIX_COMMAND}")
        size = path.stat().st_size
        if size != expected["bytes"]:
            raise IndexNotReady(
                f"索引文件 {name} 已损坏（大小 {size}，应为 {expected['bytes']}）。请运行：{FIX_COMMAND}"
            )
        if size <= _HASH_LIMIT and sha256_file(path) != expected["sha256"]:
            raise IndexNotReady(f"索引文件 {name} 已损坏（校验和不符）。请运行：{FIX_COMMAND}")


def stale_reasons(manifest: Manifest, corpus: list[dict[str, Any]], embedder_spec: str) -> list[str]:
    """Why an index no longer matches the corpus folder and settings (empty list: up to date)."""
    reasons = []
    built = {f["name"]: f["sha256"] for f in manifest.data["corpus"]["files"]}
    now = {f["name"]: f["sha256"] for f in corpus}
    for name in sorted(now.keys() - built.keys()):
        reasons.append(f"新增语料文件 {name}")
    for name in sorted(built.keys() - now.keys()):
        reasons.append(f"语料文件 {name} 已删除")
    for name in sorted(now.keys() & built.keys()):
        if now[name] != built[name]:
            reasons.append(f"语料文件 {name} 已修改")
    if manifest.embedder_spec != embedder_spec:
        reasons.append(f"向量模型由 {manifest.embedder_spec} 改为 {embedder_spec}")
    return reasons


__all__ = [
    "BUILDS",
    "CURRENT",
    "FIX_COMMAND",
    "MANIFEST",
    "Manifest",
    "SCHEMA_VERSION",
    "corpus_fingerprint",
    "current_build",
    "read_manifest",
    "sha256_file",
    "stale_reasons",
    "verify_files",
]
