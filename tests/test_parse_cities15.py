"""The fifteenth batch of real documents (tests/fixtures/cities15/, see SOURCES.md there): every document against the
human's reading in expected.json (tests/test_parse_readings.py), and the general rules the batch needed, each on
lines made up in the forms that needed it."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from parse_helpers import check_batch_file, parse_one

from qa_bot.parse import parse_file
from qa_bot.text.units import is_role_line, parse_note

CITIES15 = Path(__file__).parent / "fixtures" / "cities15"
READING = {entry["file"]: entry for entry in json.loads((CITIES15 / "expected.json").read_text(encoding="utf-8"))}


@pytest.fixture(scope="module")
def parsed() -> dict[str, list]:
    return {p.name: parse_file(p) for p in sorted(CITIES15.glob("*.txt"))}


@pytest.mark.parametrize("name", sorted(READING))
def test_one_document_a_file_its_spans_its_text(parsed, name):
    """Each file is the one document read in expected.json; header and clause spans together are its text as read,
    none twice."""
    [document] = parsed[name]
    check_batch_file(CITIES15, name, document)


# --- header ----------------------------------------------------------------------------------------------------------


def test_a_portal_list_entry_names_the_title_of_a_page_that_prints_none(tmp_path):
    """A portal prints its list entry over the page — title, date, 文号 and the first words run together — and then
    the 文号 alone: the title is the entry's words up to its date."""
    text = "● 示例市人民政府关于公布规范性文件清理结果的通知2023-12-27示政字〔2023〕13号各县区人民政府：为加强……\n"
    text += "示政字〔2023〕13号\n各县区人民政府，市政府各部门：\n为加强规范性文件管理，现将清理结果公布如下：\n"
    text += "一、继续有效的规范性文件6件。\n二、废止的规范性文件4件。\n"
    document = parse_one(tmp_path, text)
    assert document.doc_no == "示政字〔2023〕13号"
    assert document.title == "示例市人民政府关于公布规范性文件清理结果的通知"
    assert document.issuer == "示例市人民政府"
    assert [c.text for c in document.clauses][-1] == "二、废止的规范性文件4件。"


def test_a_full_title_under_the_pages_shortened_headline_is_the_title(tmp_path):
    """"示例政务公开工作要点" / "示例市2017年政务公开工作要点": the second line prints the headline's words in full; it
    is the title, and no clause."""
    text = "示例政务公开工作要点实施方案\n示例市2017年政务公开工作要点实施方案\n"
    text += "一、以政务公开助力稳增长\n"
    text += "围绕全市经济政策执行情况，及时宣传解读。\n"
    document = parse_one(tmp_path, text)
    assert document.title == "示例市2017年政务公开工作要点实施方案"
    assert all("工作要点实施方案" not in c.text for c in document.clauses)


def test_a_category_word_between_title_and_fields_is_no_part_of_the_title(tmp_path):
    """A policy site prints its category ("政策") between the title and the fields, one of which holds the 文号
    ("政策文号:…")."""
    text = "示例市人民政府办公室关于加快发展养老服务业的实施意见\n政策\n发布部门:市政府办公室\n"
    text += "发布时间:2015年12月11日\n政策文号:示政办发〔2015〕21号\n"
    text += "各区人民政府：\n为加快养老服务业发展，提出如下意见。\n"
    document = parse_one(tmp_path, text)
    assert document.doc_no == "示政办发〔2015〕21号"
    assert document.title == "示例市人民政府办公室关于加快发展养老服务业的实施意见"


# --- notes -----------------------------------------------------------------------------------------------------------


def test_items_run_together_on_one_line_split_after_their_notes(tmp_path):
    """"（一）……。（省发改委负责）（二）……" — a copy that lost the break between two items: each is a clause with its
    own note; a "（二）" inside a sentence stays text."""
    text = "示例省人民政府关于重点工作责任分工的意见\n\n一、主要目标\n\n"
    text += "（一）地区生产总值增长7%左右。（省发改委负责）（二）财政收入增长5%左右。（省财政厅主办，省税务局协办）\n"
    text += "（三）按本意见第（二）项的要求，做好收入统计。（省统计局负责）\n"
    document = parse_one(tmp_path, text)
    notes = [(c.text.split("。")[0], c.lead_units, c.responsible_units) for c in document.clauses]
    assert notes == [
        ("（一）地区生产总值增长7%左右", (), ("省发改委",)),
        ("（二）财政收入增长5%左右", ("省财政厅",), ("省税务局",)),
        ("（三）按本意见第（二）项的要求，做好收入统计", (), ("省统计局",)),
    ]


