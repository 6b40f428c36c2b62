"""Lines → paragraphs, repairing page breaks: a paragraph cut mid-sentence by a blank line is joined back."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

from qa_bot.parse.numbering import contents_key, decimal_heading_lines, text_on_heading_line
from qa_bot.parse.ragged_table import FIRST_SERIAL, ragged_rows
from qa_bot.text.normalize import compact, normalize_text, normalize_widths
from qa_bot.text.patterns import METADATA_ROW, PUBLISHED_STAMP, TOC_START, match_heading, match_tight_heading
from qa_bot.text.units import (
    CLOSERS,
    NOTE_KEYWORDS,
    NOTE_LINE,
    OPENERS,
    find_note_span,
    is_cut_label,
    is_role_line,
)

SENTENCE_END = "。！？；：…"
_QUOTE_CLOSERS = "”’」』"
_TITLE_MAX = 20  # a short line with no punctuation at all is a title, never the first half of a sentence
_HEADING_LIKE_MAX = 50
_RUN_TOGETHER_MIN = 200  # a line this long holding spaced parts may be a whole document that lost its line breaks
_SPACED_ARTICLE = re.compile(r"(?:^|[ \t\u3000])第[一二三四五六七八九十百零〇]+条[ \t\u3000]")
# "—1—", "- 2 -", and a PDF copy's "— — — 2 —" (the dash of the rule before the number broken into pieces).
_PAGE_NUMBER = re.compile(r"^\s*(?:[—－-]\s*){1,3}\d{1,3}\s*(?:[—－-]\s*){1,3}$")
_CONTENTS_ENTRY_MAX = 30  # a contents entry is a short heading
_CONTENTS_MIN_ENTRIES = 3
# A row of a table a web copy prints with "|" between its cells: at least three cells, the last closed by "|".
_PIPE_ROW = re.compile(r"^\s*\|?(?:[^|\n]+\|){3,}\s*$")
_FILE_LINK = re.compile(r"^\s*[^\s。，；]{1,60}\.(?:pdf|docx?|wps|ofd|xlsx?|zip|rar)\s*$", re.IGNORECASE)
# A portal's button that opens or folds its field block, alone on its line under the fields ("展开", "收起"), or
# its row of buttons for the type size ("字号 大号 标准 小号", "字体：大 中 小").
_FOLD_BUTTON = re.compile(r"^\s*(?:展开|收起|(?:字号|字体)[：:]?[\s【】\[\]|｜大中小号标准默认超特]{2,})\s*$")
# A portal's share buttons, one to a line under its "分享到:" ("微信" / "X"): the page's, not the document's.
_SHARE_LABEL = re.compile(r"分享到\s*[：:]?\s*$")
_SHARE_BUTTON = re.compile(
    r"^\s*(?:微信|朋友圈|微博|新浪微博|QQ|QQ空间|X|Twitter|Facebook|抖音|今日头条)\s*$", re.IGNORECASE
)
# A caption standing for a picture the copy left out ("【资料图】", "[图片]").
_PICTURE_CAPTION = re.compile(r"^\s*[【\[［]\s*(?:资料图|资料图片|图片|图|配图|摄影)\s*[】\]］]\s*$")
# The rule under a table's head row in a copy written as Markdown ("---|---|---|---|").
_TABLE_RULE = re.compile(r"^\s*\|?(?:\s*:?-{3,}:?\s*\|)+\s*(?::?-{3,}:?\s*)?$")
# An article's, chapter's or section's number alone ("第二条", "第一章"): the words after the space are its own.
_ARTICLE_NUMBER_ONLY = re.compile(r"^\s*第[一二三四五六七八九十百零〇]+[条章节]\s*$")
_PART_BREAK = re.compile(r"(?<![0-9A-Za-z])[ \t\u3000]+|[ \t\u3000]+(?![0-9A-Za-z])")
# A law database's field name in front of a line's text: "【章名】 第一章 总则", "【题注】 (……通过)".
_FIELD_LABEL = re.compile(r"^\s*【[\u4e00-\u9fff]{2,6}】[ \t\u3000]+(?=\S)")
# An indent of full-width spaces a copy could not encode, printed as question marks: "??2018年5月14日".
_LOST_INDENT = re.compile(r"^[?？]{2,}")
# A table a web copy prints one cell to a line opens with its serial column's name ("序号" / "指标名称" / … / "1" / …).
_SERIAL_HEADER = re.compile(r"^(?:序号|编号)$")
_CELL_MAX = 30  # a cell of such a table is a short line of no sentence
_WRAP_MIN, _WRAP_MAX = 40, 90  # the width (display columns) of a PDF page's line of text
_WRAP_NEAR = 0.9  # a line this close to the widest fills the page's width (half-width marks make it narrower)
_WRAP_LINES = 5  # lines that must fill the width for text to count as hard-wrapped
_HEADER_CELLS_MAX = 12  # column names of such a table before its first row
_LINED_UP_ROWS = 2  # the header and one row: too few lined up to call the table's other rows broken
# A table a web copy prints with a space between its cells: the header "序号 重点工作任务 主要责任单位 协同配合单位",
# then rows opening with their serial; a cell broken over lines goes on under its row.
_SPACED_HEADER = re.compile(r"^\s*(?:序号|编号)(?:[ \u3000]+[^\s。；，,]{1,20}){2,}\s*$")
_SPACED_CONTINUATION = 3  # lines a row's broken cells may take under it
_UNITS_HEADER = re.compile(r"(?:单位|部门)$")  # a column of units: "牵头单位", "参与单位", "责任部门"
# A row of a list a web copy prints in two columns with a wide gap between them, as a name and a post
# ("王贤荣(女)        南京林业大学生物与环境学院教授"): no sentence, so rows one under the other never join.
_GAP_ROW = re.compile(r"^[^。；，,]{1,12}?\S[ \t\u3000]{4,}\S[^。；]*$")
# A portal's list bullet in front of a line ("  •   青岛市人民政府", "  • 年度期数 2019年第3、4期"): decoration.
_BULLET = re.compile(r"^[ \t\u3000]*[•●▪][ \t\u3000]*(?=\S)")


@dataclass(frozen=True)
class Line:
    """One physical line of the source file with its character offsets and 1-based number."""

    text: str
    start: int
    end: int
    number: int
    bulleted: bool = False  # a portal's list bullet stood in front of the text (drop_field_labels took it off)

    @property
    def is_blank(self) -> bool:
        return not self.text.strip()

    @property
    def is_table_row(self) -> bool:
        return ("\t" in self.text.strip("\n") and len(self.text.split("\t")) >= 2) or bool(_PIPE_ROW.match(self.text))


def table_cells(row: str) -> list[str]:
    """A table row's cells: tab-separated, or "|"-separated as a web copy prints a table ("1 | 任务 | 单位 |")."""
    if "\t" in row:
        return row.split("\t")
    cells = row.strip().split("|")
    return cells[1:-1] if row.strip().startswith("|") else cells[:-1] if row.strip().endswith("|") else cells


