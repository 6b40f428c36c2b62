"""Shared fixtures: every user path points into tmp_path; indexes are built once per session from fixture gazettes."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from index_helpers import build_index_in as _build

FIXTURES = Path(__file__).parent / "fixtures"
REPO = Path(__file__).resolve().parents[1]
REAL_CORPUS = REPO / "corpus"


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "slow: takes more than ~20 s (real processes, rebuilds); part of `make test`")
    config.addinivalue_line("markers", "network: needs PyPI (skipped with the reason when it cannot be reached)")


@pytest.fixture(autouse=True)
def _isolated_env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """No test reads the developer's environment or writes outside tmp_path."""
    for name in list(os.environ):
        if name.startswith("QA_BOT_"):
            monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("QA_BOT_DATA_DIR", str(tmp_path / "data"))
    from qa_bot.settings import get_settings

    get_settings.cache_clear()


# Embeddings are keyed by embedder and exact text, so one cache serves every run: the real gazette is embedded once
# per machine, not once per test session. QA_BOT_TEST_EMBED_CACHE moves it (e.g. to a tmp dir for a cold run).
PERSISTENT_EMBED_CACHE = Path(os.environ.get("QA_BOT_TEST_EMBED_CACHE") or REPO / ".pytest_cache" / "embed-cache")


@pytest.fixture(scope="session")
def embed_cache_dir() -> Path:
    PERSISTENT_EMBED_CACHE.mkdir(parents=True, exist_ok=True)
    return PERSISTENT_EMBED_CACHE


@pytest.fixture(scope="session")
def mini_corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("mini-corpus")
    shutil.copy(FIXTURES / "mini-gazette.txt", folder / "mini-gazette.txt")
    return folder


@pytest.fixture(scope="session")
def mini_index(tmp_path_factory: pytest.TempPathFactory, mini_corpus: Path, embed_cache_dir: Path) -> Path:
    return _build(mini_corpus, tmp_path_factory.mktemp("mini-index"), embed_cache_dir)


@pytest.fixture(scope="session")
def long_clause_index(tmp_path_factory: pytest.TempPathFactory, embed_cache_dir: Path) -> Path:
    """Mini gazette plus a gazette whose （二）完善分类收运体系 is long enough to be indexed as several windows (and
    answers "有害垃圾收运后如何处置？" late in the clause)."""
    corpus = tmp_path_factory.mktemp("long-corpus")
    for name in ("mini-gazette.txt", "extra-gazette.txt"):
        shutil.copy(FIXTURES / name, corpus / name)
    return _build(corpus, tmp_path_factory.mktemp("long-index"), embed_cache_dir)


@pytest.fixture(scope="session")
def real_index(tmp_path_factory: pytest.TempPathFactory, embed_cache_dir: Path) -> Path:
    """The real gazette's index (about two minutes to embed on 2 cores the first time in a session)."""
    return _build(REAL_CORPUS, tmp_path_factory.mktemp("real-index"), embed_cache_dir)


@pytest.fixture(scope="session")
def mini_engine(mini_index: Path, mini_corpus: Path):
    from qa_bot.answer.engine import QaEngine
    from qa_bot.settings import Settings

    return QaEngine.load(Settings(index_dir=mini_index, corpus_dir=mini_corpus))


@pytest.fixture(scope="session")
def real_engine(real_index: Path):
    from qa_bot.answer.engine import QaEngine
    from qa_bot.settings import Settings

    return QaEngine.load(Settings(index_dir=real_index, corpus_dir=REAL_CORPUS))


@pytest.fixture(scope="session")
def pg_server():
    """A throwaway PostgreSQL server (tests/pg_helpers.py) for the whole session; fails, never skips, without one."""
    from pg_helpers import PostgresMissing, find_bindir, running_postgres

    try:
        find_bindir()
    except PostgresMissing as exc:
        pytest.fail(str(exc), pytrace=False)
    with running_postgres() as server:
        yield server


