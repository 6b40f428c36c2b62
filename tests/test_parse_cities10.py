"""The tenth batch of real documents (tests/fixtures/cities10/, see SOURCES.md there): every document against the
human's reading in expected.json (tests/test_parse_readings.py), and the general rules the batch needed, each on the
lines that needed it."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from parse_helpers import clause_text_problems, span_problems

from qa_bot.parse import parse_file, parse_text
from qa_bot.parse.titles import looks_like_title

CITIES10 = Path(__file__).parent / "fixtures" / "cities10"
READING = {entry["file"]: entry for entry in json.loads((CITIES10 / "expected.json").read_text(encoding="utf-8"))}


@pytest.fixture(scope="module")
def parsed() -> dict[str, list]:
    return {p.name: parse_file(p) for p in sorted(CITIES10.glob("*.txt"))}


@pytest.mark.parametrize("name", sorted(READING))
def test_one_document_a_file_its_spans_its_text(parsed, name):
    """Each file is the one document read in expected.json; header and clause spans together are its text, none
    twice, each clause's text its source."""
    text = (CITIES10 / name).read_text(encoding="utf-8")
    [document] = parsed[name]
    assert span_problems(text, document) == []
    assert clause_text_problems(text, document) == []


# --- 文号 and basis --------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("line", "doc_no"),
    [("示安政发〔2019〕1 ", "示安政发〔2019〕1号"), ("工信厅规函[2018]56", "工信厅规函〔2018〕56号")],
)
def test_doc_no_line_that_lost_its_number_sign(line, doc_no):
    """A 文号 alone on its line whose 号 the web copy lost, its "〕" kept ("咸安政发〔2019〕1", "工信厅规函[2018]56"),
    is the document's 文号, restored."""
    text = f"示例区人民政府关于印发示例区实施方案的通知\n\n{line}\n\n各乡镇人民政府，区政府各部门：\n\n"
    text += "《示例区实施方案》已经区政府同意，现印发给你们。\n\n示例区人民政府\n\n2019年3月9日\n"
    [document] = parse_text(text, "x.txt")
    assert document.doc_no == doc_no


def test_basis_cited_by_its_doc_no_alone():
    """ "根据《A》(国办发〔201682号)第十四条……，以及国办督函〔201812号文件要求": the document named only by its
    文号 is a basis too, the 文号 restored and the connective before it no part of it."""
    text = "示例部办公厅关于组织申报的通知\n\n示厅规函〔2018〕56号\n\n各省工业和信息化主管部门：\n\n"
    text += "根据《国务院办公厅关于加大激励支持力度的通知》(国办发〔201682号)第十四条激励措施，以及国办督函〔201812号"
    text += "文件要求，我部今年将继续予以激励支持。\n\n示例部办公厅\n\n2018年2月7日\n"
    [document] = parse_text(text, "x.txt")
    assert [b.doc_no for b in document.basis] == ["国办发〔2016〕82号", "国办督函〔2018〕12号"]
    [document] = parse_text(text.replace("激励措施，以及", "激励措施以及"), "x.txt")  # no comma before the connective
    assert [b.doc_no for b in document.basis] == ["国办发〔2016〕82号", "国办督函〔2018〕12号"]


# --- titles ----------------------------------------------------------------------------------------------------------


def test_title_ending_in_its_trial_status():
    """ "关于加快第三产业发展的实施意见(试行)" is a title: a document type, then its status in brackets — so the
    issuer line and the title over a 文号 that lost its "〕" and "号" head the document."""
    assert looks_like_title("关于加快第三产业发展的实施意见(试行)")
    assert not looks_like_title("全面落实科学防控(试行)")
    text = "示例县人民政府\n\n关于加快第三产业发展的实施意见(试行)\n\n示政〔2012478\n\n"
    text += "各乡(镇)人民政府，县政府各部门：\n\n为进一步提升我县第三产业的质量和水平，提出如下实施意见：\n\n"
    text += "一、总体要求\n\n以科学发展观为统领，提升我县综合实力和竞争力。\n"
    [document] = parse_text(text, "x.txt")
    assert (document.doc_no, document.title, document.issuers) == (
        "示政〔2012〕478号",
        "关于加快第三产业发展的实施意见（试行）",
        ("示例县人民政府",),
    )


