"""Where each document of a file starts: its 文号 (or order number) line, the title of a document that prints no
文号, or the first line of a text that prints neither."""

from __future__ import annotations

import re
from dataclasses import dataclass

from qa_bot.parse.metadata import is_metadata_line
from qa_bot.parse.paragraphs import Line, ends_sentence, nonblank, opens_cell_table
from qa_bot.parse.titles import (
    MAX_TITLE_CHARS,
    TITLE_END,
    bare_title_line,
    is_issuer_line,
    looks_like_title,
    same_title,
    title_goes_on,
)
from qa_bot.text.normalize import compact, normalize_text
from qa_bot.text.patterns import (
    ADDRESSEE_LINE,
    DATE_DOC_NO_LINE,
    DATE_LINE,
    DOC_NO,
    DOC_NO_CUT_LINE,
    DOC_NO_DATE_NOTE,
    DOC_NO_LINE,
    METADATA_ROW,
    OLD_DOC_NO,
    ORDER_HEAD,
    ORDER_LINE,
    ORDER_NOTE,
    ORDER_NUMBER,
    TITLE_WITH_DOC_NO,
    chinese_to_int,
    match_heading,
)

_ADDRESSEE_SEARCH = 2  # a text without header may start at its addressees: its first lines
# "详情如下:", "特提出如下方案:" end a sentence leading into text, not a line of addressees.
_LEAD_IN = re.compile(r"如下[\u4e00-\u9fff]{0,4}[：:]\s*$")
# What an order says of the rules it publishes: a meeting adopted them, and they are published or take effect.
_PROMULGATION = re.compile(r"会议[^。]{0,12}通过[^。]*(?:公布|发布|施行|实施)")
_LEDE_LINES = 3  # lines a copy may put before a document's title (a news site's lede, "详情如下:")


@dataclass(frozen=True)
class DocStart:
    """Where a document announces itself: the line with its 文号 (or order number) and what that line says."""

    line: int
    doc_no: str | None  # None: a document that prints no 文号, found by its title (find_title_start)
    inline_title: str | None = None  # a title written on the same line as the 文号
    extra_lines: tuple[int, ...] = ()  # lines that belong to the 文号: "第82号" under "…令", a repeated 文号
    headerless: bool = False  # a text without 文号 or title (it starts at its addressees or its body) from this line


_SAME_END = 4  # characters a shortened headline and its full title end alike in ("实施方案")


def canonical_doc_no(text: str) -> str:
    """锦政办发[2022]20号 / 锦政办发(2022)20号 → 锦政办发〔2022〕20号."""
    m = DOC_NO.search(text)
    if not m:
        if old := OLD_DOC_NO.search(text):  # (78)交公路字412号 keeps its own form
            serial = "第" if "第" in old.group(0) else ""
            return f"（{old.group(1)}）{old.group(2)}{serial}{int(old.group(3))}号"
        return normalize_text(text)
    prefix = re.sub(r"\s+", "", text[m.start() : m.end()].split(m.group(1))[0])
    prefix = prefix.rstrip("〔［[【（(")
    serial = "第" if "第" in text[m.start(2) - 3 : m.start(2)] else ""
    return f"{prefix}〔{m.group(1)}〕{serial}{int(m.group(2))}号"


def _order_no(head: str, number: str, year: str | None = None) -> str:
    """邢台市人民政府令, 5, 2009 → 邢台市人民政府令〔2009〕第5号 (the head's spacing closed)."""
    dated = f"〔{year}〕" if year else ""
    return f"{compact(normalize_text(head))}{dated}第{chinese_to_int(number)}号"


