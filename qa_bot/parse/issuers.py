"""Who issued and who signed a document: from its signature, masthead, title, an issuer line or the portal's
metadata, from the most to the least explicit evidence."""

from __future__ import annotations

import re

from qa_bot.text.normalize import normalize_text
from qa_bot.text.patterns import DATED_ISSUER_LINE, ISSUER_NAME, SIGNER_LINE

# A name before the title's subject; never the subject itself ("关于印发《…人民政府工作规则》的通知" names no issuer).
_ISSUER_PREFIX = re.compile(r"^(?!关于)([^《》〈〉“”]{2,24}?(?:人民政府办公室|人民政府办公厅|人民政府))")
_LEVELS = "省市县区州盟旗乡镇"  # an issuer named by its level alone starts with one of them
# The issuer's fields of a portal's metadata block; the first four name who issued the document, the others who
# published the page.
_ISSUING_LABELS = ("发文机关", "发文机构", "发文单位", "颁布单位", "制定机关")
_ISSUER_LABELS = (*_ISSUING_LABELS, "发布机构", "发布单位")
# The page's source fields: who put the page up — a government's name here says where the document is from.
_SOURCE_LABELS = ("信息来源", "文章来源", "来源", "来自")
# A body's short name at a title's start: its level, then some of its name's characters, ending as a body's name does
# ("县卫健委" for 灵璧县卫生健康委员会, "市发改委" for …市发展和改革委员会).
_SHORT_NAME = re.compile(rf"^[{_LEVELS}][\u4e00-\u9fff]{{1,5}}?[委局办厅]")
# A government named with its place in a source field: "华容县政府", "襄阳市政府门户网站" → 华容 / 县, 襄阳 / 市.
_PLACED_GOVERNMENT = re.compile(rf"^(?P<place>[\u4e00-\u9fff]{{2,8}}?)(?P<level>[{_LEVELS}])(?:人民)?政府")
_GOVERNMENT_ENDS = ("政府", "政府办公厅", "政府办公室", "政府督查室")  # a government, or its office that reports
_ORDER_ISSUER = re.compile(r"^([\u4e00-\u9fff]{2,30})令(?:〔\d{4}〕)?第\d+号$")


def signer_of(text: str) -> str | None:
    """Who signs a government order, as printed ("自治区主席 乌力吉"), a bare title with the space of a web copy
    closed ("市 长" → "市长", "市 长 袁宝成" → "市长 袁宝成"); None for any other line."""
    if SIGNER_LINE.match(text):
        return " ".join(text.split())
    closed = "".join(text.split())
    if len(closed) <= 4 and SIGNER_LINE.match(closed):
        return closed
    *spaced, name = text.split() or [""]
    title = "".join(spaced)
    if len(spaced) > 1 and all(len(t) == 1 for t in spaced) and SIGNER_LINE.match(title) and 2 <= len(name) <= 4:
        return f"{title} {name}"  # "市 长 袁宝成": the title spaced out, then the name
    return None


def dated_issuer(text: str) -> str | None:
    """The issuer a law database prints after the date on one line ("1990年3月10日,铁道部" → "铁道部")."""
    m = DATED_ISSUER_LINE.match(text)
    issuer = normalize_text(m.group("issuer")) if m else ""
    return issuer if ISSUER_NAME.match(issuer) else None


def _issuers_before_about(printed_title: str) -> list[str]:
    """Several issuers printed one after another before 关于 (or before 印发 / 转发 when the title has no 关于),
    separated by spaces or "、": "成都市发展和改革委员会 中共成都市委社会工作部 … 关于印发……的通知", "中共静安区委办公室
    静安区人民政府办公室印发《……》的通知" → each of them; [] for any other title."""
    m = re.search(r"关于|印发|转发", printed_title)
    return spaced_issuers(printed_title[: m.start()].replace("、", " ")) if m else []


def spaced_issuers(text: str) -> list[str]:
    """Issuers printed on one line separated by spaces ("云南省财政厅   云南省人力资源和社会保障厅") → each of them;
    [] unless there are several and each is an issuer's name."""
    names = [normalize_text(name) for name in text.split()]
    return names if len(names) > 1 and all(ISSUER_NAME.match(name) for name in names) else []


def _fuller_name(issuer: str, candidates: list[str]) -> str:
    """A title's issuer named by its level only ("县人民政府办公室") under the full name printed elsewhere in the
    header (the metadata's "嘉鱼县人民政府办公室", or "下陆区政府办公室" for "区人民政府办公室": a government is 政府
    for short). A name with its place ("宿迁市人民政府") stays as the title has it."""
    if not issuer or issuer[0] not in _LEVELS:
        return issuer
    for candidate in candidates:
        name = normalize_text(candidate)
        shorter, short = short_issuer(name), short_issuer(issuer)
        if len(shorter) > len(short) and shorter.endswith(short) and ISSUER_NAME.match(name):
            return name
    return issuer


