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
}
# Files whose header is read as a person reads it but not yet all their notes and the clauses holding them.
NOTE_GAPS = {
    **KNOWN_GAPS,
    ("cities17", "qiongzhong-2022.txt"): "a progress report's items, each a heading naming its lead inline "
    "(\"(一)适龄女生HPV疫苗接种牵头责任部门:县卫生健康委员会\") over a paragraph of progress: no clause opens with the "
    "heading",
    ("cities17", "huzhou-2024.txt"): "a task table's unit columns run into the task text, the first row's note read as "
    "the second's",
}


@pytest.mark.parametrize(
    "key",
    [
        pytest.param(key, marks=pytest.mark.xfail(reason=KNOWN_GAPS[key], strict=True)) if key in KNOWN_GAPS else key
        for key in sorted(READING)
    ],
    ids="/".join,
)
def test_document_as_a_person_reads_it(parsed, key: tuple[str, str]) -> None:
    check_document_reading(_document(parsed, key), READING[key])


def _examples(field: str, gaps: dict[tuple[str, str], str]) -> list:
    return [
        pytest.param(key, example["text_start"], marks=pytest.mark.xfail(reason=gaps[key], strict=True))
        if key in gaps
        else (key, example["text_start"])
        for key in sorted(READING)
        for example in READING[key].get(field, [])
    ]


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
