"""The quality gate on the real gazette: figures stay at or above eval/thresholds.json; a weaker system fails it."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from qa_bot.answer.engine import QaEngine
from qa_bot.errors import BadGoldFile
from qa_bot.evaluation import check_thresholds, load_gold, run_eval
from qa_bot.evaluation.run import answer_key, gives, is_reply
from qa_bot.retrieve import Retriever

REPO = Path(__file__).resolve().parents[1]
GOLD = REPO / "eval" / "gold.jsonl"
HELDOUT = REPO / "eval" / "heldout.jsonl"
THRESHOLDS = REPO / "eval" / "thresholds.json"


@pytest.mark.integration
def test_gold_set_meets_the_thresholds(real_engine: QaEngine) -> None:
    result = run_eval(real_engine, load_gold(GOLD, corpus_dir=REPO / "corpus"), gold_name="gold")
    failures = check_thresholds(result, THRESHOLDS)
    assert not failures, "\n".join(failures)


@pytest.mark.integration
def test_held_out_set_is_answered_as_well(real_engine: QaEngine) -> None:
    result = run_eval(real_engine, load_gold(HELDOUT, corpus_dir=REPO / "corpus"), gold_name="heldout")
    m = result.metrics()
    assert m["hit_at_5"] >= 0.95 and m["answer_accuracy"] >= 0.85 and m["refusal_accuracy"] >= 0.8, m


BLIND = REPO / "eval" / "blind"
BLIND_THRESHOLDS = json.loads((REPO / "eval" / "thresholds-blind.json").read_text(encoding="utf-8"))


@pytest.mark.integration
@pytest.mark.parametrize("name", sorted(BLIND_THRESHOLDS))
def test_blind_dev_halves_hold_their_figures(real_engine: QaEngine, name: str) -> None:
    """The blind sets' dev halves (the only halves tuned on) stay at or above the figures recorded in
    eval/thresholds-blind.json; the test halves are reported in the README, not gated."""
    result = run_eval(real_engine, load_gold(BLIND / f"{name}.jsonl", corpus_dir=REPO / "corpus"), gold_name=name)
    metrics = result.metrics()
    low = {k: (metrics[k], v) for k, v in BLIND_THRESHOLDS[name].items() if metrics[k] < v}
    assert not low, low


def test_an_expected_date_matches_a_reply_in_either_script() -> None:
    """A gold file may write a date as printed (二○○七年六月五日); the reply gives it in digits: one answer."""
    assert answer_key("二○○七年六月五日") in answer_key("成文日期：2007年6月5日。")
    assert answer_key("2007年6月5日") not in answer_key("成文日期：二○○七年六月十五日。")


def test_an_expected_month_and_day_is_found_in_the_full_date_of_a_reply() -> None:
    """A gold file asking the day a document was signed expects "12月29日"; the reply gives the whole date."""
    assert gives("成文日期是2022年12月29日，由某市人民政府印发。", "12月29日")
    assert gives("成文日期是2007年6月5日。", "二○○七年六月五日")
    assert not gives("成文日期是2022年12月19日。", "12月29日")


def test_evidence_and_answers_copied_from_a_traditional_copy_match_its_simplified_reading() -> None:
    """A gold file written from a copy in traditional characters, with the readings it prints after them ("確定的146項",
    "發(fā)布"), matches the clause and the reply as the parser reads them (simplified, without the readings)."""
    from qa_bot.text.normalize import evidence_in

    assert gives("方案确定了146项工作任务。", "146項")
    assert evidence_in("確定的146項工作任務", "并就抓好《方案》确定的146项工作任务落实通知如下")
    assert evidence_in("現(xiàn)印發(fā)給你們", "已经县人民政府同意，现印发给你们")
    assert not gives("方案确定了145项工作任务。", "146項")


def test_a_paste_of_the_cited_clause_is_no_reply_however_long_the_reply() -> None:
    """The scoring counts a reply that reproduces most of a long cited clause as a paste; a long reply of its own (a
    unit's tasks in three documents, with their 文号) is a reply even when it is longer than the clause."""
    clause = "。".join(f"第{n}句加强某项工作的组织领导并推进有关任务落实到位" for n in range(1, 8)) + "。"
    assert not is_reply(clause + "（《某方案》甲发〔2024〕1号）", clause)
    tasks = (f"《第{n}份文件的题目》（甲发〔2024〕{n}号）：某项任务" for n in range(1, 9))
    ledger = "市甲局在3份文件中有7项任务：" + "；".join(tasks)
    assert len(ledger) > len(clause) and is_reply(ledger, clause)


def test_foreign_gold_files_are_read_with_their_own_labels(tmp_path: Path) -> None:
    """Another team's labels, an empty doc_no and evidence written with other spacing and punctuation load."""
    rows = [
        {**GOOD, "id": "a", "type": "谁牵头"},
        {**GOOD, "id": "b", "type": "整期", "doc_no": "", "evidence": "市邮政管理局 牵头"},
        {**GOOD, "id": "c", "answerable": False, "type": "近似但无答案", "evidence": "", "answer_any": []},
    ]
    gold = load_gold(_write(tmp_path / "gold.jsonl", rows), corpus_dir=REPO / "corpus")
    assert [g.type for g in gold] == ["谁牵头", "整期", "近似但无答案"]
    assert gold[1].doc_no is None


@pytest.mark.integration
def test_gate_fails_on_a_deliberately_weakened_configuration(real_engine: QaEngine, tmp_path: Path) -> None:
    """Dense-only retrieval is measurably worse; the gate must say so and list the questions it newly misses."""
    weakened = QaEngine(real_engine.settings, real_engine.index, real_engine.embedder)
    weakened.retriever = Retriever(real_engine.index, real_engine.embedder, dense_weight=1.0)
    result = run_eval(weakened, load_gold(GOLD, corpus_dir=REPO / "corpus"))
    failures = check_thresholds(result, THRESHOLDS)
    assert any(line.startswith("质量门槛未达到：hit_at_1") for line in failures)
    assert any("新增未通过" in line for line in failures)


def _write(path: Path, rows: list[dict]) -> Path:
    path.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in rows) + "\n", encoding="utf-8")
    return path


