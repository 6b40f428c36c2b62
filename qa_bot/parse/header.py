"""A gazette file's masthead, table of contents and each document's header block (文号, title, 主送, signature,
date). Where documents start: starts.py; what a title line looks like: titles.py; who issued a document: issuers.py."""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass, field

from qa_bot.parse.issuers import dated_issuer, resolve_issuers, signer_of, spaced_issuers
from qa_bot.parse.metadata import metadata_fields, metadata_line_set
from qa_bot.parse.paragraphs import Line, nonblank
from qa_bot.parse.starts import DocStart, canonical_doc_no
from qa_bot.parse.titles import MAX_TITLE_CHARS, TITLE_END, is_issuer_line, looks_like_title, same_title
from qa_bot.text.normalize import compact, normalize_text
from qa_bot.text.patterns import (
    ADDRESSEE_LINE,
    ADDRESSEES_WITHOUT_COLON,
    CN_NUM,
    DATE_ARABIC,
    DATE_CHINESE,
    DATE_DOC_NO_LINE,
    DATE_LINE,
    DIGITS_DATE_LINE,
    DOC_NO,
    DOC_NO_DATE_NOTE,
    GAZETTE_ISSUE,
    ISSUER_MASTHEAD,
    ISSUER_NAME,
    ORDER_NOTE,
    PUBLICITY_LINE,
    TOC_CATEGORY,
    TOC_ENTRY_END,
    TOC_START,
    match_heading,
    parse_date,
    parse_digits_date,
)

# A notice that wraps the document attached to it: 印发 / 转发 anywhere in its title or text, 颁发 in its title
# ("关于颁发《……办法》(试行)的通知", "颁布《……规定》的通知"; in a notice's text 颁发 is as often about licences).
_WRAPPING_VERBS = ("印发", "转发")
_TITLE_WRAPPING_VERBS = (*_WRAPPING_VERBS, "颁发", "颁布")
_MAX_TITLE_LINES = 4
_SIGNATURE_SEARCH = 40  # non-blank lines after the title in which the signature date must appear
_SIGNATURE_INDENT = 20  # spaces that push a signature to the right of the page in a web copy
_CUT_NOTICE_LINES = 3  # lines of a notice the web copy cut short before the attached title
_TITLE_ABOVE_LINES = 3  # lines of a title written above its 文号 (portal pages, 政府令)
# A portal's or a law database's fields that date the document itself (not the page's publication).
_DATE_LABELS = ("成文日期", "成文时间", "发文日期", "发文时间", "颁布日期", "公布日期")
_TITLE_LABELS = ("名称", "文件标题")  # the fields that name the document
_IN_FORCE_LABELS = ("实施日期", "施行日期", "生效日期", "生效时间")
_EXPIRY_LABELS = ("废止时间",)
_PUBLISHED_LABELS = ("发布时间", "发布日期", "时间")  # the page's publication, not the document's own date
_SENTENCE_PUNCT = "，。；：:,;"
_MASTHEAD_WORD = re.compile(r"^\s*文\s*件\s*$")
_LISTED_DATE = re.compile(r"\s*\d{4}-\d{1,2}-\d{1,2}\s*$")
_LEDE_START = re.compile(r"^(为了?|根据|按照|依据|遵照|经[^，,]{0,20}(同意|研究))")  # a text's opening words
_CATEGORY_TAG = re.compile(r"^\s*[\u4e00-\u9fff]{1,4}\s*$")  # "政策": a portal's category word alone on its line
# "附件" / "附件1" / "附件:" alone on its line between the signature and the attached document's title.
_ATTACHMENT_LABEL = re.compile(r"^\s*附\s*件\s*\d*\s*[:：]?\s*$")
# A notice's line naming the one document it sends: "附件：《政府工作报告》任务分解表".
_ATTACHMENT_LINE = re.compile(r"^附件\d*[:：]\s*(?:\d+[.．、])?\s*(\S.{1,80})$")
# A qualifier printed on its own line under a title: "（试 行）", "（征求意见稿）", "（2023—2025年）".
_TITLE_QUALIFIER = re.compile(rf"^（(?![{CN_NUM}\d]+）)[^（）。，；]{{1,16}}）$")  # never a bare "（一）"
# A law's note under its title on how it was made: "（2010年6月22日……会议通过；2010年7月30日……会议批准）".
_ADOPTION_NOTE = re.compile(r"^[（(]\s*\d{4}\s*年[^（）()]*(?:通过|批准|修正|修订|公布)[^（）()]*[）)]$")
_DATE_IN_NOTE = re.compile(r"\d{4}\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日")
# The people's congress (or its standing committee) whose session the note says passed the law, its term and session
# dropped: "(2025年7月30日陕西省第十四届人民代表大会常务委员会第十七次会议通过)" → 陕西省人民代表大会常务委员会.
_ADOPTING_BODY = re.compile(
    rf"日\s*(?P<place>[\u4e00-\u9fff]{{2,12}}?)第[{CN_NUM}\d]+届(?P<body>人民代表大会(?:常务委员会)?)"
    rf"第[{CN_NUM}\d]+次(?:全体)?会议通过"
)
# A date alone in brackets under a title, as a gazette prints it: "(2019年1月29日)".
_BRACKETED_DATE = re.compile(rf"^\s*[（(]\s*(?:{DATE_ARABIC.pattern}|{DATE_CHINESE.pattern})\s*[）)]\s*$")
_RULE_LINE = re.compile(r"^\s*[—－\-_=━─]{4,}\s*$")  # the rule a masthead prints under itself
# A document's 版记 (imprint) under its signature: "抄送:省卫生计生委、财政厅", "X办公室 2015年11月23日印发".
_IMPRINT_LINE = re.compile(r"^\s*抄\s*[送报]\s*[:：]|\d{4}\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日\s*印\s*发\s*$")
_ORDER_NO = re.compile(r"^[\u4e00-\u9fff]{2,30}令(?:〔\d{4}〕)?第\d+号$")  # a government order's number


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
    unknown: list[int] = field(default_factory=list)  # header lines that are none of the fields above
    signers: list[str] = field(default_factory=list)  # who signed a government order: "自治区主席 乌力吉"
    in_force: str | None = None  # a portal's 实施日期/生效日期 (ISO)
    expires: str | None = None  # a portal's 废止时间 (ISO)
    published: str | None = None  # the page's publication stamp ("时间:2019-01-24", ISO)