@dataclass
class Paragraph:
    """Consecutive source lines that form one paragraph after page-break repair."""

    lines: list[Line]
    separators: list[str] = field(default_factory=list)  # how line k+1 was attached to line k: "" or "\n"
    decimal_heading: bool = False  # opens with a decimal section number ("1.1 编制目的", qa_bot.parse.numbering)
    cell_lines: bool = False  # a table row printed one cell to a line: each line is a cell
    spaced_cells: tuple[str, ...] = ()  # a table row printed with spaces between its cells: the cells as read

    @property
    def start(self) -> int:
        return self.lines[0].start + (len(self.lines[0].text) - len(self.lines[0].text.lstrip()))

    @property
    def end(self) -> int:
        last = self.lines[-1]
        return last.start + len(last.text.rstrip())

    @property
    def raw(self) -> str:
        if self.spaced_cells:
            return "\t".join(self.spaced_cells)
        if self.cell_lines:
            return "\t".join(line.text.strip() for line in self.lines)
        if self.is_table_row:  # a leading tab is an empty first cell, so only spaces are trimmed
            return self.lines[0].text.strip(" \u3000\r")
        parts = [self.lines[0].text.strip()]
        for sep, line in zip(self.separators, self.lines[1:], strict=False):
            parts.append(sep + line.text.strip())
        return "".join(parts)

    @property
    def is_table_row(self) -> bool:
        return self.cell_lines or bool(self.spaced_cells) or self.lines[0].is_table_row

    @property
    def joins(self) -> tuple[int, ...]:
        """Source offsets of the lines that were joined on (page-break repairs and attached notes)."""
        return tuple(line.start for line in self.lines[1:])

    @property
    def first_line(self) -> int:
        return self.lines[0].number


