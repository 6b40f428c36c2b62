"""Every batch of real documents with a person's reading (tests/fixtures/<batch>/expected.json) parsed as that
person reads it: each document's header, each responsibility note, the units a sentence names. The rules each batch
needed are tested in its own file (tests/test_parse_<batch>.py)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from parse_helpers import check_document_reading, check_note_reading, check_units_in_sentence

from qa_bot.errors import CorpusError
from qa_bot.parse import parse_file

FIXTURES = Path(__file__).parent / "fixtures"
BATCHES = sorted(p.parent.name for p in FIXTURES.glob("*/expected.json"))
READING = {
    (batch, entry["file"]): entry
    for batch in BATCHES
    for entry in json.loads((FIXTURES / batch / "expected.json").read_text(encoding="utf-8"))
}


@pytest.fixture(scope="module")
def parsed() -> dict[tuple[str, str], list]:
    return {key: _parse(*key) for key in READING}


def _parse(batch: str, name: str) -> list:
    """A file's documents; a file the parser cannot split at all (CorpusError) fails only its own tests."""
    try:
        return parse_file(FIXTURES / batch / name)
    except CorpusError as error:
        return [error]


def _document(parsed: dict[tuple[str, str], list], key: tuple[str, str]):
    [document] = parsed[key]
    if isinstance(document, CorpusError):
        raise document
    return document


@pytest.mark.parametrize("batch", BATCHES)
def test_reading_covers_every_file(batch: str) -> None:
    read = sorted(name for b, name in READING if b == batch)
    assert read == sorted(p.name for p in (FIXTURES / batch).glob("*.txt"))


# Documents the parser does not yet read as a person does, and why (strict: the test fails once they are read right).
KNOWN_GAPS = {
    ("cities16", "chuxiong-2022-1.txt"): "a portal whose field labels the copy cut to their last character "
    '("号: 楚市政发〔2022〕1号", "称: …"): no 文号 line, and the breadcrumb read as the title',
    ("cities17", "chiping-2023.txt"): "a 通告 printed under the campaign's name (\"茌平区创建全国文明城市\" / "
    "\"“城警联动 并肩行动”通告\"): the two lines are read as one title",
    ("cities18", "shantou-2003-164.txt"): "a mirror's traditional copy with pinyin inside its words, its 文号 "
    "(\"汕府建[2003] 164號\") glued to the end of the title line: the attachment's 文号 is read instead",
    ("cities18", "yongtai-2020.txt"): "a forum post's byline and headline (\"永泰便民网发表于…重磅！…\") read into "
    "the title",
}
# Files whose notes are read as a person reads them but not their header: the issuer printed on the line above the
# title ("桂东县人民政府" / "关于…通告") is read into the title, where the reader keeps the title as printed.
TITLE_GAPS = {
    (batch, name): "its issuer printed on the line above the title is read as part of the title (the full title "
    "with its issuer; its reader takes the printed title)"
    for batch, name in (("cities18", "guidong-2017-6.txt"), ("cities18", "zhoukou-2013-2.txt"))
}
# Files whose header is read as a person reads it but not yet all their notes and the clauses holding them.
NOTE_GAPS = {
    **KNOWN_GAPS,
    ("cities17", "qiongzhong-2022.txt"): "a progress report's items, each a heading naming its lead inline "
    "(\"(一)适龄女生HPV疫苗接种牵头责任部门:县卫生健康委员会\") over a paragraph of progress: no clause opens with the "
    "heading",
    ("cities17", "huzhou-2024.txt"): "a task table's unit columns run into the task text, the first row's note read as "
    "the second's",
    **{
        ("cities18", name): "its reader counts the units a sentence names (\"各乡镇人民政府负责…\", "
        "\"区统计局负责对…\") as the clause's note; the parser keeps them in the text, as the other batches read "
        "them (units_in_sentences)"
        for name in (
            "cangnan-2023-22.txt",
            "guidong-2017-6.txt",
            "guyuan-2016.txt",
            "shangcheng-2019.txt",
            "yongtai-2020.txt",
            "zhongxian-2018.txt",
        )
    },
    ("cities18", "shantou-2003-164.txt"): "a mirror's traditional copy with pinyin inside its words, its 文号 glued to "
    "the end of the title line: no clause found",
    ("cities18", "zhoukou-2013-2.txt", "3.加快周口至郑州高速公路"): "the last item, its note cut by the copy's end "
    "(\"由…市经济开发区管委会\" without 负责落实), is read as a heading over the cut note",
}


HEADER_GAPS = {**KNOWN_GAPS, **TITLE_GAPS}


@pytest.mark.parametrize(
    "key",
    [
        pytest.param(key, marks=pytest.mark.xfail(reason=HEADER_GAPS[key], strict=True)) if key in HEADER_GAPS else key
        for key in sorted(READING)
    ],
    ids="/".join,
)
def test_document_as_a_person_reads_it(parsed, key: tuple[str, str]) -> None:
    check_document_reading(_document(parsed, key), READING[key])


def _examples(field: str, gaps: dict[tuple[str, ...], str]) -> list:
    """Each example of a field; one a gap names — its file, or its file and its text_start — an expected failure."""
    examples = []
    for key in sorted(READING):
        for example in READING[key].get(field, []):
            gap = gaps.get(key) or gaps.get((*key, example["text_start"]))
            mark = () if gap is None else (pytest.mark.xfail(reason=gap, strict=True),)
            examples.append(pytest.param(key, example["text_start"], marks=mark))
    return examples


@pytest.mark.parametrize(("key", "start"), _examples("clauses_with_units", NOTE_GAPS))
def test_responsibility_note_as_a_person_reads_it(parsed, key: tuple[str, str], start: str) -> None:
    [example] = [e for e in READING[key]["clauses_with_units"] if e["text_start"] == start]
    check_note_reading(_document(parsed, key), example)


@pytest.mark.parametrize(("key", "start"), _examples("units_in_sentences", {}))
def test_units_named_in_a_sentence_stay_in_their_clause(parsed, key: tuple[str, str], start: str) -> None:
    """Units a sentence names ("由所在区人民政府负责", "各责任单位要……") are no responsibility note: the clause that
    says it is found whole, with the names in its text."""
    [example] = [e for e in READING[key]["units_in_sentences"] if e["text_start"] == start]
    check_units_in_sentence(_document(parsed, key), example)