def test_portal_field_spaced_title_label():
    """A portal's field "标      题: ……的通知", its label spaced out, printed in the field block one to a line and
    again two to a line, is the page's field: the title is the one printed above the 文号, without the label."""
    title = "示例区人民政府关于印发示例区任务清单的通知"
    fields = f"发文机关: 示例区人民政府\n成文日期: 2021年12月02日\n标      题: {title}\n发文字号: 示政发〔2021〕29号\n"
    fields += f"发文机关: 示例区人民政府 成文日期: 2021年12月02日\n标      题: {title}\n"
    text = f"{fields}发文字号: 示政发〔2021〕29号 发布日期: 2021年12月10日\n\n{title}\n\n"
    text += "示政发〔2021〕29号\n\n各街道办事处：\n\n现将《示例区任务清单》印发给你们，请认真贯彻执行。\n\n"
    text += "示例区人民政府\n\n2021年12月2日\n"
    [document] = parse_text(text, "x.txt")
    assert document.title == title


def test_page_time_in_day_month_year_under_the_headline():
    """A headline, the page's time "06.05.2014  20:16", the title again over two lines, the addressees: the time is
    the page's stamp, the title printed again is no text of the notice, which starts with its first sentence."""
    text = "关于印发示例省应急预案(试行)的通知\n\n06.05.2014  20:16\n\n关于印发示例省应急预案\n\n(试行)的通知\n\n \n\n"
    text += "各市州卫生局：\n\n为有效应对疫情，省卫生厅、省教育厅联合制定了《示例省应急预案(试行)》，现印发给你们。\n\n"
    text += "示例省卫生厅                        示例省教育厅\n\n                                    二○○九年五月一日\n"
    [document] = parse_text(text, "x.txt")
    assert (document.issuers, document.date) == (("示例省卫生厅", "示例省教育厅"), "2009-05-01")
    assert [c.text[:7] for c in document.clauses] == ["为有效应对疫情"]


def test_empty_field_over_the_title_printed_again():
    """The page's last field printed empty ("  • 作者:") over the title printed again at the margin: the title is
    no value of the field, and printed again it is no text of the notice."""
    text = "关于《示例市河道管理条例(草案)》公开征求意见的公告\n\n  • 发布日期:2022-05-07 15:50:00  \n"
    text += "  • 文档来源:  \n  • 作者:\n\n关于《示例市河道管理条例(草案)》\n\n公开征求意见的公告\n\n"
    text += "示例市人大常委会对《示例市河道管理条例(草案)》进行了初次审议。现将该条例草案全文公布，征求意见。\n\n"
    text += "示例市人大常委会\n\n2022年5月6日\n"
    [document] = parse_text(text, "x.txt")
    assert [c.text[:5] for c in document.clauses] == ["示例市人大"]


# --- issuers ---------------------------------------------------------------------------------------------------------


def test_issuer_named_by_level_under_a_field_calling_the_government_zhengfu():
    """A title's issuer named by its level ("区人民政府办公室关于……") is the body the page's field names in full, a
    government written 政府 for short ("发布机构: 下陆区政府办公室")."""
    text = "索 引 号: 000014349/2020-105482 发布日期: 2020-06-28 发布机构: 示例区政府办公室\n"
    text += "区人民政府办公室 关于印发2020年区政府重点工作责任分解的通知\n"
    text += "区人民政府办公室\n关于印发2020年区政府重点工作责任分解的\n通 知\n各区政府各部门:\n"
    text += "《2020年区政府重点工作责任分解》已经区政府研究同意，现印发给你们。\n2020年6月28日\n"
    [document] = parse_text(text, "x.txt")
    assert document.issuers == ("示例区政府办公室",)


