"""The parser on small gazettes written inside the tests: heading forms, punctuation widths, note forms,
signatures, 文号 patterns, corpus folders and bad input."""

from __future__ import annotations

import codecs
import random

import pytest
from parse_helpers import (
    Doc,
    clause_by_section,
    clause_containing,
    clause_text_problems,
    gazette,
    has_cjk,
    join_lines,
    line_of,
    span_problems,
    write,
)

from qa_bot.errors import CorpusError
from qa_bot.parse import parse_corpus, parse_file, parse_text
from qa_bot.parse.reader import decode_gazette
from qa_bot.text.normalize import compact


def parse(text: str, source: str = "test.txt"):
    """parse_text, plus the invariants every parse must keep (spans tile the document, texts match sources)."""
    docs = parse_text(text, source)
    for doc in docs:
        assert span_problems(text, doc) == [], doc.doc_no
        assert clause_text_problems(text, doc) == [], doc.doc_no
    return docs


def path_of(clause) -> list[str]:
    return [part.replace(" ", "") for part in clause.section_path]


def units(clause) -> tuple[list[str], list[str]]:
    return list(clause.lead_units), list(clause.responsible_units)


# --------------------------------------------------------------------------------------------
# Heading forms and nesting

HEADINGS_BODY = [
    "为做好安全生产专项整治工作，制定本方案。",
    "第一章 总体要求",
    "一、指导思想",
    "（一）基本原则。坚持稳中求进，统筹推进各项工作。",
    "1. 加强领导。成立工作专班，明确责任分工。",
    "（1）细化任务。制定任务清单，逐项推进落实。",
    "① 建立台账。对任务实行台账管理。",
    "② 定期调度。每月召开一次调度会议。",
    "（2）强化督查。开展专项督查。",
    "2．完善机制。建立健全长效工作机制。",
    "(二)保障措施。加大资金投入力度。",
    "(1)资金保障。统筹安排专项资金。",
    "二、工作要求",
    "各部门要按照本方案要求抓好落实，第三条规定的事项按有关规定执行。",
    "第三条规定的其他事项，由市司法局负责解释。",
    "第二章 附则",
    "本方案自印发之日起施行。",
]
CH1, CH2 = "第一章总体要求", "第二章附则"
GUIDE = "一、指导思想"
PRINCIPLE = "（一）基本原则"
LEAD = "1.加强领导"

HEADING_CASES = [
    ("为做好安全生产专项整治工作", "preamble", []),
    ("坚持稳中求进", "item", [CH1, GUIDE, PRINCIPLE]),
    ("成立工作专班", "item", [CH1, GUIDE, PRINCIPLE, LEAD]),
    ("制定任务清单", "item", [CH1, GUIDE, PRINCIPLE, LEAD, "（1）细化任务"]),
    ("对任务实行台账管理", "item", [CH1, GUIDE, PRINCIPLE, LEAD, "（1）细化任务", "①建立台账"]),
    ("每月召开一次调度会议", "item", [CH1, GUIDE, PRINCIPLE, LEAD, "（1）细化任务", "②定期调度"]),
    ("开展专项督查", "item", [CH1, GUIDE, PRINCIPLE, LEAD, "（2）强化督查"]),
    ("建立健全长效工作机制", "item", [CH1, GUIDE, PRINCIPLE, "2.完善机制"]),
    ("加大资金投入力度", "item", [CH1, GUIDE, "（二）保障措施"]),
    ("统筹安排专项资金", "item", [CH1, GUIDE, "（二）保障措施", "（1）资金保障"]),
    ("按照本方案要求抓好落实", "paragraph", [CH1, "二、工作要求"]),
    ("由市司法局负责解释", "paragraph", [CH1, "二、工作要求"]),
    ("本方案自印发之日起施行", "paragraph", [CH2]),
]


@pytest.fixture(scope="module")
def heading_doc():
    [doc] = parse(gazette(Doc(body=HEADINGS_BODY)))
    return doc


@pytest.mark.parametrize("words, kind, path", HEADING_CASES, ids=[c[0] for c in HEADING_CASES])
def test_heading_forms_nest(heading_doc, words, kind, path):
    clause = clause_containing(heading_doc, words)
    assert clause.kind == kind
    assert path_of(clause) == path


