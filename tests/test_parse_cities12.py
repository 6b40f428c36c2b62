"""The twelfth batch of real documents (tests/fixtures/cities12/, see SOURCES.md there): every document against the
human's reading in expected.json (tests/test_parse_readings.py), and the general rules the batch needed, each on the
lines that needed it."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from parse_helpers import clause_text_problems, span_problems, without_non_text

from qa_bot.parse import parse_file, parse_text

CITIES12 = Path(__file__).parent / "fixtures" / "cities12"
READING = {entry["file"]: entry for entry in json.loads((CITIES12 / "expected.json").read_text(encoding="utf-8"))}


@pytest.fixture(scope="module")
def parsed() -> dict[str, list]:
    return {p.name: parse_file(p) for p in sorted(CITIES12.glob("*.txt"))}


@pytest.mark.parametrize("name", sorted(READING))
def test_one_document_a_file_its_spans_its_text(parsed, name):
    """Each file is the one document read in expected.json; header and clause spans together are its text, none
    twice, each clause's text its source (a portal's "展开" button is none)."""
    text = without_non_text((CITIES12 / name).read_text(encoding="utf-8"))
    [document] = parsed[name]
    assert span_problems(text, document) == []
    assert clause_text_problems(text, document) == []


# --- headers ---------------------------------------------------------------------------------------------------------


def test_doc_no_in_a_bulleted_field_list_with_its_unfold_button():
    """A portal's bulleted fields ("• 发文序号:示政办发〔2023〕1 号", "• 信息名称:…") then its "展开" button: the 文号
    is the field's, a space before 号 closed; the button is no text, so the line under it is the title."""
    title = "关于印发《2023年重点工作分工方案》的通知"
    text = "• 索引号:11N000/ZK-2023-000021\n  • 发文单位:县政府办\n  • 信息名称:" + title + "\n"
    text += "  • 发文序号:示政办发〔2023〕1 号\n  • 信息有效性:有效\n  • 成文日期:2023年3月3日\n\n展开\n\n"
    text += f"{title}\n\n  各镇人民政府,县政府各部门:\n\n  现将方案印发给你们,请认真贯彻执行。\n\n"
    text += "  示例县人民政府办公室\n\n  2023年3月3日 \n\n  2023年重点工作分工方案\n\n  一、主要预期目标\n"
    [document] = parse_text(text, "x.txt")
    assert (document.doc_no, document.title, document.date) == ("示政办发〔2023〕1号", title, "2023-03-03")
    assert document.issuer == "示例县人民政府办公室"


def test_field_block_one_label_then_one_value_to_a_line():
    """A portal's fields printed one label, then its value, to a line without colons ("索引号" / "0114/2023-06550" /
    "发文字号" / "示政发〔2023〕5号" / …): a field block; the title above it is the document's and names its issuer,
    whatever office the 发文单位 field names."""
    title = "示例区人民政府关于分解落实2023年工作目标任务的通知"
    fields = ["索引号", "011437144/2023-06550", "文件类型", "政府文件", "发文单位", "区人民政府办公室"]
    fields += ["发文字号", "示政发〔2023〕5号", "发布日期", "2023年02月13日 10:53:20", "效力状态", "有效"]
    text = f"{title}\n\n" + "\n".join(fields) + "\n\n\n各乡镇人民政府,区政府各部门:\n\n现将目标任务分解下达给你们。\n\n"
    text += "2023年1月30日\n"
    [document] = parse_text(text, "x.txt")
    assert (document.doc_no, document.title, document.issuer) == ("示政发〔2023〕5号", title, "示例区人民政府")
    assert document.date == "2023-01-30"


def test_a_labels_word_alone_in_a_text_is_no_field():
    """One "来源" line in a notice's text is no field block: it stays text."""
    text = "示例县人民政府关于做好统计工作的通知\n\n示政发〔2023〕2号\n\n各乡镇人民政府:\n\n"
    text += "一、数据要准确。\n\n来源\n\n"
    text += "二、报送要及时。\n\n示例县人民政府\n\n2023年2月1日\n"
    [document] = parse_text(text, "x.txt")
    assert any("来源" in c.text for c in document.clauses)