def test_the_unit_that_hosts_leads_and_those_that_assist_are_responsible():
    """主办 leads as 牵头 does; 协办 helps as 配合 does."""
    note = parse_note("（省发改委主办，省工信委、科技厅协办）")
    assert note.lead_units == ("省发改委",)
    assert note.responsible_units == ("省工信委", "科技厅")


def test_a_line_of_units_and_their_role_is_the_note_of_the_task_above(tmp_path):
    """A flattened table prints each task's 责任单位 cell as its own line ("市人社局牵头落实", "市金融办、人民银行示例市
    中心支行分别牵头落实"): the note of the task above it, also when the task's line was cut short; the next task is
    a clause of its own."""
    assert is_role_line("市金融办、人民银行示例市中心支行、示例银保监分局分别牵头落实")
    assert not is_role_line("各部门要加强统筹协调，市发改委牵头落实")
    assert not is_role_line("加强就业政策信息公开")
    text = "示例市2017年政务公开工作要点实施方案\n一、以政务公开助力稳增长\n（一）加强预期引导\n"
    text += "加强就业创业政策信息公开，深入解读政策背景。\n市人社局牵头落实\n"
    text += "加强金融政策信息公开，及时准确将政\n市金融办、人民银行示例市中心支行分别牵头落实\n"
    text += "加强财政政策信息公开，按月公开财政收支情况。\n市财政局牵头落实\n"
    document = parse_one(tmp_path, text)
    notes = [(c.text[:8], c.lead_units) for c in document.clauses]
    assert notes == [
        ("加强就业创业政策", ("市人社局",)),
        ("加强金融政策信息", ("市金融办", "人民银行示例市中心支行")),
        ("加强财政政策信息", ("市财政局",)),
    ]


def test_a_flattened_table_puts_each_cell_under_its_column(tmp_path):
    """"序号 / 重点工作 / 牵头责任单位 / 协同责任单位 / 任务来源" printed one cell to a line, a part's heading over its
    rows: the lead, the units that work with it and the source each stay in their column."""
    text = "示例市人民政府关于印发2022年重点工作及责任清单的通知\n\n各县区人民政府：\n\n现将清单印发给你们。\n\n"
    text += "示例市人民政府\n\n2022年3月4日\n\n2022年重点工作及责任清单\n\n序号\n\n重点工作\n\n牵头责任单位\n\n"
    text += "协同责任单位\n\n任务来源\n\n一、张三市长负责事项(共2项)\n\n"
    text += "1\n\n全面延伸招商引资，坚持顶格推进。\n\n市政府办\n\n"
    text += "市政府各部门、各直属机构\n\n示政〔2022〕9号文件\n\n2\n\n持续优化营商环境。\n\n"
    text += "市发改委\n\n市数据资源局\n\n"
    text += "示政〔2022〕9号文件\n"
    document = parse_one(tmp_path, text)
    rows = [c for c in document.clauses if c.kind == "table_row"]
    assert [(r.lead_units, r.responsible_units) for r in rows] == [
        (("市政府办",), ("市政府各部门", "各直属机构")),
        (("市发改委",), ("市数据资源局",)),
    ]
    assert rows[0].text.startswith("全面延伸招商引资")


def test_a_part_heading_under_a_grouped_tables_header_keeps_its_rows(tmp_path):
    """"领域 / 序号 / 重要项目 / 目标任务 / 主责部门" and then a part heading ("一、经济发展") over the rows: the
    heading groups them (it is no row's group cell, and the last column name stays a column), and every row is a clause
    under it."""
    text = "示例区人民政府关于印发区政府2019年重点工作目标的通知\n\n各街道办事处：\n\n现将目标印发给你们。\n\n"
    text += "示例区人民政府\n\n2019年2月3日\n\n示例区2019年重点工作目标\n\n领域\n\n序号\n\n重要项目\n\n"
    text += "目标任务和工作要求\n\n主责部门\n\n一、经济发展\n\n"
    text += "1\n\n稳增长\n\n实现一般公共预算收入增长4%，达到69.36亿元左右。\n\n"
    text += "区发展改革委\n\n2\n\n优环境\n\n深化营商环境改革。\n\n区商务委\n"
    document = parse_one(tmp_path, text)
    rows = [c for c in document.clauses if c.kind == "table_row"]
    assert [r.text.split("：")[0] for r in rows] == ["稳增长", "优环境"]
    assert all(r.section_path[0] == "一、经济发展" for r in rows)
    assert "69.36亿元" in rows[0].text and rows[0].table is not None
    assert dict(rows[0].table.cells)["主责部门"] == "区发展改革委"
