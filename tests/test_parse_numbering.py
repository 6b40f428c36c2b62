"""Decimal section numbering as emergency plans print it ("1 总则" / "1.1 编制目的" / "1.1.1 …"), often after a
contents list of the same numbers: the real plans of tests/fixtures/cities4 and cities7, and the guards that keep
figures, years, dates and "1." items what they are."""

from __future__ import annotations

from pathlib import Path

import pytest
from parse_helpers import clause_text_problems, span_problems

from qa_bot.parse import parse_file, parse_text
from qa_bot.parse.model import Document
from qa_bot.text.normalize import normalize_text

FIXTURES = Path(__file__).parent / "fixtures"
DONGNING = FIXTURES / "cities7" / "dongning-2018.txt"
XINCHANG = FIXTURES / "cities7" / "xinchang-2010.txt"
MOUDING = FIXTURES / "cities4" / "mouding-2017-46.txt"

# A notice sending a plan, as the cities7 plans print it; the plan's body follows.
_NOTICE = (
    "示例市人民政府办公室关于印发示例市干旱灾害应急预案的通知\n\n各区人民政府:\n\n"
    "现将《示例市干旱灾害应急预案》印发给你们,请认真贯彻执行。\n\n示例市人民政府办公室\n\n2019年1月2日\n\n"
    "示例市干旱灾害应急预案\n\n"
)


def _plan(*body: str) -> Document:
    [document] = parse_text(_NOTICE + "\n\n".join(body) + "\n", "plan.txt")
    return document


def _local_ids(document: Document) -> list[str]:
    return [c.chunk_id.split("/", 1)[1] for c in document.clauses]


# --- the real plans ---------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("path", [DONGNING, MOUDING], ids=["dongning", "mouding"])
def test_contents_without_a_heading_line_is_no_clause(path):
    """The contents list printed without "目 录" ("1 总则" / "1.1 编制目的" / … / "9 名词术语", or mouding's with some
    chapter numbers lost: "总则" / "1.1 编制目的" / … / "8  附则") stands before the same numbers printed again with
    their text: it is front matter, and the first clause of the plan is its section 1.1 with its purpose."""
    [document] = parse_file(path)
    assert _local_ids(document) == ["notice-p1", "1.1"]
    assert not any("编制依据" in c.text or "附则" in c.text for c in document.clauses)
    assert span_problems(path.read_text(encoding="utf-8"), document) == []


def test_section_holds_the_text_below_its_title():
    """"1.1 编制目的" over its paragraph: one clause "1.1" in the section "1 总则 > 1.1 编制目的" holding the purpose
    sentence, so a question about 编制目的 finds the section's words and its text together."""
    [document] = parse_file(DONGNING)
    [purpose] = [c for c in document.clauses if c.chunk_id.endswith("/1.1")]
    assert purpose.section_path == ("1 总则", "1.1 编制目的")
    assert purpose.text.startswith("1.1编制目的\n做好干旱灾害突发事件防范与处置工作")
    assert purpose.text.endswith("保障经济社会全面、协调、可持续发展。")
    assert [(h.section_id, h.display, h.depth) for h in document.headings] == [
        ("1", "1 总则", 1),
        ("1.1", "1.1 编制目的", 2),
    ]


def test_each_section_heading_apart_from_the_next():
    """xinchang prints each "1.x" title on its own line over its text, and "目 录" over the contents: every section is
    a clause of its own, numbered as printed, and the (1)/(2) items of "1.4 工作原则" sit under it."""
    [document] = parse_file(XINCHANG)
    assert _local_ids(document) == ["notice-p1", "1.1", "1.2", "1.3", "1.4.1", "1.4.2"]
    assert [c.section_path[-1] for c in document.clauses[1:4]] == ["1.1 编制目的", "1.2 编制依据", "1.3 适用范围"]
    assert document.clauses[3].text == "1.3适用范围\n本预案适用于在我县发生的森林火灾应急处置行动。"
    assert document.clauses[4].section_path[:2] == ("1 总则", "1.4 工作原则")
    assert document.headings[0].display == "1 总则"  # printed "1 总 则"
    assert clause_text_problems(XINCHANG.read_text(encoding="utf-8"), document) == []