@pytest.fixture(scope="session")
def answers_engine(tmp_path_factory: pytest.TempPathFactory, embed_cache_dir: Path):
    """An engine over tests/fixtures/answers-gazette.txt: two documents built to exercise each class of answer."""
    from qa_bot.answer.engine import QaEngine
    from qa_bot.settings import Settings

    corpus = tmp_path_factory.mktemp("answers-corpus")
    shutil.copy(FIXTURES / "answers-gazette.txt", corpus / "answers-gazette.txt")
    index_dir = _build(corpus, tmp_path_factory.mktemp("answers-index"), embed_cache_dir)
    return QaEngine.load(Settings(index_dir=index_dir, corpus_dir=corpus))


@pytest.fixture(scope="session")
def counts_engine(tmp_path_factory: pytest.TempPathFactory, embed_cache_dir: Path):
    """An engine over tests/fixtures/counts-gazette.txt: a plan whose count of its fields stands in one sentence of
    its principles, while every other clause repeats the words of a question about them."""
    from qa_bot.answer.engine import QaEngine
    from qa_bot.settings import Settings

    corpus = tmp_path_factory.mktemp("counts-corpus")
    shutil.copy(FIXTURES / "counts-gazette.txt", corpus / "counts-gazette.txt")
    index_dir = _build(corpus, tmp_path_factory.mktemp("counts-index"), embed_cache_dir)
    return QaEngine.load(Settings(index_dir=index_dir, corpus_dir=corpus))


@pytest.fixture(scope="session")
def shares_engine(tmp_path_factory: pytest.TempPathFactory, embed_cache_dir: Path):
    """An engine over tests/fixtures/shares-gazette.txt (tasks given to several units at once, to every county, and
    counts of villages that name none of them) and notice-untitled.txt (a county's 通告 whose copy starts at its
    body: no title, its time under a heading of its own)."""
    from qa_bot.answer.engine import QaEngine
    from qa_bot.settings import Settings

    corpus = tmp_path_factory.mktemp("shares-corpus")
    shutil.copy(FIXTURES / "shares-gazette.txt", corpus / "shares-gazette.txt")
    shutil.copy(FIXTURES / "notice-untitled.txt", corpus / "notice-untitled.txt")
    index_dir = _build(corpus, tmp_path_factory.mktemp("shares-index"), embed_cache_dir)
    return QaEngine.load(Settings(index_dir=index_dir, corpus_dir=corpus))


@pytest.fixture(scope="session")
def values_engine(tmp_path_factory: pytest.TempPathFactory, embed_cache_dir: Path):
    """An engine over tests/fixtures/values-gazette.txt: a plan whose indicator table leaves some base values blank,
    whose clause names one task without the date another has, and whose press conference names no spokesperson."""
    from qa_bot.answer.engine import QaEngine
    from qa_bot.settings import Settings

    corpus = tmp_path_factory.mktemp("values-corpus")
    shutil.copy(FIXTURES / "values-gazette.txt", corpus / "values-gazette.txt")
    index_dir = _build(corpus, tmp_path_factory.mktemp("values-index"), embed_cache_dir)
    return QaEngine.load(Settings(index_dir=index_dir, corpus_dir=corpus))


@pytest.fixture(scope="session")
def periods_engine(tmp_path_factory: pytest.TempPathFactory, embed_cache_dir: Path):
    """An engine over tests/fixtures/periods-gazette.txt: a five-year plan that reviews the last period in its first
    chapter and sets the new period's targets in its second, with the same measures in both."""
    from qa_bot.answer.engine import QaEngine
    from qa_bot.settings import Settings

    corpus = tmp_path_factory.mktemp("periods-corpus")
    shutil.copy(FIXTURES / "periods-gazette.txt", corpus / "periods-gazette.txt")
    index_dir = _build(corpus, tmp_path_factory.mktemp("periods-index"), embed_cache_dir)
    return QaEngine.load(Settings(index_dir=index_dir, corpus_dir=corpus))