def nonblank(lines: list[Line], start: int, stop: int) -> list[int]:
    """Indexes of the lines in [start, stop) that hold any text."""
    return [i for i in range(start, stop) if not lines[i].is_blank]


def split_lines(text: str) -> list[Line]:
    """Every line of text with its offsets (line terminators excluded from the line text)."""
    lines: list[Line] = []
    offset = 0
    for number, chunk in enumerate(text.split("\n"), start=1):
        lines.append(Line(text=chunk, start=offset, end=offset + len(chunk), number=number))
        offset += len(chunk) + 1
    return lines


def _bullet(text: str) -> re.Match[str] | None:
    """The bullet in front of a line that is no metadata row nor stamp (those keep theirs: the metadata reads it)."""
    m = _BULLET.match(text)
    return m if m and not (METADATA_ROW.match(text) or PUBLISHED_STAMP.match(text[m.end() :])) else None


def drop_field_labels(lines: list[Line]) -> list[Line]:
    """Lines without the field name a law database prints in front of them ("【章名】 第一章 总则" → "第一章 总则"),
    offsets moved past it, so the chapter is a heading and no clause text holds the label; and without a portal's
    list bullet, whose line keeps its offsets (the bullet is the line's own decoration, in its span); and without the
    "??" a copy prints for the full-width spaces of an indent it could not encode ("??經市政府同意,……")."""
    out: list[Line] = []
    for line in lines:
        if m := _FIELD_LABEL.match(line.text) or _LOST_INDENT.match(line.text):
            line = Line(line.text[m.end() :], line.start + m.end(), line.end, line.number)
        elif m := _bullet(line.text):
            line = Line(line.text[m.end() :], line.start, line.end, line.number, bulleted=True)
        out.append(line)
    return out


def blank_non_text(lines: list[Line]) -> list[Line]:
    """Lines that are no text of the document become blank: a printed page number ("—1—", "- 2 -") is a page break,
    a link to a file ("建政函〔2025〕20号.pdf"), the "展开" that unfolds a field block or the type-size row ("字号 大号
    标准 小号") and the share buttons under "分享到:" ("微信" / "X") a portal's buttons, a picture's caption
    ("【资料图】") the picture's, the rule under a Markdown table's head ("---|---|") a copy's markup."""
    out = []
    sharing = False  # under a "分享到:" while only its buttons follow
    for line in lines:
        button = bool(_SHARE_BUTTON.match(line.text))
        sharing = (sharing and (line.is_blank or button)) or bool(_SHARE_LABEL.search(line.text))
        chrome = any(
            p.match(line.text) for p in (_PAGE_NUMBER, _FILE_LINK, _FOLD_BUTTON, _TABLE_RULE, _PICTURE_CAPTION)
        )
        out.append(Line("", line.start, line.start, line.number) if chrome or (sharing and button) else line)
    return out


# A cell a copy prints on a line of its own closed by a bar ("城管局 |"), an empty one as a bare bar or two ("||").
_BARRED_CELL = re.compile(r"\s*\|\|?\s*$")
_BARRED_RUN_MIN = 6  # lines in a row closed by a bar: a table's cells, not a line that happens to end in one


def drop_cell_bars(lines: list[Line]) -> list[Line]:
    """Lines without the bar a copy prints after each cell of a table it flattens one cell to a line ("序号 |" /
    "主要任务 |" / … / "||"), in a run of such lines: the cell's text keeps its offsets, an empty cell is a blank line
    (as the copies without bars print none). A Markdown row ("| a | b |") opens with its bar and is left alone."""
    closed = [
        line.text.strip() in ("|", "||") or (bool(_BARRED_CELL.search(line.text)) and line.text.lstrip()[:1] != "|")
        for line in lines
    ]
    out = list(lines)
    k = 0
    while k < len(lines):
        if not closed[k]:
            k += 1
            continue
        end = k
        while end < len(lines) and (closed[end] or lines[end].is_blank):
            end += 1
        if sum(closed[k:end]) >= _BARRED_RUN_MIN:
            for j in range(k, end):
                line = lines[j]
                if closed[j]:
                    cut = _BARRED_CELL.search(line.text)
                    text = line.text[: cut.start()] if cut else ""
                    out[j] = Line(text, line.start, line.start + len(text), line.number)
        k = end
    return out


