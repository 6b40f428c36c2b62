"""The seventh batch of real documents (tests/fixtures/cities7/, see SOURCES.md there): every document against the
human's reading in expected.json, and the general rules the batch needed, each on the lines that needed it."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from parse_helpers import (
    clause_text_problems,
    span_problems,
)

from qa_bot.parse import parse_file, parse_text
from qa_bot.text.units import parse_note

CITIES7 = Path(__file__).parent / "fixtures" / "cities7"
READING = {entry["file"]: entry for entry in json.loads((CITIES7 / "expected.json").read_text(encoding="utf-8"))}


@pytest.fixture(scope="module")
def parsed() -> dict[str, list]:
    return {p.name: parse_file(p) for p in sorted(CITIES7.glob("*.txt"))}


# --- text that lost its line breaks -----------------------------------------------------------------------------------


def test_one_line_copy_starting_at_the_addressees(parsed):
    """A copy printed on one line from its addressees on ("各县(市)、区人民政府,…: 《…》经市政府批准,现予印发,… 长春市
    人民政府办公厅 二〇〇九年九月十日 …规定 根据…"): no 文号 or title, yet one document, its parts found once the line
    is cut at its spaces — signature, date, the attached title and its items."""
    [document] = parsed["changchun-2009.txt"]
    assert (document.issuers, document.date) == (("长春市人民政府办公厅",), "2009-09-10")
    assert document.clauses[0].text.startswith("《长春市人民政府办公厅主要职责、内设机构和人员编制规定》经市政府批准")
    assert [c.text[:3] for c in document.clauses if c.kind == "item"] == [f"（{n}）" for n in "一二三四五六"]


def test_cited_name_broken_after_its_opening_mark(parsed):
    """A line ending in "《" goes on on the next line ("为贯彻落实《" / "遵义市政府信息公开规定》(遵府令第42号)……"):
    one sentence, one heading "一、认真贯彻落实《遵义市政府信息公开规定》", one item; never a clause "为贯彻落实《"."""
    [document] = parsed["zunyi-2006-91.txt"]
    assert document.clauses[0].text.startswith("为贯彻落实《遵义市政府信息公开规定》（遵府令第42号）和")
    assert [h.display for h in document.headings][0] == "一、认真贯彻落实《遵义市政府信息公开规定》"
    assert [c.text[:2] for c in document.clauses if c.kind == "item"] == ["1、", "2、", "3、"]
    assert not any(c.text.endswith("《") or c.text.startswith("遵义市政府") for c in document.clauses)


def test_chapters_of_a_document_on_one_line(parsed):
    """A whole 工作规则 on one line ("…现予印发。 淄博市人民政府 二○○八年七月十日 …规则 第一章 总则 第一条 …"): a
    chapter's number and its name are one heading, and its articles sit under it."""
    [document] = parsed["zibo-2008-41.txt"]
    assert [h.display for h in document.headings if h.rank == 1] == ["第一章 总则", "第二章 组成人员职责"]
    assert [c.section.split(" > ")[0] for c in document.clauses if c.kind == "item"] == ["第一章 总则"] * 2 + [
        "第二章 组成人员职责"
    ] * 4


def test_items_numbered_with_a_small_full_stop(parsed):
    """An item "1﹒全省生产总值增长7%以上" (the small full stop U+FE52) is numbered as "1." would be: five items under
    一、, each holding its target and its 牵头/协同责任单位 lines."""
    [document] = parsed["anhui.txt"]
    items = [c for c in document.clauses if c.kind == "item"]
    assert [c.text[:2] for c in items] == ["1.", "2.", "3.", "4.", "5."]
    assert items[0].section.startswith("一、确保完成全年主要预期目标 > 1.全省生产总值增长7%以上")


# --- a portal's field table ------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "rows",
    [
        # a row opening with the table's border, two fields to a row
        "| 发布机构:示例区人民政府 | 成文日期:2026-01-26 00:00:00 |\n"
        "| 名 称:{title} | |\n| 有 效 性:有效 | 文 号:{no} |",
        # labels the portal prints beside 文号 ("公开属性", "公开期限", "公开类型", "公开时限") are fields, not a title
        "名 称: | {title} | ||\n文 号: | {no} | 公开类型: | 主动公开 |\n公开属性: | 全部公开 | 公开期限: | 长期公开 |",
        "发布机构 | 示例区 | 发文字号 | {no} | ||\n公开时限 | 长期公开 | 主题词 | 示例 | ||\n名称 | {title} |",
        "文件标题: {title}\n文 号: {no}\n公开类型: 主动公开 公开期限: 长期公开",
        "文 号: {no}\n公开期限: 长期公开\n文件标题: {title}",
    ],
)
def test_field_table_names_the_document(rows):
    """A portal's field table above the addressees is no title: its 名称 (or 文件标题) row names the document, its 文号
    row numbers it."""
    title, no = "示例区人民政府关于印发2026年政府工作要点的通知", "示政发〔2026〕2号"
    text = rows.format(title=title, no=no) + "\n各镇人民政府:\n现将《2026年政府工作要点》印发你们。\n示例区人民政府\n"
    text += "2026年1月26日\n2026年政府工作要点\n一、主要预期目标\n地区生产总值增速5.8%以上。\n"
    [document] = parse_text(text, "x.txt")
    assert (document.title, document.doc_no) == (title, no)


