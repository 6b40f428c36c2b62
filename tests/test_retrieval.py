"""Hybrid retrieval over the fixture gazettes: the right clause first, filters, de-duplication, query normalisation."""

from __future__ import annotations

from pathlib import Path

import pytest

from qa_bot.index.loaded import load_index
from qa_bot.retrieve import Filters, Retriever

DOC5 = "测政办发〔2023〕5号"  # 测试市人民政府办公室, 2023-03-15: 快递进村实施方案
DOC2 = "测政发〔2023〕2号"  # 测试市人民政府, 2023-02-01: 空气质量提升规划 (with 表1)
LEAD_QUESTION = "哪个单位牵头规范末端网点管理？"
LEAD_CLAUSE = "测政办发-2023-5/2.3"
CITATION_KEYS = {"doc_no", "title", "section", "text", "chunk_id", "score"}
BROAD_QUERY = "重点任务和工作目标"  # touches clauses of both documents


@pytest.fixture(scope="module")
def retriever(mini_engine) -> Retriever:
    """Plain hybrid retrieval (no question-type bonuses) over the mini index."""
    return Retriever(mini_engine.index, mini_engine.embedder)


def sections(retriever: Retriever, query: str, top_k: int = 5, filters: Filters | None = None) -> list[str]:
    return [retriever.index.records[h.record].section for h in retriever.search(query, top_k, filters).hits]


# -- the right clause first ----------------------------------------------------------------------
def test_lead_question_finds_the_clause(mini_engine) -> None:
    hits = mini_engine.search(LEAD_QUESTION)
    assert hits, "no hits"
    first = hits[0]
    assert CITATION_KEYS <= set(first.model_dump())
    assert first.doc_no == DOC5
    assert first.title == "测试市快递进村实施方案"
    assert first.section == "二、重点任务 > （三）规范末端网点管理"
    assert first.text.startswith("（三）规范末端网点管理。简化快递末端网点备案手续")
    assert "牵头单位：市邮政管理局" in first.text  # the whole clause, its note included
    assert first.chunk_id == LEAD_CLAUSE
    for hit in hits:
        assert CITATION_KEYS <= set(hit.model_dump())
        assert isinstance(hit.score, float)
        assert hit.chunk_id in mini_engine.index.clause_by_id or hit.chunk_id.endswith("/header")
    scores = [h.score for h in hits]
    assert scores == sorted(scores, reverse=True)


@pytest.mark.parametrize(
    ("query", "section"),
    [
        ("生鲜农产品的低温配送", "二、重点任务 > （二）发展冷链寄递"),
        ("乡镇包裹中转站", "二、重点任务 > （一）完善县乡村三级物流体系"),
        ("工地灰尘怎么管", "第二章 重点任务 > 一、治理扬尘污染 > 1.加强建筑工地扬尘管控"),
    ],
)
def test_paraphrase_finds_the_clause(retriever: Retriever, query: str, section: str) -> None:
    assert sections(retriever, query)[0] == section


@pytest.mark.parametrize(
    ("query", "within"),
    [
        # The 一、主要目标 paragraph states the same 2025 target and may come first; the table row must follow it.
        ("细颗粒物浓度2025年目标", 2),
        ("表1里细颗粒物2025年的数值", 1),
        ("PM2.5到2025年要降到多少", 1),
        ("细颗粒物浓度的指标类别", 1),
    ],
)
def test_table_row_is_found(mini_engine, query: str, within: int) -> None:
    hits = mini_engine.search(query)
    rows = [h for h in hits[:within] if h.kind == "table_row"]
    assert rows, [h.section for h in hits]
    row = rows[0]
    assert row.doc_no == DOC2
    assert "表1" in row.section
    assert row.text.startswith("细颗粒物（PM2.5）浓度")
    assert "2025年 30" in row.text


# -- filters -------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("filters", "expected"),
    [
        (Filters(doc=DOC5), {DOC5}),
        (Filters(doc="测政办发-2023-5"), {DOC5}),  # by doc_id
        (Filters(doc="测政发[2023]2号"), {DOC2}),  # half-width brackets
        (Filters(issuer="测试市人民政府办公室"), {DOC5}),
        (Filters(issuer="测试市人民政府"), {DOC2}),  # not its 办公室
        (Filters(issuer="人民政府办公室"), {DOC5}),  # part of a name
        (Filters(date_from="2023-03-01"), {DOC5}),
        (Filters(date_to="2023-02-28"), {DOC2}),
        (Filters(date_from="2023-02-01", date_to="2023-02-01"), {DOC2}),  # bounds are inclusive
        (Filters(date_from="2023-01-01", date_to="2023-12-31"), {DOC5, DOC2}),
    ],
    ids=[
        "doc-no",
        "doc-id",
        "doc-no-half-width",
        "issuer-office",
        "issuer-government",
        "issuer-partial",
        "date-from",
        "date-to",
        "one-day",
        "whole-year",
    ],
)
def test_filters_restrict_hits(mini_engine, filters: Filters, expected: set[str]) -> None:
    hits = mini_engine.search(BROAD_QUERY, top_k=50, filters=filters)
    assert hits
    assert {h.doc_no for h in hits} == expected


