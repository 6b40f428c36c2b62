"""Question understanding without an LLM: the kind of question, the 文号/years/places it names, its subject."""

from __future__ import annotations

import logging
import re
import threading
from dataclasses import dataclass, field
from functools import lru_cache

import jieba
import jieba.posseg

from qa_bot.text.normalize import normalize_text
from qa_bot.text.patterns import DOC_NO

# Kinds of question, checked in this order (the first that matches wins).
_KIND_PATTERNS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("meta", re.compile(
        r"文号|几号文|发文字号|成文日期|发文日期|印发日期|发布日期|哪一?天(印发|发布|发|出台|下发|签发)|"
        r"(什么时候|何时|哪年|几月|哪天)(印发|发布|发的|出台|下发|签发|发文)|(印发|发布|发文|出台)(的)?(时间|日期)|"
        r"发文机关|发文单位|(哪个|什么)(部门|单位|机关)(印发|发布|发的|发文|制定|出台)|以.{0,10}名义|"
        r"是(个)?什么文件|讲的是什么|是关于什么|公开发布|是否公开|公开属性|主送|发给(谁|哪些)"
    )),
    ("lead", re.compile(r"牵头")),
    ("table", re.compile(r"约束性|预期性|指标类别|指标表|指标体系|哪类指标|什么(类型的)?指标|基期|(2020|基准)年?.{0,8}(基数|数据|实际|现状)|基数|现状值")),
    ("units", re.compile(
        r"有责任吗|是责任单位吗|有任务吗|有分工吗|有没有.{0,4}(责任|任务|分工)|参与吗|在责任单位里|是.{0,8}(单位|部门)之一|"
        r"责任单位|配合|参与|按职责|(哪些|几个|什么)(单位|部门|机构)|涉及.{0,6}(单位|部门)|谁参与|负责单位|负责部门"
    )),
    ("lead", re.compile(r"牵头|主管|主抓|主责|谁(来)?(负责|抓|管)|由(谁|哪个|哪家)|(哪个|哪一个|什么)(单位|部门|机构|机关|局)(负责|来负责|主管|管|牵头)|归哪个")),
    ("deadline", re.compile(r"什么时候|什么时间|啥时候?|多会儿|何时|哪一?年|哪天|几月|时限|期限|截止|截至|时间节点|完成时间|到什么时候|(之前|前)完成|多久|几号")),
    ("figure", re.compile(r"多少|几个|几家|几座|几条|几项|几处|几台|百分之|比例|比重|占比|%|率(是|为|要|达|多)|目标是|达到|下降|降低|提高到|数量|规模|面积|万吨|万亩|多大|多高|多长|几成|目标值|目标[？?]?$")),
)
_LIST_QUESTION = re.compile(r"哪几|哪些|分别是")
META_PATTERN = _KIND_PATTERNS[0][1]
# Meta questions are about one of the documents themselves, so they name it (文号) or its type.
_DOCUMENT_WORD = re.compile(r"方案|规划|纲要|通知|意见|文件|办法|公报|这个文|该文|本文|几号文|文号")
# What a figure or deadline question needs to find in its answer.
ANSWER_TYPES: tuple[tuple[re.Pattern[str], re.Pattern[str]], ...] = (
    (
        re.compile(r"多少(个|家|座|条|项|处|台|人|名|所|辆|吨|亩|公里|平方)|几(个|家|座|条|项|处|台|所)"),
        re.compile(r"(\d+|[一二三四五六七八九十两百千]+)\s*(个|家|座|条|项|处|台|所|人|名|辆|吨|亩|公里|平方|万|千|余)"),
    ),
    (re.compile(r"多少钱|资金|投资|经费|补贴|罚款|费用|价格|均价|预算|收费|多少元"), re.compile(r"\d[\d.,]*\s*(元|万元|亿元|千元)")),
    (re.compile(r"比例|比重|占比|百分|率"), re.compile(r"\d[\d.]*\s*(%|％)|百分之|\d+成|百分点|基本消除|全覆盖|全部|100")),
)
DATE_ANSWER = re.compile(r"\d{4}\s*年|\d{1,2}\s*月|年底|月底|底前|之前|以前|持续推进|期间|时期|“十四五”")
ANY_NUMBER = re.compile(r"\d|[一二三四五六七八九十百千万两]+(个|家|座|条|项|处|台|所|批|倍)")


def required_answer(question: "Question") -> re.Pattern[str] | None:
    """What the answering text must contain for a figure or deadline question to be answered at all."""
    if question.kind == "deadline":
        return DATE_ANSWER
    if question.kind != "figure":
        return None
    for asks, needs in ANSWER_TYPES:
        if asks.search(question.text):
            return needs
    return ANY_NUMBER


