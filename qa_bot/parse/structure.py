"""A document body's paragraphs → its section tree and clauses (numbered items, paragraphs, table rows)."""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

from qa_bot.parse.model import Clause, Heading, TableRow
from qa_bot.parse.numbering import match_decimal_heading
from qa_bot.parse.paragraphs import Paragraph, table_cells
from qa_bot.text.normalize import normalize_text, normalize_widths
from qa_bot.text.patterns import ISSUER_NAME, HeadingMatch, match_heading, match_tight_heading
from qa_bot.text.units import Responsibility, extract_responsibility, find_note_span, parse_note, split_units

_TITLE_MAX = 30
_TABLE_CAPTION = re.compile(r"^表\s*(\d+)")
# A caption that names its table: "2018年苏州市国民经济和社会发展主要预期指标分解汇总表".
_NAMED_TABLE = re.compile(r"^[^。；，：]{2,60}表$")
_UNIT_COLUMN = re.compile(
    r"牵头单位|责任单位|配合单位|牵头责任单位|协同责任单位|协办单位|主要责任单位|协同配合单位|参与单位|牵头部门|责任部门|配合部门"
    r"|责任(?:股室|科室|处室)"
)
# Columns that say lead and help in other words: the main responsible units lead, the ones that work with them help;
# a county bureau's offices (股室) are its responsible units.
_COLUMN_ROLE = {
    "主要责任单位": "牵头单位",
    "协同配合单位": "配合单位",
    "责任股室": "责任单位",
    "责任科室": "责任单位",
    "责任处室": "责任单位",
}
# A column of the units that answer for a task with the one that leads it, in other words: "责任主体与协同单位".
_RESPONSIBLE_COLUMN = re.compile(r"^(?!牵头).{0,6}(?:责任|协同|配合|协办|参与).{0,6}(?:单位|部门)$")
# "责任股室（单位）": the column's name with what else its cells may hold.
_COLUMN_GLOSS = re.compile(r"[（(](?:单位|部门)[）)]$")
_CELL_UNIT_GAP = re.compile(r"(?<=[\u4e00-\u9fff）)])\s+(?=[\u4e00-\u9fff（(])")
_KEY_COLUMN = re.compile(r"指标|项目|名称|内容|事项|任务|工作$")  # "重点工作": the task column
_SERIAL_COLUMN = re.compile(r"^(序号|编号|No\.?)$")
# A part heading naming who leads its items: "县示范区管委会牵头工作（8项）", "市发改委牵头的重点任务".
_LED_PART = re.compile(r"^(?P<units>[^，。；：（）]{2,40}?)牵头的?(?:重点)?(?:工作|任务|事项)(?:（\d+项）)?$")


def heading_title(rest: str) -> str:
    """The heading's own words: its first sentence (first line), shortened at a comma when long."""
    first = re.split(r"[。！？\n]", rest.strip(), maxsplit=1)[0].strip()
    if len(first) <= _TITLE_MAX:
        return first
    comma = first.find("，")
    if 4 <= comma <= _TITLE_MAX:
        return first[:comma]
    return first[:_TITLE_MAX] + "…"


def _has_body(rest: str) -> bool:
    parts = re.split(r"[。！？]", rest.strip(), maxsplit=1)
    return len(parts) == 2 and bool(parts[1].strip())


@dataclass
class _Open:
    """A heading on the current path, with how many plain paragraphs followed it so far."""

    heading: Heading
    is_clause: bool
    paragraphs: int = 0
    note: Responsibility | None = None  # a note in the heading itself: "一、强化科技创新（区科技局牵头）"