def test_heading_labels_and_titles(heading_doc):
    found = [(h.label.strip(), h.title, h.depth) for h in heading_doc.headings]
    assert found == [
        ("第一章", "总体要求", 1),
        ("一、", "指导思想", 2),
        ("（一）", "基本原则", 3),
        ("1.", "加强领导", 4),
        ("（1）", "细化任务", 5),
        ("①", "建立台账", 6),
        ("②", "定期调度", 6),
        ("（2）", "强化督查", 5),
        ("2.", "完善机制", 4),
        ("（二）", "保障措施", 3),
        ("（1）", "资金保障", 4),
        ("二、", "工作要求", 2),
        ("第二章", "附则", 1),
    ]


def test_cross_reference_is_not_a_heading(heading_doc):
    assert not any("第三条" in h.label for h in heading_doc.headings)
    clause = clause_containing(heading_doc, "第三条规定的其他事项")
    assert clause.text == "第三条规定的其他事项，由市司法局负责解释。"


def test_articles_with_a_space_are_headings():
    body = [
        "第一章 总则",
        "第一条 为了规范专项资金管理，制定本办法。",
        "第二条 本办法适用于本市行政区域内的专项资金。",
        "第三条 市财政局负责组织实施。第二条规定的专项资金由各区负责管理。",
        "第二章 附则",
        "第四条 本办法自公布之日起施行。",
    ]
    [doc] = parse(gazette(Doc(body=body, plan="某市专项资金管理办法")))
    articles = [c for c in doc.clauses if c.kind == "item"]
    assert [path_of(c) for c in articles] == [
        ["第一章总则", "第一条为了规范专项资金管理，制定本办法"],
        ["第一章总则", "第二条本办法适用于本市行政区域内的专项资金"],
        ["第一章总则", "第三条市财政局负责组织实施"],
        ["第二章附则", "第四条本办法自公布之日起施行"],
    ]
    assert [h.label.strip() for h in doc.headings] == ["第一章", "第一条", "第二条", "第三条", "第二章", "第四条"]


def test_forms_may_be_skipped():
    body = [
        "一、主要任务",
        "1. 加强监测。完善监测网络。",
        "2. 强化预警。提升预警能力。",
        "二、保障措施",
        "① 加强领导。落实责任。",
    ]
    [doc] = parse(gazette(Doc(body=body)))
    assert path_of(clause_containing(doc, "完善监测网络")) == ["一、主要任务", "1.加强监测"]
    assert path_of(clause_containing(doc, "提升预警能力")) == ["一、主要任务", "2.强化预警"]
    assert path_of(clause_containing(doc, "落实责任")) == ["二、保障措施", "①加强领导"]


# --------------------------------------------------------------------------------------------
# Half-width punctuation parses like full-width

FULL_WIDTH_BODY = [
    "为加强安全生产工作，根据有关规定，制定本方案。",
    "一、工作目标",
    "到2025年，全市安全生产形势持续稳定好转：事故总量明显下降；重大风险得到有效管控。",
    "二、重点任务",
    "（一）加强隐患排查。组织开展隐患排查整治，建立问题清单。（市应急局牵头，市公安局、市交通运输局等按职责分工负责）",
    "（二）强化执法检查。开展联合执法检查，严厉查处违法行为。〔牵头单位：市应急局。责任单位：市市场监管局，各区政府（管委会）〕",
    "（三）完善应急预案。修订完善各类应急预案，定期组织开展应急演练，提升",
    "应急处置能力。（市应急局负责）",
    "1. 加强宣传教育。开展安全生产月活动（每年6月），提高全民安全意识。",
]
HALF = str.maketrans({"，": ",", "：": ":", "；": ";", "（": "(", "）": ")", "〔": "[", "〕": "]"})


def _full_width_gazette() -> str:
    return gazette(Doc(body=FULL_WIDTH_BODY, plan="某市安全生产专项整治实施方案（2023—2025年）"))


def _summary(doc):
    meta = (
        doc.doc_no,
        doc.title,
        doc.plan_title,
        doc.issuers,
        doc.addressees,
        doc.date,
        doc.publicity,
        doc.issue,
        doc.category,
        doc.page,
    )
    clauses = [(c.kind, c.section, c.text, c.lead_units, c.responsible_units, c.span, c.joins) for c in doc.clauses]
    return meta, clauses


