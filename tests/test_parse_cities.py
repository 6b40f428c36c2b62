"""The parser on real documents of eleven other places (tests/fixtures/cities/, see SOURCES.md there): each one is
found with its 文号, title (nothing else in it), issuer, date, clauses and notes — alone, and all in one file."""

from __future__ import annotations

from pathlib import Path

import pytest
from parse_helpers import clause_text_problems, span_problems

from qa_bot.parse import parse_file, parse_text

CITIES = Path(__file__).parent / "fixtures" / "cities"

# file: (文号, title, issuers, date, attached title, clause ids in order)
EXPECTED = {
    "beijing-2016-26.txt": (
        "京政办发〔2016〕26号",
        "北京市人民政府办公厅关于印发〈北京市2016年政务公开工作要点〉的通知",
        ("北京市人民政府办公厅",),
        "2016-05-28",
        None,
        ["notice-p1", "0-p1", "1.1-p1"],
    ),
    "caidian-2023-1.txt": (
        "蔡政办〔2023〕1号",
        "区人民政府办公室关于印发2023年区《政府工作报告》确定的主要目标任务责任分解方案的通知",
        ("蔡甸区人民政府办公室",),
        "2023-01-03",
        "2023年区《政府工作报告》确定的主要目标任务责任分解方案",
        ["notice-p1", "notice-p2", "notice-p3", "notice-p4", "1.1", "1.2", "1.3"],
    ),
    "hebei-2010-15.txt": (
        "政府令〔2010〕第15号",
        "河北省人工影响天气管理规定",
        ("河北省人民政府",),
        "2010-12-25",
        None,
        ["notice-p1", "1.1", "1.2", "1.3", "1.4", "1.4-p2", "1.5", "1.6"],
    ),
    "hunan-2009-24.txt": (
        "湘政办发〔2009〕24号",
        "湖南省人民政府办公厅关于加强普通高等学校毕业生就业工作的通知",
        ("湖南省人民政府办公厅",),
        None,  # the stored copy ends before the signature
        None,
        ["0-p1", "1", "2"],
    ),
    "meizhou-2004-18.txt": (
        "梅市府〔2004〕18号",
        "印发梅州市社会养老保险市级统筹实施办法的通知",
        ("梅州市人民政府",),
        "2004-04-30",
        "梅州市社会养老保险市级统筹实施办法",
        ["notice-p1", "0-p1", "1-p1", "2.1"],
    ),
    "neimenggu-82.txt": (
        "内蒙古自治区人民政府令第82号",
        "内蒙古自治区村庄和集镇规划建设管理实施办法",
        ("内蒙古自治区人民政府",),
        "1997-07-23",
        None,
        ["notice-p1", "1.1", "1.2", "1.2-p2", "1.3", "1.3-p2", "1.3-p3", "1.4", "1.4-p2"],
    ),
    "shandong-2014-20.txt": (
        "鲁政发〔2014〕20号",
        "山东省人民政府关于深化预算管理制度改革的实施意见",
        ("山东省人民政府",),
        None,  # the stored copy ends before the signature
        None,
        ["0-p1", "1.1", "1.2"],
    ),
    "tianjin-2017-103.txt": (
        "津政办函〔2017〕103号",
        "天津市人民政府办公厅印发关于促进我市开发区改革和创新发展实施方案的通知",
        ("天津市人民政府办公厅",),
        "2017-10-09",
        "关于促进我市开发区改革和创新发展的实施方案",
        ["notice-p1", "0-p1", "1.1"],
    ),
    "yanan-2009-33.txt": (
        "延政发〔2009〕33号",
        "延安市人民政府关于印发《延安市行政许可项目监督管理办法》的通知",
        ("延安市人民政府",),
        "2009-06-15",
        "延安市行政许可项目监督管理办法",
        ["notice-p1", "1.1", "1.2", "1.3", "1.4", "1.4-p2"],
    ),
    "yueyang-2017-2.txt": (
        "岳办发〔2017〕2号",
        "中共岳阳市委办公室岳阳市人民政府办公室印发《关于全面推进政务公开工作的实施意见》的通知",
        ("中共岳阳市委办公室", "岳阳市人民政府办公室"),
        "2017-01-10",
        "关于全面推进政务公开工作的实施意见",
        ["notice-p1", "0-p1", "1.1", "1.2"],
    ),
    "zhenba-2024-7.txt": (
        "镇政发〔2024〕7号",
        "镇巴县人民政府工作规则",
        ("镇巴县人民政府",),
        "2024-04-06",
        None,
        ["1.1", "1.2", "1.3", "2.4", "2.5"],
    ),
}