def test_news_headline_and_lede_above_a_notice(parsed):
    """A news site's headline naming the plan ("长三角地区……攻坚行动方案"), its stamp ("来源:", "时间:", "热度:")
    and its lede ("……印发。全文如下:") stand above the notice: the document starts at its own title over the 主送
    line, which lists forty cities and four companies; the fourteen issuers signed two to a line are each an issuer."""
    [document] = parsed["changsanjiao-2020.txt"]
    assert document.title == "关于印发《长三角地区2020-2021年秋冬季大气污染综合治理攻坚行动方案》的通知"
    assert document.addressees.startswith("南京、无锡") and document.addressees.endswith("中国国家铁路集团有限公司")
    assert len(document.issuers) == 14 and document.issuers[-1] == "安徽省人民政府"
    assert document.clauses[0].text.startswith("现将《长三角地区2020-2021年秋冬季大气污染综合治理攻坚行动方案》印发")


def test_masthead_line_over_a_title_that_names_its_issuer():
    """Under the portal's fields ("文件标题:", "文 号:"), "浠水县人民政府" alone over "县人民政府关于印发……的通知" is
    the masthead: the title is the second line as printed, the masthead names the issuer."""
    [document] = parse_file(CITIES7 / "xishui-2017-1.txt")
    assert document.title == "县人民政府关于印发《浠水县人民政府工作规则》的通知"
    assert document.issuers == ("浠水县人民政府",)
    title = "县人民政府关于印发《示例县人民政府工作规则》的通知"
    text = f"文 号: 示政发〔2017〕1号 主题词:\n\n示例县人民政府\n\n{title}\n\n示政发〔2017〕1号\n\n各乡镇人民政府:\n"
    text += "《示例县人民政府工作规则》已经县政府常务会议审议通过，现予印发。\n示例县人民政府\n2017年1月24日\n"
    [rebuilt] = parse_text(text, "x.txt")
    assert (rebuilt.title, rebuilt.issuers) == (title, ("示例县人民政府",))


# --- responsibility notes ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("note", "lead", "responsible"),
    [
        ("（牵头部门：市发改局，配合部门：市级相关部门，各镇办）", ("市发改局",), ("市级相关部门", "各镇办")),
        (
            "（牵头部门：市招商局，配合部门：市发改局、工信局等，各镇办）",
            ("市招商局",),
            ("市发改局", "工信局", "各镇办"),
        ),
        ("（责任部门：市财政局）", (), ("市财政局",)),
    ],
)
def test_note_naming_departments(note, lead, responsible):
    """ "牵头部门:" and "配合部门:"/"责任部门:" say what "牵头单位:" and "配合单位:"/"责任单位:" say."""
    parsed_note = parse_note(note)
    assert (parsed_note.lead_units, parsed_note.responsible_units) == (lead, responsible)


@pytest.mark.parametrize("note", ["（责任部门：市财政局、市税务局）", "（配合部门：市财政局、市税务局）"])
def test_clause_closed_by_a_department_note(note):
    """A clause ending in "(责任部门:…)" or "(配合部门:…)" carries that note: its units are responsible."""
    text = f"示例市分工方案\n\n一、重点任务\n\n1.落实减税降费政策，全年新增减税5亿元。{note}\n"
    [document] = parse_text(text, "x.txt")
    assert document.clauses[-1].responsible_units == ("市财政局", "市税务局")


