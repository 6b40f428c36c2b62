"""A gazette file's masthead, table of contents and each document's header block (文号, title, 主送, signature, date)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from qa_bot.parse.paragraphs import Line
from qa_bot.text.normalize import normalize_text
from qa_bot.text.patterns import (
    ADDRESSEE_LINE,
    DATE_LINE,
    DOC_NO,
    DOC_NO_LINE,
    GAZETTE_ISSUE,
    ISSUER_MASTHEAD,
    ISSUER_NAME,
    PUBLICITY_LINE,
    TOC_CATEGORY,
    TOC_ENTRY_END,
    TOC_START,
    match_heading,
    parse_date,
)

_TITLE_END = re.compile(r"(通知|意见|决定|办法|方案|规定|批复|函|通报|公告|命令|令|细则|规划|纲要|报告|规则|条例|决议|通告|公报)$")
_MAX_TITLE_LINES = 4
_MAX_TITLE_CHARS = 120
_SIGNATURE_SEARCH = 40  # non-blank lines after the title in which the signature date must appear


@dataclass(frozen=True)
class TocEntry:
    """One table-of-contents entry: the document's 文号 with its category and page in the issue."""

    doc_no: str
    title: str
    category: str | None
    page: int


@dataclass(frozen=True)
class Masthead:
    gazette: str | None
    issue: str | None
    toc: dict[str, TocEntry]
    toc_lines: tuple[int, int] | None  # first and last line index (0-based) of the table of contents


@dataclass
class Header:
    """What a document's header block says, with the source spans of its lines."""

    doc_no: str | None
    title: str
    issuers: list[str]
    addressees: str | None
    date: str | None
    publicity: str | None
    plan_title: str | None
    notice: list[int] = field(default_factory=list)  # line indexes of the notice paragraphs
    spans: list[tuple[int, int]] = field(default_factory=list)
    body_line: int = 0  # index of the first line after the header block


def canonical_doc_no(text: str) -> str:
    """锦政办发[2022]20号 / 锦政办发(2022)20号 → 锦政办发〔2022〕20号."""
    m = DOC_NO.search(text)
    if not m:
        return normalize_text(text)
    prefix = re.sub(r"\s+", "", text[m.start() : m.end()].split(m.group(1))[0])
    prefix = prefix.rstrip("〔［[【（(")
    return f"{prefix}〔{m.group(1)}〕{int(m.group(2))}号"


def _nonblank(lines: list[Line], start: int, stop: int) -> list[int]:
    return [i for i in range(start, stop) if not lines[i].is_blank]


def find_doc_starts(lines: list[Line], toc_lines: tuple[int, int] | None) -> list[int]:
    """Indexes of the lines that carry a document's 文号 on their own (never inside the table of contents)."""
    starts = []
    for i, line in enumerate(lines):
        if toc_lines and toc_lines[0] <= i <= toc_lines[1]:
            continue
        if DOC_NO_LINE.match(line.text):
            starts.append(i)
    return starts


def header_start(lines: list[Line], doc_no_line: int, floor: int) -> int:
    """The masthead line ("锦州市人民政府文件") right above the 文号, when there is one."""
    above = [i for i in _nonblank(lines, floor, doc_no_line)]
    if above and ISSUER_MASTHEAD.match(lines[above[-1]].text):
        return above[-1]
    return doc_no_line


def read_masthead(lines: list[Line], first_doc_line: int) -> Masthead:
    """Gazette name, issue and table of contents from the lines before the first document."""
    top = _nonblank(lines, 0, first_doc_line)
    gazette = next((normalize_text(lines[i].text) for i in top[:6] if "公报" in lines[i].text), None)
    issue = None
    for i in top[:12]:
        m = GAZETTE_ISSUE.search(lines[i].text)
        if m:
            issue = normalize_text(m.group(0))
            break
    toc_start = next((i for i in top if TOC_START.match(lines[i].text)), None)
    toc: dict[str, TocEntry] = {}
    toc_lines = None
    if toc_start is not None:
        toc_lines = (toc_start, first_doc_line - 1)
        category = None
        title_parts: list[str] = []
        for i in _nonblank(lines, toc_start + 1, first_doc_line):
            text = lines[i].text
            cat = TOC_CATEGORY.match(text)
            entry = TOC_ENTRY_END.match(text)
            if cat:
                category, title_parts = cat.group(1).strip(), []
            elif entry:
                doc_no = canonical_doc_no(entry.group(1))
                toc[doc_no] = TocEntry(doc_no, normalize_text("".join(title_parts)), category, int(entry.group(4)))
                title_parts = []
            elif not ISSUER_MASTHEAD.match(text):
                title_parts.append(text.strip())
    return Masthead(gazette=gazette, issue=issue, toc=toc, toc_lines=toc_lines)


