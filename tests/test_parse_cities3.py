"""The general rules the third batch of real documents needed (tests/fixtures/cities3/, see SOURCES.md there), each
on the lines that needed it. Every document's 文号, title, issuer, date and clauses: tests/test_parse_cities.py."""

from __future__ import annotations

from pathlib import Path

import pytest

from qa_bot.errors import CorpusError
from qa_bot.parse import parse_file, parse_text
from qa_bot.parse.corpus import parse_file_with_report
from qa_bot.text.patterns import parse_date
from qa_bot.text.units import parse_note, split_units

CITIES3 = Path(__file__).parent / "fixtures" / "cities3"


@pytest.fixture(scope="module")
def parsed() -> dict[str, list]:
    return {p.name: parse_file(p) for p in sorted(CITIES3.glob("*.txt"))}


def _clauses(document) -> dict[str, object]:
    return {c.chunk_id.split("/", 1)[1]: c for c in document.clauses}


# --- a document that prints no 文号 ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "title"),
    [
        ("tiedaobu-1990.txt", "铁路货物集装化用具准运证管理办法"),  # title / issuer / title again / date
        ("huaian-2022.txt", "关于进一步帮助市场主体纾困解难着力稳定经济增长的具体实施细则"),  # 《title》 then text
        ("chuzhou-2020.txt", "滁州市人民政府关于2020年市政府重点工作及责任分解的通知"),  # 【column】title
    ],
)
def test_document_without_doc_no_is_found_by_its_title(parsed, name, title):
    [document] = parsed[name]
    assert (document.doc_no, document.title) == (None, title)
    assert document.doc_id == f"{Path(name).stem}-1"
    assert not any(c.text == title for c in document.clauses)  # the title printed again is header, not a clause


def test_missing_doc_no_is_reported_with_its_file():
    _, report = parse_file_with_report(CITIES3 / "chengdu-2024.txt")
    assert [(w.code, w.line) for w in report.warnings] == [("no_doc_no", 1), ("no_date", 1)]


@pytest.mark.parametrize(
    "text",
    [
        "这是一份说明，没有公文头。\n\n第二段也没有文号。\n",  # a sentence is no title
        "会议纪要\n\n今天开会。\n",  # a short line without a document type word
    ],
)
def test_text_without_doc_no_or_title_is_still_refused(text):
    with pytest.raises(CorpusError):
        parse_text(text, "notes.txt")


# --- 文号 forms -----------------------------------------------------------------------------------------------------


def test_doc_no_in_brackets_on_its_own_line(parsed):
    [document] = parsed["alashan-2007-22.txt"]
    assert (document.doc_no, document.doc_id) == ("阿署办发〔2007〕22号", "阿署办发-2007-22")


def test_doc_no_with_a_two_digit_year_before_the_issuer(parsed):
    """((78)交公路字412号): kept in its own form, with an id of its own."""
    [document] = parsed["jiaotongbu-1978-412.txt"]
    assert (document.doc_no, document.doc_id, document.year) == ("（78）交公路字412号", "交公路字-78-412", 1978)


def test_order_named_in_the_promulgation_note(parsed):
    """"(1991年3月26日济南市人民政府令19号发布)" under the title: the order's number and its date."""
    [document] = parsed["jinan-1991-19.txt"]
    assert (document.doc_no, document.date, document.issuers) == (
        "济南市人民政府令第19号",
        "1991-03-26",
        ("山东省济南市人民政府",),
    )
    assert _clauses(document)["1"].text.startswith("第一条为加强本市文化娱乐市场管理")


# --- titles and issuers ---------------------------------------------------------------------------------------------


def test_title_broken_after_its_issuer(parsed):
    """"济宁市人民政府" / "关于……的实施意见" with no blank line between is one title."""
    [document] = parsed["jining-2021-30.txt"]
    assert document.title == "济宁市人民政府关于持续深化“市县同权”改革的实施意见"
    assert document.issuers == ("济宁市人民政府",)


def test_issuer_line_apart_from_the_title_stays_apart():
    text = "示例市人民政府\n\n关于示例工作的通知\n\n示政发〔2022〕1号\n\n各单位：\n\n一、做好示例工作。\n"
    [document] = parse_text(text, "x.txt")
    assert document.title == "关于示例工作的通知"


def test_several_issuers_before_about(parsed):
    [document] = parsed["chengdu-2024.txt"]
    assert document.issuers == (
        "成都市发展和改革委员会",
        "中共成都市委社会工作部",
        "成都市规划和自然资源局",
        "成都市住房和城乡建设局",
    )


def test_complete_title_line_is_not_joined_to_the_line_above(parsed):
    """A document-sharing site prints the attached rules' name above the notice's own title."""
    [document] = parsed["alashan-2007-22.txt"]
    assert document.title == "阿拉善盟行政公署办公室关于印发阿拉善盟行政公署办公室公文处理实施细则及文种式样的通知"
    assert document.issuers == ("阿拉善盟行政公署办公室",)
    _, report = parse_file_with_report(CITIES3 / "alashan-2007-22.txt")
    assert report.warnings == []  # the line above is the attached title, read again after the signature