def contents_lines(lines: list[Line]) -> list[int]:
    """A document's own table of contents: the indexes of its "目 录" line and its short entries ("1 总则",
    "1.1编制目的", …) up to where the first entry is printed again as the text's heading — or, with no "目 录" line,
    a run of such entries numbered 1 / 1.1 (contents_key) whose first entry is printed again after them. No clause."""
    start = next((i for i, line in enumerate(lines) if TOC_START.match(line.text)), None)
    if start is not None:
        taken, _ = _contents_entries(lines, nonblank(lines, start + 1, len(lines)))
        return [start, *taken] if len(taken) >= _CONTENTS_MIN_ENTRIES else []
    present = nonblank(lines, 0, len(lines))
    first_numbered = next((k for k, i in enumerate(present) if contents_key(lines[i].text)), None)
    if first_numbered is None:
        return []
    # The list may open with entries whose numbers the copy lost ("总则" / "1.1 编制目的" / …).
    opening = first_numbered
    while opening > 0 and _is_contents_entry(lines[present[opening - 1]].text):
        opening -= 1
    for k in range(opening, first_numbered + 1):
        taken, printed_again = _contents_entries(lines, present[k:])
        if printed_again and sum(contents_key(lines[i].text) is not None for i in taken) >= _CONTENTS_MIN_ENTRIES:
            return taken
    return []


def _is_contents_entry(text: str) -> bool:
    plain = compact(normalize_text(text))
    return bool(plain) and len(plain) <= _CONTENTS_ENTRY_MAX and not any(p in plain for p in "。；，")


def _printed_again(first: str, text: str) -> bool:
    """The contents' first entry printed again as a heading: the same words, the same number and title without the
    entry's page number ("1 总则……1" → "1 总则"), or the same title with the number the entry lost ("总则" →
    "1 总则")."""
    if compact(normalize_text(text)) == compact(normalize_text(first)):
        return True
    key, first_key = contents_key(text), contents_key(first)
    if key is None:
        return False
    return key == first_key if first_key is not None else key[1] == compact(normalize_text(first))


def _contents_entries(lines: list[Line], indexes: list[int]) -> tuple[list[int], bool]:
    """The contents entries at the start of indexes, and whether they end where the first is printed again."""
    taken: list[int] = []
    for i in indexes:
        if taken and _printed_again(lines[taken[0]].text, lines[i].text):
            return taken, True
        if not _is_contents_entry(lines[i].text):
            break
        taken.append(i)
    return taken, False


def holds_run_together_articles(lines: list[Line]) -> bool:
    """A long line holding several articles one after another ("…制定本规定。 第二条 本省…"): rules whose copy lost
    its line breaks."""
    return any(
        len(line.text.strip()) >= _RUN_TOGETHER_MIN and len(_SPACED_ARTICLE.findall(line.text)) > 1 for line in lines
    )


def _open_brackets(text: str) -> int:
    return sum(text.count(c) for c in "(（") - sum(text.count(c) for c in ")）")


def split_run_together(lines: list[Line]) -> list[Line]:
    """A copy that lost its line breaks ("城委乡振组发〔2021〕3号 关于印发……的通知 各乡镇(场)……: …… 2021年9月3日 ……")
    has its parts separated by spaces only: each such long line becomes one line per part (same line number, offsets
    into the same text). A space between two ASCII letters or digits ("2023 年" keeps its digits) is no break, nor
    is one after an article's or chapter's number ("第二条 本省…", "第一章 总则") or inside brackets
    ("(……通过 根据……修正)")."""
    out: list[Line] = []
    for line in lines:
        if len(line.text.strip()) < _RUN_TOGETHER_MIN:
            out.append(line)
            continue
        cut = 0
        for m in _PART_BREAK.finditer(line.text):
            part = line.text[cut : m.start()]
            if _ARTICLE_NUMBER_ONLY.match(part) or _open_brackets(part) > 0:
                continue
            if part.strip():
                out.append(Line(line.text[cut : m.start()], line.start + cut, line.start + m.start(), line.number))
            cut = m.end()
        if line.text[cut:].strip():
            out.append(Line(line.text[cut:], line.start + cut, line.end, line.number))
    return out


