"""The fifth batch of real documents (tests/fixtures/cities5/, see SOURCES.md there): every document against the
human's reading in expected.json, and the general rules the batch needed, each on the lines that needed it."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from qa_bot.parse import parse_file, parse_text
from qa_bot.parse.basis import first_article_basis
from qa_bot.parse.corpus import parse_file_with_report
from qa_bot.text.patterns import parse_digits_date
from qa_bot.text.units import parse_note

CITIES5 = Path(__file__).parent / "fixtures" / "cities5"
READING = {entry["file"]: entry for entry in json.loads((CITIES5 / "expected.json").read_text(encoding="utf-8"))}


@pytest.fixture(scope="module")
def parsed() -> dict[str, list]:
    return {p.name: parse_file(p) for p in sorted(CITIES5.glob("*.txt"))}


def _local_ids(document) -> list[str]:
    return [c.chunk_id.split("/", 1)[1] for c in document.clauses]


# --- portal and database fields ---------------------------------------------------------------------------------------


def test_remark_field_carrying_the_doc_no(parsed):
    """The page's fields "• 备注/文号:安教〔2021〕171号", "• 公文生成日期:…" and "时间:2021-12-02 17:04": the 文号 is
    found, and neither the title nor the addressees hold a field."""
    [document] = parsed["anxi-2021-171.txt"]
    assert document.doc_no == "安教〔2021〕171号"
    assert document.title.startswith("安溪县教育局等七部门关于印发")
    assert document.addressees.startswith("各乡镇人民政府")


def test_portal_rows_with_other_labels(parsed):
    """Rows "公开责任部门 | … | 公开形式: | …" and "政策解读: |" with a line "|" under it are metadata: the title is the
    page's first line, not the field."""
    [document] = parsed["hanyin-2021-88.txt"]
    assert document.title == "汉阴县人民政府办公室关于印发《汉阴县过渡期统筹整合使用财政涉农资金管理办法》的通知"
    assert _local_ids(document)[0] == "notice-p1"


def test_law_database_fields(parsed):
    """A law database's "颁布日期:2001-6-3" dates the rules, "颁布单位:" names their issuer in full where the line under
    the title shortens it ("内蒙古自治区包头市人大常委会"), and "【题注】"/"【章名】" are field names, not text."""
    [document] = parsed["baotou-2001.txt"]
    assert (document.date, document.issuers) == ("2001-06-03", ("包头市人民代表大会常务委员会",))
    assert document.clauses[0].text.startswith("（2001年4月29日包头市第十一届人民代表大会第四次会议通过")
    assert document.clauses[1].section_path[0] == "第一章 总则"


# --- titles, numbers and dates ----------------------------------------------------------------------------------------


def test_issuer_printed_again_under_the_title_printed_again(parsed):
    """The lines "规定 / 贵州省人民政府 / 规定 / 贵州省人民政府" are header: the first clause is 第一条."""
    [document] = parsed["guizhou.txt"]
    assert document.issuers == ("贵州省人民政府",)
    assert _local_ids(document)[0] == "1"


def test_title_broken_after_its_issuer_without_guanyu(parsed):
    """A title "X印发……的通知" names its issuer: "兰州市人民政府办公厅" / "印发关于……的" / "实施意见的通知"."""
    assert parsed["lanzhou-2015-7.txt"][0].title.startswith("兰州市人民政府办公厅印发关于加快推进")


def test_notice_cut_short_before_the_attached_title(parsed):
    """The copy lost the notice after "已经" and its signature; the lines that spell the 《》 name it cites are the
    attached document's title, and its preamble starts after them."""
    [document] = parsed["lanzhou-2015-7.txt"]
    clauses = {c.chunk_id.split("/", 1)[1]: c for c in document.clauses}
    assert clauses["notice-p1"].text == "《关于加快推进全市第三产业跨越发展的实施意见》已经"
    assert document.plan_title == "关于加快推进全市第三产业跨越发展的实施意见"
    assert clauses["0-p1"].text.startswith("为进一步加快推进我市第三产业发展")


@pytest.mark.parametrize(
    ("printed", "known", "date"),
    [("2019610", None, "2019-06-10"), ("2019116", None, None), ("2019610", "2019-06-24", None)],
)
def test_seven_digit_date_read_only_one_way(printed, known, date):
    """The digits "2019610" are only 2019年6月10日 (61月 is none); "2019116" may be 1月16日 or 11月6日 and stays
    unread, as do digits a known date contradicts."""
    assert parse_digits_date(printed, known) == date


def test_attachment_label_with_a_colon_is_header(parsed):
    """A "附件:" line alone above the attached title after the signature is no clause, nor is the title under it."""
    [document] = parsed["quanzhou-2019.txt"]
    assert document.plan_title == "泉州市市级特色现代农业发展资金管理暂行规定"
    assert [c.chunk_id.split("/", 1)[1] for c in document.clauses if c.kind != "item"] == ["notice-p1", "notice-p2"]


def test_numbered_announcement_of_a_standing_committee(parsed):
    """The lines "深圳市人民代表大会常务委员会公告" / "第三十七号" number the 公告 that publishes the law, as
    "…令" / "第82号" number an order."""
    [document] = parsed["shenzhen-2001-37.txt"]
    assert document.doc_no == "深圳市人民代表大会常务委员会公告第37号"
    assert document.clauses[0].text.startswith("深圳市第三届人民代表大会常务委员会第十一次会议")