# "关于印发《X》的通知" / "关于印发X的通知" / "……办公室印发《X》的通知": X is the attached document.
_WRAPPED_TITLE = re.compile(r"(?:印发|颁发|颁布|转发)[《〈]?(.+?)[》〉]?的通知$")


def _following_title(lines: list[Line], start: DocStart, metadata: set[int]) -> str:
    """The title written on the 文号's line or after it (metadata aside), as in a printed gazette; "" when none."""
    if start.inline_title is not None:
        return normalize_text(start.inline_title)
    skip = set(start.extra_lines)
    rest = [i for i in nonblank(lines, start.line + 1, len(lines)) if i not in skip and i not in metadata]
    title = normalize_text("".join(lines[i].text.strip() for i in _title_lines_after(lines, rest)))
    return title if TITLE_END.search(title) else ""


def header_start(lines: list[Line], start: DocStart, floor: int, metadata: set[int] | None = None) -> int:
    """The first line of a document's header: the masthead ("示例市人民政府文件") right above the 文号, or — when
    no title follows the 文号 — the title, issuer and metadata lines written above it."""
    metadata = metadata if metadata is not None else metadata_line_set(lines)
    if start.headerless:
        return start.line
    above = nonblank(lines, floor, start.line)
    if above and ISSUER_MASTHEAD.match(lines[above[-1]].text):
        return above[-1]
    if len(above) > 1 and _masthead_word_under_issuer(lines, above[-2], above[-1]):
        return above[-2]
    following = _following_title(lines, start, metadata)
    if following:
        # Right above the 文号 may stand the portal's metadata rows, the issuer and the same title printed once more.
        first = start.line
        for i in reversed(above):
            if not (
                i in metadata
                or is_issuer_line(lines[i].text)
                or (following and same_title(lines[i].text, following, None))
            ):
                break
            first = i
        return first
    first = start.line
    wrapped = 0
    for k in range(len(above) - 1, -1, -1):
        i = above[k]
        text = lines[i].text
        below = above[k + 1] if k + 1 < len(above) else start.line
        if (
            i in metadata
            or is_issuer_line(text)
            or looks_like_title(text)
            or _BRACKETED_DATE.match(text)
            or _cut_short_title(text, [lines[j].text for j in above[max(0, k - _TITLE_ABOVE_LINES) : k]])
            or (k > 0 and _is_category_tag(lines, above[k - 1], i, below, metadata))
            or (start.doc_no and _listed_title(lines, [i], start.doc_no))
        ):
            first = i
            continue
        plain = normalize_text(text)
        if (
            wrapped < _TITLE_ABOVE_LINES - 1
            and plain
            and not GAZETTE_ISSUE.search(text)  # the gazette's name and issue over the title: the page's masthead
            and not any(p in plain for p in _SENTENCE_PUNCT)
            and len(plain) <= 40
            and (
                looks_like_title(lines[first].text)
                # a title's third line is its issuer and 关于 alone ("示例自治州人民政府关于" / "印发《……" / "……的通知")
                or (wrapped and _is_complete_title("".join(lines[j].text.strip() for j in above[k:])))
            )
        ):
            first, wrapped = i, wrapped + 1  # the first line of a wrapped title
            continue
        break
    return first


def _listed_title(lines: list[Line], indexes: list[int], doc_no: str) -> tuple[int, str] | None:
    """The title in a portal's list entry over the page, which runs on into its date, its 文号 and the text's first
    words ("● 临沂市人民政府关于……的通知2023-12-27临政字〔2023〕133号各县区……"), with its line; None when none holds
    this 文号."""
    for i in indexes:
        text = normalize_text(lines[i].text).lstrip("•●▪·- ")
        found = DOC_NO.search(text)
        if found is None or canonical_doc_no(compact(found.group())) != doc_no:
            continue
        head = _LISTED_DATE.sub("", text[: found.start()].strip())
        if looks_like_title(head):
            return i, head
    return None