def split_items_after_notes(lines: list[Line]) -> list[Line]:
    """A line holding numbered items one after another, each closed by its responsibility note ("（一）……增长11%左右。
    （省发改委负责）（二）……"), or a heading sentence and its sub-items ("1.深化商事制度改革。(1)……（市工商质监局牵头
    负责）(2)……"): a copy that lost the breaks between them. Each item becomes a line of its own (same line number,
    offsets into the same text). Only the next number of the line's own numbering after a note's closing bracket starts
    an item — or, one level down, a first sub-item after the heading's full stop — so "（二）" quoted inside a sentence
    stays text."""
    out: list[Line] = []
    for line in lines:
        text = normalize_widths(line.text)
        lead = len(text) - len(text.lstrip())
        first = match_heading(text[lead:])
        if first is None or first.rank < 4:
            out.append(line)
            continue
        cut, expected, sub_rank, expected_sub = 0, first.ordinal + 1, 0, 1
        for i in range(lead + 1, len(text)):
            if text[i - 1] not in CLOSERS and text[i - 1] != "。":
                continue
            item = match_heading(text[i:])
            if item is None:
                continue
            noted = text[i - 1] in CLOSERS and find_note_span(text[cut:i]) is not None
            if item.rank == first.rank and item.ordinal == expected and noted:
                expected, sub_rank, expected_sub = expected + 1, 0, 1
            elif (
                item.rank > first.rank
                and sub_rank in (0, item.rank)
                and item.ordinal == expected_sub
                and (noted or (expected_sub == 1 and text[i - 1] == "。"))
            ):
                sub_rank, expected_sub = item.rank, expected_sub + 1
            else:
                continue
            out.append(Line(line.text[cut:i], line.start + cut, line.start + i, line.number))
            cut = i
        out.append(line if cut == 0 else Line(line.text[cut:], line.start + cut, line.end, line.number))
    return out


def is_heading_like(text: str) -> bool:
    """A numbered line that is only a heading (one short phrase), so the next paragraph is its content."""
    heading = match_heading(text)
    if heading is None:
        return False
    rest = heading.rest.strip().rstrip("。")
    return "。" not in rest and len(rest) <= _HEADING_LIKE_MAX


def ends_sentence(text: str) -> bool:
    """True when width-normalised text ends where a paragraph may end."""
    text = text.rstrip()
    if not text:
        return True
    last = text[-1]
    if last in SENTENCE_END:
        return True
    if last in _QUOTE_CLOSERS:
        return len(text) > 1 and text[-2] in SENTENCE_END
    if last in CLOSERS:
        return find_note_span(text) is not None
    return False


def has_open_note(text: str) -> bool:
    """True when text ends inside a responsibility note whose closing bracket is on the next page."""
    depth = 0
    for i in range(len(text) - 1, -1, -1):
        ch = text[i]
        if ch in CLOSERS:
            depth += 1
        elif ch in OPENERS:
            if depth == 0:
                return bool(NOTE_KEYWORDS.search(text[i + 1 :]))
            depth -= 1
    return False


def _is_title_line(text: str) -> bool:
    stripped = text.strip()
    return len(stripped) <= _TITLE_MAX and not any(ch in stripped for ch in "，。；：、,.;:")


def _attachment(prev: str, nxt: str) -> str | None:
    """How nxt attaches to prev: "" (page-break repair), "\\n" (a separate 责任单位 line), or None (new paragraph)."""
    if prev.count("《") > prev.count("》"):
        return ""  # a name cited in 《》 goes on on the next line ("为贯彻落实《" / "遵义市政府信息公开规定》……")
    note = find_note_span(nxt)
    if note is not None and note[0] == 0:
        return ""  # a note pushed onto the next page still closes the clause above it
    last = prev.splitlines()[-1] if prev else ""
    if NOTE_LINE.match(nxt) or is_role_line(nxt) or (NOTE_LINE.match(last) and is_cut_label(nxt)):
        return "\n"  # a note's line; under one, a label the copy cut short ("完成时") is a line of its own
    if is_role_line(last):
        return None  # the role line closed the task above it
    if match_heading(nxt) is not None:
        return None
    if has_open_note(prev):
        return ""
    if is_article_caption(prev):
        return "\n"
    if _GAP_ROW.match(prev) and _GAP_ROW.match(nxt):
        return None
    if is_heading_like(prev) or _is_title_line(prev) or ends_sentence(prev):
        return None
    return ""


