"""The thirteenth batch of real documents (tests/fixtures/cities13/, see SOURCES.md there): every document against the
human's reading in expected.json (tests/test_parse_readings.py), and the general rules the batch needed, each on the
lines that needed it."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from parse_helpers import clause_text_problems, span_problems, without_non_text

from qa_bot.parse import parse_file, parse_text
from qa_bot.parse.reader import read_gazette
from qa_bot.text.normalize import traditional
from qa_bot.text.units import extract_responsibility, is_note_sentence, parse_note

CITIES13 = Path(__file__).parent / "fixtures" / "cities13"
READING = {entry["file"]: entry for entry in json.loads((CITIES13 / "expected.json").read_text(encoding="utf-8"))}


@pytest.fixture(scope="module")
def parsed() -> dict[str, list]:
    return {p.name: parse_file(p) for p in sorted(CITIES13.glob("*.txt"))}


@pytest.mark.parametrize("name", sorted(READING))
def test_one_document_a_file_its_spans_its_text(parsed, name):
    """Each file is the one document read in expected.json; header and clause spans together are its text as read
    (a traditional copy in simplified characters), none twice."""
    text = without_non_text(read_gazette(CITIES13 / name)[0])
    [document] = parsed[name]
    assert span_problems(text, document) == []
    assert clause_text_problems(text, document) == []


# --- reading ---------------------------------------------------------------------------------------------------------


def test_a_copy_in_traditional_characters_is_read_in_simplified_ones(tmp_path):
    """A mirror site's copy in traditional characters: its 文号 (…號), title and issuer are found, in the simplified
    characters users type; a simplified text is left as it is."""
    text = "示例市人民政府辦公室關于印發《2021年任務分解方案》的通知\n示政辦發〔2021〕1號\n\n"
    text += "各縣區人民政府，市政府各部門：\n\n"
    text += "現將《2021年任務分解方案》印發給你們，請認真貫徹執行。\n\n示例市人民政府辦公室\n2021年1月25日\n"
    path = tmp_path / "traditional.txt"
    path.write_text(text, encoding="utf-8")
    [document] = parse_file(path)
    assert document.doc_no == "示政办发〔2021〕1号"
    assert document.title == "示例市人民政府办公室关于印发《2021年任务分解方案》的通知"
    assert document.issuer == "示例市人民政府办公室"
    assert traditional(text) and not traditional(read_gazette(path)[0])
    assert not traditional("锦州市人民政府关于印发显著提升发展质量的通知")


def test_readings_printed_after_characters_are_no_text(tmp_path):
    """A copy that prints each hard character's reading after it ("發(fā)布", "鎮(zhèn)") is read without them; a
    bracketed abbreviation ("（PPP）") stays."""
    text = "示例县人民政府辦公室关于印發(fā)专业鎮(zhèn)发展方案的通知\n示政辦發(fā)〔2023〕14號\n\n"
    text += "各乡镇人民政府：\n\n"
    text += "推广政府和社会资本合作（PPP）模式。现印發(fā)给你们。\n\n示例县人民政府辦公室\n2023年9月1日\n"
    path = tmp_path / "pinyin.txt"
    path.write_text(text, encoding="utf-8")
    read = read_gazette(path)[0]
    assert "(fā)" not in read and ("（PPP）" in read or "(PPP)" in read)
    [document] = parse_file(path)
    assert document.doc_no == "示政办发〔2023〕14号"


# --- headers ---------------------------------------------------------------------------------------------------------


def test_an_attachment_line_is_no_title():
    """A notice without a title of its own lists what it forwards ("附件:1、省农业厅…《关于…的通知》"): that line
    names documents; it is not the notice's title."""
    text = "各镇政府、各街道办事处:\n省农业厅、省财政厅联合下发了《关于做好项目申报工作的通知》,现转发给你们。\n"
    text += "附件:1、省农业厅、省财政厅《关于做好项目申报工作的通知》\n示例县农业局 示例县财政局\n2018年6月22日\n"
    [document] = parse_text(text, "x.txt")
    assert not document.title.startswith("附件")


def test_a_forwarded_documents_issuers_stand_above_its_title():
    """The forwarded document prints its issuers on lines of their own above its title ("山东省农业厅" /
    "山东省财政厅" / "关于……" / "……的通知"): the title is the lines under them."""
    text = "各镇政府:\n现将《关于推进产业融合示范行动项目申报工作的通知》转发给你们,请认真组织申报。\n"
    text += "示例县农业局\n2018年6月22日\n示例省农业厅\n示例省财政厅\n关于推进产业融合示范行动\n项目申报工作的通知\n"
    text += "各市农业局:\n现将有关事项通知如下。\n一、总体要求\n"
    [document] = parse_text(text, "x.txt")
    assert document.display_title == "关于推进产业融合示范行动项目申报工作的通知"


def test_an_attached_title_the_copy_cut_is_named_by_the_notice():
    """The attached document's title printed under the signature, the copy cut inside it ("2021年国务院《政府工作报告》"
    of "…重点工作任务落实措施"): the notice's title names it whole."""
    title = "示例市人民政府办公室关于印发2021年国务院《政府工作报告》重点工作任务落实措施的通知"
    text = f"{title}\n\n示政办发〔2021〕16号\n\n各县区人民政府:\n\n《2021年国务院〈政府工作报告〉重点工作任务落实措施》"
    text += "已经市政府同意,现印发给你们。\n\n示例市人民政府办公室\n\n2021年6月7日\n\n2021年国务院《政府工作报告》\n"
    [document] = parse_text(text, "x.txt")
    assert document.display_title == "2021年国务院《政府工作报告》重点工作任务落实措施"