def test_corpus_has_eleven_places_and_sources():
    files = sorted(p.name for p in CITIES.glob("*.txt"))
    assert files == sorted(EXPECTED)
    sources = (CITIES / "SOURCES.md").read_text(encoding="utf-8")
    assert all(f"`{name}`" in sources for name in files)


@pytest.fixture(scope="module")
def parsed() -> dict[str, list]:
    return {name: parse_file(CITIES / name) for name in EXPECTED}


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_document_found_with_its_header(parsed, name):
    doc_no, title, issuers, date, plan_title, _ = EXPECTED[name]
    [document] = parsed[name]
    assert (document.doc_no, document.title, document.issuers, document.date) == (doc_no, title, issuers, date)
    assert document.plan_title == plan_title


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_clauses_in_document_order(parsed, name):
    [document] = parsed[name]
    assert [c.chunk_id.split("/", 1)[1] for c in document.clauses] == EXPECTED[name][5]
    assert all(c.text.strip() for c in document.clauses)


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_every_line_is_header_or_clause(parsed, name):
    """Nothing of the document is lost or read twice: header spans and clause spans tile its text."""
    text = (CITIES / name).read_text(encoding="utf-8")
    [document] = parsed[name]
    assert span_problems(text, document) == []
    assert clause_text_problems(text, document) == []


@pytest.mark.parametrize(
    ("name", "signers"),
    [("neimenggu-82.txt", ("自治区主席 乌力吉",)), ("hebei-2010-15.txt", ("省长",)), ("yanan-2009-33.txt", ())],
)
def test_signer_of_a_government_order(parsed, name, signers):
    [document] = parsed[name]
    assert document.signers == signers


def test_responsibility_line_after_the_heading(parsed):
    [document] = parsed["caidian-2023-1.txt"]
    units = {c.chunk_id.split("/", 1)[1]: c.responsible_units for c in document.clauses if c.kind == "item"}
    assert units == {"1.1": ("区发展和改革局",), "1.2": ("区科技和经信局",), "1.3": ("区发展和改革局",)}
    headings = {h.section_id: h.title for h in document.headings}
    assert headings["1.1"] == "地区生产总值增长7%以上"  # the note line is not part of the heading


@pytest.mark.parametrize(
    ("name", "chunk", "starts", "section"),
    [
        ("hebei-2010-15.txt", "1.1", "第一条为加强", ["第一章 总则", "第一条 为加强对人工影响天气工作的管理"]),
        ("neimenggu-82.txt", "1.3", "第三条本实施办法所称的村庄", ["第一章 总则", "第三条 本实施办法所称的村庄"]),
        (
            "zhenba-2024-7.txt",
            "2.4",
            "四、县政府由县长",
            ["第二章 组成人员和政府职能", "四、县政府由县长、副县长、县政府党组成员"],
        ),
    ],
)
def test_articles_carry_their_text_under_their_chapter(parsed, name, chunk, starts, section):
    [document] = parsed[name]
    clause = next(c for c in document.clauses if c.chunk_id.endswith("/" + chunk))
    assert clause.text.startswith(starts)
    assert list(clause.section_path) == section


def test_all_documents_in_one_file_are_each_found():
    """Laid one after another in one issue file, no document swallows the next one's title or text."""
    names = sorted(EXPECTED)
    text = "\n\n".join((CITIES / name).read_text(encoding="utf-8") for name in names)
    documents = parse_text(text, "cities.txt")
    assert [d.doc_no for d in documents] == [EXPECTED[n][0] for n in names]
    for name, document in zip(names, documents, strict=True):
        doc_no, title, issuers, date, plan_title, chunk_ids = EXPECTED[name]
        assert (document.title, document.issuers, document.date, document.plan_title) == (
            title,
            issuers,
            date,
            plan_title,
        )
        assert [c.chunk_id.split("/", 1)[1] for c in document.clauses] == chunk_ids
        assert span_problems(text, document) == []