class _Builder:
    def __init__(self, doc_id: str, table_title: str = "") -> None:
        self.doc_id = doc_id
        self.table_title = table_title  # the document's own title, when the document is a table
        self.stack: list[_Open] = []
        self.headings: list[Heading] = []
        self.clauses: list[Clause] = []
        self.used_ids: set[str] = set()
        self.preamble = 0
        self.tables = 0
        self.last_table: tuple[str, list[str]] | None = None  # the latest table's caption and column names
        self.first_unit_leads = False  # a note said its first 责任单位 leads, "下同": so do the later notes

    # -- ids -------------------------------------------------------------------------------
    def _unique(self, local_id: str) -> str:
        candidate, k = local_id, 2
        while candidate in self.used_ids:
            candidate, k = f"{local_id}~{k}", k + 1
        self.used_ids.add(candidate)
        return candidate

    @property
    def path(self) -> tuple[str, ...]:
        return self.stack[-1].heading.path if self.stack else ()

    # -- clauses ---------------------------------------------------------------------------
    def add_clause(self, local_id: str, kind: str, paragraph: Paragraph, path: tuple[str, ...]) -> None:
        text = normalize_text(paragraph.raw)
        note = extract_responsibility(text)
        if note is not None and note.first_unit_leads == "onwards":
            self.first_unit_leads = True
        elif note is not None and self.first_unit_leads:
            note = note.with_first_unit_leading()
        # A clause without a note of its own is the task of the unit its section's heading names; a note of its own
        # that names no lead ("（责任单位：市科技局、市财政局）") works under the lead the heading names
        # ("一、科技创新政策（由市科技局牵头实施）").
        heading_note = next((o.note for o in reversed(self.stack) if o.note), None)
        if note is not None and not note.lead_units and heading_note is not None and heading_note.lead_units:
            lead = heading_note.lead_units
            others = tuple(u for u in note.responsible_units if u not in lead)
            note = replace(note, lead_units=lead, responsible_units=others)
        note = note or heading_note
        if note is not None and kind == "item" and _ends_in_note_line(paragraph):
            self._share_note(note, path)
        self.clauses.append(
            Clause(
                chunk_id=f"{self.doc_id}/{self._unique(local_id)}",
                doc_id=self.doc_id,
                section_path=path,
                text=text,
                kind=kind,
                span=(paragraph.start, paragraph.end),
                lead_units=note.lead_units if note else (),
                responsible_units=note.responsible_units if note else (),
                note=note.note if note else None,
                deadline=note.deadline if note else None,
                joins=paragraph.joins,
            )
        )

    def _share_note(self, note: Responsibility, path: tuple[str, ...]) -> None:
        """A note on a line of its own under the last of a run of items ("（1）…（2）…（3）…" then "（责任单位：…）")
        covers the whole run: the sibling items right before it that have no note of their own get it too."""
        k = len(self.clauses)
        while k > 0:
            sibling = self.clauses[k - 1]
            if sibling.kind != "item" or sibling.section_path[:-1] != path[:-1] or sibling.note is not None:
                break
            k -= 1
        for n in range(k, len(self.clauses)):
            self.clauses[n] = replace(
                self.clauses[n],
                lead_units=note.lead_units,
                responsible_units=note.responsible_units,
                note=note.note,
                deadline=note.deadline,
            )

    def open_heading(
        self,
        match: HeadingMatch,
        paragraph: Paragraph,
        next_match: HeadingMatch | None,
        next_exists: bool,
        next_is_table: bool,
    ) -> None:
        while self.stack and not _encloses(self.stack[-1].heading, match):
            self.stack.pop()
        parent = self.stack[-1].heading if self.stack else None
        if match.number:
            section_id = self._unique(_dotted(match.number))
        else:
            section_id = self._unique(f"{parent.section_id}.{match.ordinal}" if parent else str(match.ordinal))
        self.used_ids.discard(section_id)  # clause ids share the namespace; reserve it again below
        rest = normalize_text(match.rest)
        body = _has_body(normalize_widths(match.rest))
        heading_note = None
        if not body and (span := find_note_span(rest)) is not None:
            # "强化科技创新（区科技局牵头）": the note names who leads the section; the title is the words before it
            heading_note = extract_responsibility(rest)
            rest = rest[: span[0]] + rest[span[1] :]
        elif not body:
            heading_note = _led_part(rest)
        title = heading_title(rest)
        display = normalize_text(match.label).strip() + (" " if match.rank <= 3 else "") + title
        heading = Heading(
            section_id=section_id,
            label=normalize_text(match.label),
            title=title,
            rank=match.rank,
            depth=len(self.stack) + 1,
            path=(parent.path if parent else ()) + (display,),
            span=(paragraph.start, paragraph.end),
        )
        self.headings.append(heading)
        leaf = not next_exists or (next_match is not None and next_match.rank <= match.rank)
        # An article (第X条) always carries its own text, even when paragraphs of it follow; so does a decimal section
        # whose text is printed under (or after) its title ("1.1 编制目的" / "为提高……").
        article = match.rank == 3 and not match.number and bool(match.rest.strip())
        captioned = bool(match.number) and "\n" in match.rest.strip()
        # A heading whose line goes on after its title ("一、促进城乡就业创业,城镇新增就业30万人,……",
        # "五、各乡镇人民政府要落实属地责任,负责……的组织实施。" over "特此通告。") says more than its title: its line is
        # a clause too.
        beyond = rest.strip()[len(title) :]
        goes_on = title != rest.strip() and not title.endswith("…") and bool(re.search(r"[\d\u4e00-\u9fff]", beyond))
        is_clause = body or (leaf and not next_is_table) or article or captioned or goes_on
        self.stack.append(_Open(heading=heading, is_clause=is_clause, note=heading_note))
        if is_clause:
            self.add_clause(section_id, "item", paragraph, heading.path)
        else:
            self.used_ids.add(section_id)

    def add_paragraph(self, paragraph: Paragraph) -> None:
        if not self.stack:
            self.preamble += 1
            self.add_clause(f"0-p{self.preamble}", "preamble", paragraph, ())
            return
        top = self.stack[-1]
        top.paragraphs += 1
        number = top.paragraphs + (1 if top.is_clause else 0)
        self.add_clause(f"{top.heading.section_id}-p{number}", "paragraph", paragraph, top.heading.path)

    def add_table(self, caption: Paragraph | None, rows: list[Paragraph]) -> bool:
        """The rows as clauses; True when the first row is the table's header. Rows that open with a serial under a
        part heading the table's own rows run through ("序号 …" / "一、……" / "1 …") go on with the columns named
        above it."""
        # A table never sits inside a clause with its own text: it belongs to the section around it.
        while self.stack and self.stack[-1].is_clause:
            self.stack.pop()
        cells_by_row = [[normalize_text(c) for c in table_cells(row.raw)] for row in rows]
        # (its serial under the header's 序号, after a group column the row leaves empty: "领域 / 序号 / …")
        last_header = self.last_table[1] if self.last_table is not None else []
        serial_at = next((k for k, name in enumerate(last_header) if _SERIAL_COLUMN.match(name)), 0)
        carried = (
            caption is None
            and self.last_table is not None
            and len(cells_by_row[0]) == len(last_header)
            and cells_by_row[0][serial_at].isdigit()
        )
        if carried and self.last_table is not None:
            caption_text, header = self.last_table
            data = list(zip(rows, cells_by_row, strict=True))
        else:
            self.tables += 1
            caption_text = (
                normalize_text(caption.raw)
                if caption
                else self.table_title
                if self.tables == 1 and self.table_title
                else f"表{self.tables}"
            )
            header = cells_by_row[0]
            data = list(zip(rows[1:], cells_by_row[1:], strict=True))
        self.last_table = (caption_text, header)
        m = _TABLE_CAPTION.match(caption_text)
        table_no = m.group(1) if m else str(self.tables)
        section_id = self.stack[-1].heading.section_id if self.stack else "0"
        base_path = self.path + (caption_text,)
        width = len(header)
        serial_col = next((k for k, name in enumerate(header) if _SERIAL_COLUMN.match(name)), None)
        group_col = 0 if width > 2 and serial_col != 0 and any(not cells[0] for _, cells in data) else None
        keys = [k for k, name in enumerate(header) if _KEY_COLUMN.search(name) and k not in (serial_col, group_col)]
        # a task column the copy left empty in every row (merged with rows before the excerpt) gives way to the next
        key_col = next((k for k in keys if any(k < len(cells) and cells[k] for _, cells in data)), None)
        if key_col is None and keys:
            key_col = keys[0]
        if key_col is None:
            key_col = next(k for k in range(width) if k not in (serial_col, group_col))
        group = ""
        for position, (row, cells) in enumerate(data, start=1):
            cells = (cells + [""] * width)[:width]
            if group_col is not None:
                group = cells[group_col] or group
            serial = cells[serial_col] if serial_col is not None else ""
            others = [
                f"{header[k]} {cells[k] or '—'}" for k in range(width) if k not in (key_col, serial_col, group_col)
            ]
            text = f"{cells[key_col]}：" + "；".join(others)
            local = f"{section_id}-t{table_no}-r{serial if serial.isdigit() else position}"
            path = base_path + ((group,) if group else ())
            units = _row_units(header, table_cells(row.raw))
            self.clauses.append(
                Clause(
                    chunk_id=f"{self.doc_id}/{self._unique(local)}",
                    doc_id=self.doc_id,
                    section_path=path,
                    text=text,
                    kind="table_row",
                    span=(row.start, row.end),
                    lead_units=units.lead_units,
                    responsible_units=units.responsible_units,
                    table=TableRow(
                        table_title=caption_text,
                        group=group,
                        cells=tuple((header[k], cells[k]) for k in range(width)),
                    ),
                )
            )
        return not carried