def _is_category_tag(lines: list[Line], title: int, tag: int, below: int, metadata: set[int]) -> bool:
    """A portal's category word between a title and its metadata rows ("……的实施意见" / "政策" / "发布部门:…")."""
    return (
        bool(_CATEGORY_TAG.match(lines[tag].text))
        and below in metadata
        and looks_like_title(lines[title].text)
    )


def _masthead_word_under_issuer(lines: list[Line], issuer: int, word: int) -> bool:
    """A masthead printed on two lines, "新疆维吾尔自治区人民政府" / "文件" (a PDF's text keeps the big type apart)."""
    return bool(_MASTHEAD_WORD.match(lines[word].text)) and bool(ISSUER_NAME.match(normalize_text(lines[issuer].text)))


def _cut_short_title(text: str, earlier: list[str]) -> bool:
    """A title printed cut short ("关于印发……办理人大代表建议") whose whole form is one of the lines above it."""
    short = compact(normalize_text(text))
    return len(short) >= 6 and any(
        looks_like_title(line) and compact(normalize_text(line)).startswith(short) for line in earlier
    )


def read_masthead(lines: list[Line], first_doc_line: int) -> Masthead:
    """Gazette name, issue and table of contents from the lines before the first document."""
    top = nonblank(lines, 0, first_doc_line)
    gazette = next(
        (
            normalize_text(lines[i].text)
            for i in top[:6]
            if "公报" in lines[i].text and i not in metadata_line_set(lines)
        ),
        None,
    )
    issue = None
    for i in top[:12]:
        m = GAZETTE_ISSUE.search(lines[i].text)
        if m:
            issue = normalize_text(re.sub(r"^(\d{4})\s*(?=第)", r"\1年", m.group(0)))  # "2022第5期": 2022年第5期
            break
    toc_start = next((i for i in top if TOC_START.match(lines[i].text)), None)
    toc: dict[str, TocEntry] = {}
    toc_lines = None
    if toc_start is not None:
        toc_lines = (toc_start, first_doc_line - 1)
        category = None
        title_parts: list[str] = []
        for i in nonblank(lines, toc_start + 1, first_doc_line):
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


def _title_groups(
    lines: list[Line], indexes: list[int], metadata: set[int]
) -> tuple[list[list[int]], str | None, str | None]:
    """Above a 文号: runs of title-like lines (the nearest is the title), a bare issuer line ("河北省人民政府")
    and a masthead issuer."""
    groups: list[list[int]] = []
    issuer_line = masthead_issuer = None
    previous_was_title = False
    for k, i in enumerate(indexes):
        text = lines[i].text
        if i in metadata:
            previous_was_title = False
        elif m := ISSUER_MASTHEAD.match(text):
            masthead_issuer, previous_was_title = normalize_text(m.group(1)), False
        elif issuer_line and k > 0 and _masthead_word_under_issuer(lines, indexes[k - 1], i):
            masthead_issuer, issuer_line, previous_was_title = issuer_line, None, False
        elif ISSUER_NAME.match(normalize_text(text)):
            issuer_line, previous_was_title = normalize_text(text), False
        elif _BRACKETED_DATE.match(text):
            previous_was_title = False  # "(2019年1月29日)" under the title dates it; no part of it
        elif 0 < k < len(indexes) - 1 and _is_category_tag(lines, indexes[k - 1], i, indexes[k + 1], metadata):
            previous_was_title = False
        else:
            if not previous_was_title or _is_complete_title(text):
                groups.append([])
            groups[-1].append(i)
            previous_was_title = True
    return groups, issuer_line, masthead_issuer


def _is_headline(text: str) -> bool:
    """A short line of no sentence and no heading: what a page prints as its headline."""
    plain = normalize_text(text)
    return 0 < len(plain) <= MAX_TITLE_CHARS and not any(p in plain for p in "。；，：") and not match_heading(plain)


def _is_complete_title(text: str) -> bool:
    """A line that is a whole title by itself, issuer + 关于 + matter + document type ("……办公室关于印发……的通知"):
    it never continues the line above it (a document-sharing site prints the attached rules' name there)."""
    plain = normalize_text(text)
    issuer = plain.split("关于", 1)[0]
    return "关于" in plain and bool(ISSUER_NAME.match(issuer)) and looks_like_title(plain)


def _title_group(lines: list[Line], groups: list[list[int]]) -> list[int]:
    """The title among the runs of title-like lines above a 文号: the nearest, unless it is a title cut short whose
    whole form is an earlier run."""
    if not groups:
        return []
    nearest = groups[-1]
    if len(nearest) > 1 and len({compact(normalize_text(lines[i].text)) for i in nearest}) == 1:
        return nearest[-1:]  # the title printed twice, one line under the other: one title
    short = compact(normalize_text("".join(lines[i].text for i in nearest)))
    if not TITLE_END.search(short):
        for group in reversed(groups[:-1]):
            whole = normalize_text("".join(lines[i].text.strip() for i in group))
            if looks_like_title(whole) and compact(whole).startswith(short):
                return group
    return nearest


