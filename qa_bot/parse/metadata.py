"""A government portal's metadata block around a document ("发文字号：", "索 引 号 … 发文日期 …", "• 成文日期:" with
the value on the next line, rows printed as a "|"-separated table, a publishing stamp): which lines it takes and what
its fields say."""

from __future__ import annotations

import re

from qa_bot.parse.paragraphs import Line, nonblank
from qa_bot.parse.titles import looks_like_title
from qa_bot.text.normalize import normalize_text
from qa_bot.text.patterns import (
    DATE_ISO,
    ISSUER_NAME,
    METADATA_BARE_LABEL,
    METADATA_LABEL,
    METADATA_ROW,
    PUBLISHED_STAMP,
)

_VALUE_MAX = 40  # a value under a bare label is short and no sentence
_TIME_LABEL = re.compile(r"时间\s*[:：]")
_UNLABELED_RUN = 3  # bulleted values in a row that make a portal's field list without labels
_BARE_LABEL_RUN = 3  # labels alone on their lines, each over its value, that make a portal's field block
# A bare field value: an index number ("005299478/2022-00137"), a date ("2022-08-10"), a short word ("应急").
_INDEX_NUMBER = re.compile(r"^[0-9A-Za-z]+(?:[-/][0-9A-Za-z]+)+$")
_BARE_VALUE = re.compile(r"^[^\s。，,；;：:]{1,24}$")
_WORD = re.compile(r"[\u4e00-\u9fff]")


def _cell(text: str) -> str:
    """A label's value; in a row printed as a table ("文 号: | 六盘水府办发〔2022〕10号 | 是否有效: | |") the first
    non-empty cell after the label."""
    cells = [c.strip(" \t:：•·\u3000") for c in text.split("|")]
    return next((c for c in cells if c), "")


def _stamp(text: str) -> bool:
    """A publishing stamp; on a portal's list bullet, a labelled one ("  • 时间:2019-12-31", a field of the list)."""
    if PUBLISHED_STAMP.match(text):
        return True
    rest = text.lstrip(" \t\u3000")
    field = rest.lstrip("•●▪ \t\u3000")
    return rest != field and bool(_TIME_LABEL.match(field) and PUBLISHED_STAMP.match(field))


def is_metadata_line(text: str) -> bool:
    """A portal metadata row ("发文字号：…", "索 引 号 … 发文日期 …") or a publishing stamp."""
    return bool(METADATA_ROW.match(text) or METADATA_BARE_LABEL.match(text) or _stamp(text))


def metadata_fields(lines: list[Line], indexes: list[int]) -> dict[str, str]:
    """Label → value of the metadata rows among indexes; a label alone on its line takes the next line as value."""
    fields: dict[str, str] = {}
    for k, i in enumerate(indexes):
        text = lines[i].text
        if not is_metadata_line(text):
            continue  # a stamp carries fields too: "时间:2023-07-11 17:01 浏览次数: 信息来源: 丽水市政府"
        if _stamp(text) and (stamped := DATE_ISO.search(text)):
            fields.setdefault("时间", stamped.group(0))  # the page's publication, whether labelled or not
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
        if _stamp(line.text):
            found.add(i)
        elif METADATA_ROW.match(line.text):
            found.add(i)
            rest = METADATA_LABEL.sub("", line.text).strip(" \t:：•·●▪-\u3000|")
            below = nonblank(lines, i + 1, min(len(lines), i + 3))
            # the portal prints a value indented under its label; a title at the margin is the page's own text (a copy
            # that lost its indentation, as a web page read as text does, keeps its values: a date, a body's name)
            under = lines[below[0]].text if below else ""
            at_margin = under[:1] not in " \t\u3000" and bool(_WORD.search(under))
            margin_title = at_margin and looks_like_title(under.strip())
            if not rest and below and not margin_title:
                value = normalize_text(lines[below[0]].text)
                if not METADATA_ROW.match(lines[below[0]].text) and len(value) <= _VALUE_MAX and "。" not in value:
                    found.add(below[0])
    return found | _unlabeled_fields(lines) | _bare_label_block(lines)


def _bare_label_block(lines: list[Line]) -> set[int]:
    """A portal's field block printed one label, then its value, to a line, without colons ("索引号" /
    "011437144/2023-06550" / "文件类型" / "政府文件" / "发文字号" / …): the lines of a run of such pairs. A label's
    word alone in a text ("来源") is no field block."""
    present = nonblank(lines, 0, len(lines))
    found: set[int] = set()
    k = 0
    while k < len(present):
        pairs: list[int] = []
        while k + 1 < len(present) and _label_over_value(lines[present[k]].text, lines[present[k + 1]].text):
            pairs += present[k : k + 2]
            k += 2
        if len(pairs) >= 2 * _BARE_LABEL_RUN:
            found |= set(pairs)
        k += 0 if pairs else 1
    return found


def _label_over_value(label: str, value: str) -> bool:
    plain = normalize_text(value)
    return (
        bool(METADATA_BARE_LABEL.match(label))
        and not METADATA_BARE_LABEL.match(value)
        and 0 < len(plain) <= _VALUE_MAX
        and "。" not in plain
    )


def _unlabeled_fields(lines: list[Line]) -> set[int]:
    """A portal's field list printed without its labels, one bulleted value to a line ("• 005299478/2022-00137" /
    "• 新郑市卫生健康委员会" / "• 应急" / "• 2022-08-10"): a run of bare values holding an index number or a date. The
    publishing body's name stays out: it is the issuer line of the page (qa_bot.parse.issuers)."""
    found: set[int] = set()
    run: list[int] = []
    for i in [*nonblank(lines, 0, len(lines)), len(lines)]:
        text = lines[i].text if i < len(lines) else ""
        value = normalize_text(text).strip(" •●▪")
        bulleted = i < len(lines) and (lines[i].bulleted or text.lstrip().startswith(("•", "●", "▪")))
        if bulleted and _BARE_VALUE.match(value):  # a date keeps its bullet: it reads as a stamp (paragraphs.py)
            run.append(i)
            continue
        values = [normalize_text(lines[j].text).strip(" •●▪") for j in run]
        if len(run) >= _UNLABELED_RUN and any(_INDEX_NUMBER.match(v) or DATE_ISO.fullmatch(v) for v in values):
            found |= {j for j, v in zip(run, values, strict=True) if not ISSUER_NAME.fullmatch(v)}
        run = []
    return found


__all__ = ["is_metadata_line", "metadata_fields", "metadata_line_set"]
