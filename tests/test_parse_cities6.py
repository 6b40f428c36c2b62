"""The sixth batch of real documents (tests/fixtures/cities6/, see SOURCES.md there): every document against the
human's reading in expected.json, and the general rules the batch needed, each on the lines that needed it."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from qa_bot.parse import parse_file, parse_text
from qa_bot.parse.corpus import parse_file_with_report
from qa_bot.text.units import parse_note

CITIES6 = Path(__file__).parent / "fixtures" / "cities6"
READING = {entry["file"]: entry for entry in json.loads((CITIES6 / "expected.json").read_text(encoding="utf-8"))}


@pytest.fixture(scope="module")
def parsed() -> dict[str, list]:
    return {p.name: parse_file(p) for p in sorted(CITIES6.glob("*.txt"))}


def _local_ids(document) -> list[str]:
    return [c.chunk_id.split("/", 1)[1] for c in document.clauses]


# --- titles and issuers -----------------------------------------------------------------------------------------------


def test_title_starting_with_guanyu_names_no_issuer():
    """"关于印发《X市人民政府工作规则》的通知" holds a government's name inside its 《》: that is what it sends, not
    who sent it — the issuer comes from the page's 发布机构 field, or stays unknown."""
    text = "关于印发《示例市人民政府工作规则》的通知\n示例政发〔2017〕9号\n各县人民政府：\n现予印发。\n2017年8月28日\n"
    [document] = parse_text(text, "x.txt")
    assert document.issuers == ()
    with_field = text.replace("示例政发〔2017〕9号", "发布机构: 示例州政府 文    号: 示例政发〔2017〕9号")
    assert parse_text(with_field, "x.txt")[0].issuers == ("示例州政府",)


def test_law_database_fields_of_a_reprint_site():
    """"制定机关:" names the issuer and "公布日期:" dates the law, as "颁布单位:"/"颁布日期:" do; the site's
    "(最新版本全文)" after the title is no part of it."""
    [document] = parse_file(CITIES6 / "hainan-2022.txt")
    assert (document.title, document.issuers, document.date) == (
        "海南省生态保护红线管理规定",
        ("海南省人民代表大会常务委员会",),
        "2022-05-31",
    )
    assert document.in_force == "2022-05-31"  # "施行日期:2022-05-31"


@pytest.mark.parametrize(
    "stamp",
    ["2011-06-18 00:00:00 来源: 本站原创", "时间:2025-04-02 10:44 来源:市府办 浏览次数:"],
)
def test_publishing_stamp_with_its_source_under_the_title(stamp):
    """A page's stamp with its source and counter between the title and the 文号 is no title's part, nor the
    addressees."""
    text = f"关于印发《示例办法》的通知\n{stamp}\n\n示府〔2011〕33号\n\n"
    text += "各区人民政府:\n    现予印发。\n\n二○一一年四月八日\n"
    [document] = parse_text(text, "x.txt")
    assert (document.title, document.addressees) == ("关于印发《示例办法》的通知", "各区人民政府")


# --- text that lost its line breaks -----------------------------------------------------------------------------------


def test_articles_run_together_on_one_line(parsed):
    """A law whose copy holds all of it on one line ("…制定本规定。 第二条 本省…"): one clause an article, its
    second paragraph apart, the bracketed 通过/修正 note whole."""
    [document] = parsed["hainan-2022.txt"]
    ids = _local_ids(document)
    assert ids[1:] == ["1", "2", "2-p2", "3", "4", "5", "6", "6-p2"]
    assert document.clauses[0].text.startswith("（2016年7月29日") and document.clauses[0].text.endswith("修正）")
    assert document.clauses[2].text == "第二条本省行政区域内生态保护红线的划定和管理，适用本规定。"


# --- responsibility notes ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize("note", ["（由市科技局牵头）", "（由市科技局牵头实施）", "（市科技局牵头实施）"])
def test_heading_note_saying_who_leads(note):
    """"(由X牵头)", "(由X牵头实施)": X leads — the 由 is no part of its name."""
    assert parse_note(note).lead_units == ("市科技局",)


def test_item_note_under_a_heading_that_names_the_lead():
    """Under "一、科技创新政策(由市科技局牵头实施)" an item's "(责任单位:市科技局、市财政局)" names no lead of its own:
    the heading's unit leads, the others are responsible; without the heading's note nobody leads."""
    body = "1.鼓励创新。对高新技术企业给予奖励。(责任单位:市科技局、市财政局)\n"
    for heading, lead, responsible in (
        ("一、科技创新政策(由市科技局牵头实施)", ("市科技局",), ("市财政局",)),
        ("一、科技创新政策", (), ("市科技局", "市财政局")),
    ):
        text = f"示例市关于示例的若干政策\n\n{heading}\n\n{body}"
        [document] = parse_text(text, "x.txt")
        item = document.clauses[-1]
        assert (item.lead_units, item.responsible_units) == (lead, responsible)


# --- a PDF's text on a portal -----------------------------------------------------------------------------------------


def test_masthead_on_two_lines_and_page_number(parsed):
    """"新疆维吾尔自治区人民政府" / "文件" over the 文号 is the masthead naming the issuer; the page number "—1—"
    between the notice and the attached title is no part of the title."""
    [document] = parsed["xinjiang-2020-16.txt"]
    assert document.issuers == ("新疆维吾尔自治区人民政府",)
    assert document.plan_title == "新疆维吾尔自治区关于进一步做好稳就业工作的实施意见"
    assert not any("—1—" in c.text for c in document.clauses)


# --- numbers, dates and joint issuers ---------------------------------------------------------------------------------