_PLACE_SUFFIX = re.compile(r"(特别行政区|自治区|自治州|自治县|省|市|县|区|盟|州|港)$")
_CODE = re.compile(r"[A-Z][A-Za-z]*\d+(\.\d+)?|[A-Z]{2,}[a-z]?\d*")  # PM10, PM2.5, VOCs, REITs, GDP
_YEAR = re.compile(r"(?<!\d)(19\d{2}|20\d{2})(?!\d)\s*年?")
_QUESTION_WORDS = re.compile(
    r"请问|我想(知道|问)|能不能|能否|可以|是不是|有没有|是否|哪个|哪些|哪家|什么|怎么|怎样|如何|多少|几个|谁|吗|呢|吧|？|\?|。|的是|是"
)


@dataclass(frozen=True)
class Question:
    """What a question asks for, as far as patterns can tell."""

    text: str
    kind: str  # "lead" | "units" | "figure" | "deadline" | "meta" | "table" | "content"
    doc_nos: tuple[str, ...] = ()
    years: tuple[int, ...] = ()
    places: tuple[str, ...] = ()
    subject: str = ""
    meta_field: str | None = None  # for meta: "doc_no" | "date" | "issuer" | "title" | "publicity" | "addressees"
    codes: tuple[str, ...] = ()  # Latin/number terms such as PM10, VOCs, REITs: an answer must name them
    flags: frozenset[str] = field(default_factory=frozenset)


def _meta_field(text: str) -> str:
    if re.search(r"文号|几号文|发文字号", text):
        return "doc_no"
    if re.search(r"日期|哪一?天|什么时候|何时|哪年|几月|时间", text):
        return "date"
    if re.search(r"机关|单位|部门|名义|谁", text):
        return "issuer"
    if re.search(r"公开", text):
        return "publicity"
    if re.search(r"主送|发给", text):
        return "addressees"
    return "title"


def analyse(question: str) -> Question:
    """Classify a question and pull out the 文号, years and places it names."""
    text = normalize_text(question)
    doc_nos = tuple(dict.fromkeys(_canonical(m.group(0)) for m in DOC_NO.finditer(text)))
    without_doc_nos = DOC_NO.sub(" ", text)
    kind = "content"
    for name, pattern in _KIND_PATTERNS:
        if pattern.search(without_doc_nos):
            if name == "meta" and not (doc_nos or _DOCUMENT_WORD.search(without_doc_nos)):
                continue  # "条例是哪天施行的" asks about an event in the text, not about a gazette document
            kind = name
            break
    if kind == "figure" and _LIST_QUESTION.search(without_doc_nos) and "多少" not in without_doc_nos:
        kind = "content"  # "哪几个开发区" asks for the list, not for a number
    years = tuple(int(y) for y in _YEAR.findall(without_doc_nos))
    places = place_names(without_doc_nos)
    codes = tuple(dict.fromkeys(m.group(0) for m in _CODE.finditer(without_doc_nos)))
    subject = _QUESTION_WORDS.sub(" ", without_doc_nos)
    subject = re.sub(r"\s+", " ", subject).strip()
    return Question(
        text=text,
        kind=kind,
        doc_nos=doc_nos,
        years=years,
        places=places,
        subject=subject,
        meta_field=_meta_field(without_doc_nos) if kind == "meta" else None,
        codes=codes,
    )


_POS_LOCK = threading.Lock()


@lru_cache(maxsize=1)
def _pos_tokenizer() -> jieba.posseg.POSTokenizer:
    jieba.setLogLevel(logging.WARNING)
    return jieba.posseg.POSTokenizer(jieba.Tokenizer())


def place_names(text: str) -> tuple[str, ...]:
    """Place names a question mentions (jieba's 'ns' tag), without their 市/省/县 suffix: '沈阳市' → '沈阳'."""
    with _POS_LOCK:
        pairs = list(_pos_tokenizer().cut(text))
    names = []
    for word, flag in pairs:
        if flag == "ns" and len(word) >= 2:
            base = _PLACE_SUFFIX.sub("", word) if len(word) > 2 else word
            if base and base not in names:
                names.append(base)
    return tuple(names)


_LEADING_WORDS = re.compile(r"^(按照|依照|依据|根据|关于|按|据|照|是|和|与|及|的|为|在|对|把|将|看)+")


def _canonical(doc_no: str) -> str:
    """The 文号 as written in the question, without a verb or particle the pattern swept up ("按测政发…")."""
    from qa_bot.parse.header import canonical_doc_no

    return canonical_doc_no(_LEADING_WORDS.sub("", doc_no))


__all__ = ["META_PATTERN", "ANSWER_TYPES", "DATE_ANSWER", "Question", "analyse", "place_names", "required_answer"]