@pytest.mark.parametrize(
    "filters",
    [
        Filters(doc="测政发〔2099〕1号"),
        Filters(issuer="别的市人民政府"),
        Filters(date_from="2024-01-01"),
        Filters(date_to="2022-12-31"),
        Filters(doc=DOC5, date_to="2023-02-28"),
    ],
    ids=["unknown-doc", "unknown-issuer", "after-all", "before-all", "contradictory"],
)
def test_filter_matching_nothing_gives_no_hits(mini_engine, filters: Filters) -> None:
    assert mini_engine.search(LEAD_QUESTION, filters=filters) == []


# -- one hit per clause, top_k -------------------------------------------------------------------
@pytest.fixture(scope="module")
def long_retriever(long_clause_index: Path, mini_engine) -> Retriever:
    return Retriever(load_index(long_clause_index), mini_engine.embedder)


def test_long_clause_is_indexed_as_several_passages(long_retriever: Retriever) -> None:
    index = long_retriever.index
    long_record = index.record_by_id["测政办发-2023-9/2.2"]
    assert int((index.passage_records == long_record).sum()) > 1  # otherwise the test below proves nothing


@pytest.mark.parametrize("top_k", [1, 3, 8, 50])
def test_each_clause_appears_once(long_retriever: Retriever, top_k: int) -> None:
    hits = long_retriever.search("厨余垃圾收运车辆和有害垃圾贮存", top_k).hits
    chunk_ids = [h.chunk_id for h in hits]
    assert len(chunk_ids) == len(set(chunk_ids))
    assert len(hits) == min(top_k, len(long_retriever.index.records))
    assert chunk_ids[0] == "测政办发-2023-9/2.2"


@pytest.mark.parametrize("top_k", [1, 2, 7])
def test_engine_search_respects_top_k(mini_engine, top_k: int) -> None:
    hits = mini_engine.search(BROAD_QUERY, top_k=top_k)
    assert len(hits) == top_k
    assert len({h.chunk_id for h in hits}) == top_k


# -- query-side normalisation ---------------------------------------------------------------------
@pytest.mark.parametrize(
    ("variant", "canonical", "expected"),
    [
        ("(三)规范末端网点管理,谁牵头", "（三）规范末端网点管理，谁牵头", LEAD_CLAUSE),
        ("细颗粒物浓度２０２５年目标值是多少", "细颗粒物浓度2025年目标值是多少", "测政发-2023-2/1.1-t1-r1"),
        ("ＰＭ２.５到２０２５年要降到多少", "PM2.5到2025年要降到多少", "测政发-2023-2/1.1-t1-r1"),
        ("测政办发[2023]5号,冷链寄递谁牵头", "测政办发〔2023〕5号，冷链寄递谁牵头", "测政办发-2023-5/2.2"),
    ],
)
def test_query_normalisation(mini_engine, variant: str, canonical: str, expected: str) -> None:
    canonical_hits = mini_engine.search(canonical)
    variant_hits = mini_engine.search(variant)
    assert [h.chunk_id for h in variant_hits] == [h.chunk_id for h in canonical_hits]
    assert expected in [h.chunk_id for h in canonical_hits[:2]]


# -- the real gazette ----------------------------------------------------------------------------
@pytest.mark.integration
def test_real_gazette_lead_question(real_engine) -> None:
    hits = real_engine.search("哪个单位牵头农村寄递物流体系建设")
    first = hits[0]
    assert first.doc_no == "锦政办发〔2022〕20号"
    assert first.section.startswith("三、体系建设"), [h.section for h in hits]


def test_everyday_words_for_money_and_getting_it_back_reach_the_gazettes_words() -> None:
    """"收回来的钱" is said 回收资金 in a gazette: the query carries the gazette's words at the synonym weight."""
    from qa_bot.index.tokenize import Segmenter

    terms = Segmenter().query_terms("盘活收回来的钱能拿去干啥")
    assert 0 < terms["资金"] < 1 and 0 < terms["回收"] < 1


def test_everyday_words_for_a_bus_carrying_parcels_reach_the_gazettes_words() -> None:
    """"客车捎快递" is said 客运班车带运邮件 in a gazette: the query carries its words at the synonym weight."""
    from qa_bot.index.tokenize import Segmenter

    terms = Segmenter().query_terms("村里的客车能不能捎快递")
    assert 0 < terms["班车"] < 1 and 0 < terms["带运"] < 1
