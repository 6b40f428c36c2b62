"""The ninth batch of real documents (tests/fixtures/cities9/, see SOURCES.md there): every document against the
human's reading in expected.json (tests/test_parse_readings.py), and the general rules the batch needed, each on the
lines that needed it."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from parse_helpers import clause_text_problems, span_problems

from qa_bot.parse import parse_file, parse_text
from qa_bot.parse.numbering import decimal_heading_lines, match_decimal_heading
from qa_bot.parse.titles import looks_like_title
from qa_bot.text.units import split_units

CITIES9 = Path(__file__).parent / "fixtures" / "cities9"
READING = {entry["file"]: entry for entry in json.loads((CITIES9 / "expected.json").read_text(encoding="utf-8"))}


@pytest.fixture(scope="module")
def parsed() -> dict[str, list]:
    return {p.name: parse_file(p) for p in sorted(CITIES9.glob("*.txt"))}


# --- what a notice acts on -------------------------------------------------------------------------------------------


def test_basis_an_upper_body_sent_with_a_doc_no_that_lost_its_bracket():
    """ "省府办公厅印发了《A》(粤办函2017〕259号)，要求各地……按照《B》(中办发2016〕8号)……要求": the notice carries out
    what the upper body sent and what that requires; each 文号 that lost its "〔" is read whole. The notice's own
    "……要求，印发了《X》" names no body before 印发了: X is what it sends, no basis."""
    text = "示例市人民政府办公室关于印发示例市政务公开工作要点分工方案的通知\n\n各区人民政府:\n\n"
    text += "  2017年4月28日，省府办公厅印发了《广东省政务公开工作要点分工方案》(粤办函2017〕259号)，要求各地认真"
    text += "贯彻，按照《关于全面推进政务公开工作的意见》(中办发2016〕8号)要求，全面推进政务公开工作。\n\n"
    text += "示例市人民政府办公室\n\n2017年6月9日\n"
    [document] = parse_text(text, "x.txt")
    assert [b.doc_no for b in document.basis] == ["粤办函〔2017〕259号", "中办发〔2016〕8号"]
    own = text.replace("省府办公厅印发了", "经研究，印发了")
    [document] = parse_text(own, "x.txt")
    assert [b.doc_no for b in document.basis] == ["中办发〔2016〕8号"]


# --- portal pages ----------------------------------------------------------------------------------------------------


def test_field_list_without_labels():
    """A portal prints its fields as bullets without labels ("• 005299478/2022-00137" / "• 示例市卫生健康委员会" /
    "• 应急" / "• 2022-08-10"): the values are the page's, the body is the issuer, and the plan under them — an 应急预案
    is a document type — is the document; a bare date may be when the page went up, so it dates nothing."""
    text = "• 005299478/2022-00137\n  • 示例市卫生健康委员会\n  • 应急\n  • 2022-08-10\n  • 2022-08-10\n"
    text += "示例市突发公共事件医疗卫生救援应急预案\n\n1 总则\n\n1.1 编制目的\n\n"
    text += "为提高全市医疗卫生应急反应能力，制定本预案。\n"
    [document] = parse_text(text, "x.txt")
    assert (document.title, document.issuers, document.date) == (
        "示例市突发公共事件医疗卫生救援应急预案",
        ("示例市卫生健康委员会",),
        None,
    )
    assert [c.text.endswith("制定本预案。") for c in document.clauses] == [True]


def test_headline_running_the_doc_no_into_the_title_over_a_masthead():
    """Fields ("成文时间:", "文件有效性:"), a headline "示府办函〔2020〕78号市人民政府办公厅关于……的通知", the masthead
    "示例市人民政府办公厅" over its rule, the 文号 again and the title under it: the title is the one under the
    文号, the masthead names the issuer the title calls by its level."""
    text = "文 号: 示府办函〔2020〕78号 发布机构: 市政府办公厅\n成文时间: 2020-09-15 发布时间: 2020-09-15 14:50\n"
    text += "文件有效性: 有效\n\n示府办函〔2020〕78号市人民政府办公厅关于印发示例市气象灾害应急预案的通知\n\n"
    text += "发布时间: 2020-09-15 14:50   浏览次数:0次   字体:[]\n\n\n示例市人民政府办公厅\n\n——————————\n\n"
    text += "示府办函〔2020〕78号\n\n市人民政府办公厅关于印发\n\n示例市气象灾害应急预案的通知\n\n\n"
    text += "各区、市、县人民政府:\n\n《示例市气象灾害应急预案》已经市政府研究同意，现印发给你们。\n\n"
    text += "                                         2020年9月15日\n\n(此件公开发布)\n\n示例市气象灾害应急预案\n\n"
    text += "1总则\n\n1.1编制目的\n\n为建立健全我市气象灾害应急响应机制，特制定本预案。\n"
    [document] = parse_text(text, "x.txt")
    assert (document.doc_no, document.title, document.issuers, document.date) == (
        "示府办函〔2020〕78号",
        "市人民政府办公厅关于印发示例市气象灾害应急预案的通知",
        ("示例市人民政府办公厅",),
        "2020-09-15",
    )


@pytest.mark.parametrize(
    ("line", "number"),
    [("1总则", (1,)), ("1 总则", (1,)), ("1.1编制目的", (1, 1)), ("1总则为了加强管理。", None), ("7左右", None)],
)
def test_chapter_number_run_into_its_title(line, number):
    """ "1总则" on its own line numbers a chapter as "1 总则" does; a bare number run into a sentence, or a figure and
    its bound ("7左右", a table's cell), numbers nothing."""
    match = match_decimal_heading(line)
    assert (match.number if match else None) == number


def test_chapter_run_into_its_title_over_its_first_section():
    """ "1总则" heads a chapter over "1.1编制目的"; "3项任务已完成" under "2 重点工作" is a count, no chapter."""
    assert decimal_heading_lines(["1总则", "1.1编制目的", "为建立健全应急响应机制。"]) == {0, 1}
    assert decimal_heading_lines(["1 总则", "1.1 编制目的", "2 重点工作", "3项任务已完成"]) == {0, 1, 2}


def test_gazette_issue_printed_without_its_year_mark(parsed):
    """A gazette issue's page "2022第5期(总第144期)" over its contents (titles and pages, no 文号) and its first notice:
    the notice is of issue 2022年第5期; the contents list no documents of its own."""
    [document] = parsed["haimen-2022-43.txt"]
    assert (document.doc_no, document.issue) == ("海政办发〔2022〕43号", "2022年第5期（总第144期）")


# --- government orders ----------------------------------------------------------------------------------------------


def test_order_number_without_the_orders_name():
    """A headline over the page's bulleted fields ("• 时间:2019-12-31", "• 点击:9"), then "第153号" alone over the
    sentence that promulgates the rules: that number is the document's; the title the order prints again under its
    signature, wrapped over two lines, is no text of the rules."""
    title = "示例省人民政府关于修改《示例省城市市容和环境卫生管理办法》等5件政府规章的决定"
    text = f"{title}\n  • 时间:2019-12-31\n  • 点击:9\n  • 来源:省政府办公厅\n\n第153号\n\n \n\n"
    text += f"  《{title}》已经2019年12月16日省政府第74次常务会议审议通过，本决定自公布之日起30日后实施。\n\n"
    text += " " * 60 + "省  长  张三  \n\n" + " " * 60 + "2019年12月23日\n\n \n\n"
    text += "示例省人民政府关于修改《示例省城市市容和\n\n环境卫生管理办法》等5件政府规章的决定\n\n \n\n"
    text += "  根据国家机构改革需要，现对《示例省城市市容和环境卫生管理办法》等5件政府规章作如下修改：\n\n"
    text += "  一、对《示例省城市市容和环境卫生管理办法》作出修改\n\n"
    text += "  1.将第二条修改为：“在本省城市内，一切单位和个人都应当遵守本办法。”\n"
    [document] = parse_text(text, "x.txt")
    assert (document.doc_no, document.title, document.issuers, document.date) == (
        "第153号",
        title,
        ("示例省人民政府",),
        "2019-12-23",
    )
    assert [c.text[:4] for c in document.clauses if c.kind != "notice"] == ["根据国家", "1.将第"]


def test_news_page_carrying_a_list():
    """A news page: a headline that is no document's title ("市长、副市长牵头!……"), the page's time and source lines, a
    lede, then the list's own title over its parts: the list is the document; the first government office the source
    line names issued it; the page's time dates nothing."""
    text = "市长、副市长牵头!示例市公布2025年政府工作报告目标任务分解\n\n时间:2025-02-07 10:04\n"
    text += "来源:示例市政府办公厅、示例政务\n\n2025年是“十四五”规划收官之年，做好今年工作意义重大。\n\n"
    text += "近日，示例市人民政府办公厅印发通知，公布《2025年政府工作报告目标任务分解清单》。一起来了解。\n\n\n"
    text += "2025年政府工作报告目标任务分解清单\n\n一、张三市长牵头重点工作\n\n1.一般公共预算收入增长2%。\n\n"
    text += "牵头单位:市财政局\n\n配合单位:市住建局、市自然资源规划局，各区(县、市)政府\n"
    [document] = parse_text(text, "x.txt")
    assert (document.title, document.issuers, document.date) == (
        "2025年政府工作报告目标任务分解清单",
        ("示例市政府办公厅",),
        None,
    )
    [item] = [c for c in document.clauses if c.kind == "item"]
    assert item.lead_units == ("市财政局",)


# --- tables printed with spaces between their cells -----------------------------------------------------------------


def test_task_table_with_spaces_between_its_cells():
    """A portal's task table printed with a space between its cells, a part heading between its header and its rows,
    a lead cell of two units broken over two lines: each row is a task whose "主要责任单位" leads and whose
    "协同配合单位" help, under the part heading and the table the document's title names; the page's 名称, 发布机构
    and 发文日期 fields say what, whose and when."""
    text = "名称: 示例区2025年政府工作报告重点工作任务分解表 文号:\n发布机构: 示例区政府(办公室) 主题分类: 综合政务\n"
    text += "发文日期: 2025-03-28 发布日期: 2025-03-28\n示例区2025年政府工作报告重点工作任务分解表\n"
    text += "发布时间:2025-03-28 16:00 信息来源:示例区委督查考核办 浏览次数: 字体:[ ]\n"
    text += "序号 重点工作任务 主要责任单位 协同配合单位\n一、2025年经济社会发展的主要预期目标\n"
    text += "1 地区生产总值增长6.5%左右。 区发改委 区政府各部门,各乡镇人民政府。\n"
    text += "2 一般公共预算收入增长5%左右。 区财政局\n区税务局\n区政府有关部门,各乡镇人民政府。\n"
    text += "3 社会消费品零售总额增长8.2%左右。 区商务局 区发改委、区市场监管局。\n"
    [document] = parse_text(text, "x.txt")
    assert (document.title, document.issuer, document.date) == (
        "示例区2025年政府工作报告重点工作任务分解表",
        "示例区政府（办公室）",
        "2025-03-28",
    )
    rows = [c for c in document.clauses if c.kind == "table_row"]
    assert [(r.text.split("：")[0], r.lead_units, r.responsible_units) for r in rows] == [
        ("地区生产总值增长6.5%左右。", ("区发改委",), ("区政府各部门", "各乡镇人民政府")),
        ("一般公共预算收入增长5%左右。", ("区财政局", "区税务局"), ("区政府有关部门", "各乡镇人民政府")),
        ("社会消费品零售总额增长8.2%左右。", ("区商务局",), ("区发改委", "区市场监管局")),
    ]
    # the document is the table: its title names the table, which prints no caption of its own
    part, table = "一、2025年经济社会发展的主要预期目标", "示例区2025年政府工作报告重点工作任务分解表"
    assert {r.section for r in rows} == {f"{part} > {table}"}


@pytest.mark.parametrize(
    ("line", "title"),
    [
        ("示例区2025年政府工作报告重点工作任务分解表", True),
        ("2025年政府工作报告目标任务分解清单", True),
        ("示例市突发公共事件医疗卫生救援应急预案", True),
        ("各位人大代表", False),  # 代表 is no table
    ],
)
def test_tables_lists_and_plans_are_titles(line, title):
    assert looks_like_title(line) is title


def test_text_after_a_spaced_table_stays_text():
    """A sentence right under the table's last row is no broken cell of it."""
    text = "示例区重点工作任务分解表\n\n序号 重点工作任务 主要责任单位 协同配合单位\n"
    text += "1 地区生产总值增长6.5%左右。 区发改委 区政府各部门。\n各单位要于2025年12月底前报送完成情况。\n"
    [document] = parse_text(text, "x.txt")
    assert [c.kind for c in document.clauses] == ["table_row", "preamble"]


# --- who leads -------------------------------------------------------------------------------------------------------


def test_part_heading_naming_who_leads_its_items():
    """ "一、县示范区管委会牵头工作(8项)" heads items that unit leads; "二、张三县长牵头重点工作" names a person, who
    is no unit: its items lead by their own notes only."""
    text = "2025年县政府工作报告任务清单\n\n一、县示范区管委会牵头工作(8项)\n"
    text += "1.投资3000万元建设南美白对虾工厂化循环水养殖基地。\n2.打造食用菌酵素生产基地。\n"
    text += "二、张三县长牵头重点工作\n1.一般公共预算收入增长2%。\n\n牵头单位:县财政局\n\n2.建设3个劳动密集型产业园。\n"
    [document] = parse_text(text, "x.txt")
    assert [(c.text[:6], c.lead_units) for c in document.clauses] == [
        ("1.投资30", ("县示范区管委会",)),
        ("2.打造食用", ("县示范区管委会",)),
        ("1.一般公共", ("县财政局",)),
        ("2.建设3个", ()),
    ]


@pytest.mark.parametrize(
    ("listed", "units"),
    [
        ("市住建局、市自然资源规划局等市级有关部门，宁波海关", ["市住建局", "市自然资源规划局", "宁波海关"]),
        ("市财政局等相关单位", ["市财政局"]),
    ],
)
def test_the_departments_a_list_ends_in_are_no_unit(listed, units):
    assert split_units(listed) == units


# --- every document against the human's reading ---------------------------------------------------------------------


@pytest.mark.parametrize("name", sorted(READING))
def test_spans_cover_every_line_once(parsed, name):
    """Header and clause spans together are the document's text, none twice; each clause's text is its source."""
    text = (CITIES9 / name).read_text(encoding="utf-8")
    for document in parsed[name]:
        assert span_problems(text, document) == []
        assert clause_text_problems(text, document) == []