def is_article_caption(text: str) -> bool:
    """An article number with only a short caption ("第一条 目的", "第二条 适用范围"): the article's text is the
    paragraph printed below it."""
    heading = match_heading(text)
    if heading is None or heading.rank != 3:
        return False
    caption = heading.rest.strip()
    return 0 < len(caption) <= _TITLE_MAX and not any(ch in caption for ch in "，。；：、,.;:（）()")


def _article_number(text: str) -> int | None:
    """The number of an article (第X条) starting text, written with or without the space after it."""
    heading = match_heading(text) or match_tight_heading(text)
    return heading.ordinal if heading is not None and heading.rank == 3 else None


def build_paragraphs(lines: list[Line]) -> list[Paragraph]:
    """Group non-blank lines into paragraphs; table rows stay one paragraph each. The next article ("第五条……",
    even without the space) starts a paragraph although the one before it lacks its final full stop. A decimal
    section heading ("1.1 编制目的") starts one too and takes its text — printed after its title on the same line or
    on the line below — as a paragraph of its own lines, as an article's caption does."""
    lines = split_items_after_notes(lines)
    paragraphs: list[Paragraph] = []
    last_article = 0
    decimal = decimal_heading_lines(["" if line.is_table_row else line.text for line in lines])
    wrap = _wrap_width(lines)
    rows = _cell_line_rows(lines)
    spaced = _spaced_rows(lines)
    # A table whose rows do not line up from its first rows on (merged cells printed once), read by what its cells
    # are; rows that line up for a while and then do not have a broken cell, which ends the table as before
    ragged = ragged_rows([line.text for line in lines])
    if len(rows) <= _LINED_UP_ROWS and len(ragged) > len(rows):
        rows, spaced = {}, spaced | ragged
    in_rows = {i for row in rows.values() for i in row} | {i for row, _ in spaced.values() for i in row}
    for k, line in enumerate(lines):
        if k in rows:
            row = [lines[i] for i in rows[k]]
            paragraphs.append(Paragraph(lines=row, separators=["\t"] * (len(row) - 1), cell_lines=True))
            continue
        if k in spaced:
            row_lines, cells = spaced[k]
            row = [lines[i] for i in row_lines]
            paragraphs.append(Paragraph(lines=row, separators=["\n"] * (len(row) - 1), spaced_cells=tuple(cells)))
            continue
        if line.is_blank or k in in_rows:
            continue
        current = paragraphs[-1] if paragraphs else None
        text = normalize_widths(line.text.strip())
        if k in decimal:
            paragraphs.append(_decimal_heading_paragraph(line))
            continue
        article = _article_number(text)
        if (
            current is not None
            and not current.is_table_row
            and not line.is_table_row
            and not (article is not None and article == last_article + 1)
        ):
            sep = _attachment(normalize_widths(current.raw), text)
            if sep is None and wrap and _runs_on(current.lines[-1].text, text, wrap):
                sep = ""
            if current.decimal_heading and len(current.lines) == 1 and match_heading(text) is None:
                sep = "\n"  # the heading's title alone on its line: its text is below it
            if sep is not None:
                current.lines.append(line)
                current.separators.append(sep)
                continue
        if article is not None and (article == last_article + 1 or match_heading(text) is not None):
            last_article = article
        paragraphs.append(Paragraph(lines=[line]))
    return paragraphs