def test_half_width_punctuation_parses_like_full_width():
    full = _full_width_gazette()
    half = full.translate(HALF)
    assert "，" not in half and "（" not in half and "：" not in half
    [full_doc] = parse(full)
    [half_doc] = parse(half)
    assert _summary(half_doc) == _summary(full_doc)


def test_full_width_reference_parse():
    [doc] = parse(_full_width_gazette())
    assert doc.doc_no == "某政发〔2023〕1号"
    assert doc.plan_title == "某市安全生产专项整治实施方案（2023—2025年）"
    assert doc.addressees == "各区人民政府，市政府有关部门"
    assert doc.publicity == "此件公开发布"
    assert units(clause_by_section(doc, "二、重点任务 > （一）加强隐患排查")) == (
        ["市应急局"],
        ["市公安局", "市交通运输局"],
    )
    assert units(clause_by_section(doc, "二、重点任务 > （二）强化执法检查")) == (
        ["市应急局"],
        ["市市场监管局", "各区政府（管委会）"],
    )
    emergency = clause_by_section(doc, "二、重点任务 > （三）完善应急预案")
    assert "提升应急处置能力" in emergency.text
    assert units(emergency) == ([], ["市应急局"])


# --------------------------------------------------------------------------------------------
# Responsibility notes

CLAUSE = "（一）加强管理。做好各项工作。"


@pytest.mark.parametrize(
    "first, second",
    [
        (CLAUSE + "〔牵头单位：市发展改革委、市财", "政局。责任单位：各区政府〕"),
        (CLAUSE + "〔牵头单位：市发展改革委、", "市财政局。责任单位：各区政府〕"),
        (CLAUSE, "〔牵头单位：市发展改革委、市财政局。责任单位：各区政府〕"),
        (CLAUSE + "〔牵头单位：市发展改革委、市财政局。", "责任单位：各区政府〕"),
        (CLAUSE + "〔牵头单位：市发展改革委、市财政局。责任单位：", "各区政府〕"),
        (CLAUSE + "〔牵头单位：", "市发展改革委、市财政局。责任单位：各区政府〕"),
        (
            CLAUSE + "〔市发展改革委、市财政局牵头，各区政府按职责分工负责，各街道负责落实。",
            "以下均需各街道落实，不再列出〕",
        ),
    ],
    ids=[
        "mid-unit",
        "after-comma",
        "before-note",
        "after-period",
        "after-label-colon",
        "after-first-label",
        "unlabelled-after-period",
    ],
)
def test_note_split_by_page_break(first, second):
    text = gazette(Doc(body=["一、重点任务", first, second, "（二）完善制度。建立长效机制。"]))
    [doc] = parse(text)
    clause = clause_by_section(doc, "一、重点任务 > （一）加强管理", kind="item")
    expected_responsible = ["各区政府", "各街道"] if "各街道" in first else ["各区政府"]
    assert units(clause) == (["市发展改革委", "市财政局"], expected_responsible)
    second_line = text.split("\n").index(second) + 1
    assert join_lines(text, clause.joins) == [second_line]
    assert not clause_by_section(doc, "一、重点任务 > （二）完善制度").responsible_units
    assert len(doc.clauses) == 3  # notice and the two items: no stray note paragraph


@pytest.mark.parametrize(
    "note",
    [
        "〔市教育局牵头，市财政局、市人力资源社会保障局按职责分工负责〕",
        "【市教育局牵头，市财政局、市人力资源社会保障局按职责分工负责】",
        "[市教育局牵头，市财政局、市人力资源社会保障局按职责分工负责]",
        "［市教育局牵头，市财政局、市人力资源社会保障局按职责分工负责］",
        "（市教育局牵头，市财政局、市人力资源社会保障局按职责分工负责）",
        "(市教育局牵头,市财政局、市人力资源社会保障局按职责分工负责)",
        "（市教育局牵头，市财政局、市人力资源社会保障局按职责分工负责）。",
        "〔市教育局牵头，市财政局、市人力资源社会保障局等按职责分工负责】",
    ],
    ids=[
        "tortoise",
        "lenticular",
        "square",
        "fullwidth-square",
        "paren",
        "halfwidth-paren",
        "paren-period",
        "mismatched",
    ],
)
def test_note_bracket_forms(note):
    [doc] = parse(gazette(Doc(body=["一、重点任务", "（一）加强教师队伍建设。完善教师培训体系。" + note])))
    clause = clause_by_section(doc, "一、重点任务 > （一）加强教师队伍建设")
    assert units(clause) == (["市教育局"], ["市财政局", "市人力资源社会保障局"])
    assert clause.note is not None and "市教育局牵头" in clause.note