def test_title_over_three_lines_above_its_doc_no_issuer_and_guanyu_first():
    """A title printed over three lines above its 文号, the first its issuer and 关于 alone ("示例自治州人民政府关于" /
    "印发《……" / "……实施办法的通知"): all three are the title, under a portal's fields that say otherwise."""
    text = "  • 标      题:印发关于《条例》实施办法的通知\n  • 发文字号:\n  • 发文机关:州政府办公室\n\n"
    text += "示例自治州人民政府关于\n\n印发《示例省示例自治州\n\n自治条例》实施办法的通知\n\n示政发〔2013〕97号\n\n"
    text += "各县市人民政府:\n\n《实施办法》已经州政府常务会议讨论通过,现予印发。\n\n"
    text += "示例自治州人民政府\n\n2013年6月20日\n"
    [document] = parse_text(text, "x.txt")
    assert document.title == "示例自治州人民政府关于印发《示例省示例自治州自治条例》实施办法的通知"
    assert (document.doc_no, document.issuer) == ("示政发〔2013〕97号", "示例自治州人民政府")


def test_remark_over_a_two_line_title_is_no_part_of_it():
    """A remark over a title wrapped over two lines ("以正式发文为准") is no issuer with 关于: no part of the title."""
    text = "以正式发文为准\n\n关于印发《示例区“十四五”\n\n生态环境保护规划》的通知\n\n示政办发〔2022〕43号\n\n"
    text += "各镇政府:\n\n现予印发,请认真贯彻执行。\n\n示例区人民政府办公室\n\n2022年9月8日\n"
    [document] = parse_text(text, "x.txt")
    assert document.title == "关于印发《示例区“十四五”生态环境保护规划》的通知"


def test_title_broken_over_lines_under_its_issuer_without_doc_no():
    """No 文号; the issuer's line, then a title broken where a cited name ends ("关于印发2022年《政府工作报告》" /
    "重点任务责任落实分工的通知"): one title, the issuer's name its first words."""
    text = "示例旗人民政府办公室\n关于印发2022年《政府工作报告》\n重点任务责任落实分工的通知\n"
    text += "各苏木乡镇人民政府,旗政府各部门:\n经旗人民政府同意,现将分工印发给你们,请认真贯彻落实。\n2022年2月21日\n"
    [document] = parse_text(text, "x.txt")
    assert document.title == "示例旗人民政府办公室关于印发2022年《政府工作报告》重点任务责任落实分工的通知"
    assert (document.issuer, document.date) == ("示例旗人民政府办公室", "2022-02-21")


def test_whole_title_line_is_not_joined_to_the_line_under_it():
    """A title line that ends in its own type word ("……的通知") takes no line under it."""
    text = "示例县人民政府办公室\n关于做好防汛工作的通知\n各乡镇人民政府:\n请做好防汛工作。\n2022年6月1日\n"
    [document] = parse_text(text, "x.txt")
    assert document.title == "关于做好防汛工作的通知"


def test_order_number_in_brackets_of_its_own():
    """A government order's name over its number in brackets of its own ("示例省人民政府令" / "(第273号)"): one
    number, as "…令" / "第82号" is."""
    title = "示例省人民政府关于废止4件省政府规章的决定"
    text = f"{title}\n示例省人民政府令\n(第273号)\n《{title}》已经2025年10月27日省政府常务会议审议通过,现予公布。\n"
    text += f"省长 张三\n2025年11月6日\n{title}\n为推进法治政府建设,省政府对规章进行了清理。\n"
    [document] = parse_text(text, "x.txt")
    assert (document.doc_no, document.title, document.date) == ("示例省人民政府令第273号", title, "2025-11-06")


# --- responsibility notes --------------------------------------------------------------------------------------------


