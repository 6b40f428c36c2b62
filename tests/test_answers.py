"""Answers a user reads: the kind of question decides the reply; unsupported questions get an honest not-found."""

from __future__ import annotations

import pytest

from qa_bot.answer.question import analyse
from qa_bot.answer.session import SessionStore, Turn
from qa_bot.errors import BadQuestion

DELIVERY = "测政办发〔2023〕5号"
AIR = "测政发〔2023〕2号"


@pytest.mark.parametrize(
    ("question", "kind"),
    [
        ("哪个单位牵头规范末端网点管理？", "lead"),
        ("冷链寄递有哪些责任单位", "units"),
        ("市供销社是不是冷链寄递的责任单位之一", "units"),
        ("村级寄递物流综合服务站要建多少个", "figure"),
        ("末端网点备案改革什么时候完成", "deadline"),
        ("快递进村实施方案的文号是什么", "meta"),
        ("空气质量提升规划是哪天印发的", "meta"),
        ("挥发性有机物减排量是约束性指标吗", "table"),
        ("发展冷链寄递要做哪些事", "content"),
        ("条例是哪天施行的", "meta"),  # when a document takes effect: its record, else the sentence saying so
        ("要改造的开发区是哪几个", "content"),  # a list, not a number
    ],
)
def test_question_kind(question: str, kind: str) -> None:
    assert analyse(question).kind == kind


def test_question_names_document_years_places_and_codes() -> None:
    q = analyse("沈阳市2030年PM10浓度目标，按测政发[2023]2号是多少")
    assert q.doc_nos == ("测政发〔2023〕2号",)
    assert q.years == (2030,)
    assert "沈阳" in q.places
    assert "PM10" in q.codes


@pytest.mark.parametrize(
    ("question", "must_contain", "doc_no"),
    [
        ("哪个单位牵头规范末端网点管理？", ["市邮政管理局牵头", "各区人民政府"], DELIVERY),
        ("冷链寄递谁牵头", ["市商务局牵头"], DELIVERY),
        ("供销社是冷链寄递的责任单位吗", ["是", "市供销社"], DELIVERY),
        ("到2025年底要建成多少个村级寄递物流综合服务站", ["120个"], DELIVERY),
        ("末端网点备案改革的完成时限", ["2023年12月底前"], DELIVERY),
        ("快递进村实施方案的文号是什么", [DELIVERY], DELIVERY),
        ("空气质量提升规划是哪天印发的", ["2023年2月1日"], AIR),
        ("空气质量提升规划是哪个部门发的", ["测试市人民政府"], AIR),
        ("细颗粒物浓度2025年的目标值", ["30"], AIR),
        ("挥发性有机物减排量属于哪类指标", ["预期性"], AIR),
        ("城区道路机械化清扫率要达到多少", ["90%"], AIR),
        ("建筑工地扬尘谁负责", ["市住房城乡建设局"], AIR),
    ],
)
def test_reply_states_the_fact_and_ends_with_its_citation(
    mini_engine, question: str, must_contain: list[str], doc_no: str
) -> None:
    reply = mini_engine.ask(question)
    assert reply.found, reply.answer
    for text in must_contain:
        assert text in reply.answer
    assert reply.citations[0].doc_no == doc_no
    assert reply.answer.endswith("）") and f"》{doc_no}，" in reply.answer  # (《title》文号，section)
    assert len(reply.answer) <= 160


def test_reply_is_not_the_pasted_clause(mini_engine) -> None:
    reply = mini_engine.ask("发展冷链寄递要做哪些事")
    clause = reply.citations[0].text
    assert reply.found
    assert clause not in reply.answer
    assert "冷藏仓储" in reply.answer


def test_citations_carry_the_whole_clause_and_units(mini_engine) -> None:
    reply = mini_engine.ask("哪个单位牵头规范末端网点管理？")
    first = reply.citations[0]
    assert first.section == "二、重点任务 > （三）规范末端网点管理"
    assert first.text.startswith("（三）规范末端网点管理。") and first.text.endswith("〕")
    assert first.lead_units == ["市邮政管理局"]
    assert len({c.chunk_id for c in reply.citations}) == len(reply.citations)


@pytest.mark.parametrize(
    ("question", "reason_word"),
    [
        ("沈阳市快递进村由哪个单位牵头", "沈阳"),
        ("2030年细颗粒物浓度目标是多少", "2030"),
        ("城镇职工养老保险缴费比例是多少", ""),
        ("测政办发〔2023〕99号是什么文件", "测政办发〔2023〕99号"),
        ("村级寄递物流综合服务站建设补贴多少钱", ""),
        ("PM10浓度要降到多少", "PM10"),
        ("碳达峰实施方案的文号是什么", ""),
    ],
)
def test_not_found_is_honest(mini_engine, question: str, reason_word: str) -> None:
    reply = mini_engine.ask(question)
    assert reply.found is False, reply.answer
    assert reply.answer.startswith("已收录的政府公报中没有找到")
    assert reason_word in reply.answer
    assert "最接近的文件" in reply.answer or not reply.citations


def test_follow_up_keeps_the_kind_and_the_document(mini_engine) -> None:
    first = mini_engine.ask("哪个单位牵头完善县乡村三级物流体系？", session_id="s-follow")
    assert "市邮政管理局牵头" in first.answer
    follow = mini_engine.ask("那冷链寄递呢？", session_id="s-follow")
    assert follow.found
    assert "市商务局牵头" in follow.answer
    assert follow.citations[0].doc_no == DELIVERY
    alone = mini_engine.ask("那冷链寄递呢？", session_id="s-other")
    assert alone.question.kind != "lead" or "市商务局牵头" not in alone.answer or alone.question.flags == frozenset()


@pytest.mark.parametrize("bad", ["", "   ", "\n\t", "问" * 501, "有\x00控制字符", "孤立\ud800代理", 42, None])
def test_bad_questions_are_refused_with_a_chinese_message(mini_engine, bad: object) -> None:
    with pytest.raises(BadQuestion) as caught:
        mini_engine.ask(bad)
    assert any("\u4e00" <= ch <= "\u9fff" for ch in caught.value.message)


def test_emoji_and_mixed_scripts_are_answered(mini_engine) -> None:
    reply = mini_engine.ask("🚚 快递 delivery：哪个单位牵头规范末端网点管理？")
    assert reply.found and "市邮政管理局" in reply.answer


def test_sessions_expire_and_stay_bounded() -> None:
    now = [0.0]
    store = SessionStore(ttl_seconds=10, max_sessions=3, clock=lambda: now[0])
    turn = Turn(question="q", kind="lead", meta_field=None, doc_id="d", subject="s")
    for n in range(5):
        store.put(f"s{n}", turn)
    assert len(store) == 3 and store.get("s0") is None and store.get("s4") == turn
    now[0] = 11.0
    assert store.get("s4") is None