def _title_lines_after(lines: list[Line], rest: list[int]) -> list[int]:
    """Up to a few lines after the 文号, ending at a document-type word or right before the addressees."""
    title_idx: list[int] = []
    for i in rest[:_MAX_TITLE_LINES]:
        text = normalize_text(lines[i].text)
        if ADDRESSEE_LINE.match(text) or DATE_LINE.match(lines[i].text) or text.endswith("。"):
            break
        if match_heading(lines[i].text) is not None and title_idx:
            break
        title_idx.append(i)
        if TITLE_END.search(text) or sum(len(lines[j].text) for j in title_idx) > MAX_TITLE_CHARS:
            break
    return title_idx


def _undated_signature(lines: list[Line], after_title: list[int]) -> tuple[int, int] | None:
    """Where issuers' names pushed far right by spaces ("          中华人民共和国住房和城乡建设部") sign a notice that
    prints no date under them: (first, end) positions among after_title of the first such run after some text."""
    for k, i in enumerate(after_title[:_SIGNATURE_SEARCH]):
        if k == 0 or not _pushed_right_issuer(lines[i].text):
            continue
        end = k
        while end < len(after_title) and _pushed_right_issuer(lines[after_title[end]].text):
            end += 1
        return k, end
    return None


def _pushed_right_issuer(text: str) -> bool:
    indent = len(text) - len(text.lstrip(" \u3000"))
    return indent >= _SIGNATURE_INDENT and bool(ISSUER_NAME.fullmatch(normalize_text(text).strip()))


def _adoption_date(text: str) -> str | None:
    """The date a law's adoption note under its title gives it, when nothing else dates it: the last step the note
    names — a city's 条例 is law once the province approves it ("……通过；2010年7月30日……批准" → 2010-07-30), as a
    law amended is dated by its amendment."""
    if not _ADOPTION_NOTE.match(text):
        return None
    dates = [d for m in _DATE_IN_NOTE.finditer(text) if (d := parse_date(m.group(0)))]
    return max(dates) if dates else None


def _adopting_body(text: str) -> str | None:
    """Who passed a law whose adoption note under its title is all that names its maker: the first body the note
    says voted it."""
    m = _ADOPTING_BODY.search(text) if _ADOPTION_NOTE.match(text) else None
    return m["place"] + m["body"] if m else None


def _masthead_over_title(lines: list[Line], title_idx: list[int]) -> int:
    """1 when the first of the title lines is an issuer's name alone over a line that is a whole title naming its
    issuer itself ("浠水县人民政府" / "县人民政府关于印发……的通知"): a masthead, no part of the title; else 0 (joint
    issuers over "关于……" — "中共X工作委员会" / "X管理委员会" / "关于……的通知" — are the title's own)."""
    if len(title_idx) < 2 or not ISSUER_NAME.fullmatch(normalize_text(lines[title_idx[0]].text).strip()):
        return 0
    return 1 if _is_complete_title(lines[title_idx[1]].text) else 0


def _attached_title(lines: list[Line], candidates: list[int], cited: set[str] | None = None) -> list[int]:
    """The attached document's own title after an 印发 notice, possibly wrapped over two or three lines, with a
    qualifier line such as "(试 行)" under it, and the lines of its issuers above it when a forwarded document prints
    them ("山东省农业厅" / "山东省财政厅" / "关于……的通知"; see _plan_title). Lines that spell a name the notice
    cites in 《》 are the title even when it ends in no document-type word ("……密切相关的实事")."""
    issuers = list(itertools.takewhile(lambda i: is_issuer_line(normalize_text(lines[i].text)), candidates[:3]))
    if issuers and len(issuers) < len(candidates):
        return issuers + _attached_title(lines, candidates[len(issuers) :], cited)
    if cited:
        joined = ""
        for n, i in enumerate(candidates[:_TITLE_ABOVE_LINES]):
            joined += compact(normalize_text(lines[i].text))
            if joined in cited:
                return _with_qualifier(lines, candidates, candidates[: n + 1])
    taken: list[int] = []
    for i in candidates[:_TITLE_ABOVE_LINES]:
        line = lines[i]
        text = normalize_text(line.text)
        if (
            not text
            or len(text) > MAX_TITLE_CHARS
            or any(p in text for p in "。；：")
            or match_heading(line.text) is not None
            or "\t" in line.text
        ):
            break
        if taken and (len(text) > 40 or any(p in text for p in _SENTENCE_PUNCT)):
            break
        taken.append(i)
        if TITLE_END.search(text):
            return _with_qualifier(lines, candidates, taken)
    return _with_qualifier(lines, candidates, taken[:1])  # "建德市关于……的若干政策" / "（2025年版）"


def _plan_title(lines: list[Line], taken: list[int]) -> str:
    """The attached document's title from the lines _attached_title took, its issuers' lines left out."""
    texts = [normalize_text(lines[i].text.strip()) for i in taken]
    return "".join(itertools.dropwhile(is_issuer_line, texts))


def _with_qualifier(lines: list[Line], candidates: list[int], taken: list[int]) -> list[int]:
    following = candidates[len(taken)] if len(taken) < len(candidates) else None
    if following is not None and _TITLE_QUALIFIER.match(normalize_text(lines[following].text)):
        return taken + [following]
    return taken