def _led_part(rest: str) -> Responsibility | None:
    """A part headed by the units that lead its items ("县示范区管委会牵头工作（8项）") says who leads each of them; a
    part a leader leads ("汤飞帆市长牵头重点工作") names a person, no unit."""
    m = _LED_PART.match(rest)
    if m is None:
        return None
    units = split_units(m["units"])
    return parse_note(f"牵头单位：{m['units']}") if units and all(ISSUER_NAME.match(u) for u in units) else None


def _row_units(header: list[str], raw_cells: list[str]) -> Responsibility:
    """A 分工 table's row: its "牵头单位" and "责任单位" / "配合单位" columns name who leads and who is responsible,
    as the labelled notes do; a cell may list its units separated by spaces ("县教体局 各相关乡镇政府")."""
    names = [_COLUMN_GLOSS.sub("", name) for name in header]
    names = [
        "责任单位" if not _UNIT_COLUMN.fullmatch(name) and _RESPONSIBLE_COLUMN.match(name) else name for name in names
    ]
    labelled = [
        f"{_COLUMN_ROLE.get(name, name)}：{normalize_text(_CELL_UNIT_GAP.sub('、', value.strip()))}"
        for name, value in zip(names, raw_cells, strict=False)
        if _UNIT_COLUMN.fullmatch(name) and value.strip()
    ]
    return parse_note("；".join(labelled)) if labelled else Responsibility(note="")


