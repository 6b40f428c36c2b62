"""The eighth batch of real documents (tests/fixtures/cities8/, see SOURCES.md there): every document against the
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
from qa_bot.text.patterns import parse_digits_date
from qa_bot.text.units import parse_note

CITIES8 = Path(__file__).parent / "fixtures" / "cities8"
READING = {entry["file"]: entry for entry in json.loads((CITIES8 / "expected.json").read_text(encoding="utf-8"))}


@pytest.fixture(scope="module")
def parsed() -> dict[str, list]:
    return {p.name: parse_file(p) for p in sorted(CITIES8.glob("*.txt"))}


# --- responsibility notes ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("note", "lead", "responsible"),
    [
        ("责任单位：市人力社保局、市农业农村局分别牵头", ("市人力社保局", "市农业农村局"), ()),
        ("责任单位：市教育局、市财政局共同牵头", ("市教育局", "市财政局"), ()),
        (
            "责任单位：市发改委、市经信局、市科技局（除标注“分别牵头”外，列第一位为牵头或汇总单位，下同）",
            ("市发改委",),
            ("市经信局", "市科技局"),
        ),
    ],
)
def test_note_naming_its_own_leads(note, lead, responsible):
    """A "责任单位:" list closed by "分别牵头" names leads; a remark that the first listed unit "为牵头或汇总单位",
    even after its exception ("除标注“分别牵头”外"), makes that unit the lead."""
    parsed_note = parse_note(note)
    assert (parsed_note.lead_units, parsed_note.responsible_units) == (lead, responsible)


def test_first_unit_leads_from_the_remark_on():
    """ "下同" carries the remark to the later lists: under "列第一位为牵头或汇总单位,下同" a later "责任单位:X、Y" line
    makes X the lead — an earlier one, above the remark, stays as printed."""
    text = "示例市重点工作责任分解\n\n一、主要预期目标\n\n1.生产总值增长6%以上。\n\n责任单位：市发改委、市统计局\n\n"
    text += "2.固定资产投资增长10%。\n\n"
    text += "责任单位：市发改委、市经信局（除标注“分别牵头”外，列第一位为牵头或汇总单位，下同）\n\n"
    text += "3.招引亿元以上项目100个。\n\n责任单位：市招商局、市发改委，各县（市、区）政府\n"
    [document] = parse_text(text, "x.txt")
    units = [(c.lead_units, c.responsible_units) for c in document.clauses if c.kind == "item"]
    assert units == [
        ((), ("市发改委", "市统计局")),
        (("市发改委",), ("市经信局",)),
        (("市招商局",), ("市发改委", "各县（市、区）政府")),
    ]


# --- signature dates that lost their marks ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("printed", "date"),
    [
        ("202091", "2020-09-01"),  # 年, 月 and 日 lost: one split of "91" only
        ("2018年210", "2018-02-10"),  # the 年 survived: 2月10日 (21月 is none)
        ("201911", "2019-01-01"),
        ("2019116", None),  # 1月16日 or 11月6日
    ],
)
def test_signature_date_without_its_marks(printed, date):
    assert parse_digits_date(printed) == date


@pytest.mark.parametrize(("printed", "date"), [("202091", "2020-09-01"), ("2018年210", "2018-02-10")])
def test_signed_notice_dated_by_digits(printed, date):
    """Under the issuer's name, a date that lost its marks still closes the notice and dates it; the signature, not
    the headline's "市政府", names the issuer."""
    text = "市政府关于下达2018年政府工作任务的通知\n\n发布时间:2018-02-11 15:41       来源:示例市人民政府\n\n"
    text += "各市、区人民政府:\n\n市政府将2018年政府工作任务分解为60项目标任务，请认真组织实施。\n\n"
    text += f"示例市人民政府\n\n{printed}\n\n附件1\n\n2018年示例市主要预期指标分解汇总表\n"
    [document] = parse_text(text, "x.txt")
    assert (document.issuers, document.date) == (("示例市人民政府",), date)


# --- government orders and law databases ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("head", "number", "doc_no"),
    [
        ("示 例 市 人 民 政 府 令", "〔2009〕第5号", "示例市人民政府令〔2009〕第5号"),  # spaced out, the year before it
        ("  •   示例市人民政府令", "第271号", "示例市人民政府令第271号"),  # on a gazette page's bullet
    ],
)
def test_order_name_over_its_number(head, number, doc_no):
    """An order's name alone on its line — spaced out, or on a portal's bullet — over its number numbers the
    document; the rules it promulgates, printed under the signature, title it when nothing above does; the
    government whose order it is issued it."""
    text = f"{head}\n\n{number}\n\n《示例市规范性文件制定办法》已经市政府常务会议讨论通过，现予以公布。\n\n"
    text += "市长 张三\n\n2009年12月21日\n\n示例市规范性文件制定办法\n\n第一条 为加强监督，制定本办法。\n\n"
    text += "第二条 本办法适用于本市。\n"
    [document] = parse_text(text, "x.txt")
    assert (document.doc_no, document.title, document.date) == (doc_no, "示例市规范性文件制定办法", "2009-12-21")
    assert document.issuers == ("示例市人民政府",)
    assert [c.text[:3] for c in document.clauses if c.kind == "item"] == ["第一条", "第二条"]


