"""The documents a document says it implements or rests on (为贯彻落实《…》（国发〔2021〕33号）…, 根据《…》…).

A gazette document names its basis in its opening paragraph — the preamble of an attached plan or the notice itself —
as a basis verb followed by one or more titles in 《》, each optionally followed by its 文号 in brackets. Titles of the
document itself ("特制定《…》", "现将《…》印发给你们") are not its basis.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from qa_bot.text.normalize import normalize_text
from qa_bot.text.patterns import DOC_NO, DOC_NO_CUT, DOC_NO_OPEN_LOST

# A basis verb opens the sentence part that names the basis; it ends where the document turns to its own purpose.
# An upper body's 印发了 recounts the document the notice carries out ("省府办公厅印发了《…》(粤办函…)，要求各地……");
# the document's own 印发 ("现将《…》印发给你们", "……要求，印发了《…》") names no body right before it.
BASIS_VERB = re.compile(r"(贯彻落实|贯彻|落实|根据|依据|按照|依照|参照|遵照|衔接|(?<=[厅室府委部局院])印发了)")
_PART_END = re.compile(r"(精神|要求|部署|规定)?[，,]?(结合|制定|特制定|现将|进一步|加快|有效|大力|推动)")
_TITLE = re.compile(r"(?:(国务院|省政府|省人民政府|国家[\u4e00-\u9fff]{0,8}))?《([^《》]{4,80})》")
_REPEALED = re.compile(r"^\s*(?:同时|即行|予以|一并)?\s*(?:废止|停止执行|不再执行)")
_BRACKETED_DOC_NO = re.compile(rf"^\s*[（(]\s*({DOC_NO.pattern})\s*[）)]")
# A 文号 in brackets that lost a bracket of its own: "(国办发〔2018104号)", "(粤办函2017〕259号)".
_BRACKETED_LOSSY_DOC_NO = [re.compile(rf"^\s*[（(]\s*{p.pattern}\s*[）)]") for p in (DOC_NO_CUT, DOC_NO_OPEN_LOST)]
# A document cited by its 文号 alone, no title before it: "以及国办督函〔201812号文件要求" (国办督函〔2018〕12号). The
# 文号 starts right after a punctuation mark, a connective or the basis verb, none of them part of its abbreviation.
_CUT_DOC_NO = DOC_NO_CUT.pattern.replace("?P<", "?P<cut_")
_CITED_BY_DOC_NO = re.compile(
    rf"(?:(?<=[，,、；;：:])|(?<=以及)|(?<=[及和与据照实]))(?!以及|[及和与])(?P<doc_no>{DOC_NO.pattern}|{_CUT_DOC_NO})文件"
)
# A government order cited by its number: "《遵义市政府信息公开规定》(遵府令第42号)".
_BRACKETED_ORDER_NO = re.compile(
    r"^\s*[（(]\s*(?P<head>[\u4e00-\u9fff]{2,30}令)\s*第\s*(?P<number>\d{1,4})\s*号\s*[）)]"
)


@dataclass(frozen=True)
class BasisDocument:
    """An upper-level document a document implements: its title as cited and its 文号 when the text gives one."""

    title: str
    doc_no: str | None = None
    issuer: str | None = None  # a body named right before the title ("国务院《…》"), when written so

    def to_dict(self) -> dict[str, str | None]:
        return {"title": self.title, "doc_no": self.doc_no, "issuer": self.issuer}


def _own_titles(*titles: str | None) -> set[str]:
    return {normalize_text(t).replace("〈", "《").replace("〉", "》") for t in titles if t}


def _lossy_doc_no(text: str) -> str | None:
    """The 文号 in brackets at the start of text that lost one of its own brackets, restored."""
    for pattern in _BRACKETED_LOSSY_DOC_NO:
        if m := pattern.match(text):
            return f"{m['prefix']}〔{m['year']}〕{int(m['serial'])}号"
    return None


def find_basis(texts: list[str], own_titles: list[str | None]) -> tuple[BasisDocument, ...]:
    """The basis documents named in the opening paragraphs `texts` (in order, each once)."""
    from qa_bot.parse.starts import canonical_doc_no

    own = _own_titles(*own_titles)
    found: dict[str, BasisDocument] = {}
    for raw in texts:
        text = normalize_text(raw)
        # Words inside a cited title ("关于进一步盘活…") neither open nor close a basis part.
        masked = re.sub(r"《[^《》]*》", lambda m: "《" + "※" * (len(m.group(0)) - 2) + "》", text)
        for verb in BASIS_VERB.finditer(masked):
            end = _PART_END.search(masked, verb.end())
            part_end = end.start() if end else len(text)
            for m in _TITLE.finditer(text, verb.end(), part_end):
                title = m.group(2)
                if title in own:
                    continue
                after = _BRACKETED_DOC_NO.match(text[m.end() :])
                if _REPEALED.match(text[m.end() + (after.end() if after else 0) :]):
                    continue  # "2016年印发的《…》(齐政办发〔2016〕23号)同时废止": replaced, not implemented
                doc_no = canonical_doc_no(after.group(1)) if after else None
                if doc_no is None and (lossy := _lossy_doc_no(text[m.end() :])):
                    doc_no = lossy
                if doc_no is None and (order := _BRACKETED_ORDER_NO.match(text[m.end() :])):
                    doc_no = f"{order['head']}第{int(order['number'])}号"
                if title not in found:
                    found[title] = BasisDocument(title=title, doc_no=doc_no, issuer=m.group(1))
            for m in _CITED_BY_DOC_NO.finditer(masked, verb.end(), part_end):
                cut = m["cut_prefix"] and f"{m['cut_prefix']}〔{m['cut_year']}〕{int(m['cut_serial'])}号"
                doc_no = cut or canonical_doc_no(m["doc_no"])
                found.setdefault(f"{doc_no}文件", BasisDocument(title=f"{doc_no}文件", doc_no=doc_no))
            if found:
                break  # the first basis sentence is the document's basis; later 按照《…》 are measures
        if found:
            break
    return tuple(found.values())


# A regulation or rules state their basis in their first article: "根据《…》…，结合本市实际，制定本办法。"; a plan
# numbered 1 / 1.1 in its section "1.2 编制依据": "依据《…》…制定本预案。"
_OWN_PURPOSE = re.compile(r"制定本(办法|细则|实施细则|条例|规定|规则|方案|预案|意见|措施|制度|决定)")


def first_article_basis(texts: list[str], own_titles: list[str | None]) -> tuple[BasisDocument, ...]:
    """The basis a document without a preamble names in its first clauses, where one says it makes this very
    document ("制定本细则")."""
    return find_basis([t for t in texts if _OWN_PURPOSE.search(normalize_text(t))], own_titles)


__all__ = ["BASIS_VERB", "BasisDocument", "find_basis", "first_article_basis"]