def _width(text: str) -> int:
    """Display columns of a line: a CJK (wide) character takes two."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text.strip())


def _wrap_width(lines: list[Line]) -> int:
    """The width a copy from a PDF hard-wrapped its text at (every paragraph broken into lines of the page's width,
    "……领导体制机制,优" / "化决策程序,……"): the widest line, when many lines come near it; 0 for text that is not so
    wrapped (a web page's paragraph is one line, as long as it is)."""
    widths = [_width(line.text) for line in lines if not line.is_blank and not line.is_table_row]
    widest = max(widths, default=0)
    if not _WRAP_MIN <= widest <= _WRAP_MAX:
        return 0
    return widest if sum(w >= widest * _WRAP_NEAR for w in widths) >= _WRAP_LINES else 0


def _runs_on(last: str, nxt: str, wrap: int) -> bool:
    """In hard-wrapped text a line that fills the page's width and ends no sentence goes on on the next line, a
    heading's too ("一、……加强党对基层治理的全面" / "领导") — unless the next line starts a heading or a note."""
    plain = normalize_widths(nxt)
    return (
        _width(last) >= wrap * _WRAP_NEAR
        and not ends_sentence(normalize_widths(last))
        and match_heading(plain) is None
        and not NOTE_LINE.match(plain)
    )


def _is_cell(text: str) -> bool:
    plain = text.strip()
    return 0 < len(plain) <= _CELL_MAX and not any(p in plain for p in "。；")


def opens_cell_table(lines: list[Line], indexes: list[int]) -> bool:
    """The lines at indexes open with a table printed one cell to a line: "序号" alone, short column names, then the
    first row's serial (FIRST_SERIAL)."""
    texts = [lines[i].text.strip() for i in indexes[: _HEADER_CELLS_MAX + 1]]
    first = next((k for k, text in enumerate(texts) if FIRST_SERIAL.match(text)), None)
    if not texts or not _SERIAL_HEADER.match(texts[0]) or first is None:
        return False
    names = texts[1:first]
    return len(names) >= 2 and all(_is_cell(name) for name in names)


def _cell_line_rows(lines: list[Line]) -> dict[int, list[int]]:
    """A table a web copy prints one cell to a line: "序号" and the other column names, then rows each opening with
    its serial (1, 2, … or on from another FIRST_SERIAL) — the first line of each row (the header's too) → the lines
    of its cells. A row whose cells do not line up (a cell broken over two lines) ends the table; what follows stays
    text."""
    cells = [i for i, line in enumerate(lines) if not line.is_blank]
    found: dict[int, list[int]] = {}
    for p, i in enumerate(cells):
        if not _SERIAL_HEADER.match(lines[i].text.strip()) or i in found:
            continue
        width = next((n for n, j in enumerate(cells[p:], start=0) if FIRST_SERIAL.match(lines[j].text.strip())), 0)
        if width < 3 or not all(_is_cell(lines[j].text) for j in cells[p : p + width]):
            continue
        table = {i: cells[p : p + width]}
        start, serial = p + width, int(lines[cells[p + width]].text.strip())
        while start + width <= len(cells):
            row = cells[start : start + width]
            after = lines[cells[start + width]].text.strip() if start + width < len(cells) else None
            lined_up = after is None or after == str(serial + 1) or not _is_cell(after) or bool(match_heading(after))
            if (
                lines[row[0]].text.strip() != str(serial)
                or not lined_up
                or not all(_is_cell(lines[j].text) for j in row)
            ):
                break  # the next row's serial (or the table's end) must follow: else a cell is broken
            table[row[0]] = row
            start, serial = start + width, serial + 1
        if len(table) > 1:
            found.update(table)
    return found


def _spaced_rows(lines: list[Line]) -> dict[int, tuple[list[int], list[str]]]:
    """A table a web copy prints with spaces between its cells ("序号 重点工作任务 主要责任单位 协同配合单位" / "1 地区
    生产总值增长6.5%左右。 区发改委 区政府各部门,……"): the first line of each row (the header's too) → its lines and
    cells. A part heading between rows ("一、……主要预期目标") stays a heading; a row the copy printed short takes the
    lines right under it as its last cells, and when they are more than its columns, the cell its first line ended in
    is the one broken over them ("2 一般公共预算收入增长5%左右。 区财政局" / "区税务局" / "区政府有关部门,……")."""
    found: dict[int, tuple[list[int], list[str]]] = {}
    filled = [i for i, line in enumerate(lines) if not line.is_blank]
    for p, i in enumerate(filled):
        if i in found or not _SPACED_HEADER.match(lines[i].text):
            continue
        header = lines[i].text.split()
        table: dict[int, tuple[list[int], list[str]]] = {i: ([i], header)}
        q, serial = p + 1, 1
        while q < len(filled):
            text = lines[filled[q]].text.strip()
            tokens = text.split()
            if len(tokens) == 1 and match_heading(text):
                q += 1
                continue
            spaced_out = len(tokens) > len(header) or len(text.split(" ")) >= len(header) > len(tokens)
            if tokens and tokens[0] == str(serial) and spaced_out and (fitted := _fit_row(header, text)):
                # cells broken by stray spaces or left empty by two spaces in a row, the units at the row's end
                table[filled[q]] = ([filled[q]], fitted)
                q, serial = q + 1, serial + 1
                continue
            if not (2 <= len(tokens) <= len(header)) or tokens[0] != str(serial):
                break
            row, cells, q = [filled[q]], list(tokens), q + 1
            short = len(tokens) < len(header)
            while short and q < len(filled) and len(row) <= _SPACED_CONTINUATION and filled[q] == row[-1] + 1:
                below = lines[filled[q]].text.strip()
                after = lines[filled[q + 1]].text.strip() if q + 1 < len(filled) else None
                closes = after is None or after.split()[0] == str(serial + 1) or bool(match_heading(after))
                if len(below.split()) != 1 or match_heading(below) or (len(cells) >= len(header) and not closes):
                    break
                row.append(filled[q])
                cells.append(below)
                q += 1
            if len(cells) < len(header):
                break  # a row cut short: the table ends before it
            extra = len(cells) - len(header)
            broken = len(tokens) - 1
            joint = "、" if header[broken].endswith(("单位", "部门")) else ""  # a list of units, one to a line
            cells = cells[:broken] + [joint.join(cells[broken : broken + extra + 1])] + cells[broken + extra + 1 :]
            table[row[0]] = (row, cells)
            serial += 1
        if len(table) > 1:
            found.update(table)
    return found


def _fit_row(header: list[str], text: str) -> list[str] | None:
    """A spaced row with more parts than columns ("1 加强水资源保 护 严守……红线 实施……。 市水利局 市发展改革委、……等
    各县(市、区)……"; two spaces in a row leave a merged cell empty): the units columns closing the header take the
    row's last parts, one each; the serial its first; the columns between take the parts between, the shortest
    neighbours joined first (a cell a stray space broke: "加强水资源保 护"). None when the header ends in no units
    column."""
    units = 0
    while units < len(header) - 2 and _UNITS_HEADER.search(header[len(header) - 1 - units]):
        units += 1
    parts = text.split(" ")
    middle, columns = parts[1 : len(parts) - units], len(header) - 1 - units
    if not units or len(middle) < columns:
        return None
    while len(middle) > columns:
        pairs = [
            (len(middle[k]) + len(middle[k + 1]), k) for k in range(len(middle) - 1) if middle[k] and middle[k + 1]
        ]
        if not pairs:
            return None
        k = min(pairs)[1]
        middle[k : k + 2] = [middle[k] + middle[k + 1]]
    return [parts[0], *middle, *parts[len(parts) - units :]]


def _decimal_heading_paragraph(line: Line) -> Paragraph:
    """A decimal heading's line as a paragraph: "1.1 编制目的 为提高……" becomes its title and, below it, its text."""
    at = text_on_heading_line(line.text.strip())
    if at is None:
        return Paragraph(lines=[line], decimal_heading=True)
    cut = len(line.text) - len(line.text.lstrip()) + at
    title = Line(line.text[:cut].rstrip(), line.start, line.start + len(line.text[:cut].rstrip()), line.number)
    text = Line(line.text[cut:], line.start + cut, line.end, line.number)
    return Paragraph(lines=[title, text], separators=["\n"], decimal_heading=True)


__all__ = [
    "Line",
    "Paragraph",
    "blank_non_text",
    "build_paragraphs",
    "contents_lines",
    "drop_cell_bars",
    "drop_field_labels",
    "ends_sentence",
    "holds_run_together_articles",
    "is_article_caption",
    "is_heading_like",
    "nonblank",
    "opens_cell_table",
    "split_lines",
    "split_run_together",
    "table_cells",
]