def _attachment_named(texts: list[str]) -> str | None:
    """What a "附件：X" line names, the first one among texts."""
    return next((m.group(1) for text in texts if (m := _ATTACHMENT_LINE.match(text))), None)


_SHORT_NAME = re.compile(r"简称\s*$")
_OPENING_LINES = 2  # paragraphs of a notice without a signature that may say what it sends


def _sent_title(notice: list[str]) -> str | None:
    """The document a notice sends, by the notice's words: its "附件：X" line, else the 《X》 of a sentence that
    印发s it ("现将《X》印发给你们", "《X》已经市人民政府同意，现印发给你们"); None when neither names one."""
    if named := _attachment_named(notice):
        return named
    for text in notice:
        for sentence in re.split(r"[。；]", text):
            # a verb inside a cited name ("根据《关于印发<X>的通知》……制定了《Y》，现印发给你们") is not the notice's
            masked = re.sub(r"《[^》]+》", lambda m: "《" + "※" * (len(m.group(0)) - 2) + "》", sentence)
            verb = next((m for m in re.finditer("|".join(_WRAPPING_VERBS), masked)), None)
            # (a short name it gives the document — "（以下简称《方案》）" — names nothing new)
            names = [m for m in re.finditer(r"《([^》]+)》", sentence) if not _SHORT_NAME.search(sentence[: m.start()])]
            if verb is None or not names:
                continue
            # the name nearest before the verb ("为落实《A》，……编制了《B》，现印发给你们" sends B), else the first
            before = [m for m in names if m.end() <= verb.start()]
            return (before[-1] if before else names[0]).group(1)
    return None


def _title_again(lines: list[Line], candidates: list[int], title: str | None, doc_no: str | None) -> int:
    """How many of the first candidate lines print the title again — on one line, or wrapped over a few with its
    issuer above ("亳州市人民政府办公室" / "关于印发……主要目标" / "任务分解的通知"); 0 when they do not."""
    if not title:
        return 0
    joined = ""
    for n, i in enumerate(candidates[:_MAX_TITLE_LINES], start=1):
        joined += lines[i].text.strip()
        if same_title(joined, title, doc_no):
            return n
        if len(compact(joined)) >= len(compact(title)):
            break
    return 0


def _headline_printed_whole(lines: list[Line], candidates: list[int], headline: str) -> list[int]:
    """The first candidate lines (up to a few) when they spell a longer title ending in the headline's words; []
    when they do not."""
    if not headline:
        return []
    short = compact(headline)
    joined = ""
    for n, i in enumerate(candidates[:_TITLE_ABOVE_LINES], start=1):
        joined += compact(normalize_text(lines[i].text))
        if len(joined) > len(short) and joined.endswith(short) and looks_like_title(joined):
            return candidates[:n]
        if len(joined) >= len(short) + MAX_TITLE_CHARS // 4:
            break
    return []


def _addressee_lines(lines: list[Line], candidates: list[int]) -> int:
    """How many of the first candidate lines are the addressees: one line ending in a colon, two when the web copy
    broke the list inside a name ("各县、区人民政府，……、苏州" / "宿迁工业园区，……："), or one list of units that
    lost its colon ("各街道办事处，区级各部门，官盛新区管委会"); 0 when there are none."""
    first = normalize_text(lines[candidates[0]].text) if candidates else ""
    if _LEDE_START.match(first):
        return 0  # "为有效防止……，特发布森林防火禁火通告：" opens the text, though it ends in a colon
    if ADDRESSEE_LINE.match(first):
        return 1
    if (
        len(candidates) > 1
        and first
        and first[-1] not in "。；：:"
        and any(separator in first for separator in "、，")  # a list of names, not a caption above it
        and ADDRESSEE_LINE.match(first + normalize_text(lines[candidates[1]].text))
    ):
        return 2
    if ADDRESSEES_WITHOUT_COLON.match(first) and ISSUER_NAME.match(re.split("[、，]", first)[-1]):
        return 1
    return 0


def _caption_above_addressees(lines: list[Line], candidates: list[int]) -> bool:
    """The first line is a short line of no sentence, and the addressees follow it."""
    if len(candidates) < 2 or _addressee_lines(lines, candidates[:1]):
        return False
    first = normalize_text(lines[candidates[0]].text)
    return (
        len(first) <= MAX_TITLE_CHARS
        and not any(p in first for p in "。；")
        and bool(_addressee_lines(lines, candidates[1:]))
    )


def _signature_date(lines: list[Line], after_title: list[int]) -> int | None:
    """Position of the signature's date among the lines after the title: a date line, a date with its issuer beside
    it, or bare digits under the issuer line (a "（此件公开发布）" line may stand between them)."""
    for k, i in enumerate(after_title[:_SIGNATURE_SEARCH]):
        if DATE_LINE.match(lines[i].text) or dated_issuer(lines[i].text):
            return k
        if DIGITS_DATE_LINE.match(lines[i].text):
            before = [normalize_text(lines[j].text) for j in after_title[max(0, k - 2) : k]]
            if before and PUBLICITY_LINE.match(before[-1]):
                before = before[:-1]
            if before and ISSUER_NAME.match(before[-1]):
                return k
    return None