GOOD = {
    "id": "x1",
    "question": "哪个单位牵头农村寄递物流体系建设？",
    "answerable": True,
    "doc_no": "锦政办发〔2022〕20号",
    "evidence": "市邮政管理局牵头",
    "answer_any": ["市邮政管理局"],
    "type": "lead",
}


@pytest.mark.parametrize(
    ("rows", "message"),
    [
        ([{**GOOD, "extra": 1}], "未知字段 extra"),
        ([GOOD, GOOD], "重复"),
        ([{**GOOD, "evidence": "这句话不在公报里出现"}], "evidence 在语料中找不到"),
        ([{**GOOD, "type": 3}], "type"),
        ([{k: v for k, v in GOOD.items() if k != "answer_any"}], "缺少字段 answer_any"),
        ([{**GOOD, "answerable": "yes"}], "answerable"),
    ],
)
def test_gold_files_are_validated_with_the_line(tmp_path: Path, rows: list[dict], message: str) -> None:
    path = _write(tmp_path / "gold.jsonl", rows)
    with pytest.raises(BadGoldFile) as caught:
        load_gold(path, corpus_dir=REPO / "corpus")
    assert message in caught.value.message
    assert f"{path}:" in caught.value.message


def test_a_valid_gold_file_loads(tmp_path: Path) -> None:
    gold = load_gold(_write(tmp_path / "gold.jsonl", [GOOD]), corpus_dir=REPO / "corpus")
    assert [g.id for g in gold] == ["x1"]


def test_the_shipped_gold_sets_are_valid() -> None:
    gold = load_gold(GOLD, corpus_dir=REPO / "corpus")
    heldout = load_gold(HELDOUT, corpus_dir=REPO / "corpus")
    assert len(gold) >= 150 and len(heldout) >= 60
    assert {g.doc_no for g in gold if g.answerable} >= {d for d in {g.doc_no for g in heldout if g.answerable}}
    assert sum(not g.answerable for g in gold) >= 20