def _ends_in_note_line(paragraph: Paragraph) -> bool:
    """The paragraph's last line is a bracketed note and nothing else, set under the text above it."""
    if len(paragraph.lines) < 2:
        return False
    last = normalize_text(paragraph.lines[-1].text.strip())
    span = find_note_span(last)
    return span is not None and span[0] == 0


def _dotted(number: tuple[int, ...]) -> str:
    return ".".join(str(part) for part in number)


def _encloses(heading: Heading, match: HeadingMatch) -> bool:
    """Does the open heading hold the new one? An outer form does; a decimal section sits under the section its
    number extends ("2.1" under "2", never under "1" when the line "2 …" is missing)."""
    if heading.rank >= match.rank:
        return False
    return not match.number or heading.section_id == _dotted(match.number[:-1])


def _strict_match(paragraph: Paragraph) -> HeadingMatch | None:
    if paragraph.is_table_row:
        return None
    if paragraph.decimal_heading:
        return match_decimal_heading(normalize_widths(paragraph.raw))
    return match_heading(normalize_widths(paragraph.raw))


def heading_matches(paragraphs: list[Paragraph]) -> list[HeadingMatch | None]:
    """Each paragraph's numbered heading. 第X章/条 without a space, and an item number run into a figure ("2.50个"),
    count only where they continue the numbering; a decimal section number ("1.1") was checked when the paragraphs
    were built (numbering.decimal_heading_lines)."""
    strict = [_strict_match(p) for p in paragraphs]
    tight = [
        None if p.is_table_row or s is not None else match_tight_heading(normalize_widths(p.raw))
        for p, s in zip(paragraphs, strict, strict=True)
    ]
    matches: list[HeadingMatch | None] = []
    last: dict[int, int] = {}
    for k, (s, loose) in enumerate(zip(strict, tight, strict=True)):
        match = s
        if match is None and loose is not None:
            runs_on = loose.ordinal == last.get(loose.rank, 0) + 1
            starts_run = loose.ordinal == 1 and any(
                m is not None and m.rank == loose.rank and m.ordinal == 2 for m in strict[k + 1 :] + tight[k + 1 :]
            )
            # A short line such as "第一章总则" is a chapter heading wherever it stands.
            chapter_line = (
                loose.rank <= 2
                and len(loose.rest.strip()) <= _TITLE_MAX // 2
                and not re.search(r"[，。；：]", loose.rest)
            )
            match = loose if chapter_line or (runs_on and (loose.rank in last or starts_run)) else None
        if match is not None and not match.number:
            last[match.rank] = match.ordinal
        matches.append(match)
    return matches