def find_doc_starts(lines: list[Line], toc_lines: tuple[int, int] | None) -> list[DocStart]:
    """Where each document starts: a 文号 on its own line, after a metadata label, at the end of a title line, or
    a government order's number; never inside the table of contents. A repeated 文号 joins the first one."""
    starts: list[DocStart] = []
    for i, line in enumerate(lines):
        if toc_lines and toc_lines[0] <= i <= toc_lines[1]:
            continue
        text = line.text
        found: DocStart | None = None
        if DOC_NO_LINE.match(text):
            found = DocStart(i, canonical_doc_no(text))
        elif (m := DOC_NO_DATE_NOTE.match(text)) or (m := DATE_DOC_NO_LINE.match(text)):
            found = DocStart(i, canonical_doc_no(m.group("doc_no")))
        elif m := DOC_NO_CUT_LINE.match(text):
            found = DocStart(i, f"{m.group('prefix')}〔{m.group('year')}〕{int(m.group('serial'))}号")
        elif (m := TITLE_WITH_DOC_NO.match(text)) and (
            TITLE_END.search(normalize_text(m.group("title")).strip("《》"))
            or (not starts and all(is_metadata_line(lines[j].text) for j in nonblank(lines, 0, i)))
        ):
            # a title ending in its document type; or a portal's headline under nothing but the page's fields, which
            # may name the document by what it sends ("2021年县政府重点工作任务(华政发〔2021〕2号)")
            found = DocStart(i, canonical_doc_no(m.group("doc_no")), inline_title=m.group("title"))
        elif METADATA_ROW.match(text) and (
            m := re.search(rf"(?:发文字号|发文序号|文件编号|文\s*号)[\s|]*[:：]?[\s|]*({DOC_NO.pattern})", text)
        ):
            found = DocStart(i, canonical_doc_no(m.group(1)))
        elif (m := ORDER_LINE.match(text)) or (m := ORDER_NOTE.match(text)):
            found = DocStart(i, _order_no(m.group("head"), m.group("number")))
        elif (
            (m := ORDER_NUMBER.match(text))
            and not m.group("year")
            and not (starts and i in starts[-1].extra_lines)
            and _promulgation_follows(lines, i)
        ):
            # an order's number printed without the order's name, over the sentence that promulgates the rules
            found = DocStart(i, f"第{chinese_to_int(m.group('number'))}号")
        elif m := ORDER_HEAD.match(text):
            below = nonblank(lines, i + 1, min(len(lines), i + 3))
            number = ORDER_NUMBER.match(lines[below[0]].text) if below else None
            if number:
                order_no = _order_no(m.group("head"), number.group("number"), number.group("year"))
                found = DocStart(i, order_no, extra_lines=(below[0],))
        if found is None:
            continue
        if (
            starts
            and starts[-1].doc_no == found.doc_no
            and all(_header_like(lines[j].text) for j in nonblank(lines, starts[-1].line + 1, i))
        ):
            previous = starts[-1]
            starts[-1] = DocStart(previous.line, previous.doc_no, previous.inline_title, previous.extra_lines + (i,))
            continue
        starts.append(found)
    return starts


def _promulgation_follows(lines: list[Line], i: int) -> bool:
    """The line after line i promulgates rules a meeting adopted ("……已经……常务会议审议通过，本决定自公布之日起……")."""
    below = next(iter(nonblank(lines, i + 1, len(lines))), None)
    return below is not None and bool(_PROMULGATION.search(normalize_text(lines[below].text)))


def _header_like(text: str) -> bool:
    """A line a header may hold between two printings of one 文号 (a portal's metadata, then the page): metadata,
    a title or part of one, an issuer — no sentence, no addressees."""
    if is_metadata_line(text):
        return True
    plain = normalize_text(text)
    return len(plain) <= MAX_TITLE_CHARS and not any(p in plain for p in "。；") and not ADDRESSEE_LINE.match(plain)


def find_body_start(lines: list[Line], metadata: set[int]) -> DocStart | None:
    """Where a text that prints neither 文号 nor title starts (a copy that begins at the addressees or at the body):
    its first line that is not metadata — when the text reads as a government document at all (addressees at its
    start, a date line, numbered items, or a task table printed one cell to a line, "序号" / column names / "1" / …,
    as a portal page holding a department's table alone prints it); a plain note does not."""
    top = [i for i in nonblank(lines, 0, len(lines)) if i not in metadata]
    if not top:
        return None
    if not (
        any(ADDRESSEE_LINE.match(normalize_text(lines[i].text)) for i in top[:_ADDRESSEE_SEARCH])
        or any(DATE_LINE.match(lines[i].text) or match_heading(normalize_text(lines[i].text)) for i in top)
        or opens_cell_table(lines, top)
    ):
        return None
    return DocStart(top[0], None, headerless=True)


def _is_addressee_line(text: str) -> bool:
    """A line of addressees ("各县(市、区)人民政府,市政府各部门:"), never a lead-in ending "如下:"."""
    plain = normalize_text(text)
    return bool(ADDRESSEE_LINE.match(plain)) and not _LEAD_IN.search(plain)


def _title_over_addressees(lines: list[Line], top: list[int]) -> DocStart | None:
    """A copy that puts its own words before the document ("3月18日，……的通知。文件提出，……" / "详情如下:"): the title
    is the title-like line right above the addressees, among the first lines."""
    for k, i in enumerate(top[: _LEDE_LINES + 1]):
        if _is_addressee_line(lines[i].text) or DATE_LINE.match(lines[i].text):
            return None  # the text starts at its own addressees or signature: no lede, and what follows is the body
        title = bare_title_line(lines[i].text)
        below = top[k + 1] if k + 1 < len(top) else None
        if below is not None and looks_like_title(title) and _is_addressee_line(lines[below].text):
            return DocStart(i, None, inline_title=title)
    return None


def _caption_over_table(lines: list[Line], top: list[int]) -> DocStart | None:
    """A portal page that holds a table alone under its caption ("2023年重点民生实事项目推进情况(1-11月)" / "序号" /
    column names / first row), a caption naming no kind of document: the caption is the title."""
    caption = normalize_text(lines[top[0]].text).strip()
    if (
        len(top) > 1
        and len(caption) <= MAX_TITLE_CHARS
        and not any(p in caption for p in "。；，")
        and not match_heading(caption)
        and opens_cell_table(lines, top[1:])
    ):
        return DocStart(top[0], None, inline_title=caption)
    return None


