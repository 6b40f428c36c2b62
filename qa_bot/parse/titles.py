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


def looks_like_title(text: str) -> bool:
    text = normalize_text(text).strip("《》")
    return (
        bool(text)
        and len(text) <= MAX_TITLE_CHARS
        and not any(p in text for p in "。；")
        and bool(TITLE_END.search(text))
    )


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
]