def build_structure(
    doc_id: str, paragraphs: list[Paragraph], title: str = ""
) -> tuple[list[Heading], list[Clause], list[tuple[int, int]]]:
    """Headings, clauses and the spans of lines that are neither (table captions, table headers); a contents list is
    taken out before (paragraphs.contents_lines). A document that is a table ("……任务分解表") names its first table
    when the table prints no caption of its own."""
    builder = _Builder(doc_id, title if _NAMED_TABLE.match(title) else "")
    other_spans: list[tuple[int, int]] = []
    matches = heading_matches(paragraphs)
    i = 0
    while i < len(paragraphs):
        paragraph = paragraphs[i]
        next_is_table = i + 1 < len(paragraphs) and paragraphs[i + 1].is_table_row
        # a caption "表1 …", or one naming its table that is no numbered heading ("一、…任务分解表" is a section)
        caption_like = _TABLE_CAPTION.match(normalize_text(paragraph.raw)) or (
            matches[i] is None and _NAMED_TABLE.match(normalize_text(paragraph.raw))
        )
        if paragraph.is_table_row or (next_is_table and caption_like):
            caption = None if paragraph.is_table_row else paragraph
            j = i if paragraph.is_table_row else i + 1
            rows = []
            while j < len(paragraphs) and paragraphs[j].is_table_row:
                rows.append(paragraphs[j])
                j += 1
            headed = builder.add_table(caption, rows)
            if caption is not None:
                other_spans.append((caption.start, caption.end))
            if headed:
                other_spans.append((rows[0].start, rows[0].end))
            i = j
            continue
        match = matches[i]
        if match is not None:
            next_match = matches[i + 1] if i + 1 < len(paragraphs) else None
            builder.open_heading(match, paragraph, next_match, i + 1 < len(paragraphs), next_is_table)
            if not builder.stack[-1].is_clause:
                other_spans.append((paragraph.start, paragraph.end))
        else:
            builder.add_paragraph(paragraph)
        i += 1
    return builder.headings, builder.clauses, other_spans


__all__ = ["build_structure", "heading_matches", "heading_title"]