@pytest.mark.parametrize(
    "note",
    [
        "〔牵头单位：市教育局、市科技局。责任单位：市财政局，各区政府（管委会）〕",
        "【牵头单位:市教育局、市科技局。责任单位:市财政局,各区政府(管委会)】",
        "（牵头单位：市教育局、市科技局；责任单位：市财政局、各区政府（管委会））",
    ],
)
def test_labelled_note(note):
    [doc] = parse(gazette(Doc(body=["一、重点任务", "（一）推进数字校园建设。加快校园网络升级。" + note])))
    clause = clause_by_section(doc, "一、重点任务 > （一）推进数字校园建设")
    assert units(clause) == (["市教育局", "市科技局"], ["市财政局", "各区政府（管委会）"])


def test_separate_responsibility_lines():
    body = [
        "一、重点任务",
        "（一）加强教师队伍建设。完善教师培训体系。",
        "责任单位：市教育局、市财政局",
        "（二）推进数字校园建设。加快校园网络升级。",
        "牵头单位：市教育局",
        "责任单位：市工业和信息化局、市财政局",
        "（三）加强督导。开展专项督导。",
    ]
    [doc] = parse(gazette(Doc(body=body)))
    assert units(clause_by_section(doc, "一、重点任务 > （一）加强教师队伍建设")) == ([], ["市教育局", "市财政局"])
    assert units(clause_by_section(doc, "一、重点任务 > （二）推进数字校园建设")) == (
        ["市教育局"],
        ["市工业和信息化局", "市财政局"],
    )
    assert units(clause_by_section(doc, "一、重点任务 > （三）加强督导")) == ([], [])
    assert not any(c.text.startswith(("责任单位", "牵头单位")) for c in doc.clauses)


# --------------------------------------------------------------------------------------------
# Signatures and 文号


def test_joint_issuers():
    doc_spec = Doc(
        doc_no="某政办发〔2023〕4号",
        masthead="某市人民政府办公室文件",
        issuers=("某市人民政府办公室", "某市发展和改革委员会"),
        date="2023年4月20日",
    )
    [doc] = parse(gazette(doc_spec))
    assert doc.issuers == ("某市人民政府办公室", "某市发展和改革委员会")
    assert doc.issuer == "某市人民政府办公室、某市发展和改革委员会"
    assert doc.date == "2023-04-20"
    assert not [c for c in doc.clauses if c.text in doc.issuers or c.text == "2023年4月20日"]


@pytest.mark.parametrize(
    "written, canonical, masthead, issuer",
    [
        ("沈政办发〔2023〕5号", "沈政办发〔2023〕5号", "沈阳市人民政府办公室文件", "沈阳市人民政府办公室"),
        ("济政字[2021]12号", "济政字〔2021〕12号", "济南市人民政府文件", "济南市人民政府"),
        ("济政字［2021］12号", "济政字〔2021〕12号", "济南市人民政府文件", "济南市人民政府"),
        ("葫府办〔2022〕3号", "葫府办〔2022〕3号", "葫芦岛市人民政府办公室文件", "葫芦岛市人民政府办公室"),
        ("锦政办发(2022)20号", "锦政办发〔2022〕20号", "锦州市人民政府办公室文件", "锦州市人民政府办公室"),
    ],
)
def test_doc_no_patterns(written, canonical, masthead, issuer):
    spec = Doc(doc_no=written, masthead=masthead, issuers=(issuer,), category="市政府办公室文件", toc_page=12)
    other = Doc(doc_no="某政发〔2023〕9号", toc_page=20)
    docs = parse(gazette(spec, other))
    assert [d.doc_no for d in docs] == [canonical, "某政发〔2023〕9号"]
    assert docs[0].issuer == issuer
    assert (docs[0].category, docs[0].page) == ("市政府办公室文件", 12)
    assert (docs[1].category, docs[1].page) == ("市政府文件", 20)
    assert docs[0].doc_id != docs[1].doc_id
    assert clause_by_section(docs[0], "一、工作任务 > （一）加强组织领导").kind == "item"