def read_header(lines: list[Line], start: int, doc_no_line: int, stop: int) -> Header:
    """Parse the header block of the document whose 文号 is on doc_no_line, within [start, stop)."""
    spans: list[tuple[int, int]] = []
    masthead_issuer = None
    if start != doc_no_line:
        masthead_issuer = normalize_text(ISSUER_MASTHEAD.match(lines[start].text).group(1))  # type: ignore[union-attr]
        spans.append((lines[start].start, lines[start].end))
    spans.append((lines[doc_no_line].start, lines[doc_no_line].end))
    doc_no = canonical_doc_no(lines[doc_no_line].text)
    rest = _nonblank(lines, doc_no_line + 1, stop)

    # Title: up to a few lines, ending at a document-type word or right before the addressees.
    title_idx: list[int] = []
    for i in rest[:_MAX_TITLE_LINES]:
        text = normalize_text(lines[i].text)
        if ADDRESSEE_LINE.match(text) or DATE_LINE.match(lines[i].text) or text.endswith("。"):
            break
        if match_heading(lines[i].text) is not None and title_idx:
            break
        title_idx.append(i)
        if _TITLE_END.search(text) or sum(len(lines[j].text) for j in title_idx) > _MAX_TITLE_CHARS:
            break
    title = normalize_text("".join(lines[i].text.strip() for i in title_idx))
    spans += [(lines[i].start, lines[i].end) for i in title_idx]
    after_title = rest[len(title_idx) :]

    addressees = None
    if after_title and ADDRESSEE_LINE.match(normalize_text(lines[after_title[0]].text)):
        addressees = normalize_text(lines[after_title[0]].text).rstrip("：:")
        spans.append((lines[after_title[0]].start, lines[after_title[0]].end))
        after_title = after_title[1:]

    # The signature: issuer lines followed by the date line.
    date_pos = next(
        (k for k, i in enumerate(after_title[:_SIGNATURE_SEARCH]) if DATE_LINE.match(lines[i].text)),
        None,
    )
    issuers: list[str] = []
    notice: list[int] = []
    date = publicity = plan_title = None
    body_pos = 0
    if date_pos is not None:
        sign_pos = date_pos
        while sign_pos > 0 and ISSUER_NAME.match(normalize_text(lines[after_title[sign_pos - 1]].text)):
            sign_pos -= 1
        issuers = [normalize_text(lines[i].text) for i in after_title[sign_pos:date_pos]]
        notice = after_title[:sign_pos]
        date = parse_date(lines[after_title[date_pos]].text)
        spans += [(lines[i].start, lines[i].end) for i in after_title[sign_pos : date_pos + 1]]
        body_pos = date_pos + 1
        if body_pos < len(after_title) and PUBLICITY_LINE.match(lines[after_title[body_pos]].text):
            publicity = normalize_text(PUBLICITY_LINE.match(lines[after_title[body_pos]].text).group(1))  # type: ignore[union-attr]
            spans.append((lines[after_title[body_pos]].start, lines[after_title[body_pos]].end))
            body_pos += 1
        # An 印发/转发 notice is followed by the attached document's own title.
        if ("印发" in title or "转发" in title) and body_pos < len(after_title):
            candidate = lines[after_title[body_pos]]
            text = normalize_text(candidate.text)
            if (
                text
                and len(text) <= _MAX_TITLE_CHARS
                and not any(p in text for p in "。；：")
                and match_heading(candidate.text) is None
                and "\t" not in candidate.text
            ):
                plan_title = text
                spans.append((candidate.start, candidate.end))
                body_pos += 1
    if not issuers:
        issuers = [masthead_issuer] if masthead_issuer else []
    if not issuers and "关于" in title:
        issuers = [title.split("关于")[0]]
    body_line = after_title[body_pos] if body_pos < len(after_title) else stop
    return Header(
        doc_no=doc_no,
        title=title,
        issuers=issuers,
        addressees=addressees,
        date=date,
        publicity=publicity,
        plan_title=plan_title,
        notice=notice,
        spans=spans,
        body_line=body_line,
    )


__all__ = ["Header", "Masthead", "TocEntry", "canonical_doc_no", "find_doc_starts", "header_start", "read_header", "read_masthead"]