def short_issuer(name: str) -> str:
    """A government body as people say it: 人民政府 as 政府 (X市人民政府办公室 → X市政府办公室)."""
    return name.replace("人民政府", "政府")


def _masthead_issuer(masthead: str, title: str) -> str:
    """A masthead that names the body without its place ("行政公署文件") over a title that names it in full
    ("兴安盟行政公署关于……的决定"): the title's name."""
    named = title.split("关于")[0] if "关于" in title else ""
    if len(named) > len(masthead) and named.endswith(masthead) and ISSUER_NAME.fullmatch(named):
        return named
    return masthead


def _short_name_opens(title: str, name: str) -> bool:
    """The title opens with the short name of name: its characters in name's order, name the longer."""
    m = _SHORT_NAME.match(title)
    if m is None or len(m.group(0)) >= len(name):
        return False
    rest = iter(name)
    return all(ch in rest for ch in m.group(0))


def _placed(issuers: list[str], fields: dict[str, str]) -> list[str]:
    """An issuer named by its level alone ("县人民政府办公室", "市人民政府") in the place the page's source field names
    at that level ("来源:华容县政府" → 华容县人民政府办公室; "来自:襄阳市政府门户网站" → 襄阳市人民政府)."""
    if len(issuers) != 1 or not issuers[0] or issuers[0][0] not in _LEVELS:
        return issuers
    for label in _SOURCE_LABELS:
        source = _PLACED_GOVERNMENT.match(normalize_text(fields.get(label, "")))
        if source and source["level"] == issuers[0][0]:
            return [source["place"] + issuers[0]]
    return issuers


def resolve_issuers(
    signed: list[str],
    masthead: str | None,
    title: str,
    issuer_line: str | None,
    fields: dict[str, str],
    printed_title: str = "",
    doc_no: str | None = None,
) -> list[str]:
    """Who issued the document, from the most to the least explicit evidence, an issuer named by its level alone
    placed by the page's source field."""
    return _placed(_resolve(signed, masthead, title, issuer_line, fields, printed_title, doc_no), fields)


def _resolve(
    signed: list[str],
    masthead: str | None,
    title: str,
    issuer_line: str | None,
    fields: dict[str, str],
    printed_title: str,
    doc_no: str | None,
) -> list[str]:
    """The issuers as the header prints them; last, the government whose order it is ("青岛市人民政府令第271号" →
    青岛市人民政府), then a government a source field names ("信息来源: 丽水市政府")."""
    if signed:
        return signed
    if masthead:
        return [_masthead_issuer(masthead, title)]
    if named := _issuers_before_about(printed_title):
        return named
    fuller = [issuer_line or ""] + [fields.get(label, "") for label in _ISSUER_LABELS]
    if "关于" in title and ISSUER_NAME.match(title.split("关于")[0]):
        return [_fuller_name(title.split("关于")[0], fuller)]
    if issuer_line:
        # A law database's line under the title may shorten the name its 颁布单位 field spells out
        # ("内蒙古自治区包头市人大常委会" / "颁布单位:包头市人民代表大会常务委员会").
        issuing = [normalize_text(fields.get(label, "")) for label in _ISSUING_LABELS]
        return [next((name for name in issuing if ISSUER_NAME.match(name)), issuer_line)]
    if m := _ISSUER_PREFIX.match(title):
        return [_fuller_name(m.group(1), fuller)]
    for label in _ISSUER_LABELS:
        value = normalize_text(fields.get(label, ""))
        if ISSUER_NAME.match(value):
            return [value]
    if "关于" in title and title.split("关于")[0]:
        return [title.split("关于")[0]]
    if doc_no and (order := _ORDER_ISSUER.match(doc_no)) and ISSUER_NAME.match(order.group(1)):
        return [order.group(1)]
    for label in _SOURCE_LABELS:
        # a title opening with the body's short name ("县卫健委2021年……任务分解") under the source field that spells
        # it out ("文章来源:灵璧县卫生健康委员会"): that body
        value = normalize_text(fields.get(label, ""))
        if ISSUER_NAME.match(value) and _short_name_opens(title, value):
            return [value]
    for label in _SOURCE_LABELS:
        # the first government (or its office) a source field names: "来源:宁波市政府办公厅、宁波政务"
        for value in re.split("[、，]", normalize_text(fields.get(label, ""))):
            if ISSUER_NAME.match(value) and value.endswith(_GOVERNMENT_ENDS):
                return [value]
    return []


__all__ = ["dated_issuer", "resolve_issuers", "short_issuer", "signer_of", "spaced_issuers"]