def test_basis_named_in_the_section_on_it():
    """"1.2 编制依据" / "依据《中华人民共和国森林法》、……制定本预案。": the plan's basis, as "制定本办法" names a
    rule's."""
    [document] = parse_file(XINCHANG)
    assert [b.title for b in document.basis][:2] == ["中华人民共和国森林法", "森林防火条例"]


# --- the rule on small plans ------------------------------------------------------------------------------------------


def test_text_on_the_heading_line_after_its_title():
    document = _plan("1 总则", "1.1 编制目的 为提高干旱灾害应对能力，制定本预案。", "1.2 适用范围 本预案适用于全市。")
    assert _local_ids(document) == ["notice-p1", "1.1", "1.2"]
    assert [h.title for h in document.headings] == ["总则", "编制目的", "适用范围"]
    assert document.clauses[1].text == "1.1编制目的\n为提高干旱灾害应对能力，制定本预案。"


def test_section_number_run_into_its_title():
    """"1.1编制目的", "1.2Ⅰ级响应" (no space after the number, as qiqihar's contents print them) are sections too."""
    document = _plan("1  总则", "1.1编制目的", "为提高应对能力，制定本预案。", "1.2Ⅰ级响应", "由市政府启动。")
    assert [h.display for h in document.headings] == ["1 总则", "1.1 编制目的", "1.2 Ⅰ级响应"]
    assert _local_ids(document) == ["notice-p1", "1.1", "1.2"]


def test_three_levels_and_a_lost_chapter_line():
    """N.M.K sits under N.M; "2.1" after "1.2" sits under chapter 2 even when the line "2 …" is missing."""
    document = _plan(
        "1 总则",
        "1.1 编制目的",
        "为提高应对能力，制定本预案。",
        "1.2 分级",
        "1.2.1 一般干旱",
        "受旱面积占耕地面积10%以上。",
        "1.2.2 严重干旱",
        "受旱面积占耕地面积30%以上。",
        "2.1 指挥机构",
        "市防汛抗旱指挥部负责全市抗旱工作。",
    )
    assert _local_ids(document) == ["notice-p1", "1.1", "1.2.1", "1.2.2", "2.1"]
    assert document.clauses[3].section_path == ("1 总则", "1.2 分级", "1.2.2 严重干旱")
    assert document.clauses[4].section_path == ("2.1 指挥机构",)


def test_numbering_picks_up_after_a_lost_heading():
    """A copy that lost the line "1.2 …" still numbers 1.3 and 1.4: the next heading continues 1.3."""
    body = ["1 总则", "1.1 编制目的", "为提高应对能力。", "1.3 适用范围", "适用于全市。", "1.4 工作原则", "以人为本。"]
    document = _plan(*body)
    assert _local_ids(document) == ["notice-p1", "1.1", "1.3", "1.4"]


def test_contents_with_page_numbers_and_leaders():
    contents = ["1 总则……………1", "1.1 编制目的……………1", "1.2 适用范围……………1", "2 组织体系 .... 2", "2.1 指挥机构  2"]
    body = ["1 总则", "1.1 编制目的", "为提高应对能力，制定本预案。", "1.2 适用范围", "本预案适用于全市。"]
    document = _plan(*contents, *body)
    assert _local_ids(document) == ["notice-p1", "1.1", "1.2"]
    assert not any("组织体系" in c.text for c in document.clauses)


def test_title_lines_not_printed_again_are_no_contents():
    """Without "目 录", short numbered lines are a contents list only where the first is printed again after them."""
    document = _plan("1 总则", "1.1 编制目的", "1.2 适用范围", "2 组织体系", "2.1 指挥机构", "负责全市抗旱工作。")
    assert _local_ids(document) == ["notice-p1", "1.1", "1.2", "2.1"]


