"""What a title line looks like: a document type at its end, the same title printed again (with its 文号 run into
it, 《》 dropped or added), an issuer's own line, a portal's label before it."""

from __future__ import annotations

import re

from qa_bot.text.normalize import compact, normalize_text
from qa_bot.text.patterns import ISSUER_MASTHEAD, ISSUER_NAME

# A document type ends a title, maybe with its trial or draft status after it: "……的实施意见(试行)".
TITLE_END = re.compile(
    r"(通知|意见|决定|办法|方案|规定|批复|函|通报|公告|命令|令|细则|规划|纲要|报告|规则|条例|决议|通告|公报|预案|清单|(?<!代)表)"
    r"(?:（(?:试行|暂行|草案|征求意见稿)）)?$"
)
MAX_TITLE_CHARS = 120
_WRAPPED_TITLE_LINES = 3  # lines a title broken on a portal's page may take
_WRAPPED_LINE_MAX = 40  # a title's continuation is a short line
# A portal column's name in front of a page's title: "【市政府重点工作及责任分解】滁州市人民政府关于……的通知",
# "“党政混合信息公开” 中共……印发……的通知" (quoted, a space after it), or a copying site's caption ending in a colon
# before a title that starts with 关于 ("杭州市萧山区高新技术企业奖励政策:关于……的若干政策意见").
COLUMN_LABEL = re.compile(
    r"^\s*(?:【[^【】]{1,20}】(?=\S)|“[^“”]{1,20}”\s+(?=\S)|[^:：。，,；;“”《》]{2,30}[:：]\s*(?=关于))"
)

# A copying site's remark after a title, on the copy rather than the document: "……管理规定(最新版本全文)".
REPRINT_REMARK = re.compile(r"\s*[（(][^（()）]{0,10}全文[）)]\s*$")


def bare_title_line(text: str) -> str:
    """A title line without a portal column's name before it and a copying site's remark after it."""
    return REPRINT_REMARK.sub("", COLUMN_LABEL.sub("", text)).strip()


# A notice's list of what it sends ("附件：1、省农业厅《关于……的通知》") names documents; it is no title.
_ATTACHMENT_LINE = re.compile(r"^\s*附\s*件\s*[：:]")


def looks_like_title(text: str) -> bool:
    text = normalize_text(text).strip("《》")
    return (
        bool(text)
        and not _ATTACHMENT_LINE.match(text)
        and len(text) <= MAX_TITLE_CHARS
        and not any(p in text for p in "。；")
        and bool(TITLE_END.search(text))
    )


def title_goes_on(lines: list[str]) -> int:
    """How many of the lines after a title line carry on the title: a line that reads as a title only with its
    《》 taken off ("关于印发2022年《政府工作报告》" — the type word is the cited name's) goes on on the next short
    lines until they end in a document type ("重点任务责任落实分工的通知"); 0 when the first line is whole or
    nothing after it ends the title."""
    joined = normalize_text(lines[0]).strip() if lines else ""
    if not joined or TITLE_END.search(joined) or not looks_like_title(joined):
        return 0
    for n, line in enumerate(lines[1:_WRAPPED_TITLE_LINES], start=1):
        plain = normalize_text(line).strip()
        sentence = any(p in plain for p in "，。；：:,;")
        if not plain or len(plain) > _WRAPPED_LINE_MAX or sentence or is_issuer_line(plain):
            return 0
        joined += plain
        if len(joined) > MAX_TITLE_CHARS:
            return 0
        if TITLE_END.search(joined):
            return n
    return 0


def same_title(text: str, title: str, doc_no: str | None) -> bool:
    """The title printed again, maybe with the 文号 run into it and 《》 dropped or added."""

    def bare(value: str) -> str:
        return re.sub(r"[《》〈〉<>]", "", compact(normalize_text(value)))

    line = bare(text)
    if doc_no and line.startswith(bare(doc_no)):
        line = line[len(bare(doc_no)) :]
    return bool(title) and line == bare(title)


def is_issuer_line(text: str) -> bool:
    plain = normalize_text(text)
    return bool(ISSUER_NAME.match(plain)) or bool(ISSUER_MASTHEAD.match(text))


__all__ = [
    "COLUMN_LABEL",
    "MAX_TITLE_CHARS",
    "REPRINT_REMARK",
    "TITLE_END",
    "bare_title_line",
    "is_issuer_line",
    "looks_like_title",
    "same_title",
    "title_goes_on",
]
