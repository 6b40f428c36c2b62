"""The fourth batch of real documents (tests/fixtures/cities4/, see SOURCES.md there): every document against the
human's reading in expected.json, and the general rules the batch needed, each on the lines that needed it. The
table of every document's 文号, title, issuer, date and clause ids is tests/test_parse_cities.py."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from qa_bot.parse import parse_file, parse_text
from qa_bot.parse.corpus import parse_file_with_report
from qa_bot.parse.report import WARNING_TEXT
from qa_bot.text.normalize import compact
from qa_bot.text.patterns import parse_digits_date
from qa_bot.text.units import parse_note, split_units

CITIES4 = Path(__file__).parent / "fixtures" / "cities4"
READING = {entry["file"]: entry for entry in json.loads((CITIES4 / "expected.json").read_text(encoding="utf-8"))}


@pytest.fixture(scope="module")
def parsed() -> dict[str, list]:
    return {p.name: parse_file(p) for p in sorted(CITIES4.glob("*.txt"))}


def _clauses(document) -> dict[str, object]:
    return {c.chunk_id.split("/", 1)[1]: c for c in document.clauses}


def _clause_starting(document, start: str):
    [clause] = [c for c in document.clauses if compact(c.text).startswith(compact(start))]
    return clause


# --- every document against the human's reading ---------------------------------------------------------------------


# --- a text that prints neither 文号 nor title -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "first_clause"),
    [
        ("guandu-2016.txt", "0-p1"),  # starts at the preamble
        ("kaifeng-2020.txt", "notice-p1"),  # starts at the addressees
        ("hengyang-2021.txt", "notice-p1"),
    ],
)
def test_text_without_doc_no_or_title_is_one_document(parsed, name, first_clause):
    [document] = parsed[name]
    assert (document.doc_no, document.title, document.doc_id) == (None, "", f"{Path(name).stem}-1")
    assert document.clauses[0].chunk_id.endswith("/" + first_clause)


def test_numbered_first_line_is_no_title():
    """Only a clear title line names a text found by its first line: a heading starting it stays a heading."""
    [document] = parse_text("一、总体要求\n\n（一）做好示例工作，按期完成。\n", "x.txt")
    assert document.title == ""
    assert [h.title for h in document.headings] == ["总体要求", "做好示例工作，按期完成"]


def test_text_without_doc_no_or_title_is_reported_at_its_first_line():
    _, report = parse_file_with_report(CITIES4 / "kaifeng-2020.txt")
    assert [(w.code, w.line) for w in report.warnings] == [("no_doc_no", 1), ("no_title", 1), ("no_issuer", 1)]
    assert report.warnings[0].message == WARNING_TEXT["no_header"]


def test_document_that_lost_its_line_breaks_is_split_at_its_spaces(parsed):
    [document] = parsed["chengbu-2021-3.txt"]
    assert document.addressees == "各乡镇（场）、县直和省市驻城各单位"
    assert [h.title for h in document.headings] == ["总体要求"]
    assert _clauses(document)["notice-p1"].text.endswith("现印发给你们，请认真抓好贯彻落实。")


# --- 文号 and metadata -----------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "doc_no"), [("mouding-2017-46.txt", "牟政办发〔2017〕46号"), ("bozhou-2025-1.txt", "亳政办〔2025〕1号")]
)
def test_doc_no_that_lost_its_bracket_and_hao(parsed, name, doc_no):
    """Printed "牟政办发〔201746": the year has four digits, the rest is the serial."""
    [document] = parsed[name]
    assert document.doc_no == doc_no
    assert not any("〔2017" in c.text or "〔2025" in c.text for c in document.clauses)


@pytest.mark.parametrize("name", ["changshan-2023-58.txt", "bozhou-2025-1.txt"])
def test_metadata_printed_twice_is_one_document(parsed, name):
    """A portal prints the 文号 in its metadata block twice (and the page once more under the title): one document,
    nothing of the metadata in its clauses."""
    [document] = parsed[name]
    assert not any(c.text.startswith(("•", "索引号", "HCSD", "有效")) for c in document.clauses)


def test_portal_labels_of_other_sites(parsed):
    """发布单位, 信息索引号, 统一编号 (changshan), 发文单位 (jiayu) are metadata, never title or text."""
    [document] = parsed["changshan-2023-58.txt"]
    assert document.addressees == "各乡（镇）人民政府、街道办事处各有关部门"
    assert document.clauses[0].text.startswith("为进一步完善我县的基本养老服务体系建设")


def test_metadata_printed_as_a_table(parsed):
    """Rows such as "文 号: | 六盘水府办发〔2022〕10号 | 是否有效: | |": the 文号, and the 名称 as title (none is
    printed)."""
    [document] = parsed["liupanshui-2022-10.txt"]
    assert document.doc_no == "六盘水府办发〔2022〕10号"
    assert document.title == "市人民政府办公室关于印发六盘水市新型基础设施建设三年行动方案（2022—2024年）的通知"


# --- titles and issuers ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "starts"),
    [("jingan-2018.txt", "中共静安区委办公室"), ("xiaoshan.txt", "关于深入实施创新强区战略")],
)
def test_label_before_the_title_is_dropped(parsed, name, starts):
    """A quoted column label and a space ("“党政混合信息公开” 中共……"), a site's caption and a colon
    ("……奖励政策:关于")."""
    [document] = parsed[name]
    assert document.title.startswith(starts)


def test_issuers_separated_by_spaces_before_yinfa(parsed):
    [document] = parsed["jingan-2018.txt"]
    assert document.issuers == ("中共静安区委办公室", "静安区人民政府办公室")


@pytest.mark.parametrize(
    ("name", "issuers"),
    [
        ("yunnan-2013.txt", ("云南省财政厅", "云南省人力资源和社会保障厅")),
        ("putuo-2022.txt", ("中共上海市普陀区教育工作委员会", "上海市普陀区教育局")),
    ],
)
def test_issuers_signing_on_one_line(parsed, name, issuers):
    assert parsed[name][0].issuers == issuers


def test_issuer_named_by_its_level_takes_the_full_name(parsed):
    """The title's "县人民政府办公室" is the portal's 发文单位 "嘉鱼县人民政府办公室"; a name with its place stays."""
    assert parsed["jiayu-2024-1.txt"][0].issuers == ("嘉鱼县人民政府办公室",)
    assert parsed["suqian-2008-65.txt"][0].issuers == ("宿迁市人民政府",)


def test_leading_group_signs(parsed):
    [document] = parsed["chengbu-2021-3.txt"]
    assert document.issuers == ("中共城步苗族自治县委实施乡村振兴战略领导小组",)
    assert not any("领导小组" == c.text[-4:] for c in document.clauses)


def test_title_printed_again_over_lines_with_its_issuer(parsed):
    """The page's "亳州市人民政府办公室" / "关于印发……主要目标" / "任务分解的通知" under the portal's title: header, not
    text."""
    [document] = parsed["bozhou-2025-1.txt"]
    assert document.clauses[0].text.startswith("2025年《政府工作报告》已经市五届人大四次会议审议通过")


def test_addressees_broken_inside_a_name(parsed):
    [document] = parsed["suqian-2008-65.txt"]
    assert document.addressees == (
        "各县、区人民政府，宿迁经济开发区、市湖滨新城开发区、苏州宿迁工业园区，市各委、办、局，市各直属单位"
    )
    assert document.clauses[0].text.startswith("《宿迁市城乡医疗救助暂行办法》已经市政府")


def test_signer_printed_with_a_space(parsed):
    [document] = parsed["chongqing-2001-121.txt"]
    assert document.signers == ("市长",)
    assert [c.chunk_id.split("/", 1)[1] for c in document.clauses if c.kind == "notice"] == ["notice-p1"]


# --- signature, publicity and the attached title ---------------------------------------------------------------------


def test_publicity_between_issuer_and_a_date_that_lost_its_characters(parsed):
    """Signed "牟定县人民政府办公室" / "(此件公开发布)" / "{ 2017 6 23": the signature's date, whatever the portal's
    发文日期 says."""
    [document] = parsed["mouding-2017-46.txt"]
    assert (document.issuers, document.publicity, document.date) == (
        ("牟定县人民政府办公室",),
        "此件公开发布",
        "2017-06-23",
    )
    assert [c.chunk_id.split("/", 1)[1] for c in document.clauses if c.kind == "notice"] == ["notice-p1"]


@pytest.mark.parametrize(("printed", "date"), [("{ 2017 6 23", "2017-06-23"), ("2017 13 1", None)])
def test_date_with_spaces_for_its_characters(printed, date):
    assert parse_digits_date(printed) == date


def test_date_printed_twice(parsed):
    [document] = parsed["yuncheng-2017.txt"]
    assert document.plan_title == "运城市突发事件应急体系建设“十三五”规划责任分解"


def test_publicity_line_closes_a_notice_without_signature(parsed):
    [document] = parsed["liupanshui-2022-10.txt"]
    clauses = _clauses(document)
    assert clauses["notice-p1"].text.startswith("经市人民政府同意")
    assert document.publicity == "此件公开发布"
    assert clauses["0-p1"].text.startswith("为贯彻落实《省人民政府办公厅")


def test_attachment_label_is_not_the_attached_title(parsed):
    [document] = parsed["putuo-2022.txt"]
    assert document.plan_title.endswith("上海市普陀区教育人才队伍建设““十四五””专项规划")
    assert not any(c.text == "附件" for c in document.clauses)


def test_attached_title_named_by_a_title_without_guanyu(parsed):
    """A title "……办公室印发《X》的通知" names X; X printed over three lines at the start of the text is header."""
    [document] = parsed["jingan-2018.txt"]
    assert document.plan_title == "静安区全力打响“上海服务”品牌加快建设“国际静安”三年行动计划（2018—2020年）"
    assert document.clauses[0].text.startswith("为贯彻落实上海全力打响“四大品牌”的战略部署")


# --- responsibility notes ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("note", "lead", "responsible"),
    [
        ("（区国土分局牵头，区规划分局、区级相关部门配合）", ("区国土分局",), ("区规划分局", "区级相关部门")),
        (
            "（区发改局牵头，区财政局、区水务局等部门，区国投公司、各街道办事处配合）",
            ("区发改局",),
            ("区财政局", "区水务局", "区国投公司", "各街道办事处"),
        ),
        ("（市民政局、市财政局，市卫健委牵头）", ("市民政局", "市财政局", "市卫健委"), ()),
    ],
)
def test_lead_and_helping_units(note, lead, responsible):
    parsed_note = parse_note(note)
    assert (parsed_note.lead_units, parsed_note.responsible_units) == (lead, responsible)


def test_separator_inside_brackets_stays_in_the_name():
    assert split_units("市直各有关单位、各县（市、区）人民政府、各开发区管委会") == [
        "市直各有关单位",
        "各县（市、区）人民政府",
        "各开发区管委会",
    ]


def test_note_under_a_run_of_items_covers_the_run(parsed):
    """Items "（1）…（2）…（3）…（4）…" then "(责任单位:…)" on a line of its own: all four are the units' tasks."""
    [document] = parsed["yuncheng-2017.txt"]
    items = [c for c in document.clauses if c.kind == "item"]
    assert [c.chunk_id.split("/", 1)[1] for c in items] == ["1.1.1", "1.1.2", "1.1.3", "1.1.4"]
    assert {c.responsible_units for c in items} == {("市直各有关单位", "各县（市、区）人民政府", "各开发区管委会")}
    assert items[0].text.endswith("可操作性。")  # the note stays in the text of the item it is printed under