def test_order_named_in_the_note_after_the_vote(parsed):
    """ "(…会议讨论通过2013年10月27日石家庄人民政府令第184号发布自2013年12月1日起施行)": the order the note names
    numbers the rules and dates them by its own date; the title printed twice, one line under the other, is
    one title; the order's government, as printed, issued them."""
    [document] = parsed["shijiazhuang-184.txt"]
    assert (document.doc_no, document.date, document.in_force) == (
        "石家庄人民政府令第184号",
        "2013-10-27",
        "2013-12-01",
    )
    assert (document.title, document.issuers) == ("石家庄市大气污染防治管理办法", ("石家庄人民政府",))


def test_date_and_doc_no_on_one_line():
    """A law database's "2000年12月28日 税委会[2000]17号" line under the title numbers and dates the notice."""
    text = "示例委员会关于调整若干商品进出口关税税率的通知\n\n示例委员会\n\n\n"
    text += "示例委员会关于调整若干商品进出口关税税率的通知\n\n2000年12月28日 税委会[2000]17号\n\n海关总署:\n"
    text += "  经全体会议审议通过，决定自2001年1月1日起调整部分商品进出口关税税率。\n  一、调整情况\n"
    text += "  (一)调整3462个税目的税则税率。\n"
    [document] = parse_text(text, "x.txt")
    assert (document.doc_no, document.date) == ("税委会〔2000〕17号", "2000-12-28")
    assert (document.title, document.addressees) == ("示例委员会关于调整若干商品进出口关税税率的通知", "海关总署")


# --- portal pages ----------------------------------------------------------------------------------------------------


def test_headline_printing_the_doc_no_before_the_title(parsed):
    """A portal's headline "瑞政办(2011)129号 转发……的通知" above the page's own 文号 line is no title: the title is
    the one under the 文号, its masthead "瑞安市人民政府办公室" over a title broken in two naming the issuer; the
    notice that follows names what it acts on."""
    [document] = parsed["ruian-2011-129.txt"]
    assert document.title == "瑞安市人民政府办公室转发温州市推行说理性行政处罚文书指导意见及操作规范的通知"
    assert document.issuers == ("瑞安市人民政府办公室",)
    assert document.addressees == "市政府直属各单位"
    assert [b.doc_no for b in document.basis if b.doc_no] == ["国发〔2010〕33号", "温政办〔2011〕7号"]


def test_gazette_page_with_bullets_and_a_bracketed_date():
    """A gazette's web page: field bullets, the issuer on a bullet line, the title over two lines, "(2019年1月29日)"
    under it, then the 文号: the bracketed date dates the document (not the page's 成文日期), the bullet line is the
    issuer, the date no part of the title."""
    text = "示例市人民政府公报(2019年第3、4期)\n  • 总期刊数 总390期\n  • 成文日期 2019-02-28\n  •   示例市人民政府\n\n"
    text += "      关于2019年重点办好城乡建设和\n\n      改善人民生活方面10件实事的通知\n\n      (2019年1月29日)\n\n"
    text += "      示政发〔2019〕1号\n\n      各区、市人民政府:\n\n      市政府决定，重点办好10件实事。\n\n"
    text += (
        "      一、促进城乡就业创业\n\n      (一)实现城镇新增就业30万人。(责任单位:市人力资源社会保障局、市财政局)\n"
    )
    [document] = parse_text(text, "x.txt")
    assert (document.title, document.date) == (
        "关于2019年重点办好城乡建设和改善人民生活方面10件实事的通知",
        "2019-01-29",
    )
    assert document.issuers == ("示例市人民政府",)
    assert document.clauses[-1].responsible_units == ("市人力资源社会保障局", "市财政局")
    assert document.issue == "2019年第3、4期"  # a double issue