@pytest.mark.parametrize(
    "masthead, publicity", [("某市人民政府文件", "（此件公开发布）"), (None, "（此件公开发布）"), (None, None)]
)
def test_document_without_table_of_contents(masthead, publicity):
    text = gazette(
        Doc(masthead=masthead, publicity=publicity),
        Doc(doc_no="某政发〔2023〕2号", masthead=masthead, publicity=publicity),
        toc=False,
    )
    docs = parse(text)
    assert [d.doc_no for d in docs] == ["某政发〔2023〕1号", "某政发〔2023〕2号"]
    for doc in docs:
        assert (doc.category, doc.page, doc.issue) == (None, None, None)
        assert doc.issuer == "某市人民政府"
        assert doc.date == "2023-03-01"
        assert doc.publicity == ("此件公开发布" if publicity else None)
        assert doc.plan_title == "某市安全生产专项整治实施方案"
        assert [c.kind for c in doc.clauses] == ["notice", "preamble", "item"]
    assert line_of(text, docs[1].span[0]) > line_of(text, docs[0].clauses[-1].span[0])


# --------------------------------------------------------------------------------------------
# Corpus folders


@pytest.mark.parametrize("twice", [False, True], ids=["same-no-in-two-files", "same-no-twice-in-second-file"])
def test_corpus_of_several_files(tmp_path, twice):
    write(tmp_path / "a.txt", gazette(Doc(), Doc(doc_no="某政发〔2023〕2号")))
    second = [Doc(), Doc(doc_no="某政发〔2023〕1号", plan="某市消防安全专项整治实施方案")] if twice else [Doc()]
    write(tmp_path / "b.txt", gazette(*second))
    write(tmp_path / "c.text", gazette(Doc(doc_no="某政办发〔2023〕7号")))
    write(tmp_path / "SOURCES.md", "# 来源\n\n说明文字，不是公报。\n")  # notes beside the gazettes are not read
    result = parse_corpus(tmp_path)
    assert result.errors == []
    assert [p.name for p in result.files] == ["a.txt", "b.txt", "c.text"]
    # b.txt reprints a.txt's first document: it is read once; a different document under the same 文号 is kept
    assert [d.source for d in result.documents] == ["a.txt", "a.txt"] + ["b.txt"] * (len(second) - 1) + ["c.text"]
    assert [r.reprints for r in result.reports] == [[], ["某政发〔2023〕1号"], []]
    ids = [d.doc_id for d in result.documents]
    assert len(ids) == len(set(ids))
    chunk_ids = [c.chunk_id for d in result.documents for c in d.clauses]
    assert len(chunk_ids) == len(set(chunk_ids))
    for doc in result.documents:
        assert all(c.doc_id == doc.doc_id and c.chunk_id.startswith(doc.doc_id + "/") for c in doc.clauses)
    # the ids do not change when the corpus is parsed again
    assert [d.doc_id for d in parse_corpus(tmp_path).documents] == ids


# --------------------------------------------------------------------------------------------
# Bad input: a correct parse, or a CorpusError naming the file (and line); other files still parsed

GOOD_TEXT = gazette(
    Doc(
        body=[
            "为做好测试工作，制定本方案。",
            "一、工作任务",
            "（一）加强组织领导。成立工作专班，明确责任分",
            "工，定期调度工作进展。〔市应急局牵头，市公安局等按职责分工负责〕",
        ]
    ),
    toc=False,
)
JUNK = (
    b"\x89PNG\r\n\x1a\n" + random.Random(20230301).randbytes(3000) + b"\x00\x00\x00" + random.Random(7).randbytes(500)
)

