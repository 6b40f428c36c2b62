"""The eleventh batch of real documents (tests/fixtures/cities11/, see SOURCES.md there): every document against the
human's reading in expected.json (tests/test_parse_readings.py), and the general rules the batch needed, each on the
lines that needed it."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from parse_helpers import clause_text_problems, span_problems

from qa_bot.errors import CorpusError
from qa_bot.parse import parse_file, parse_text

CITIES11 = Path(__file__).parent / "fixtures" / "cities11"
READING = {entry["file"]: entry for entry in json.loads((CITIES11 / "expected.json").read_text(encoding="utf-8"))}


@pytest.fixture(scope="module")
def parsed() -> dict[str, list]:
    return {p.name: parse_file(p) for p in sorted(CITIES11.glob("*.txt"))}


@pytest.mark.parametrize("name", sorted(READING))
def test_one_document_a_file_its_spans_its_text(parsed, name):
    """Each file is the one document read in expected.json; header and clause spans together are its text, none
    twice, each clause's text its source."""
    text = (CITIES11 / name).read_text(encoding="utf-8")
    [document] = parsed[name]
    assert span_problems(text, document) == []
    assert clause_text_problems(text, document) == []


# --- responsibility notes --------------------------------------------------------------------------------------------


def test_cooperating_units_on_a_line_of_their_own():
    """ "牵头责任单位:X、Y" then "主要协作单位:Z、W" on a line of its own under an item: the co-operating units are
    responsible, never part of the last lead's name; an item without its full stop still takes the lines under it."""
    text = "示例县人民政府关于印发任务分解的通知\n\n示政发〔2021〕1号\n\n各乡镇人民政府：\n\n"
    text += "1.加快发展健康、养老、育幼、家政等服务业。\n\n牵头责任单位:县卫健委、县民政局\n\n"
    text += "主要协作单位:各乡镇人民政府、经济开发区管委会,县政府有关部门\n\n"
    text += "2.加强重大公共卫生安全风险源头防控\n\n牵头责任单位:县卫健委\n\n协作单位:各乡镇人民政府\n"
    [document] = parse_text(text, "x.txt")
    first, second = (c for c in document.clauses if c.text[:2] in ("1.", "2."))
    assert (first.lead_units, first.responsible_units) == (
        ("县卫健委", "县民政局"),
        ("各乡镇人民政府", "经济开发区管委会", "县政府有关部门"),
    )
    assert (second.lead_units, second.responsible_units) == (("县卫健委",), ("各乡镇人民政府",))


# --- headers ---------------------------------------------------------------------------------------------------------


def test_click_count_field_under_the_title():
    """A portal's fields under the title ("来源:信息公开办", "发布日期:2016-03-01", "点击数:人次") over the 文号 on a
    line of its own: "点击数" is a field as "点击" is, so the title above the fields is the document's."""
    title = "示例县人民政府办公室关于对2016年民生实事进行重点督办的通知"
    text = f"{title}\n来源:信息公开办\n发布日期:2016-03-01\n点击数:人次\n\n示府办〔2016〕20号\n\n"
    text += "各乡镇人民政府、街道办事处,县级各部门:\n\n    现将2016年“民生实事”目标任务分解下达。\n\n"
    text += "                               示例县人民政府办公室\n\n                    2016年2月26日   \n"
    [document] = parse_text(text, "x.txt")
    assert (document.doc_no, document.title, document.date) == ("示府办〔2016〕20号", title, "2016-02-26")


def test_file_holding_a_task_table_alone():
    """A page holding a department's task table alone, printed one cell to a line ("序号" / "指标" / "工作任务" / … /
    "1" / …), no 文号, title or addressees: one document without header, never "no header found"."""
    text = "序号\n指标\n工作任务\n完成时限\n责任单位\n1\n公共文化服务\n免费开放服务人次较上年增长15%。\n12月底前\n文化馆\n"
    text += "2\n文化产业\n培育规模以上文化服务企业1家。\n10月底前\n文化宣传股\n"
    [document] = parse_text(text, "x.txt")
    assert (document.doc_no, document.title, document.issuer) == (None, "", "")
    assert any("增长15%" in c.text for c in document.clauses)


def test_note_without_table_stays_refused():
    """ "序号" in a plain note is no table: a text without any header is still refused."""
    with pytest.raises(CorpusError):
        parse_text("序号\n这是一份说明，没有公文头。\n第二段也没有文号。\n", "x.txt")