@pytest.mark.parametrize(
    ("top", "title", "doc_no", "issuer"),
    [
        # a headline right over the page's stamp, whose 信息来源 names a government
        (
            "市政府重点工作责任分解(2023年)\n时间:2023-07-11 17:01 浏览次数: 信息来源: 示例市政府\n",
            "市政府重点工作责任分解（2023年）",
            None,
            "示例市政府",
        ),
        # a headline holding the 文号 under nothing but the page's fields; the 发布机构 named by its level alone is
        # placed by the 来源 line
        (
            "• 索引号:6735597301/2021-1801120\n  • 发布机构:县人民政府办公室\n  • 公开范围:全部公开\n"
            "2021年县政府重点工作任务(示政发〔2021〕2号)\n来源:示例县政府   2021-03-23 10:56\n",
            "2021年县政府重点工作任务",
            "示政发〔2021〕2号",
            "示例县人民政府办公室",
        ),
        # a title naming its issuer by its level, placed by the page's "来自:" line
        (
            "市人民政府关于进一步优化营商环境的实施方案\n\n来自:示例市政府门户网站 时间:2018-11-22\n",
            "市人民政府关于进一步优化营商环境的实施方案",
            None,
            "示例市人民政府",
        ),
    ],
)
def test_portal_page_names_its_document(top, title, doc_no, issuer):
    """A portal page that prints no signature: its headline titles the document, its fields and its stamp's source
    say whose it is — but a page's time stamp is when the page went up, no date of the document."""
    text = top + "\n各乡镇人民政府、县直各单位:\n\n一、强化责任落实。各主要责任单位要切实履行主职主责。\n\n"
    text += "二、细化工作方案。于2021年3月15日前报督查室备案。\n"
    [document] = parse_text(text, "x.txt")
    assert (document.title, document.doc_no, document.issuers) == (title, doc_no, (issuer,))
    assert document.date is None


# --- headings that say more than their title ------------------------------------------------------------------------


def test_heading_line_with_targets_is_a_clause(parsed):
    """ "二、提升教育服务水平,开工建设幼儿园60所,……,实施幸福家庭教育辅导服务工程" heads its items and states targets
    the items below may not all repeat: the line is a clause of its own; a heading that is only a title is none."""
    [document] = parsed["qingdao-2019-1.txt"]
    headings = [c for c in document.clauses if c.section in ("一、促进城乡就业创业", "二、提升教育服务水平")]
    assert [c.text[:10] for c in headings] == ["一、促进城乡就业创业", "二、提升教育服务水平"]
    assert headings[1].text.endswith("实施幸福家庭教育辅导服务工程")
    [plan] = parsed["fujian-2021-56.txt"]
    assert "一、总体要求" not in [c.text for c in plan.clauses]


# --- tables printed one cell to a line -------------------------------------------------------------------------------


def test_table_printed_one_cell_to_a_line(parsed):
    """A portal's copy of a figures table, one cell to a line ("序号" / "指标名称" / "单位" / "苏州市" / … / "1" /
    "地区生产总值" / …): each row is a table row under the caption that names the table, each place's target beside
    its column's name."""
    [document] = parsed["suzhou-2018.txt"]
    rows = [c for c in document.clauses if c.kind == "table_row"]
    assert [r.section for r in rows] == ["2018年苏州市国民经济和社会发展主要预期指标分解汇总表"] * 2
    assert rows[0].text.startswith("地区生产总值：单位 增幅（%）；苏州市 7左右；张家港 7以上；")
    assert dict(rows[1].table.cells)["相城"] == "11.3"


def test_assignment_table_one_cell_to_a_line():
    """Its 牵头单位 and 责任单位 columns assign the row's task, as in a table printed with "|"; a row whose cells do not
    line up (a cell broken over two lines) ends the table and stays text."""
    text = "示例市人民政府关于下达2018年重点工作任务的通知\n\n各区人民政府:\n\n现将重点工作任务下达给你们。\n\n"
    text += "示例市人民政府\n\n2018年2月10日\n\n示例市重点工作任务分解表\n\n"
    text += "序号\n\n工作任务\n\n牵头单位\n\n责任单位\n\n"
    text += "1\n\n新建5G基站2600个\n\n市工信局\n\n市通信发展办\n\n"
    text += "2\n\n新建幼儿园60所\n\n市教育局\n\n市财政局、市住建局\n\n"
    text += "3\n\n新建标准化\n\n食堂100所\n\n市教育局\n\n市财政局\n"
    [document] = parse_text(text, "x.txt")
    rows = [c for c in document.clauses if c.kind == "table_row"]
    assert [(r.lead_units, r.responsible_units) for r in rows] == [
        (("市工信局",), ("市通信发展办",)),
        (("市教育局",), ("市财政局", "市住建局")),
    ]
    assert "食堂100所" in " ".join(c.text for c in document.clauses if c.kind != "table_row")


# --- every document against the human's reading ---------------------------------------------------------------------


@pytest.mark.parametrize("name", sorted(READING))
def test_spans_cover_every_line_once(parsed, name):
    """Header and clause spans together are the document's text, none twice; each clause's text is its source."""
    text = (CITIES8 / name).read_text(encoding="utf-8")
    for document in parsed[name]:
        assert span_problems(text, document) == []
        assert clause_text_problems(text, document) == []
