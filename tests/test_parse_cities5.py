"""The fifth batch of real documents (tests/fixtures/cities5/, see SOURCES.md there): every document against the
human's reading in expected.json, and the general rules the batch needed, each on the lines that needed it."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from qa_bot.parse import parse_file, parse_text

CITIES5 = Path(__file__).parent / "fixtures" / "cities5"
READING = {entry["file"]: entry for entry in json.loads((CITIES5 / "expected.json").read_text(encoding="utf-8"))}


@pytest.fixture(scope="module")
def parsed() -> dict[str, list]:
    return {p.name: parse_file(p) for p in sorted(CITIES5.glob("*.txt"))}


def _local_ids(document) -> list[str]:
    return [c.chunk_id.split("/", 1)[1] for c in document.clauses]


# --- portal and database fields ---------------------------------------------------------------------------------------


def test_remark_field_carrying_the_doc_no(parsed):
    """"• 备注/文号:安教〔2021〕171号", "• 公文生成日期:…" and "时间:2021-12-02 17:04" are the page's fields: the 文号
    is found, and neither the title nor the addressees hold a field."""
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
    """"颁布日期:2001-6-3" dates the rules, "颁布单位:" names their issuer in full where the line under the title
    shortens it ("内蒙古自治区包头市人大常委会"), and "【题注】"/"【章名】" are field names, not text."""
    [document] = parsed["baotou-2001.txt"]
    assert (document.date, document.issuers) == ("2001-06-03", ("包头市人民代表大会常务委员会",))
    assert document.clauses[0].text.startswith("（2001年4月29日包头市第十一届人民代表大会第四次会议通过")
    assert document.clauses[1].section_path[0] == "第一章 总则"
