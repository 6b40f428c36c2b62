"""A portal's article page (HTML) → its main text: navigation, headers, footers and breadcrumbs left out, each
paragraph one line, table rows tab-separated.

The main text is the element holding most of the page's paragraph text (descending while one child holds nearly
all of it). Generic boilerplate removers (trafilatura's, tried first) drop short lines that repeat — a signature,
a date, "（此件公开发布）" — which are exactly the lines that delimit a gazette's documents, so lxml is used directly.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from qa_bot.errors import CorpusError

if TYPE_CHECKING:
    from lxml.html import HtmlElement

# <header> is left alone: an article's own header holds its title (a site's header holds little text and is left
# out by the choice of the main element anyway).
_DROP_TAGS = {"script", "style", "noscript", "nav", "footer", "aside", "form", "iframe", "button", "select", "template"}
# A class or id token naming site chrome: "nav", "top-nav", "footer", "breadcrumb", "share_box"
# (not "position-relative").
_CHROME_TOKEN = re.compile(
    r"(?:[a-z0-9]+[-_])*(?:nav|navbar|menu|footer|crumbs?|breadcrumbs?|share|sidebar|copyright|toolbar)(?:[-_][a-z0-9]+)*",
    re.I,
)
_BLOCK_TAGS = {
    "p", "div", "section", "article", "main", "center", "blockquote", "pre", "li", "ul", "ol", "dl", "dt", "dd",
    "h1", "h2", "h3", "h4", "h5", "h6", "table", "tr", "td", "th", "tbody", "thead", "body",
}
# Lines of site chrome inside the article itself: "当前位置：首页 > 政务公开", "【字体：大 中 小】", "打印本页".
_CHROME_LINE = re.compile(
    r"^\s*(?:(?:当前位置|您的位置|您现在的位置|所在位置)\s*[:：]|【?\s*字体\s*[:：]|\[?\s*打印本页|\[?\s*关闭窗口)"
)
_MAIN_SHARE = 0.9


def _decode(data: bytes) -> str:
    head = data[:4096].decode("ascii", errors="ignore").lower()
    m = re.search(r"charset\s*=\s*[\"']?([a-z0-9_-]+)", head)
    for encoding in ([m.group(1)] if m else []) + ["utf-8", "gb18030"]:
        try:
            return data.decode(encoding)
        except (LookupError, UnicodeDecodeError):
            continue
    return data.decode("utf-8", errors="replace")


def _clean(root: HtmlElement) -> None:
    for element in list(root.iter()):
        if element.getparent() is None:
            continue
        if not isinstance(element.tag, str):  # comments and processing instructions
            element.drop_tree()
            continue
        tokens = f"{element.get('class', '')} {element.get('id', '')}".split()
        if element.tag in _DROP_TAGS or (
            element.tag != "body" and any(_CHROME_TOKEN.fullmatch(token) for token in tokens)
        ):
            element.drop_tree()


def _paragraph_text(element: HtmlElement) -> int:
    return sum(len("".join(p.itertext()).strip()) for p in element.iter("p", "td", "li", "h1", "h2", "h3", "pre"))


def _main_element(body: HtmlElement) -> HtmlElement:
    """Descend from body while one child holds nearly all of the paragraph text."""
    current = body
    while True:
        total = _paragraph_text(current)
        children = [
            c
            for c in current
            if isinstance(c.tag, str) and c.tag in _BLOCK_TAGS - {"p", "table", "tr", "td", "th", "li"}
        ]
        best = max(children, key=_paragraph_text, default=None)
        if best is None or total == 0 or _paragraph_text(best) < _MAIN_SHARE * total:
            return current
        current = best


def _has_block_child(element: HtmlElement) -> bool:
    return any(isinstance(c.tag, str) and c.tag in _BLOCK_TAGS for c in element.iterdescendants())


def _lines_of_inline(element: HtmlElement) -> list[str]:
    for br in element.iter("br"):
        br.tail = "\n" + (br.tail or "")
    return [line.strip() for line in element.text_content().split("\n") if line.strip()]


def _emit(element: HtmlElement, out: list[str]) -> None:
    if not isinstance(element.tag, str):
        return
    if element.tag == "table":
        for row in element.iter("tr"):
            cells = [
                " ".join(c.text_content().split()) for c in row if isinstance(c.tag, str) and c.tag in ("td", "th")
            ]
            if any(cells):
                out.append("\t".join(cells))
        return
    if not _has_block_child(element):
        out.extend(_lines_of_inline(element))
        return
    if element.text and element.text.strip():
        out.append(element.text.strip())
    for child in element:
        _emit(child, out)
        if child.tail and child.tail.strip():
            out.append(child.tail.strip())


def html_to_text(data: bytes, path: str) -> str:
    """Main text of the page, one paragraph per line, table rows tab-separated."""
    import lxml.html

    try:
        root = lxml.html.document_fromstring(_decode(data))
    except (ValueError, lxml.etree.ParserError) as exc:
        raise CorpusError(f"网页无法解析（{exc}）", path=path) from None
    _clean(root)
    body = root.find("body")
    lines: list[str] = []
    _emit(_main_element(body if body is not None else root), lines)
    lines = [line for line in lines if not _CHROME_LINE.match(line)]
    if not lines:
        raise CorpusError("网页中没有找到正文", path=path)
    return "\n".join(lines)


__all__ = ["html_to_text"]