def test_lead_leader_line_under_a_short_item():
    """Under "1.地区生产总值增长5%以上。" the lines "牵头领导:…" (a post, no unit), "牵头单位:…" and "责任单位:…" are
    the item's note: one clause holds the target and its units."""
    text = "示例省2023年任务分工方案\n一、主要预期目标\n1.地区生产总值增长5%以上。\n牵头领导:省政府分管领导同志\n"
    text += "牵头单位:省发展改革委\n责任单位:省商务厅,各市人民政府\n2.一般公共预算收入增长5%左右。\n"
    text += "牵头领导:省政府分管领导同志\n牵头单位:省财政厅\n责任单位:省税务局\n"
    [document] = parse_text(text, "x.txt")
    first = next(c for c in document.clauses if "地区生产总值" in c.text)
    assert first.text.startswith("1.地区生产总值增长5%以上。")
    assert (first.lead_units, first.responsible_units) == (("省发展改革委",), ("省商务厅", "各市人民政府"))


# --- signatures and what a notice sends -------------------------------------------------------------------------------


def test_issuers_pushed_right_sign_a_notice_without_a_date(parsed):
    """Two ministries' names pushed far right by spaces under the notice, no date under them (the copy ends there),
    sign it: each an issuer, no clause; the notice, printing no title of its own, is known by the plan it sends — the
    《》 right before "现印发给你们", not the 《》 it implements earlier in the sentence."""
    [document] = parsed["zhujianbu-2016-284.txt"]
    assert document.issuers == ("中华人民共和国住房和城乡建设部", "中华人民共和国环境保护部")
    assert [c.kind for c in document.clauses] == ["notice"]
    assert document.display_title == "全国城市生态保护与建设规划（2015-2020年）"
    pushed = " " * 40
    text = "示建〔2016〕284号\n\n各省住房城乡建设厅:\n\n  为落实《全国生态保护规划》，我们编制了《全国城市绿地规划》，"
    text += f"现印发给你们，请遵照执行。\n\n\n{pushed}示例部\n{pushed}示例局\n"
    [rebuilt] = parse_text(text, "x.txt")
    assert (rebuilt.issuers, rebuilt.display_title) == (("示例部", "示例局"), "全国城市绿地规划")


# --- dates ------------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("note", "date"),
    [
        (
            "（2010年6月22日示例市人大常委会第十七次会议通过；2010年7月30日示例省人大常委会第十八次会议批准）",
            "2010-07-30",
        ),
        ("（2016年7月29日示例省人大常委会会议通过 根据2022年5月31日示例省人大常委会会议修正）", "2022-05-31"),
        ("（2019年3月1日示例市人大常委会第九次会议通过）", "2019-03-01"),
    ],
)
def test_law_dated_by_its_adoption_note(note, date):
    """A law a database prints with no signature, order or date field is dated by the note under its title: the last
    step it names (a province's 批准 of a city's 条例, an amendment)."""
    text = f"示例市循环经济促进条例\n\n示例省示例市人大常委会\n\n示例市循环经济促进条例\n\n{note}\n\n第一章 总则\n\n"
    text += "第一条 为了促进循环经济发展，制定本条例。\n\n第二条 本市行政区域内循环经济发展工作，适用本条例。\n"
    [document] = parse_text(text, "x.txt")
    assert document.date == date


# --- basis ------------------------------------------------------------------------------------------------------------


def test_order_number_of_a_cited_regulation_is_a_basis():
    """In "为贯彻落实《X规定》(遵府令第42号)" the order that made the rules is the basis the notice names."""
    text = "示例市人民政府办公室关于加强政务公开的通知\n(示府办发〔2006〕9号)\n各县人民政府:\n"
    text += "为贯彻落实《示例市政府信息公开规定》(示府令第42号)精神，现就有关事宜通知如下:\n"
    text += "一、提高认识\n要高度重视。\n"
    [document] = parse_text(text, "x.txt")
    assert [(b.title, b.doc_no) for b in document.basis] == [("示例市政府信息公开规定", "示府令第42号")]


# --- every document against the human's reading ---------------------------------------------------------------------


@pytest.mark.parametrize("name", sorted(READING))
def test_spans_cover_every_line_once(parsed, name):
    """Header and clause spans together are the document's text, none twice; each clause's text is its source."""
    text = (CITIES7 / name).read_text(encoding="utf-8")
    for document in parsed[name]:
        assert span_problems(text, document) == []
        assert clause_text_problems(text, document) == []