def test_attached_title_of_a_notice_that_issues_with_banfa(parsed):
    [document] = parsed["jiaotongbu-1978-412.txt"]
    assert document.plan_title == "公路工程标准设计管理办法（试行）"
    assert document.display_title == "公路工程标准设计管理办法（试行）"
    assert not any(c.text in ("公路工程标准设计管理办法", "（试行）") for c in document.clauses)


# --- dates ----------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("printed", "date"),
    [
        ("二OO六年二月二十日", "2006-02-20"),  # the letter O for 〇
        ("二○○七年六月五日", "2007-06-05"),
        ("二0一0年四月七日", "2010-04-07"),
        ("OOOO年二月二十日", "0000-02-20"),  # read as written; nothing guessed
    ],
)
def test_chinese_numeral_year_written_with_letters_or_digits(printed, date):
    assert parse_date(printed) == date


def test_date_and_issuer_on_one_line(parsed):
    """"1990年3月10日,铁道部" under the title: the date, and the issuer beside it."""
    [document] = parsed["tiedaobu-1990.txt"]
    assert (document.date, document.issuers) == ("1990-03-10", ("铁道部",))
    assert _clauses(document)["1"].text.startswith("第1条为了加强集装化运输质量管理")


# --- body ------------------------------------------------------------------------------------------------------------


def test_contents_list_in_the_body_is_no_clause(parsed):
    [document] = parsed["alashan-2007-22.txt"]
    assert [h.title for h in document.headings] == ["总则", "为使全盟行政机关公文处理工作规范化、制度化、科学化"]
    assert not any(c.text in ("目录", "第二章公文种类") for c in document.clauses)


def test_article_caption_takes_the_text_below_it(parsed):
    [document] = parsed["jiaotongbu-1978-412.txt"]
    article = _clauses(document)["2"]
    assert article.text == "第二条适用范围\n本办法只适用于全国通用的标准设计的编制和管理。"
    assert article.section == "第二条 适用范围"


def test_caption_above_numbered_items_keeps_them_apart(parsed):
    [document] = parsed["lincang-2006.txt"]
    clauses = _clauses(document)
    assert clauses["3"].text == "第三条运输企业、客运车辆的营运资质和条件"
    assert clauses["3.1"].text.startswith("（一）客运企业必须具备")


def test_half_width_full_stop_ends_a_notice_paragraph(parsed):
    [document] = parsed["jiaotongbu-1978-412.txt"]
    notice = [c.text for c in document.clauses if c.kind == "notice"]
    assert notice[0].endswith("定于一九七八年四月一日起试行。")
    assert notice[1].startswith("交通部公路规划设计院为公路工程标准设计的统一管理单位")


# --- responsibility notes ---------------------------------------------------------------------------------------------


def test_lead_unit_named_in_the_section_heading(parsed):
    """"一、强化科技创新(区科技局牵头)": every clause of the section is the lead unit's; the title is the words."""
    [document] = parsed["wucheng-2025.txt"]
    section = [c for c in document.clauses if c.section_path and c.section_path[0] == "一、强化科技创新"]
    assert [c.chunk_id.split("/", 1)[1] for c in section] == ["1-p1", "1.1"]
    assert all(c.lead_units == ("区科技局",) for c in section)
    assert not any(c.lead_units for c in document.clauses if not c.section_path)


def test_leader_lead_and_helper_lines_under_an_item(parsed):
    """牵头负责领导 names a person (kept in the text, no unit), 牵头责任单位 leads, 协同责任单位 helps."""
    [document] = parsed["chuzhou-2020.txt"]
    item = _clauses(document)["1.2"]
    assert item.text.startswith("2.财政收入增长8%左右。\n牵头负责领导：金力。")
    assert item.lead_units == ("市财政局",)
    assert item.responsible_units == (
        "市税务局",
        "滁州海关",
        "市人行",
        "滁州经开区管委会",
        "中新苏滁高新区管委会",
        "各县、市、区政府",
    )
    assert [h.title for h in document.headings][1] == "地区生产总值增长8%以上"


def test_labelled_note_value_ends_at_its_full_stop(parsed):
    [document] = parsed["huaian-2022.txt"]
    assert _clauses(document)["1.1"].responsible_units == ("市工信局", "市财政局", "各县区人民政府", "园区管委会")


@pytest.mark.parametrize(
    ("note", "lead", "responsible"),
    [
        ("牵头负责领导：金力。牵头责任单位：市发展改革委。协同责任单位：市经信局。", ("市发展改革委",), ("市经信局",)),
        ("（责任单位：市工信局、市财政局等有关部门。以下不再列出）", (), ("市工信局", "市财政局")),
        ("（牵头单位：市民政局；责任单位：各县、市、区人民政府）", ("市民政局",), ("各县、市、区人民政府",)),
    ],
)
def test_labelled_note_parts(note, lead, responsible):
    parsed_note = parse_note(note)
    assert (parsed_note.lead_units, parsed_note.responsible_units) == (lead, responsible)


def test_county_levels_list_is_one_unit_but_a_list_of_units_is_not():
    assert split_units("各县、市、区政府") == ["各县、市、区政府"]
    assert split_units("市财政局、市民政局") == ["市财政局", "市民政局"]