def test_doc_no_and_date_in_one_bracketed_line(parsed):
    """"(哈厅字[2007]4号 2007年2月1日)" under the title is the document's 文号 and date; the addressees follow."""
    [document] = parsed["harbin-2007-4.txt"]
    assert (document.doc_no, document.date) == ("哈厅字〔2007〕4号", "2007-02-01")
    assert document.addressees.startswith("各区、县（市）党委和人民政府")
    assert document.clauses[0].text == "经市委、市政府领导同意，现就我市2007年春节期间活动安排通知如下："


def test_joint_issuers_joined_by_dunhao_in_the_title(parsed):
    """"中共X市委办公厅、X市人民政府办公厅关于……的通知" names two issuers."""
    assert parsed["harbin-2007-4.txt"][0].issuers == ("中共哈尔滨市委办公厅", "哈尔滨市人民政府办公厅")


def test_title_after_a_news_lede(parsed):
    """A news copy's lede and "详情如下:" above the title are no clause: the document starts at the title over the
    addressees, and the lede is reported as text of no document."""
    [document] = parsed["jiaxing-2025.txt"]
    _, report = parse_file_with_report(CITIES6 / "jiaxing-2025.txt")
    assert document.title == "嘉兴市人民政府关于印发嘉兴市推动经济高质量发展若干政策（2025年版）的通知"
    assert document.clauses[0].text.startswith("《嘉兴市推动经济高质量发展若干政策")
    assert ("orphan_text", 1) in [(w.code, w.line) for w in report.warnings]


def test_file_link_and_edition_line_of_a_portal_page(parsed):
    """The portal's link "建政函〔2025〕20号.pdf" between notice and signature is no clause; "(2025年版)" under an
    attached title that ends in no document-type word is part of that title."""
    [document] = parsed["jiande-2025-20.txt"]
    assert document.plan_title == "建德市关于推动经济高质量发展的若干政策（2025年版）"
    assert _local_ids(document)[:2] == ["notice-p1", "0-p1"]
    assert not any(".pdf" in c.text for c in document.clauses)


# --- basis ------------------------------------------------------------------------------------------------------------


def test_repealed_document_is_no_basis(parsed):
    """"2016年印发的《…》(齐政办发〔2016〕23号)同时废止" names the document this one replaces, not one it rests on."""
    assert parsed["qiqihar-2019-13.txt"][0].basis == ()
    text = "示例市关于示例的通知\n\n示政发〔2020〕1号\n\n各区：\n\n请认真贯彻执行《示例条例》（国发〔2019〕28号）。\n"
    assert [b.doc_no for b in parse_text(text, "x.txt")[0].basis] == ["国发〔2019〕28号"]


def test_table_of_contents_of_an_attached_plan(parsed):
    """A plan's own "目 录" and its entries ("1  总则", "1.1编制目的", …) are no clause; the text after them is."""
    [document] = parsed["qiqihar-2019-13.txt"]
    assert _local_ids(document) == ["notice-p1"]
    contents = "目 录\n1 总则\n1.1编制目的\n1.2编制依据\n2 组织体系\n"
    body = "1 总则\n1.1编制目的\n为提高应急处置能力，制定本预案。\n"
    notice = "各区：\n\n现印发给你们。\n\n示例市人民政府办公室\n2019年1月2日\n\n示例预案\n\n"
    text = "示例市人民政府办公室关于印发示例预案的通知\n\n" + notice + contents + body
    [rebuilt] = parse_text(text, "x.txt")
    assert not any("编制依据" in c.text for c in rebuilt.clauses)
    assert rebuilt.clauses[-1].text.endswith("为提高应急处置能力，制定本预案。")


# --- tables -----------------------------------------------------------------------------------------------------------


def test_table_printed_with_bars_and_its_unit_column(parsed):
    """A web copy's table "序号 | 具体工作任务和要求 | 责任领导 | 责任单位 | 落实情况 |": one clause a row, keyed by its
    task; its 责任单位 cell names the units (two, separated by a space), the 责任领导 cell a person, no unit."""
    [document] = parsed["jishui.txt"]
    rows = [c for c in document.clauses if c.kind == "table_row"]
    assert len(rows) == 3
    assert rows[0].text.startswith("推动义务教育基本均衡向优质均衡发展")
    assert dict(rows[0].table.cells)["落实情况"].startswith("吉水二中、城南二小均完成项目建设")
    assert [(r.lead_units, r.responsible_units) for r in rows[1:]] == [
        ((), ("县卫健委", "各相关乡镇政府")),
        ((), ("县教体局", "各相关乡镇政府")),
    ]


def test_lead_column_of_a_tab_separated_table():
    table = "序号\t任务\t牵头单位\t配合单位\n1\t建设学校\t县教体局\t县财政局、县自然资源局\n"
    text = "示例县分工方案\n\n一、重点任务\n\n" + table
    [document] = parse_text(text, "x.txt")
    [row] = [c for c in document.clauses if c.kind == "table_row"]
    assert (row.lead_units, row.responsible_units) == (("县教体局",), ("县财政局", "县自然资源局"))


# --- every document against the human's reading ---------------------------------------------------------------------


def test_notice_without_signature_known_by_its_attachment_line(parsed):
    """A notice the copy prints without title or signature, ending in "附件:2016年县政府重点工作任务分解表", is known by
    what it sends."""
    assert parsed["zhangjiachuan-2016.txt"][0].display_title == "2016年县政府重点工作任务分解表"


def test_signer_with_the_title_spaced_out(parsed):
    """"市 长 袁宝成" over the date of an order signs it: a signer, no clause of the notice."""
    [document] = parsed["dongguan-123.txt"]
    assert document.signers == ("市长 袁宝成",)
    assert _local_ids(document)[:2] == ["notice-p1", "1.1"]
