"""A task table a web copy prints one cell to a line whose rows are ragged: merged cells printed once, a cell listing
several units one to a line, a row holding two tasks — each row's cells put under their columns by what they are."""

from __future__ import annotations

import re

from qa_bot.text.normalize import normalize_widths
from qa_bot.text.patterns import match_heading
from qa_bot.text.units import split_units

_SERIAL_HEADER = re.compile(r"^(?:序号|编号)$")
# The first row's serial: "1", or any up to 999 where the copy starts inside a longer table ("24"); a year is a
# column's name.
FIRST_SERIAL = re.compile(r"^[1-9]\d{0,2}$")
_NAME_MAX = 12  # a column name is a short line
_HEADER_MAX = 12  # column names before the first row
_CELL_MAX = 150  # a cell is at most a paragraph; a longer line is text again
_DEADLINE_COLUMN = re.compile(r"时限|时间|期限|节点")
_PERSON_COLUMN = re.compile(r"领导|责任人|联系人")
# A column of units ("责任单位", "责任股室(单位)"), never a column of measures ("单位": 万亩, %).
_UNIT_COLUMN = re.compile(r".(?:单位|部门)|股室|科室|处室")
_GROUP_COLUMN = re.compile(r"(?:项目|类别|领域|指标)$")  # a column of groups printed before "序号"
# "12月底前", "9月投入使用", "2023年6月", "年底前", "全年", "长期坚持": when, not who or what.
_DEADLINE_CELL = re.compile(r"^(?:\d{4}\s*年\s*)?\d{1,2}\s*月|^(?:年底|年内|全年|长期|持续|每季度|每月)")
# A person's name, 2 or 3 characters, spaced out as a table centres it ("周 斐").
_PERSON_CELL = re.compile(r"^[\u4e00-\u9fff](?:[ \u3000]*[\u4e00-\u9fff]){1,2}$")
_UNIT_END = re.compile(r"(?:局|委|办|股|室|队|馆|会|中心|公司|部|院|所|站|联|处|科|组|府|厅)$")


def _is_sentence(text: str) -> bool:
    plain = normalize_widths(text.strip())
    return plain.endswith(("。", "；")) or "，" in plain or len(plain) > 30


def _cell_kind(text: str) -> str:
    plain = text.strip()
    if _is_sentence(plain):
        return "sentence"
    if _DEADLINE_CELL.search(plain):
        return "deadline"
    if _PERSON_CELL.match(plain) and not _UNIT_END.search(plain):
        return "person"
    return "phrase"


def _is_unit(text: str) -> bool:
    """A unit's name: a short phrase ending as a body's name does, no figure in it ("食堂100所" is a task)."""
    plain = text.strip()
    return _cell_kind(plain) in ("phrase", "person") and bool(_UNIT_END.search(plain)) and not re.search(r"\d", plain)


def _is_unit_list(text: str) -> bool:
    """Units listed in one cell ("区财政局、区住房和城建局、…、各街道办事处"), however long the list."""
    parts = split_units(text.strip().rstrip("。；"))
    return len(parts) > 1 and all(_is_unit(p) for p in parts)


def _column_kind(name: str) -> str:
    name = re.sub(r"\s+", "", name)  # a name spaced out over the column's width ("牵 头 部 门")
    if _DEADLINE_COLUMN.search(name):
        return "deadline"
    if _PERSON_COLUMN.search(name):
        return "person"
    return "unit" if _UNIT_COLUMN.search(name) else "text"


def _header(texts: list[str], filled: list[int], p: int) -> tuple[list[int], list[str]] | None:
    """The header's lines and column names from the "序号" line at filled[p] up to the first row's serial
    (FIRST_SERIAL) — or up to a part heading over the first row ("一、主要经济社会发展指标……"); a name printed over two
    lines ("责任股室" / "（单位）") is one name."""
    lines, names = [filled[p]], [texts[filled[p]].strip()]
    for i in filled[p + 1 : p + 1 + _HEADER_MAX]:
        text = texts[i].strip()
        if FIRST_SERIAL.match(text) or (match_heading(normalize_widths(text)) and len(names) >= 3):
            return (lines, names) if len(names) >= 3 else None
        if len(text) > _NAME_MAX or any(c in text for c in "。；，,"):
            return None
        if text[0] in "(（" and len(names) > 1:
            names[-1] += text
        else:
            names.append(text)
        lines.append(i)
    return None


def _align(kinds: list[str], cells: list[str]) -> list[tuple[int, list[str]]]:
    """A row's cells (serial left out) under their columns: a sentence in the last of a run of text columns before the
    units (the ones before it merged with the row above), in the next one after them; a phrase in the next one; a
    deadline, a person and units only in a column for them, the units column taking every unit listed one to a line;
    a sentence after the row is full starts a second row under the same serial. Each row with the position of its
    first cell."""
    rows: list[tuple[int, list[str]]] = []
    current, col, first = [""] * len(kinds), 0, 0
    for k, cell in enumerate(cells):
        kind = _cell_kind(cell)
        while True:
            if col >= len(kinds):
                rows.append((first, current))
                current, col, first = [""] * len(kinds), 0, k
            wanted = kinds[col]
            if wanted == "text":
                run = col
                while run + 1 < len(kinds) and kinds[run + 1] == "text":
                    run += 1
                if kind == "sentence" and "unit" not in kinds[:col]:
                    col = run  # a merged column before the task's own; after the units, columns fill in turn
                current[col], col = cell.strip(), col + 1
                break
            if wanted == "unit" and (kind in ("phrase", "person") or _is_unit_list(cell)):
                next_units = col + 1 < len(kinds) and kinds[col + 1] == "unit"
                if current[col] and (next_units or not _is_unit(cell)):
                    col += 1  # a full units column before another, or a cell of no unit ("皖政〔2022〕9号文件")
                    continue
                current[col] = "、".join(filter(None, [current[col], cell.strip()]))
                break  # the units column goes on taking units
            if wanted == kind:
                current[col], col = cell.strip(), col + 1
                break
            col += 1  # this row leaves the column empty (a cell merged with the row above)
    rows.append((first, current))
    return rows