def _title_after_lede(lines: list[Line], top: list[int]) -> DocStart | None:
    """A news page's headline and lede ("市长、副市长牵头!宁波公布……" / "……印发通知,公布《X》。一起来了解。") over the
    document's own title, which opens its parts ("X" / "一、……"): the title under the lede."""
    for k, i in enumerate(top[1 : _LEDE_LINES + 2], start=1):
        title = bare_title_line(lines[i].text)
        below = top[k + 1] if k + 1 < len(top) else None
        if (
            below is not None
            and looks_like_title(title)
            and not match_heading(title)
            and match_heading(normalize_text(lines[below].text))
            and _lede_between(lines, top[0], i)
        ):
            return DocStart(i, None, inline_title=title)
    return None


def _lede_between(lines: list[Line], first: int, title: int) -> bool:
    """True when a sentence stands between a headline and a title further down: a copy's own words, no header."""
    return any(ends_sentence(normalize_text(lines[i].text)) for i in nonblank(lines, first + 1, title))


_SENDING_TITLE = re.compile(r"^(?:关于)?(?:颁布|颁发|印发|发布)《(?P<name>[^《》]+)》的(?:通知|决定)$")


def _sends(text: str, title: str) -> bool:
    """The line is the title of a notice that issues the document named title ("颁布《X》的通知")."""
    m = _SENDING_TITLE.match(compact(normalize_text(text)))
    return m is not None and m["name"] == compact(normalize_text(title))


def _fuller_printing(text: str, title: str) -> bool:
    """A title printed again in full under the page's shortened headline ("潍坊政务公开工作要点实施方案" / "潍坊市2017年
    政务公开工作要点实施方案"): the headline's characters, in order, and more, ending alike."""
    full, short = compact(normalize_text(text)), compact(normalize_text(title))
    if len(full) <= len(short) or not looks_like_title(full) or full[-_SAME_END:] != short[-_SAME_END:]:
        return False
    rest = iter(full)
    return all(ch in rest for ch in short)


def find_title_start(lines: list[Line], metadata: set[int]) -> DocStart | None:
    """Where a document that prints no 文号 starts (a law database's rules, a portal page of a notice without one):
    its first line that is neither metadata nor an issuer, when that line reads as a title. When the title is printed
    again under an issuer line ("规定 / 铁道部 / 规定"), the header runs on to that second printing, and to the issuer
    line printed under it once more ("规定 / 贵州省人民政府 / 规定 / 贵州省人民政府")."""
    top = [i for i in nonblank(lines, 0, len(lines)) if i not in metadata]
    issuer_over = ""
    if len(top) > 1 and is_issuer_line(lines[top[0]].text) and looks_like_title(bare_title_line(lines[top[1]].text)):
        issuer_over = normalize_text(lines[top[0]].text).strip()
        top = top[1:]  # the page's publishing body over the title (a field list without labels): header, no title
    if not top:
        return None
    title = bare_title_line(lines[top[0]].text)
    if goes_on := title_goes_on([title] + [lines[i].text for i in top[1:]]):
        # a title broken over lines ("鄂温克族自治旗人民政府办公室" / "关于印发2022年《政府工作报告》" / "重点任务……的
        # 通知"): its lines joined, and the issuer over a title that starts with 关于 is the title's own first words
        wrapped = top[1 : goes_on + 1]
        title = title + "".join(lines[i].text.strip() for i in wrapped)
        if issuer_over and normalize_text(title).startswith("关于"):
            title = issuer_over + title
        return DocStart(top[0], None, inline_title=title, extra_lines=tuple(wrapped))
    if not looks_like_title(title) or match_heading(title):  # "一、10件民生实事任务分解表" heads a part
        return _title_over_addressees(lines, top) or _title_after_lede(lines, top) or _caption_over_table(lines, top)
    if (below := _title_over_addressees(lines, top[1:])) is not None and _lede_between(lines, top[0], below.line):
        return below  # a news site's headline, then its lede ("……印发。全文如下:"), then the document's own title
    anchor = top[0]
    issuers_after: list[int] = []  # issuer lines after the latest printing of the title
    for i in top[1:]:
        if same_title(lines[i].text, normalize_text(title), None) or _fuller_printing(lines[i].text, title):
            anchor, issuers_after = i, []
        elif is_issuer_line(lines[i].text):
            issuers_after.append(i)
        else:
            if issuers_after and _sends(lines[i].text, title):
                # a law database's page: the rules' title, their issuer, then the notice that issues them ("颁布《X》
                # 的通知"): the document is that notice, the rules its attached document
                return DocStart(i, None, inline_title=lines[i].text.strip())
            break
    extra = tuple(issuers_after) if anchor != top[0] else ()
    return DocStart(
        anchor, None, inline_title=title if anchor == top[0] else lines[anchor].text.strip(), extra_lines=extra
    )


__all__ = ["DocStart", "canonical_doc_no", "find_body_start", "find_doc_starts", "find_title_start"]