BAD_INPUTS = {
    "empty": (b"", "error"),
    "whitespace": (b"  \n\n\t \r\n   \n", "error"),
    "fullwidth-spaces": ("\u3000\u3000\n\n\u3000\n".encode(), "error"),
    "bom-only": (codecs.BOM_UTF8 + b"\r\n", "error"),
    "gbk": (GOOD_TEXT.encode("gbk"), "parse"),
    "bom": (codecs.BOM_UTF8 + GOOD_TEXT.encode(), "parse"),
    "crlf": (GOOD_TEXT.replace("\n", "\r\n").encode(), "parse"),
    "crlf-gbk": (GOOD_TEXT.replace("\n", "\r\n").encode("gbk"), "parse"),
    "no-header": ("这是一份普通的说明文字，没有公文头。\n\n第二段也没有文号。\n".encode(), "error-line"),
    "binary": (JUNK, "error-line"),
    "text-then-binary": (GOOD_TEXT.encode() * 20 + JUNK, "error-line"),
}


def _compare(doc):
    return (
        doc.doc_no,
        doc.title,
        doc.issuers,
        doc.date,
        [(c.kind, c.section, c.text, c.lead_units, c.responsible_units, c.span, c.joins) for c in doc.clauses],
    )


@pytest.mark.parametrize("kind", list(BAD_INPUTS))
def test_bad_input_in_a_corpus(tmp_path, kind):
    data, outcome = BAD_INPUTS[kind]
    name = f"bad-{kind}.txt"
    write(tmp_path / name, data)
    write(tmp_path / "good.txt", gazette(Doc(doc_no="某政发〔2023〕8号")))
    result = parse_corpus(tmp_path)
    good = [d for d in result.documents if d.source == "good.txt"]
    assert [d.doc_no for d in good] == ["某政发〔2023〕8号"]
    if outcome == "parse":
        assert result.errors == []
        expected = parse(GOOD_TEXT)
        got = [d for d in result.documents if d.source == name]
        assert [_compare(d) for d in got] == [_compare(d) for d in expected]
        clause = clause_by_section(got[0], "一、工作任务 > （一）加强组织领导")
        assert "明确责任分工，定期调度" in clause.text
        assert units(clause) == (["市应急局"], ["市公安局"])
        return
    assert not [d for d in result.documents if d.source == name]
    assert len(result.errors) == 1
    error = result.errors[0]
    assert isinstance(error, CorpusError)
    message = str(error)
    assert name in message
    assert has_cjk(message.replace(name, ""))
    if outcome == "error-line":
        assert error.line is not None and error.line >= 1
        assert f"{name}:{error.line}" in message


def test_no_header_error_points_at_line_one(tmp_path):
    path = write(tmp_path / "notes.txt", "这是一份普通的说明文字。\n")
    with pytest.raises(CorpusError) as info:
        parse_file(path)
    assert info.value.line == 1
    assert "notes.txt:1" in str(info.value)


def test_binary_error_names_the_line_of_the_first_nul():
    data = "第一行文字\n第二行文字\n第三行".encode() + b"\x00\x01\x02" + b"\xff" * 20
    with pytest.raises(CorpusError) as info:
        decode_gazette(data, "junk.txt")
    assert info.value.line == 3
    assert str(info.value).startswith("junk.txt:3")


@pytest.mark.parametrize(
    "data, encoding",
    [
        (GOOD_TEXT.encode(), "utf-8"),
        (codecs.BOM_UTF8 + GOOD_TEXT.encode(), "utf-8-sig"),
        (GOOD_TEXT.encode("gbk"), "gb18030"),
        (GOOD_TEXT.replace("\n", "\r\n").encode(), "utf-8"),
    ],
    ids=["utf-8", "bom", "gbk", "crlf"],
)
def test_decode_gazette(data, encoding):
    text, used = decode_gazette(data, "x.txt")
    assert text == GOOD_TEXT
    assert used == encoding


def test_crlf_keeps_page_break_repair():
    text, _ = decode_gazette(GOOD_TEXT.replace("\n", "\r\n").encode(), "x.txt")
    [doc] = parse(text)
    clause = clause_by_section(doc, "一、工作任务 > （一）加强组织领导")
    assert compact("明确责任分工，定期调度工作进展") in compact(clause.text)
    assert len(clause.joins) == 1
