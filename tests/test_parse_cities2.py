"""The general rules the second batch of real documents needed (tests/fixtures/cities2/, see SOURCES.md there), each
on the lines that needed it. Every document's 文号, title, issuer, date and clauses: tests/test_parse_cities.py."""

from __future__ import annotations

from pathlib import Path

import pytest
from parse_helpers import span_problems

from qa_bot.parse import parse_file, parse_text
from qa_bot.parse.formats import sniff_format
from qa_bot.text.patterns import parse_digits_date
from qa_bot.text.units import parse_note, split_units

CITIES2 = Path(__file__).parent / "fixtures" / "cities2"


@pytest.fixture(scope="module")
def parsed() -> dict[str, list]:
    return {p.name: parse_file(p) for p in sorted(CITIES2.glob("*.txt"))}


def _local_ids(document) -> list[str]:
    return [c.chunk_id.split("/", 1)[1] for c in document.clauses]


# --- the rules these layouts needed --------------------------------------------------------------------------------


def test_lead_and_responsible_lines_after_each_item(parsed):
    [document] = parsed["lishan-2023-2.txt"]
    notes = {c.chunk_id.split("/", 1)[1]: (c.lead_units, c.responsible_units) for c in document.clauses if c.lead_units}
    assert notes["1.1"] == (("区发改局",), ("立山经济开发区", "全区经济运行各专班"))
    assert notes["1.6"] == (("区发改局",), ("各街道", "各相关单位"))  # "各相关单位" is not cut down to "各"
    assert (
        document.addressees == "立山经济开发区，各街道办事处，各区直部门，各有关单位"
    )  # past the title run into the 文号


def test_a_note_says_who_and_by_when(parsed):
    [document] = parsed["guowuyuan-2020-6.txt"]
    [item] = [c for c in document.clauses if c.kind == "item"]
    assert (item.responsible_units, item.deadline) == (("国务院各部门",), "年内持续推进")


@pytest.mark.parametrize(
    ("note", "responsible", "deadline"),
    [
        ("（国务院各部门分别负责，年内持续推进）", ("国务院各部门",), "年内持续推进"),
        ("（2020年底前完成，市发展改革委负责）", ("市发展改革委",), "2020年底前完成"),
        ("（市财政局、各相关单位按职责分工负责）", ("市财政局", "各相关单位"), None),
    ],
)
def test_unlabelled_note_parts(note, responsible, deadline):
    parsed_note = parse_note(note)
    assert (parsed_note.responsible_units, parsed_note.deadline) == (responsible, deadline)


def test_trailing_generic_words_still_dropped():
    assert split_units("市财政局等相关单位、相关单位") == ["市财政局"]


def test_item_number_run_into_a_figure(parsed):
    """"2.50个小区……" after item 1. is item 2 about fifty estates, not a paragraph starting with the number 2.50."""
    [document] = parsed["baoshan-2022-1.txt"]
    items = [c for c in document.clauses if c.kind == "item"]
    assert [c.text[:8] for c in items] == ["1.既有多层住宅", "2.50个小区新", "3.开设40个小", "4.460个居村"]
    lone = parse_text("示例政发〔2022〕1号\n\n关于示例的通知\n\n各单位：\n\n2.50元的补贴标准不变。\n", "x.txt")[0]
    assert [c.kind for c in lone.clauses] == ["preamble"]  # no numbering runs on to it: it is a figure


def test_signature_date_without_its_characters(parsed):
    [document] = parsed["baoshan-2022-1.txt"]
    assert document.date == "2022-01-08"
    assert "202218" not in " ".join(c.text for c in document.clauses)  # the date line is header, not a clause


@pytest.mark.parametrize(
    ("printed", "known", "date"),
    [
        ("202218", "2022-01-08", "2022-01-08"),
        ("20220108", None, "2022-01-08"),
        ("202218", None, "2022-01-08"),  # the one split of "18" into a month and a day (cities8)
        ("202218", "2022-12-08", None),
    ],
)
def test_digits_date(printed, known, date):
    assert parse_digits_date(printed, known) == date


def test_next_article_starts_although_the_last_lacks_its_full_stop(parsed):
    """第四条 ends without "。" in the source; 第五条 (no space after it) still starts an article of its own."""
    [document] = parsed["shengzhu-238.txt"]
    articles = {c.chunk_id.split("/", 1)[1]: c.text for c in document.clauses if c.kind == "item"}
    assert articles["4"].endswith("结合本地实际情况制定")
    assert articles["5"].startswith("第五条定点屠宰厂（场）由市、县人民政府")
    assert articles["6"].startswith("第六条定点屠宰厂（场）的选址")
    assert document.signers == ("总理李鹏",)


def test_title_cut_short_above_the_doc_no(parsed):
    [document] = parsed["jinhua-2010-15.txt"]
    assert document.title == "关于印发金华市人民政府办理人大代表建议和政协提案工作规则的通知"
    assert not any(c.text.startswith("金华市人民政府办理人大代表") for c in document.clauses)


def test_qualifier_line_under_the_attached_title(parsed):
    [document] = parsed["tuanzhongyang-2005-13.txt"]
    assert document.plan_title.endswith("（试行）")
    assert _local_ids(document)[1] == "1.1"  # "(试 行)" is not a preamble paragraph


@pytest.mark.parametrize("name", ["baoshan-2022-1.txt", "jingxian-2023-1.txt", "ali-2021-42.txt"])
def test_portal_metadata_rows_are_header(parsed, name):
    """"• 体 裁: 通知", "- 公文种类 :其他", "索引号: … 组配分类: …" above the document belong to its header."""
    text = (CITIES2 / name).read_text(encoding="utf-8")
    [document] = parsed[name]
    assert document.span[0] == 0
    assert not any(("体裁" in c.text or "公文种类" in c.text or "索引号" in c.text) for c in document.clauses)
    assert span_problems(text, document) == []


def test_html_fragment_with_plain_lines_before_its_markup():
    data = (CITIES2 / "shanxi-2018-13.html").read_bytes()
    assert sniff_format(data) == "html"
    assert sniff_format("发文机关:示例\n正文里提到 <p> 一次。\n".encode()) == "text"