def _plan(*body: str) -> str:
    text = "示例区人民政府关于印发重点工作分工方案的通知\n\n示政发〔2023〕1号\n\n各镇人民政府:\n\n"
    text += "现将方案印发给你们,请认真贯彻执行。\n\n示例区人民政府\n\n2023年3月3日\n\n重点工作分工方案\n\n"
    return text + "\n\n".join(body) + "\n"


def test_main_responsible_unit_on_its_line_leads_and_a_cut_label_is_no_unit():
    """ "牵头领导:常务副区长" (a leader, no unit) then "主要责任单位:区发展改革委" on lines of their own under an item:
    the main responsible unit leads, as its column does in a task table; the copy ending inside the next label
    ("完成时" of 完成时限:) adds nothing to the unit's name."""
    text = _plan(
        "一、主要预期目标",
        "1.地区生产总值比上年增长4.5%以上。",
        "牵头领导:常务副区长",
        "主要责任单位:区发展改革委",
        "完成时",
    )
    [document] = parse_text(text, "x.txt")
    [item] = [c for c in document.clauses if c.text.startswith("1.")]
    assert (item.lead_units, item.responsible_units) == (("区发展改革委",), ())


def test_note_cut_short_by_the_copys_end():
    """A note whose end the copy lost ("(牵头单位:区审批局、区发展改革局;责任单位:区政"): its leads are read, the
    unit the cut fell in is unknown and left out; the note before it, whole, is read as ever."""
    text = _plan(
        "一、推进简政放权",
        "1.规范行政备案事项管理。(牵头单位:区政府办公室;责任单位:区司法局)",
        "2.深化投资审批制度改革。(牵头单位:区审批局、区发展改革局;责任单位:区政",
    )
    [document] = parse_text(text, "x.txt")
    first, second = (c for c in document.clauses if c.text[:2] in ("1.", "2."))
    assert (first.lead_units, first.responsible_units) == (("区政府办公室",), ("区司法局",))
    assert (second.lead_units, second.responsible_units) == (("区审批局", "区发展改革局"), ())


def test_note_cut_short_after_a_unit_with_brackets_of_its_own():
    """A cut note whose units carry their own brackets ("各县(区)人民政府") is read as far as its last whole name."""
    text = _plan(
        "一、促进就业",
        "(一)在稳增长中保就业。实现经济增长与扩大就业联动。〔牵头单位:市发展改革委;责任单位:市财政局,各县(区)人民政府、巴中",
    )
    [document] = parse_text(text, "x.txt")
    [item] = [c for c in document.clauses if "稳增长" in c.text]
    assert item.lead_units == ("市发展改革委",)
    assert item.responsible_units == ("市财政局", "各县（区）人民政府")


def test_table_one_cell_to_a_line_with_a_part_heading_over_its_first_row_cut_after_it():
    """A table printed one cell to a line ("序号" / "目  标  任  务" / "牵头单位" / "责任单位" / "责任人"), a part
    heading naming its leaders between the column names and the first row, the copy ending after that row's 牵头单位:
    the row is the table's, its lead the cell under 牵头单位; the heading stays a heading."""
    text = _plan(
        "附件",
        "重点工作目标任务落实责任分解表",
        *["序号", "目  标  任  务", "牵头单位", "责任单位", "责任人"],
        "一、主要经济社会发展指标(牵头领导:张三、李四)",
        *["1", "★地区生产总值增长15%。", "区发改局"],
    )
    [document] = parse_text(text, "x.txt")
    [row] = [c for c in document.clauses if c.table]
    assert row.text.startswith("★地区生产总值增长15%。")
    assert (row.lead_units, row.responsible_units) == (("区发改局",), ())
    assert [h.label for h in document.headings] == ["一、"]


def test_one_row_under_column_names_with_text_after_it_is_no_table():
    """Column names and one row with the text going on after it (no copy's end inside the table): no table."""
    text = _plan(
        *["序号", "任务", "牵头单位", "责任单位"],
        *["1", "完成年度目标任务。", "区发改局"],
        "二、工作要求",
        "各单位要加强协作,按时报送进展情况。",
    )
    [document] = parse_text(text, "x.txt")
    assert not [c for c in document.clauses if c.table]