def _align_from_end(kinds: list[str], cells: list[str]) -> list[str]:
    """A row's cells (serial left out) under columns that end in units columns ("责任部门" / "评分部门"), read from the
    row's end: each later units column takes one cell, the first of them every unit listed one to a line before it,
    the other columns one cell each — the row's first columns are the ones a merged cell left empty."""
    values = [""] * len(kinds)
    col, c = len(kinds) - 1, len(cells) - 1
    while col >= 0 and kinds[col] == "unit" and c >= 0:
        if col > 0 and kinds[col - 1] == "unit":
            values[col], col, c = cells[c].strip(), col - 1, c - 1
            continue
        taken: list[str] = []
        while c >= 0 and _is_unit(cells[c]):
            taken.insert(0, cells[c].strip())
            c -= 1
        values[col], col = "、".join(taken), col - 1
        break
    while col >= 0 and c >= 0:
        values[col], col, c = cells[c].strip(), col - 1, c - 1
    if c >= 0:  # more cells than columns: the first column's cell was broken
        values[0] = "".join(cell.strip() for cell in cells[: c + 1]) + values[0]
    return values


def ragged_rows(texts: list[str]) -> dict[int, tuple[list[int], list[str]]]:
    """Tables printed one cell to a line ("序号" / column names / "1" / cells / "2" / …) in the lines' texts ("" for a
    blank line): the first line of the header and of each row → its lines and its cells (the header's: the column
    names; a row holding a second task is two rows, the second under the same serial). Rows run to the next serial;
    the last row ends at the next heading, a long line, or when it holds twice the columns. A column of groups may
    come before "序号" ("考核项目" / "序号" / …): the first row's group is then printed before its serial."""
    filled = [i for i, text in enumerate(texts) if text.strip()]
    found: dict[int, tuple[list[int], list[str]]] = {}
    for p, i in enumerate(filled):
        if i in found or not _SERIAL_HEADER.match(texts[i].strip()):
            continue
        header = _header(texts, filled, p)
        if header is None:
            continue
        header_lines, names = header
        group_name = texts[filled[p - 1]].strip() if p > 0 else ""
        grouped = bool(_GROUP_COLUMN.search(group_name)) and len(group_name) <= _NAME_MAX and len(names) > 3
        first_group = ""
        after = p + len(header_lines)
        # the first row's group is printed before its serial — unless a part heading stands there, which groups it
        group_line = grouped and not (
            after < len(filled) and match_heading(normalize_widths(texts[filled[after]].strip()))
        )
        if group_line:  # the group column's name above "序号"; the last "name" is the first row's group
            header_lines, names = [filled[p - 1], *header_lines[:-1]], [group_name, *names[:-1]]
            first_group = texts[header[0][-1]].strip()
        elif grouped:
            header_lines, names = [filled[p - 1], *header_lines], [group_name, *names]
        columns = names[2:] if grouped else names[1:]
        kinds = [_column_kind(name) for name in columns]
        table = {header_lines[0]: (header_lines, names)}
        q = p + len(header[0])
        while q < len(filled) and match_heading(normalize_widths(texts[filled[q]].strip())):
            q += 1  # a part heading over the first row stays a heading
        first = texts[filled[q]].strip() if q < len(filled) else ""
        serial = int(first) if FIRST_SERIAL.match(first) else 1
        while q < len(filled) and texts[filled[q]].strip() == str(serial):
            row = [filled[q]]
            q += 1
            while q < len(filled) and texts[filled[q]].strip() != str(serial + 1) and len(row) <= 2 * len(names):
                text = texts[filled[q]].strip()
                if len(text) > _CELL_MAX or match_heading(normalize_widths(text)):
                    break
                row.append(filled[q])
                q += 1
            if len(row) < 2:
                break
            group = [first_group if serial == 1 else ""] if grouped else []
            own = 1  # the row's lines before its cells: its serial, and the first row's group
            if group_line and serial == 1:
                row, own = [header[0][-1], *row], 2  # the group's line is the row's
            cells = [texts[j] for j in row[own:]]
            if kinds[-1] == "unit":
                table[row[0]] = (row, [*group, str(serial), *_align_from_end(kinds, cells)])
            else:
                aligned = _align(kinds, cells)
                for n, (start, values) in enumerate(aligned):
                    stop = aligned[n + 1][0] + own if n + 1 < len(aligned) else len(row)
                    lines = row[:stop] if n == 0 else row[start + own : stop]
                    table[lines[0]] = (lines, [*group, str(serial), *values])
            serial += 1
            while q < len(filled) and match_heading(normalize_widths(texts[filled[q]].strip())):
                q += 1  # a part heading between rows ("二、……") stays a heading
        # two rows at least; one when the copy ends inside the table, cut after its first row
        if len(table) > 2 or (len(table) == 2 and q >= len(filled)):
            found.update(table)
    return found


__all__ = ["FIRST_SERIAL", "ragged_rows"]