def _cut_notice(lines: list[Line], after_title: list[int], title: str) -> int | None:
    """How many lines an 印发 notice takes when the web copy cut it short, with its signature, right before the
    attached document's title ("《关于……的实施意见》已经" / "关于…… / ……的实施意见"): the lines up to a run that spells
    a name the notice cites in 《》; None when there is no such run."""
    if not any(word in title for word in _TITLE_WRAPPING_VERBS):
        return None
    cited: set[str] = set()
    for k in range(1, min(len(after_title), _CUT_NOTICE_LINES + 1)):
        cited |= {compact(name) for name in re.findall(r"《([^》]+)》", normalize_text(lines[after_title[k - 1]].text))}
        joined = ""
        for i in after_title[k : k + _TITLE_ABOVE_LINES]:
            joined += compact(normalize_text(lines[i].text))
            if joined in cited:
                return k
    return None


def read_header(
    lines: list[Line],
    start: int,
    doc: DocStart,
    stop: int,
    metadata: set[int] | None = None,
    page_top: int | None = None,
) -> Header:
    """Parse the header block of the document whose 文号 is on doc.line, within [start, stop); the page's fields from
    page_top on (the first document of a page is the one its fields describe, though a lede stands between)."""
    metadata = metadata if metadata is not None else metadata_line_set(lines)

    def span_of(i: int) -> tuple[int, int]:
        return lines[i].start, lines[i].end

    above = nonblank(lines, start, doc.line)
    spans: list[tuple[int, int]] = [span_of(i) for i in above] + ([] if doc.headerless else [span_of(doc.line)])
    listed = _listed_title(lines, above, doc.doc_no) if doc.doc_no else None
    title_groups, issuer_line, masthead_issuer = _title_groups(
        lines, [i for i in above if listed is None or i != listed[0]], metadata
    )
    title_above = _title_group(lines, title_groups)
    doc_no = doc.doc_no
    skip = set(doc.extra_lines)
    spans += [span_of(i) for i in sorted(skip)]
    first_rest = doc.line if doc.headerless else doc.line + 1
    rest = [i for i in nonblank(lines, first_rest, stop) if i not in skip and i not in metadata]
    if (
        skip
        and (headline := [i for i in rest if i < max(skip)])
        and all(DOC_NO.search(t) or is_issuer_line(t) or _RULE_LINE.match(t) for t in (lines[i].text for i in headline))
        and DOC_NO.search(lines[headline[0]].text)
    ):
        # a portal's headline that prints the 文号 before the title ("瑞政办(2011)129号 转发……的通知") above the page's
        # own 文号 line, maybe with the masthead and its rule between ("贵阳市人民政府办公厅" / "——————"): the title is
        # the one under the last printing of the 文号, the masthead names the issuer
        spans += [span_of(i) for i in headline]
        rest = [i for i in rest if i > max(skip)]
        issuer_line = issuer_line or next(
            (
                normalize_text(lines[i].text)
                for i in headline
                if not DOC_NO.search(lines[i].text) and is_issuer_line(lines[i].text)
            ),
            None,
        )
    top = start if page_top is None else min(page_top, start)
    fields = metadata_fields(lines, [i for i in nonblank(lines, top, stop) if i in metadata][:40])

    if doc.inline_title is not None:
        printed_title = doc.inline_title
        title = normalize_text(doc.inline_title).strip("《》")
        title_idx: list[int] = []
    elif title_above:
        printed_title = "".join(lines[i].text.strip() for i in title_above)
        title = normalize_text(printed_title).strip("《》")
        title_idx = []
        issuer_above = title_above[0] - 1
        if (
            title.startswith(("关于", *_TITLE_WRAPPING_VERBS))
            and issuer_above in above
            and is_issuer_line(lines[issuer_above].text)
        ):
            # "济宁市人民政府" / "关于……的实施意见", "兰州市人民政府办公厅" / "印发关于……的通知": a title broken after
            # its issuer, no blank line between
            title = normalize_text(lines[issuer_above].text) + title
    else:
        title_idx = _title_lines_after(lines, rest)
        masthead = _masthead_over_title(lines, title_idx)
        if masthead and masthead_issuer is None and issuer_line is None:
            issuer_line = normalize_text(lines[title_idx[0]].text)
        printed_title = "".join(lines[i].text.strip() for i in title_idx[masthead:])
        title = normalize_text(printed_title)
        below = next(iter(nonblank(lines, title_idx[0] + 1, stop)), None) if len(title_idx) == 1 else None
        over_stamp = below is not None and below in metadata and _is_headline(title)
        if doc.headerless and not (looks_like_title(title) and not match_heading(title)) and not over_stamp:
            # only a clear title line is a headerless text's title — or a portal's headline right over its stamp
            # ("市政府工作报告重点工作责任分解(2023年)" / "时间:2023-07-11 17:01 … 信息来源: 丽水市政府"), a blank line
            # between them or not
            title_idx, printed_title, title = [], "", ""
    named = next((fields[label] for label in _TITLE_LABELS if looks_like_title(fields.get(label, ""))), None)
    if not title and named:
        title = normalize_text(named)  # no title printed above the text: the portal's 名称 names it
    if not title and listed:
        title = listed[1]
    spans += [span_of(i) for i in title_idx]
    after_title = rest[len(title_idx) :]
    if again := _title_again(lines, after_title, title, doc_no):
        spans += [span_of(i) for i in after_title[:again]]  # the title printed again above the text
        after_title = after_title[again:]

    captions: list[int] = []
    if doc.headerless and not title and _caption_above_addressees(lines, after_title):
        # A copy's own caption above the addressees ("……目标任务责任分解方案(上)" on a forum): header, no title
        captions, after_title = after_title[:1], after_title[1:]
        spans.append(span_of(captions[0]))
    addressees = None
    if taken := _addressee_lines(lines, after_title):
        addressees = normalize_text("".join(lines[i].text.strip() for i in after_title[:taken])).rstrip("：:")
        spans += [span_of(i) for i in after_title[:taken]]
        after_title = after_title[taken:]

    # The signature: issuer (or signer) lines followed by the date line.
    date_pos = _signature_date(lines, after_title)
    issuers: list[str] = []
    signers: list[str] = []
    notice: list[int] = []
    date = publicity = plan_title = None
    body_pos = 0
    closed = False  # the notice ends at a signature or at its "（此件公开发布）" line
    if date_pos is not None:
        sign_pos = date_pos
        while sign_pos > 0 and (
            ISSUER_NAME.match(normalize_text(lines[after_title[sign_pos - 1]].text))
            or signer_of(lines[after_title[sign_pos - 1]].text)
            or (sign_pos == date_pos and PUBLICITY_LINE.match(lines[after_title[sign_pos - 1]].text))
        ):
            sign_pos -= 1
        for i in after_title[sign_pos:date_pos]:
            text = lines[i].text
            if publicity_line := PUBLICITY_LINE.match(text):
                publicity = normalize_text(publicity_line.group(1))  # "（此件公开发布）" above a date
            elif signer := signer_of(text):
                signers.append(signer)
            else:
                issuers += spaced_issuers(text) or [normalize_text(text)]
        notice = after_title[:sign_pos]
        printed = lines[after_title[date_pos]].text
        known = next((d for label in _DATE_LABELS if (d := parse_date(fields.get(label, "")))), None)
        if issuer_beside := dated_issuer(printed):
            issuers.append(issuer_beside)
        if DATE_LINE.match(printed) or issuer_beside:
            date = parse_date(printed)
        else:
            date = parse_digits_date(printed, known)
        spans += [span_of(i) for i in after_title[sign_pos : date_pos + 1]]
        body_pos = date_pos + 1
        if body_pos < len(after_title) and parse_date(lines[after_title[body_pos]].text) == date:
            if DATE_LINE.match(lines[after_title[body_pos]].text):  # the date printed twice
                spans.append(span_of(after_title[body_pos]))
                body_pos += 1
        closed = True
    else:
        # No signature: a "（此件公开发布）" line still closes the notice above it.
        pub_pos = next(
            (k for k, i in enumerate(after_title[:_SIGNATURE_SEARCH]) if PUBLICITY_LINE.match(lines[i].text)), None
        )
        if pub_pos is not None and pub_pos > 0:
            notice, body_pos, closed = after_title[:pub_pos], pub_pos, True
        elif cut := _cut_notice(lines, after_title, title):
            notice, body_pos, closed = after_title[:cut], cut, True
        elif signed := _undated_signature(lines, after_title):
            # the copy ends (or the date is lost) under issuers pushed right: they sign the notice above them
            sign_pos, sign_end = signed
            issuers = [normalize_text(lines[i].text) for i in after_title[sign_pos:sign_end]]
            spans += [span_of(i) for i in after_title[sign_pos:sign_end]]
            notice, body_pos, closed = after_title[:sign_pos], sign_end, True
    if closed:
        if body_pos < len(after_title) and (publicity_line := PUBLICITY_LINE.match(lines[after_title[body_pos]].text)):
            publicity = normalize_text(publicity_line.group(1))
            spans.append(span_of(after_title[body_pos]))
            body_pos += 1
        while body_pos < len(after_title) and _IMPRINT_LINE.search(lines[after_title[body_pos]].text):
            spans.append(span_of(after_title[body_pos]))  # the 版记 under the signature: 抄送, who printed it when
            body_pos += 1
        if body_pos < len(after_title) and _ATTACHMENT_LABEL.match(lines[after_title[body_pos]].text):
            spans.append(span_of(after_title[body_pos]))
            body_pos += 1
        if again := _title_again(lines, after_title[body_pos:], title, None):
            # a government order prints the regulation's title again, maybe wrapped ("……《甘肃省城市市容和" / "……决定")
            spans += [span_of(i) for i in after_title[body_pos : body_pos + again]]
            body_pos += again
        elif headline := _headline_printed_whole(lines, after_title[body_pos:], title):
            # the page's headline is the attached document's title printed short ("贯彻落实《…》的任务分解方案" over
            # "示例区贯彻落实《…》的任务分解方案" under the signature): the notice's own title is lost with its top
            plan_title = normalize_text("".join(lines[i].text.strip() for i in headline))
            title = ""
            spans += [span_of(i) for i in headline]
            body_pos += len(headline)
        # An 印发/转发 notice is followed by the attached document's own title.
        elif body_pos < len(after_title) and (
            any(word in title for word in _TITLE_WRAPPING_VERBS)
            or any(word in lines[i].text for word in _WRAPPING_VERBS for i in notice)
        ):
            cited = {
                compact(name)
                for text in [title] + [lines[i].text for i in notice]
                for name in re.findall(r"《([^》]+)》", normalize_text(text))
            }
            taken_title = _attached_title(lines, after_title[body_pos:], cited)
            if taken_title:
                plan_title = _plan_title(lines, taken_title)
                spans += [span_of(i) for i in taken_title]
                body_pos += len(taken_title)
                # printed short, the copy cut off inside it: the notice's title names it whole
                wrapped = _WRAPPED_TITLE.search(title)
                named = wrapped[1] if wrapped else ""
                if len(named) > len(plan_title) and compact(named).startswith(compact(plan_title)):
                    plan_title = named
    if plan_title is None and (wrapped := _WRAPPED_TITLE.search(title)):
        plan_title = wrapped.group(1)  # the attached document's title is not printed: the notice's title names it
        if again := _title_again(lines, after_title[body_pos:], plan_title, None):
            spans += [span_of(i) for i in after_title[body_pos : body_pos + again]]  # printed after all, as text
            body_pos += again
    if plan_title is None and not title:
        # A notice that prints no title of its own, nor the document it sends: its 附件 line or its text names it —
        # a notice the copy prints without a signature ends at its "附件：X" line, and its text opens with what it
        # sends ("现将《X》印发给你们").
        sent = _sent_title([normalize_text(lines[i].text) for i in notice or after_title[:_OPENING_LINES]])
        plan_title = sent or (
            None if closed else _attachment_named([normalize_text(lines[i].text) for i in after_title])
        )
    if date is None and (dated := [i for i in above if _BRACKETED_DATE.match(lines[i].text)]):
        date = parse_date(lines[dated[-1]].text)  # the gazette's date under the title, before the page's fields
    if date is None:
        date = next((d for label in _DATE_LABELS if (d := parse_date(fields.get(label, "")))), None)
    if date is None and (order_note := ORDER_NOTE.match(lines[doc.line].text)):
        # "(1991年3月26日济南市人民政府令19号发布)"; after the vote: "(…通过2013年10月27日X人民政府令第184号发布…)"
        date = parse_date(order_note.group("date") or "")
    if date is None and any(p.match(lines[doc.line].text) for p in (DOC_NO_DATE_NOTE, DATE_DOC_NO_LINE)):
        date = parse_date(lines[doc.line].text)  # "(哈厅字[2007]4号 2007年2月1日)", "2000年12月28日 税委会[2000]17号"
    note = normalize_text(lines[after_title[body_pos]].text).strip() if body_pos < len(after_title) else ""
    if date is None:
        date = _adoption_date(note)
    if not title and closed and doc_no and _ORDER_NO.match(doc_no) and body_pos < len(after_title):
        # a government order that prints no title above its number is known by the rules it promulgates, whose
        # title stands under its signature ("市长孟凡利" / "2019年11月30日" / "青岛市重大行政决策程序规定")
        promulgated = lines[after_title[body_pos]].text
        if looks_like_title(normalize_text(promulgated)):
            title = normalize_text(promulgated)
            spans.append(span_of(after_title[body_pos]))
            body_pos += 1
    issuers = resolve_issuers(issuers, masthead_issuer, title, issuer_line, fields, printed_title, doc_no)
    if not issuers and (adopted_by := _adopting_body(note)):
        issuers = [adopted_by]
    body_line = after_title[body_pos] if body_pos < len(after_title) else stop
    spans += [span_of(i) for i in metadata if doc.line < i < body_line and i not in skip]
    known_titles = {title, plan_title}
    unknown = captions + [
        i
        for group in title_groups
        if group is not title_above
        for i in group
        if normalize_text(lines[i].text).strip("《》") not in known_titles
        and not compact(title).startswith(compact(normalize_text(lines[i].text)))
    ]
    return Header(
        doc_no=doc_no,
        title=title,
        issuers=issuers,
        addressees=addressees,
        date=date,
        publicity=publicity,
        plan_title=plan_title,
        notice=notice,
        spans=sorted(set(spans)),
        body_line=body_line,
        unknown=unknown,
        signers=signers,
        in_force=next((d for label in _IN_FORCE_LABELS if (d := parse_date(fields.get(label, "")))), None),
        expires=next((d for label in _EXPIRY_LABELS if (d := parse_date(fields.get(label, "")))), None),
        published=next((d for label in _PUBLISHED_LABELS if (d := parse_date(fields.get(label, "")))), None),
    )


__all__ = ["Header", "Masthead", "TocEntry", "header_start", "read_header", "read_masthead"]