def _batch_engine(batch: str, tmp_path_factory: pytest.TempPathFactory, embed_cache_dir: Path):
    """An engine over the .txt documents of tests/fixtures/<batch>/."""
    from qa_bot.answer.engine import QaEngine
    from qa_bot.settings import Settings

    corpus = tmp_path_factory.mktemp(f"{batch}-corpus")
    for path in (FIXTURES / batch).glob("*.txt"):
        shutil.copy(path, corpus / path.name)
    index_dir = _build(corpus, tmp_path_factory.mktemp(f"{batch}-index"), embed_cache_dir)
    return QaEngine.load(Settings(index_dir=index_dir, corpus_dir=corpus))


@pytest.fixture(scope="session")
def notices_engine(tmp_path_factory: pytest.TempPathFactory, embed_cache_dir: Path):
    """An engine over tests/fixtures/notices/: a call for comments (a start day, a last day, an e-mail address), a
    school notice (a year as context, a day as the limit), a plan sent with the meeting that passed it."""
    return _batch_engine("notices", tmp_path_factory, embed_cache_dir)


@pytest.fixture(scope="session")
def background_engine(tmp_path_factory: pytest.TempPathFactory, embed_cache_dir: Path):
    """An engine over tests/fixtures/background-gazette.txt: a plan whose review of the last period and whose list of
    problems use the words of a resident's question better than the task that answers it."""
    from qa_bot.answer.engine import QaEngine
    from qa_bot.settings import Settings

    corpus = tmp_path_factory.mktemp("background-corpus")
    shutil.copy(FIXTURES / "background-gazette.txt", corpus / "background-gazette.txt")
    index_dir = _build(corpus, tmp_path_factory.mktemp("background-index"), embed_cache_dir)
    return QaEngine.load(Settings(index_dir=index_dir, corpus_dir=corpus))


@pytest.fixture(scope="session")
def cities12_engine(tmp_path_factory: pytest.TempPathFactory, embed_cache_dir: Path):
    """An engine over tests/fixtures/cities12/: twelve real documents of twelve provinces, a call for comments
    among them."""
    return _batch_engine("cities12", tmp_path_factory, embed_cache_dir)


@pytest.fixture(scope="session")
def cities13_engine(tmp_path_factory: pytest.TempPathFactory, embed_cache_dir: Path):
    """An engine over tests/fixtures/cities13/: twelve real documents of twelve places, one printed in traditional
    characters, one whose copy lost its title and issuer (its 文号 and text only)."""
    return _batch_engine("cities13", tmp_path_factory, embed_cache_dir)


@pytest.fixture(scope="session")
def cities14_engine(tmp_path_factory: pytest.TempPathFactory, embed_cache_dir: Path):
    """An engine over tests/fixtures/cities14/: twelve more real documents of twelve places, one in traditional
    characters with the readings of its characters printed after them."""
    return _batch_engine("cities14", tmp_path_factory, embed_cache_dir)


@pytest.fixture(scope="session")
def cities15_engine(tmp_path_factory: pytest.TempPathFactory, embed_cache_dir: Path):
    """An engine over tests/fixtures/cities15/: twelve more real documents of twelve places, among them a province's
    division of work whose items a copy ran together, a flattened 政务公开 table, a road-closure notice."""
    return _batch_engine("cities15", tmp_path_factory, embed_cache_dir)


@pytest.fixture(scope="session")
def cities16_engine(tmp_path_factory: pytest.TempPathFactory, embed_cache_dir: Path):
    """An engine over tests/fixtures/cities16/: twelve real documents of twelve places first run after session 14's
    parser work, among them a 通告 in parts, a province's division of work by 分管省领导 and 部门分工."""
    return _batch_engine("cities16", tmp_path_factory, embed_cache_dir)


@pytest.fixture(scope="session")
def cities17_engine(tmp_path_factory: pytest.TempPathFactory, embed_cache_dir: Path):
    """An engine over tests/fixtures/cities17/: twelve real documents of twelve places first run after session 15's
    work, short excerpts cut off mid-sentence, among them a 批复 whose copy prints no title."""
    return _batch_engine("cities17", tmp_path_factory, embed_cache_dir)


