"""Full/half-width, bracket, notation and stray-space normalisation: the one definition every stage uses."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from functools import cache

# Punctuation that Chinese text writes full-width. Half-width forms are mapped to these everywhere.
_TO_FULL = {
    "(": "（",
    ")": "）",
    "[": "〔",
    "]": "〕",
    "［": "〔",
    "］": "〕",
}
# Converted only when next to a CJK character, so "1,000" and "10:30" survive.
_TO_FULL_NEAR_CJK = {",": "，", ";": "；", ":": "：", "!": "！", "?": "？"}
# Full-width forms kept as they are (they are the canonical Chinese punctuation).
_KEEP_FULL = set("（）〔〕，；：！？")
_SUBSCRIPT_DIGITS = str.maketrans("₀₁₂₃₄₅₆₇₈₉", "0123456789")
# Small form variants a copy may print ("1﹒全省生产总值增长7%以上"): read as the ordinary marks, one for one.
_SMALL_FORMS = str.maketrans("﹐﹑﹒﹔﹕", ",、.;:")

_CJK_RE = r"\u3400-\u9fff\uf900-\ufaff"
_CJK_PUNCT = "，。、；：！？“”‘’（）〔〕【】《》〈〉—…·「」『』"
_NOTATION_BRACED = re.compile(r"\s*_\{([^{}]*)\}")  # PM _{2.5} -> PM2.5
# NO_x -> NOx, VOC_s -> VOCs; an address keeps its underscore (zy_xxb@163.com)
_NOTATION_SIMPLE = re.compile(r"(?<=[A-Za-z])_([A-Za-z0-9]{1,3})(?![A-Za-z0-9_@\-]|\.[A-Za-z])")
_SPACE_BEFORE_SUPER = re.compile(r"\s+(?=[²³¹⁰⁴-⁹])")  # μg/m ³ -> μg/m³
_SPACES = re.compile(r"[ \t\u3000\u00a0]+")
_SPACE_NEAR_CJK = re.compile(
    rf"(?<=[{_CJK_RE}{_CJK_PUNCT}])[ \u3000\u00a0]+|[ \u3000\u00a0]+(?=[{_CJK_RE}{_CJK_PUNCT}])"
)
_CJK_CHAR = re.compile(rf"[{_CJK_RE}]")
# C0 controls and DEL, except tab, newline and carriage return: no person types them, and NUL cannot be stored
# everywhere. Every text a client sends (a question, a feedback comment, a filter) is refused when it has one.
CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def has_control_characters(text: str) -> bool:
    r"""True when `text` holds a control character other than tab, newline or carriage return.

    >>> has_control_characters("第一行\n第二行"), has_control_characters("a\x00b")
    (False, True)
    """
    return CONTROL_CHARACTERS.search(text) is not None


def is_cjk(char: str) -> bool:
    """True for a CJK ideograph."""
    return bool(_CJK_CHAR.fullmatch(char))


def _is_full_stop(text: str, i: int) -> bool:
    """A half-width "." typed for "。": right after Chinese text and before nothing, a space or more Chinese text
    ("……的发展." / "试行.交通部…"); never in "1.5", "2.采用", "PM2.5" or "x.docx"."""
    before = text[i - 1] if i > 0 else ""
    after = text[i + 1] if i + 1 < len(text) else ""
    closers = "）》”’」』"
    return bool(before) and (is_cjk(before) or before in closers) and (
        not after or after.isspace() or is_cjk(after) or after in _CJK_PUNCT
    )


def normalize_widths(text: str) -> str:
    """Map full-width ASCII letters/digits to half-width and half-width Chinese punctuation to full-width (a "."
    that ends a Chinese sentence becomes "。").

    Spaces are left alone, so heading detection ("第三条 本办法…" versus "第三条规定") can still see them.
    """
    text = text.translate(_SMALL_FORMS)
    out: list[str] = []
    n = len(text)
    for i, ch in enumerate(text):
        code = ord(ch)
        if ch in _TO_FULL:
            out.append(_TO_FULL[ch])
        elif ch == "." and _is_full_stop(text, i):
            out.append("。")
        elif ch in _TO_FULL_NEAR_CJK:
            before = text[i - 1] if i > 0 else ""
            after = text[i + 1] if i + 1 < n else ""
            near_cjk = (before and (is_cjk(before) or before in _CJK_PUNCT)) or (
                after and (is_cjk(after) or after in _CJK_PUNCT)
            )
            out.append(_TO_FULL_NEAR_CJK[ch] if near_cjk else ch)
        elif 0xFF01 <= code <= 0xFF5E and ch not in _KEEP_FULL:
            out.append(chr(code - 0xFEE0))
        elif ch == "\u3000":
            out.append(" ")
        elif ch == "µ":
            out.append("μ")
        else:
            out.append(ch)
    return "".join(out).translate(_SUBSCRIPT_DIGITS)


def normalize_notation(text: str) -> str:
    """Make typeset notation readable and searchable: PM _{2.5} → PM2.5, NO_x → NOx, m ³ → m³."""
    text = _NOTATION_BRACED.sub(r"\1", text)
    text = _NOTATION_SIMPLE.sub(r"\1", text)
    return _SPACE_BEFORE_SUPER.sub("", text)


def remove_stray_spaces(text: str) -> str:
    """Drop spaces next to Chinese characters or punctuation ("示例市全民 科学素质" → "示例市全民科学素质").

    Spaces between two Latin words or numbers are kept, collapsed to one.
    """
    text = _SPACE_NEAR_CJK.sub("", text)
    return _SPACES.sub(" ", text).strip()


def normalize_text(text: str) -> str:
    """The canonical form of gazette text, used for clause texts, queries, gold evidence and tests."""
    text = unicodedata.normalize("NFC", text)
    text = normalize_widths(text)
    text = normalize_notation(text)
    return remove_stray_spaces(text)


_SENTENCE = re.compile(r"[^。！？；]+[。！？；]?")


def split_sentences(text: str) -> list[str]:
    """Sentences ending in 。！？； (a final one may lack it); empty pieces dropped, text otherwise kept as is."""
    return [s for s in _SENTENCE.findall(text) if s.strip()]


def compact(text: str) -> str:
    """Normalised text with every whitespace removed: the form used to compare texts for containment."""
    return re.sub(r"\s+", "", normalize_text(text))


_NOT_WORD = re.compile(r"[\W_]+")


# A character's reading a copy prints after it ("發(fā)布", "鎮（zhèn）"): a syllable with its tone mark, in brackets.
_PINYIN = re.compile(r"(?<=[\u3400-\u9fff])[（(][a-zü]*[āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜ][a-zü]*[)）]")


def without_pinyin(text: str) -> str:
    """Text without the readings a copy prints after its characters: 發(fā)布 → 發布."""
    return _PINYIN.sub("", text)


# A text is printed in traditional characters when this share of its Chinese characters is not simplified.
_TRADITIONAL_SHARE = 0.05


@cache
def _to_simplified() -> Callable[[str], str]:
    import opencc

    return opencc.OpenCC("t2s").convert


def in_simplified(text: str) -> str:
    """Text in simplified characters (OpenCC t2s): 盤錦市人民政府辦公室 → 盘锦市人民政府办公室."""
    return _to_simplified()(text)


def traditional(text: str) -> bool:
    """Is the text printed in traditional characters (a mirror site's copy, a Hong Kong or Taiwan edition)? Some of
    its characters differ from their simplified forms, more than a simplified text's few variants do."""
    chars = "".join(_CJK_CHAR.findall(text))
    if not chars:
        return False
    changed = sum(a != b for a, b in zip(chars, in_simplified(chars), strict=False))
    return changed >= _TRADITIONAL_SHARE * len(chars)


def match_key(text: str) -> str:
    """Normalised text with whitespace and punctuation removed, in simplified characters: the form in which evidence
    written by someone else (another spacing, other punctuation, PM_{2.5} for PM2.5, a traditional copy's words, a
    copy's readings after its characters) is looked up in a clause."""
    return _NOT_WORD.sub("", in_simplified(normalize_text(without_pinyin(text))))


def evidence_in(evidence: str, text: str) -> bool:
    """Does text hold the evidence? Compared by match_key; evidence written as separate cells or lines ("PM2.5浓度
    35 30", a table row as printed) holds when its pieces appear in that order (a reformatted table row interleaves
    its column names)."""
    haystack = match_key(text)
    whole = match_key(evidence)
    if not whole:
        return False
    if whole in haystack:
        return True
    pieces = [match_key(p) for p in re.split(r"[\s\u3000]+", evidence.strip())]
    pieces = [p for p in pieces if p]
    if len(pieces) < 2:
        return False
    at = 0
    for piece in pieces:
        found = haystack.find(piece, at)
        if found < 0:
            return False
        at = found + len(piece)
    return True



def common_text(a: str, b: str) -> str:
    """The longest run of characters that a and b share (the first found)."""
    best, end = 0, 0
    previous = [0] * (len(b) + 1)
    for ch in a:
        current = [0] * (len(b) + 1)
        for j, other in enumerate(b, start=1):
            if ch == other:
                current[j] = previous[j - 1] + 1
                if current[j] > best:
                    best, end = current[j], j
        previous = current
    return b[end - best : end]


def common_run(a: str, b: str) -> int:
    """Length of the longest run of characters that a and b share ("盘活存量资产方案" ~ "重点领域盘活存量资产…" → 6)."""
    return len(common_text(a, b))


def without_common_runs(text: str, other: str, shortest: int = 3) -> str:
    """text with every run of at least `shortest` characters that it shares with other cut out ("科学素质纲要的提升行动"
    without the runs of "全民科学素质行动规划纲要" → "|纲要的提升行动")."""
    while len(run := common_text(text, other)) >= shortest:
        text = text.replace(run, "|")
    return text

__all__ = [
    "CONTROL_CHARACTERS",
    "common_run",
    "common_text",
    "compact",
    "evidence_in",
    "has_control_characters",
    "in_simplified",
    "match_key",
    "split_sentences",
    "is_cjk",
    "normalize_notation",
    "normalize_text",
    "normalize_widths",
    "remove_stray_spaces",
    "traditional",
    "without_common_runs",
    "without_pinyin",
]