# --- what is no decimal heading ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("before", "line"),
    [
        (["2 灌溉", "2.1 灌溉面积"], "2.2万亩"),  # a figure alone on its line, where 2.2 would run on
        (["1.2 增长目标"], "1.3倍"),
        (["2 通行", "2.1 通行管理"], "2.2米以上的车辆禁止通行。"),  # a sentence opening with a figure
        (["2 作业"], "2.1级以上风力时停止高处作业。"),
        (["2 修订"], "3 月底前"),  # a date
        (["2 修订"], "3 月10日前完成修订。"),
        (["2 重点工作"], "3项任务已完成"),  # a count: a chapter's number stands apart from its title
        ([], "2018 年度抗旱工作总结"),  # a year
    ],
)
def test_figures_dates_and_years_stay_text(before, line):
    """A line that opens with a figure where the numbering would run on is text of the section above it."""
    document = _plan("1 总则", "1.1 编制目的", "为提高应对能力，制定本预案。", *before, line)
    assert [h.display for h in document.headings][2:] == before
    assert document.clauses[-1].text.endswith(normalize_text(line))


@pytest.mark.parametrize("item", ["1.加强组织领导。", "1、加强组织领导。", "1．加强组织领导。"])
def test_numbered_items_stay_items(item):
    """"1." / "1、" / "1．" number an item inside a section, never a chapter."""
    document = _plan("1 总则", "1.1 工作要求", item, "2.强化工作保障。")
    assert [h.section_id for h in document.headings if h.depth <= 2] == ["1", "1.1"]
    assert [c.section_path[:2] for c in document.clauses[1:]] == [("1 总则", "1.1 工作要求")] * 2
    assert document.clauses[1].kind == "item" and document.clauses[1].text == normalize_text(item)


def test_table_row_numbered_like_a_section_stays_a_row():
    rows = ["序号\t单位\t职责", "1.2\t市水务局\t负责抗旱调度，协调水源。", "1.3\t市农业局\t负责农业抗旱"]
    document = _plan("1 总则", "1.1 成员单位", *rows)
    assert [h.section_id for h in document.headings] == ["1", "1.1"]
    assert [c.kind for c in document.clauses[1:]] == ["table_row", "table_row"]
    assert dict(document.clauses[1].table.cells)["职责"] == "负责抗旱调度，协调水源。"


def test_numbering_that_does_not_run_on_is_text():
    """"3.2" after "1.1" continues nothing: it is text of 1.1; and bare "1 …" / "2 …" lines without any "1.1" are no
    chapters either."""
    document = _plan("1 总则", "1.1 编制目的", "为提高应对能力，制定本预案。", "3.2 现场处置")
    assert [h.section_id for h in document.headings] == ["1", "1.1"]
    assert document.clauses[-1].text.endswith("3.2现场处置")
    bare = _plan("1 加强领导", "各区要加强组织领导。", "2 强化保障", "各区要强化资金保障。")
    assert bare.headings == []


def test_a_heading_number_with_a_space_before_its_comma_still_numbers_an_item() -> None:
    """"四 、违反本通告规定的…" (a copy's space before the 、) is item 四, not a paragraph of item 三."""
    [document] = parse_file(Path(__file__).parent / "fixtures" / "notice-untitled.txt")
    items = [c for c in document.clauses if c.kind == "item"]
    assert any(c.text.startswith("四、违反本通告") for c in items), [c.text[:12] for c in document.clauses]


def test_a_heading_line_going_on_after_its_title_is_a_clause_though_a_paragraph_follows() -> None:
    """"五、各乡镇人民政府要落实属地责任,负责辖区内……的组织实施。" over "特此通告。": the words after the heading's
    title are text of the document, kept as its clause, not dropped for the title."""
    [document] = parse_file(Path(__file__).parent / "fixtures" / "notice-untitled.txt")
    assert any("负责辖区内禁捕管理工作的组织实施" in c.text for c in document.clauses), [
        c.text[:20] for c in document.clauses
    ]
