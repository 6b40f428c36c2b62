"""What the chat clients get beside a reply (statement, source line, quotes, suggestions), a follow-up with nothing
behind it asked back, the question limit from /api/examples, and feedback that can be changed (latest wins)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from qa_bot.answer.engine import QaEngine
from qa_bot.serve import create_app
from qa_bot.serve.clarify import CLARIFY_MESSAGE
from qa_bot.serve.presentation import quote, split_source
from qa_bot.settings import Settings

LEAD_QUESTION = "哪个单位牵头规范末端网点管理？"
DELIVERY = "测政办发〔2023〕5号"
# The answer of this question stands near the end of a long clause (tests/fixtures/extra-gazette.txt).
LATE_QUESTION = "有害垃圾收运后如何处置？"
LATE_SENTENCE = "有害垃圾收运后暂存于专用贮存场所，定期交由具备危险废物经营许可证的单位处置。"


@pytest.fixture
def client(long_clause_index: Path, tmp_path: Path) -> Iterator[TestClient]:
    settings = Settings(index_dir=long_clause_index, data_dir=tmp_path / "data", rate_limit="0", stream_delay_ms=0)
    with TestClient(create_app(settings, engine=QaEngine.load(settings))) as test_client:
        yield test_client


def ask(client: TestClient, question: str, **extra: Any) -> dict[str, Any]:
    response = client.post("/api/ask", json={"question": question, **extra})
    assert response.status_code == 200, response.text
    return dict(response.json())


# -- statement, source line, quotes --------------------------------------------------------------------------------


def test_reply_comes_with_its_statement_and_short_source_line(client: TestClient) -> None:
    body = ask(client, LEAD_QUESTION)
    assert body["found"] and body["statement"].startswith("市邮政管理局牵头")
    assert body["answer"] == body["statement"] + "（" + body["source"] + "）"
    assert DELIVERY in body["source"] and "规范末端网点管理" in body["source"]
    assert DELIVERY not in body["statement"]


def test_the_first_card_quotes_the_sentence_the_reply_was_made_from(client: TestClient) -> None:
    body = ask(client, LATE_QUESTION)
    first = body["citations"][0]
    assert body["found"] and "危险废物经营许可证" in body["statement"]
    assert first["quote"] == LATE_SENTENCE and first["quote"] in first["text"]
    assert first["text"].index(LATE_SENTENCE) > 80  # the clause's opening would not show it


def test_every_quote_is_a_sentence_of_its_own_clause(client: TestClient) -> None:
    for question in (LEAD_QUESTION, LATE_QUESTION, "细颗粒物浓度2025年的目标是多少？", "月球基地建设由哪个单位牵头？"):
        for citation in ask(client, question)["citations"]:
            assert citation["quote"] is None or citation["quote"] in citation["text"]


def test_not_found_reply_has_no_source_line(client: TestClient) -> None:
    body = ask(client, "月球基地建设由哪个单位牵头？")
    assert body["found"] is False and body["source"] is None and body["statement"] == body["answer"]
    assert body["suggestions"] == []


@pytest.mark.parametrize(
    ("answer", "expected"),
    [
        ("甲牵头。（《方案》X号，一 > 二）", ("甲牵头。", "《方案》X号，一 > 二")),
        ("已收录的政府公报中没有找到。", ("已收录的政府公报中没有找到。", None)),
        ("（《方案》X号，一 > 二）", ("（《方案》X号，一 > 二）", None)),  # nothing but the source: kept whole
    ],
)
def test_split_source(answer: str, expected: tuple[str, str | None]) -> None:
    assert split_source(answer, [{"title": "方案", "doc_no": "X号", "section": "一 > 二"}]) == expected


def test_quote_picks_the_closest_sentence_or_none() -> None:
    text = "（一）总体要求。加快建设。配置车辆。其他垃圾由环卫部门清运。"
    assert quote(text, "其他垃圾由环卫部门清运", "其他垃圾谁清运") == "其他垃圾由环卫部门清运。"
    assert (
        quote(text, "加快建设。其他垃圾由环卫部门清运", "其他垃圾谁清运") == "其他垃圾由环卫部门清运。"
    )  # of two, the one asked about
    note = "推进备案。〔牵头单位：市邮政管理局。责任单位：各区人民政府。完成时限：2023年12月底前〕"
    who = "市邮政管理局牵头，各区人民政府按职责分工负责"
    assert (
        quote(note, who, "谁牵头") == "〔牵头单位：市邮政管理局。责任单位：各区人民政府。"
    )  # a note cut by its own 。
    # A reply that sums the note up repeats no sentence: still the note, not a sentence that shares the question's
    # words.
    long_note = (
        "鼓励邮政企业为农村电商提供寄递物流服务。〔市邮政管理局牵头，市发展改革委、市财政局、市商务局、市乡村振兴局、"
        "中国邮政集团有限公司锦州市分公司等相关单位及各县（市）区按职责分工负责〕"
    )
    summed_up = "市邮政管理局牵头，市发展改革委、市财政局、市商务局等6个单位按职责分工负责"
    assert quote(long_note, summed_up, "哪个单位牵头农村寄递物流体系建设？").startswith("〔市邮政管理局牵头")
    # An item's heading is not joined to the sentence after it, however much of it the reply repeats.
    item = "（三）推进城镇绿色节能改造。全面推进城镇绿色规划、绿色建筑、绿色运行管理。严格执行建筑节能标准。"
    assert (
        quote(item, "全面推进城镇绿色规划、绿色建筑、绿色运行管理", "绿色建筑有什么要求")
        == "全面推进城镇绿色规划、绿色建筑、绿色运行管理。"
    )
    assert quote(text, "？？", "？？") is None


# -- streaming ----------------------------------------------------------------------------------------------------


def test_stream_marks_the_source_pieces(client: TestClient) -> None:
    text = client.post("/api/ask/stream", json={"question": LEAD_QUESTION}).text
    events = [(block.split("\n")[0][7:], json.loads(block.split("\n")[1][6:])) for block in text.strip().split("\n\n")]
    done = events[-1][1]
    deltas = [data for name, data in events if name == "delta"]
    assert "".join(d["text"] for d in deltas) == done["answer"]  # the deltas still add up to the answer
    assert "".join(d["text"] for d in deltas if "part" not in d) == done["statement"]
    assert "".join(d["text"] for d in deltas if d.get("part") == "source") == "（" + done["source"] + "）"


# -- suggested next questions -------------------------------------------------------------------------------------


def test_suggestions_ask_other_things_about_the_same_clause_and_document(client: TestClient) -> None:
    body = ask(client, LEAD_QUESTION)
    suggestions = body["suggestions"]
    assert suggestions and LEAD_QUESTION not in suggestions
    assert any("完成时限" in s for s in suggestions) and any(DELIVERY in s for s in suggestions)
    assert not any("牵头" in s for s in suggestions)  # the lead unit was what was asked
    for suggestion in suggestions:  # each is answered from the same document
        follow = ask(client, suggestion)
        assert follow["found"], suggestion
        assert follow["citations"][0]["doc_no"] == DELIVERY, suggestion


def test_suggestions_after_a_deadline_question_offer_the_lead_unit(client: TestClient) -> None:
    body = ask(client, "规范末端网点管理的完成时限是什么？")
    assert body["found"] and "2023年12月底前" in body["answer"]
    assert any("牵头" in s for s in body["suggestions"]) and not any("完成时限" in s for s in body["suggestions"])


# -- a follow-up with nothing behind it ----------------------------------------------------------------------------


@pytest.mark.parametrize("follow_up", ["那完成时限呢？", "那冷链寄递呢？"])
def test_follow_up_without_a_conversation_is_asked_back(client: TestClient, follow_up: str) -> None:
    body = ask(client, follow_up, session_id="fresh-session")
    assert body["clarify"] is True and body["found"] is False
    assert body["answer"] == CLARIFY_MESSAGE and body["answer"].startswith("请问您指的是哪项工作？")
    assert body["citations"] == [] and body["context"] is None


def test_follow_up_with_its_conversation_is_answered(client: TestClient) -> None:
    first = ask(client, "哪个单位牵头完善县乡村三级物流体系？")
    by_context = ask(client, "那冷链寄递呢？", context=first["context"])
    assert by_context["found"] and by_context["answer"].startswith("市商务局牵头") and not by_context.get("clarify")
    ask(client, "哪个单位牵头完善县乡村三级物流体系？", session_id="kept-session")
    by_session = ask(client, "那冷链寄递呢？", session_id="kept-session")
    assert by_session["answer"].startswith("市商务局牵头")


def test_asked_back_question_still_refuses_bad_input(client: TestClient) -> None:
    response = client.post("/api/ask", json={"question": "那" + "冷" * 600 + "呢？"})
    assert response.status_code == 422 and response.json()["error"]["code"] == "bad_question"


# -- the question limit --------------------------------------------------------------------------------------------


def test_examples_carry_the_question_limit_the_server_enforces(client: TestClient) -> None:
    limit = client.get("/api/examples").json()["max_question_chars"]
    assert isinstance(limit, int) and limit > 0
    assert ask(client, "冷" * (limit - 4) + "链寄递？")  # at the limit: answered
    refused = client.post("/api/ask", json={"question": "冷" * limit + "链寄递？"})
    assert refused.status_code == 422 and str(limit) in refused.json()["error"]["message"]


# -- feedback can be changed ---------------------------------------------------------------------------------------


def test_changed_feedback_replaces_the_earlier_one(client: TestClient) -> None:
    body = ask(client, LEAD_QUESTION, session_id="fb-session")
    rating = {
        "question_id": body["question_id"],
        "session_id": "fb-session",
        "question": LEAD_QUESTION,
        "answer": body["answer"],
    }
    first = client.post("/api/feedback", json={**rating, "rating": "up"}).json()
    assert first["stored"] and first["replaces"] is None
    second = client.post("/api/feedback", json={**rating, "rating": "down", "comment": "漏了完成时限"}).json()
    assert second["replaces"] == first["id"]
    other_session = client.post("/api/feedback", json={**rating, "session_id": "someone-else", "rating": "up"}).json()
    assert other_session["replaces"] is None  # another session cannot overwrite this one's rating
    storage = client.app.state.service.storage
    current = [(row["id"], row["rating"], row["comment"]) for row in storage.current_feedback()]
    assert current == [(second["id"], "down", "漏了完成时限"), (other_session["id"], "up", "")]
    assert len(storage.rows("feedback")) == 3  # the history is kept


def test_feedback_without_question_id_replaces_nothing(client: TestClient) -> None:
    rating = {"question": LEAD_QUESTION, "answer": "甲", "rating": "up", "session_id": "s"}
    assert client.post("/api/feedback", json=rating).json()["replaces"] is None
    assert client.post("/api/feedback", json=rating).json()["replaces"] is None
    assert len(client.app.state.service.storage.current_feedback()) == 2