def test_masthead_naming_the_body_without_its_place():
    """A masthead "行政公署文件" over a title naming the body in full ("示例盟行政公署关于……的决定"): the issuer is
    the title's name."""
    text = "行政公署文件\n\n  示例盟行政公署关于表彰奖励\n\n  突出贡献者的决定\n\n  (示署发〔2019〕1号)\n\n"
    text += "各旗县市人民政府：\n\n  为表彰先进，经盟行署研究决定，授予张三称号。\n"
    [document] = parse_text(text, "x.txt")
    assert document.issuers == ("示例盟行政公署",)


def test_law_known_by_the_standing_committee_that_passed_it():
    """A 条例 with no signature, only its adoption note "(2025年7月30日示例省第十四届人民代表大会常务委员会第十七次
    会议通过)": the standing committee that passed it issued it, its term and session dropped."""
    text = "示例省机关运行保障条例\n示例省机关运行保障条例\n"
    text += "(2025年7月30日示例省第十四届人民代表大会常务委员会第十七次会议通过)\n第一章 总 则\n"
    text += "第一条 为了规范和加强机关运行保障工作，制定本条例。\n"
    [document] = parse_text(text, "x.txt")
    assert (document.issuers, document.date) == (("示例省人民代表大会常务委员会",), "2025-07-30")


# --- clauses ---------------------------------------------------------------------------------------------------------


def test_parenthesised_numeral_in_one_character(parsed):
    """ "㈠大力发展商贸业。……" numbers an item as "(一)" does: its heading is in the clause's section."""
    [document] = parsed["shaxian-2012-478.txt"]
    [clause] = [c for c in document.clauses if "商贸业统计" in c.text]
    assert clause.section.endswith("㈠大力发展商贸业")


def test_two_column_rows_stay_apart(parsed):
    """A list printed in two columns, a name and after a wide gap a post, one row to a line with blank lines
    between: each row is a clause of its own, so a member's post is found with that member alone."""
    [document] = parsed["xianning-2022-3.txt"]
    [clause] = [c for c in document.clauses if "刘仲华" in c.text]
    assert clause.text == "刘仲华中国工程院院士、湖南农业大学学术委员会主任、教授"


# --- gazette issues --------------------------------------------------------------------------------------------------


def test_gazette_issue_numbered_in_brackets_under_the_pages_fields():
    """The page's fields ("• 公报年份:2022", "• 期号:第2号"), then "示例市人民政府公报(2022年第2号)" over a title and
    its 文号: the gazette is that line, its issue 2022年第2号; no field is the gazette, no part of the title."""
    text = "• 主办单位:示例市人民政府\n  • 公报年份:2022\n  • 总号:67\n  • 期号:第2号\n"
    text += "  • 发布时间:2022-06-08 10:21:22\n\n示例市人民政府公报(2022年第2号)\n\n"
    text += "市人民政府关于聘任示例市人民政府咨询委员会委员的决定\n\n示政发〔2022〕3号\n\n各县、市、区人民政府：\n\n"
    text += "经市委、市人民政府同意，决定聘任王五等50名同志为咨询委员会委员。\n\n示例市人民政府\n\n2022年4月21日\n"
    [document] = parse_text(text, "x.txt")
    assert (document.gazette, document.issue) == ("示例市人民政府公报（2022年第2号）", "2022年第2号")
    assert document.title == "市人民政府关于聘任示例市人民政府咨询委员会委员的决定"


def test_gazette_issue_holding_several_issues(parsed):
    """ "兴安盟行政公署公报2019年1-3期(总第52期)": one printing of issues 1 to 3."""
    [document] = parsed["xingan-2019-1.txt"]
    assert document.issue == "2019年1-3期（总第52期）"