def test_a_portals_type_size_buttons_and_its_field_block_are_no_clause():
    """A law site's page: the title, the 文号, the type-size buttons ("字号 大号 标准 小号"), then a field block
    ("类 别:…", "颁发日期:…", "地 区:…", "行 业:…"): none of it is a clause; the notice's text is the first."""
    text = "示例市人民政府办公室关于做好统计工作的通知\n\n示政办发 [2021]16 号\n字号 大号 标准 小号\n\n"
    text += "类      别:其他经济法规\n文      号:示政办发 [2021]16 号\n颁发日期:2021-06-07\n地   区:辽宁\n"
    text += "行   业:全行业\n时效性:有效\n\n各县区人民政府:\n\n一、数据要准确。\n\n二、报送要及时。\n\n"
    text += "示例市人民政府办公室\n\n2021年6月7日\n"
    [document] = parse_text(text, "x.txt")
    assert document.doc_no == "示政办发〔2021〕16号"
    assert document.clauses[0].text.startswith("一、数据要准确"), document.clauses[0].text


def test_a_markdown_tables_rule_and_another_type_size_row_are_no_text():
    """A portal's fields copied as a Markdown table ("文 号 | 示政办〔2022〕1号 | …" / "---|---|---|---|") and a
    type-size row ("字体:【 默认 超大 |"): neither the rule nor the row is part of a title or an issuer."""
    text = "文 号 | 示政办〔2022〕1号 | 发文日期 | 2022-01-30 16:20 |\n---|---|---|---|\n"
    text += "发布机构 | 示例区人民政府办公室 | 有 效 性 | 有效 |\n字体:【 默认 超大 |\n"
    text += "区人民政府办公室关于印发2022年目标任务责任分解方案的通知\n各街道办事处:\n现将方案印发给你们。\n"
    [document] = parse_text(text, "x.txt")
    assert document.title == "区人民政府办公室关于印发2022年目标任务责任分解方案的通知"
    assert "---" not in (document.issuer or "")


def test_a_notice_without_title_or_signature_is_known_by_what_it_sends():
    """A copy that starts at its 文号 and ends before its signature: the document it sends is named in its opening
    ("现将《X》（以下简称《方案》）印发给你们" sends X, not its short name)."""
    text = "示政办字 〔2023〕1号\n各县区人民政府,市政府各部门:\n"
    text += "为深入贯彻落实 《国务院关于支持示例省发展的意见》(国发 〔2022〕18号),经市政府同意,"
    text += "现将 《示例市绿色低碳发展分工落实方案》(以下简称 《方案》)印发给你们,请认真贯彻实施。\n"
    text += "一、高度重视,认真研究政策。各县区要强化组织领导。\n"
    [document] = parse_text(text, "x.txt")
    assert document.display_title == "示例市绿色低碳发展分工落实方案"


# --- responsibility notes --------------------------------------------------------------------------------------------


def test_a_marked_unit_leads_and_the_last_units_role_words_are_no_name():
    """"责任单位 ▲发改局，各部门" (a table's mark for its lead); "…、省大数据中心按职责分工负责。具体任务…" (the role
    words after the last unit); "各开发区、镇（街道）" (one list under one 各)."""
    marked = parse_note("责任单位：▲发改局，各部门，各镇乡（街道）")
    assert marked.lead_units == ("发改局",) and marked.responsible_units == ("各部门", "各镇乡（街道）")
    note = parse_note("〔责任单位：省发展改革委、省大数据中心按职责分工负责。具体任务均涉及相关市（州），下同。〕")
    assert note.responsible_units == ("省发展改革委", "省大数据中心")
    each = parse_note("牵头单位：市财政局\n责任单位：各有关部门，各开发区、镇（街道）")
    assert each.responsible_units == ("各有关部门", "各开发区、镇（街道）")


def test_a_unit_that_leads_and_carries_out():
    """"(市经信委牵头落实)": 牵头落实 names the lead, as 牵头负责 does."""
    note = parse_note("(市经信委、市国土资源局牵头落实)")
    assert note.lead_units == ("市经信委", "市国土资源局") and note.responsible_units == ()


def test_a_cut_note_after_a_word_on_the_tasks_kind_with_a_remark_after_its_units():
    """"(预期性指标,牵头单位:市发改委;责任单位:市政府有关部门,各县市区,以下均需各县市区落实,不再逐": the note
    starts after the task's kind, the copy cut its end, and its remark ("以下均需…") names no unit."""
    text = "1.地区生产总值总量力争突破3000亿元,年均增长7%以上。"
    text += "(预期性指标,牵头单位:市发改委;责任单位:市政府有关部门,各县市区,以下均需各县市区落实,不再逐"
    note = extract_responsibility(text)
    assert note is not None
    assert note.lead_units == ("市发改委",) and note.responsible_units == ("市政府有关部门", "各县市区")
    assert is_note_sentence("(预期性指标,牵头单位:市发改委;") and not is_note_sentence("(一)强化组织领导。")
