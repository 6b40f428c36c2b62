"""A government portal's metadata block around a document ("发文字号：", "索 引 号 … 发文日期 …", "• 成文日期:" with
the value on the next line, rows printed as a "|"-separated table, a publishing stamp): which lines it takes and what
its fields say."""

from __future__ import annotations

import re

from qa_bot.parse.paragraphs import Line, nonblank
from qa_bot.text.normalize import normalize_text
from qa_bot.text.patterns import METADATA_LABEL, METADATA_ROW, PUBLISHED_STAMP

_VALUE_MAX = 40  # a value under a bare label is short and no sentence


def _cell(text: str) -> str:
    """A label's value; in a row printed as a table ("文 号: | 六盘水府办发〔2022〕10号 | 是否有效: | |") the first
    non-empty cell after the label."""
    cells = [c.strip(" \t:：•·\u3000") for c in text.split("|")]
    return next((c for c in cells if c), "")


def is_metadata_line(text: str) -> bool:
    """A portal metadata row ("发文字号：…", "索 引 号 … 发文日期 …") or a publishing stamp."""
    return bool(METADATA_ROW.match(text) or PUBLISHED_STAMP.match(text))


def metadata_fields(lines: list[Line], indexes: list[int]) -> dict[str, str]:
    """Label → value of the metadata rows among indexes; a label alone on its line takes the next line as value."""
    fields: dict[str, str] = {}
    for k, i in enumerate(indexes):
        text = lines[i].text
        if not (METADATA_ROW.match(text) or PUBLISHED_STAMP.match(text)):
            continue  # a stamp carries fields too: "时间:2023-07-11 17:01 浏览次数: 信息来源: 丽水市政府"
        marks = list(METADATA_LABEL.finditer(text))
        for n, m in enumerate(marks):
            end = marks[n + 1].start() if n + 1 < len(marks) else len(text)
            label = re.sub(r"\s+", "", m.group(0))
            value = _cell(text[m.end() : end])
            if (
                not value
                and n + 1 == len(marks)
                and k + 1 < len(indexes)
                and not is_metadata_line(lines[indexes[k + 1]].text)
            ):
                value = lines[indexes[k + 1]].text.strip()
            fields.setdefault(label, value)
    return fields


def metadata_line_set(lines: list[Line]) -> set[int]:
    """Indexes of every metadata line of a file: the rows themselves and the value written under a bare label."""
    found: set[int] = set()
    for i, line in enumerate(lines):
        if PUBLISHED_STAMP.match(line.text):
            found.add(i)
        elif METADATA_ROW.match(line.text):
            found.add(i)
            rest = METADATA_LABEL.sub("", line.text).strip(" \t:：•·●▪-\u3000|")
            below = nonblank(lines, i + 1, min(len(lines), i + 3))
            if not rest and below:
                value = normalize_text(lines[below[0]].text)
                if not METADATA_ROW.match(lines[below[0]].text) and len(value) <= _VALUE_MAX and "。" not in value:
                    found.add(below[0])
    return found


__all__ = ["is_metadata_line", "metadata_fields", "metadata_line_set"]
