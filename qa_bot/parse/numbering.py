"""Decimal section numbers as emergency plans (应急预案) print them — "1 总则", "1.1 编制目的", "1.1.1 …": which lines
are such headings (a short title after the number, a numbering that runs on 1 → 1.1 → 1.2 → 2 → 2.1) and where the
text of one printed on the same line starts.

A figure ("2.5万亩", "1.2倍"), a year, a sentence opening with a number ("3.5米以上的车辆……。") and an item "1." /
"1、" are no such heading: the title must be a short phrase without sentence punctuation, not a unit after a number,
and the number must continue the numbering."""

from __future__ import annotations

import re

from qa_bot.text.normalize import normalize_widths
from qa_bot.text.patterns import HeadingMatch

DECIMAL_DEPTH = 3  # 1 / 1.1 / 1.1.1: a chapter, its sections, theirs
TITLE_MAX = 20  # a decimal heading's title is a short phrase
# A number of one to three parts; a chapter's bare number needs a space after it ("1 总则", never "10月底前"), or a
# line of its own with nothing but a title after it ("1总则").
_NUMBER = re.compile(r"^(?P<number>\d{1,2}(?:\.\d{1,2}){1,2}(?![\d.])[ \t]*|\d{1,2}(?![\d.])[ \t]*)")
# What a title may start with: Chinese, a Roman numeral ("4.1Ⅰ级响应") or a bracket; never the unit of a figure nor
# its bound ("7左右", "8以上": a table's cells).
_TITLE_START = re.compile(
    r"^(?!万|亿|倍|米|元|个|亩|吨|公里|公斤|公顷|平方|年(?!度)|月(?!度)|%|左右|以上|以下|以内)[\u4e00-\u9fff\u2160-\u216b（]"
)
_TIGHT_CHAPTER = re.compile(r"^\d{1,2}(?=[^\d.\s])")
_SENTENCE_MARKS = re.compile(r"[。，；：！？,;:!?]")
# A contents entry may end in dot leaders and its page number: "1.1 编制目的……3", "2 组织体系 .... 5".
_PAGE_REFERENCE = re.compile(r"(?:[ \t]*[.·…．]{2,}[ \t]*|[ \t]+)\d{1,3}[ \t]*$")


def _title_and_text(rest: str) -> tuple[str, int | None] | None:
    """The title a heading's words start with and where text on the same line starts (None: a title only), when
    the words read as a title: "编制目的" → ("编制目的", None), "总 则" (spaced out) → ("总 则", None),
    "编制目的 为提高……。" → ("编制目的", 5); "米以上的车辆禁止通行。" → None."""
    first_line = _PAGE_REFERENCE.sub("", rest.split("\n", 1)[0]).rstrip()
    if not _TITLE_START.match(first_line):
        return None
    if len(re.sub(r"\s+", "", first_line)) <= TITLE_MAX and not _SENTENCE_MARKS.search(first_line):
        return first_line, None
    gap = re.search(r"[ \t]+(?=\S)", first_line)
    if gap is None:
        return None
    title = first_line[: gap.start()]
    if len(title) > TITLE_MAX or _SENTENCE_MARKS.search(title):
        return None
    return title, gap.end()


def match_decimal_heading(text: str) -> HeadingMatch | None:
    """A decimal heading at the start of width-normalised text, with its number: "1.2 编制依据" → rank 2, label
    "1.2 ", ordinal 2, number (1, 2). The caller checks that the numbering runs on (decimal_heading_lines)."""
    m = _NUMBER.match(text)
    if m is None:
        return None
    rest = text[m.end() :]
    read = _title_and_text(rest)
    printed = m.group("number").strip()
    if read is None or ("." not in printed and printed == m.group("number") and (read[1] is not None or "\n" in rest)):
        return None  # a bare number run into words is a chapter only when they are its title alone: "1总则"
    number = tuple(int(part) for part in printed.split("."))
    if 0 in number:
        return None
    return HeadingMatch(rank=len(number), label=printed + " ", ordinal=number[-1], rest=rest, number=number)


def text_on_heading_line(text: str) -> int | None:
    """Where the text printed on a decimal heading's line after its title starts ("1.1 编制目的 为提高……" → 9),
    None for a line holding the title only."""
    plain = normalize_widths(text)
    match = match_decimal_heading(plain)
    if match is None:
        return None
    read = _title_and_text(match.rest)
    return None if read is None or read[1] is None else len(plain) - len(match.rest) + read[1]


def _runs_on(previous: tuple[int, ...] | None, number: tuple[int, ...]) -> bool:
    """Does number continue the numbering after previous? 1 or 1.1 opens it; then a first subsection (1 → 1.1), the
    next at any level (1.2 → 1.3, 1.2.1 → 2), or the next chapter's first section when its own line is missing."""
    if previous is None:
        return number in ((1,), (1, 1))
    following = {previous[:k] + (previous[k] + 1,) for k in range(len(previous))}
    if len(previous) < DECIMAL_DEPTH:
        following.add(previous + (1,))
    following.add((previous[0] + 1, 1))
    return number in following


def decimal_heading_lines(texts: list[str]) -> set[int]:
    """Indexes of the lines that are decimal headings: a title after the number and a numbering that runs on; a
    line that only looks like one ("2.5 万亩") is text. Where a heading's line was lost (1.2 → 1.4), the numbering
    picks up again at a later number the next heading continues (1.4 → 1.5). No heading at all unless one has a
    section number (1.1)."""
    candidates = [
        (k, match.number)
        for k, text in enumerate(texts)
        if (match := match_decimal_heading(normalize_widths(text.strip()))) is not None
    ]
    # A chapter's number run into its title ("1总则") is one only over its first section ("1.1编制目的"); else it is a
    # count ("3项任务已完成").
    candidates = [
        (k, number)
        for n, (k, number) in enumerate(candidates)
        if len(number) > 1
        or _TIGHT_CHAPTER.match(normalize_widths(texts[k].strip())) is None
        or (n + 1 < len(candidates) and candidates[n + 1][1] == number + (1,))
    ]
    found: list[tuple[int, tuple[int, ...]]] = []
    for n, (k, number) in enumerate(candidates):
        previous = found[-1][1] if found else None
        picks_up = (
            previous is not None
            and number > previous
            and n + 1 < len(candidates)
            and _runs_on(number, candidates[n + 1][1])
        )
        if _runs_on(previous, number) or picks_up:
            found.append((k, number))
    if not any(len(number) > 1 for _, number in found):
        return set()
    return {k for k, _ in found}


def contents_key(text: str) -> tuple[tuple[int, ...], str] | None:
    """A decimal contents entry's number and title without spaces, dot leaders or page number ("1.1 编制目的……3" →
    ((1, 1), "编制目的")); None for a line that is no such entry."""
    match = match_decimal_heading(normalize_widths(text.strip()))
    if match is None:
        return None
    read = _title_and_text(match.rest)
    if read is None or read[1] is not None:
        return None
    return match.number, re.sub(r"\s+", "", read[0])


__all__ = ["contents_key", "decimal_heading_lines", "match_decimal_heading", "text_on_heading_line"]