@pytest.fixture(scope="session")
def cities2_engine(tmp_path_factory: pytest.TempPathFactory, embed_cache_dir: Path):
    """An engine over the .txt documents of tests/fixtures/cities2/: a district's, a county's, the State Council's."""
    return _batch_engine("cities2", tmp_path_factory, embed_cache_dir)


@pytest.fixture(scope="session")
def cities3_engine(tmp_path_factory: pytest.TempPathFactory, embed_cache_dir: Path):
    """An engine over tests/fixtures/cities3/: twelve real documents, seven of them without 文号, some without a date
    or issuer, two national ministries' from 1978 and 1990."""
    return _batch_engine("cities3", tmp_path_factory, embed_cache_dir)


@pytest.fixture(scope="session")
def cities4_engine(tmp_path_factory: pytest.TempPathFactory, embed_cache_dir: Path):
    """An engine over tests/fixtures/cities4/: eighteen real documents of eighteen places, joint issuers, texts
    without header, 政府工作报告 task breakdowns."""
    return _batch_engine("cities4", tmp_path_factory, embed_cache_dir)


@pytest.fixture(scope="session")
def cities5_engine(tmp_path_factory: pytest.TempPathFactory, embed_cache_dir: Path):
    """An engine over tests/fixtures/cities5/: eighteen real documents of eighteen more places, law-database copies,
    rules of procedure, 政府工作报告 breakdowns."""
    return _batch_engine("cities5", tmp_path_factory, embed_cache_dir)


@pytest.fixture(scope="session")
def cities6_engine(tmp_path_factory: pytest.TempPathFactory, embed_cache_dir: Path):
    """An engine over tests/fixtures/cities6/: sixteen real documents of sixteen more places, task tables whose cells
    are sentences, a law on one line, a notice known only by its 附件 line."""
    return _batch_engine("cities6", tmp_path_factory, embed_cache_dir)


@pytest.fixture(scope="session")
def cities7_engine(tmp_path_factory: pytest.TempPathFactory, embed_cache_dir: Path):
    """An engine over tests/fixtures/cities7/: seventeen real documents of seventeen more places, emergency plans
    numbered 1 / 1.1, fourteen joint issuers with forty addressees, portal field tables."""
    return _batch_engine("cities7", tmp_path_factory, embed_cache_dir)


@pytest.fixture(scope="session")
def cities8_engine(tmp_path_factory: pytest.TempPathFactory, embed_cache_dir: Path):
    """An engine over tests/fixtures/cities8/: sixteen real documents of fifteen more places, orders signed by their
    mayor, target items over a 责任单位 line, a law's articles saying who acts."""
    return _batch_engine("cities8", tmp_path_factory, embed_cache_dir)


@pytest.fixture(scope="session")
def cities9_engine(tmp_path_factory: pytest.TempPathFactory, embed_cache_dir: Path):
    """An engine over tests/fixtures/cities9/: sixteen real documents of fifteen more places, two task lists of one
    year's 政府工作报告 (a district's and a city's) beside a county's notice about its own."""
    return _batch_engine("cities9", tmp_path_factory, embed_cache_dir)


@pytest.fixture(scope="session")
def cities10_engine(tmp_path_factory: pytest.TempPathFactory, embed_cache_dir: Path):
    """An engine over tests/fixtures/cities10/: fifteen real documents of fifteen more places, two orders with 第X条
    articles, twelve bodies signing one plan, portal pages with a 发布日期 besides the 成文日期."""
    return _batch_engine("cities10", tmp_path_factory, embed_cache_dir)


@pytest.fixture(scope="session")
def cities11_engine(tmp_path_factory: pytest.TempPathFactory, embed_cache_dir: Path):
    """An engine over tests/fixtures/cities11/: twelve real documents of twelve more places, task tables printed one
    cell to a line, a copy that prints no date, a rules notice found in a law database."""
    return _batch_engine("cities11", tmp_path_factory, embed_cache_dir)