def test_basis_doc_no_that_lost_its_bracket(parsed):
    """The basis "国务院《……的通知》(国办发〔2018104号)": the basis document's 文号 is 国办发〔2018〕104号, as a 文号
    line "牟政办发〔201746" is 〔2017〕46号."""
    [basis] = parsed["xiamen-2019-10.txt"][0].basis
    assert (basis.issuer, basis.doc_no) == ("国务院", "国办发〔2018〕104号")


# --- addressees and what a notice sends ------------------------------------------------------------------------------


def test_addressees_without_their_colon(parsed):
    [document] = parsed["guangan-2020.txt"]
    assert document.addressees == "各街道办事处，区级各部门，官盛新区管委会"
    assert document.clauses[0].text.startswith("《广安市广安区城市精细化管理实施细则》已经")


def test_sentence_starting_with_ge_is_no_addressee_line():
    """A notice's first line that starts with 各 and lists things, but ends in no unit's name, stays text."""
    text = "关于示例工作的通知\n\n各单位要加强领导、压实责任、抓好落实\n\n示例县人民政府\n2023年5月1日\n"
    [document] = parse_text(text, "x.txt")
    assert document.addressees is None
    assert document.clauses[0].text == "各单位要加强领导、压实责任、抓好落实"


def test_caption_above_the_addressees(parsed):
    """A forum's caption over a notice that prints no title is header — reported, never the addressees' first words
    nor the title."""
    [document] = parsed["wuhan-2023.txt"]
    _, report = parse_file_with_report(CITIES5 / "wuhan-2023.txt")
    assert (document.title, document.addressees) == ("", "各区人民政府，市人民政府各部门，各有关单位")
    assert ("header_line", 1) in [(w.code, w.line) for w in report.warnings]
    assert document.clauses[0].text.startswith("《2023年市〈政府工作报告〉")


@pytest.mark.parametrize(
    ("name", "sent"),
    [
        ("dawa-2021.txt", "《政府工作报告》任务分解表"),  # its 附件 line
        ("wuhan-2023.txt", "2023年市〈政府工作报告〉目标任务责任分解方案"),  # "《X》已经市人民政府同意，现印发给你们"
    ],
)
def test_notice_without_title_known_by_what_it_sends(parsed, name, sent):
    assert parsed[name][0].display_title == sent


# --- responsibility notes ---------------------------------------------------------------------------------------------


def test_deadline_line_under_a_note_line(parsed):
    """The lines "责任单位:市建设局" / "时限要求:持续推进": both close the item above them, no clause of their own."""
    [document] = parsed["xiamen-2019-10.txt"]
    items = [c for c in document.clauses if c.kind == "item"]
    assert [c.deadline for c in items] == ["持续推进", "持续推进"]
    assert not any(c.text.startswith("时限要求") for c in document.clauses)


@pytest.mark.parametrize(
    ("note", "lead", "responsible"),
    [
        ("责任单位：市发改委、市财政局（第一责任单位为牵头单位，下同）", ("市发改委",), ("市财政局",)),
        ("责任单位：市发改委、市财政局", (), ("市发改委", "市财政局")),
    ],
)
def test_note_saying_its_first_unit_leads(note, lead, responsible):
    parsed_note = parse_note(note)
    assert (parsed_note.lead_units, parsed_note.responsible_units) == (lead, responsible)


def test_first_unit_leads_in_the_later_notes_too():
    """With "下同" a later "责任单位:市建设局、市交通局" names 市建设局 as its lead; without "下同" it would not."""
    body = (
        "（一）做好甲工作。\n责任单位：市发改委、市财政局（第一责任单位为牵头单位，下同）\n"
        "（二）做好乙工作。\n责任单位：市建设局、市交通局\n"
    )
    for onwards, lead in (("，下同", ("市建设局",)), ("", ())):
        text = "示例市关于做好示例工作的意见\n\n一、主要任务\n\n" + body.replace("，下同", onwards)
        [document] = parse_text(text, "x.txt")
        assert document.clauses[-1].lead_units == lead


# --- every document against the human's reading ---------------------------------------------------------------------


def test_a_document_without_preamble_names_its_basis_in_its_first_article(parsed):
    """Rules with no preamble say "根据《…》（广安府办发〔2020〕13号）…，制定本细则" in 第一条: that is their
    basis; a later article citing a law for one measure is not."""
    [rules] = parsed["guangan-2020.txt"]
    assert [b.doc_no for b in rules.basis] == ["广安府办发〔2020〕13号"]
    [notice] = parsed["anxi-2021-171.txt"]
    assert "泉教体〔2021〕5号" in [b.doc_no for b in notice.basis]  # a preamble's basis stays what it was
    assert first_article_basis(["第五条 按照《某省城市管理条例》规定，对违规者予以处罚。"], []) == ()


@pytest.mark.parametrize(
    ("file", "in_force", "expires"),
    [
        ("baotou-2001.txt", "2001-08-01", None),  # a law database's "实施日期:2001-8-1"
        ("taihu-2019.txt", "2019-01-23", "2020-01-23"),  # a portal's "生效时间: 2019-01-23" and "废止时间: 2020-01-23"
        ("shenzhen-2001-37.txt", "2002-01-01", None),  # the notice: "现予公布，自2002年1月1日起施行"
        ("lufeng-2024.txt", None, None),  # the copy ends before any article on when the rules take effect
    ],
)
def test_when_a_document_takes_effect_and_ceases_to(parsed, file: str, in_force: str | None, expires: str | None):
    [document] = parsed[file]
    assert (document.in_force, document.expires) == (in_force, expires)
    assert document.summary()["in_force"] == in_force
