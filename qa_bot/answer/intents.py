"""What a question asks for, in one table: how each intent is recognised, which records retrieval should favour, what
evidence must be present for a reply, and which composer writes it.

The first intent in INTENTS whose recognition holds wins. A new kind of question is one row here (and a composer in
answer/compose.py when none fits) plus one row in tests/test_intents.py; nothing else names question kinds.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from qa_bot.text.normalize import without_common_runs

_TITLE_RUN = 6  # characters of a title a question repeats to name the document (not a cue of what it asks)


@dataclass(frozen=True)
class Cues:
    """What recognition looks at: the question without its 文号, and facts found in it against the corpus."""

    text: str
    names_doc_no: bool
    names_document: bool  # a 文号, a document word (方案, 规划, 通知…) or (part of) an indexed title
    named_units: tuple[str, ...]  # units of the corpus the question names
    unit_kind: str | None  # a kind of unit the question asks about (金融, 公安…)
    titles: tuple[str, ...] = ()  # the indexed documents' titles

    def names_a_title(self) -> bool:
        """Does the text name one of the documents by its whole title (in 《》 or not)?"""
        text = self.text.replace("《", "").replace("》", "")
        return any(len(title) >= _TITLE_RUN and title in text for title in self.titles)

    def without_titles(self) -> str:
        """The text with the runs of the titles it repeats blanked: a title's own verb ("分解落实…目标任务的通知")
        asks nothing."""
        text = self.text
        for title in self.titles:
            text = without_common_runs(text, title, _TITLE_RUN)
        return text


@dataclass(frozen=True)
class Intent:
    """One kind of question."""

    name: str
    # the coarse family reported to clients as "kind": lead | units | figure | deadline | meta | table | content
    kind: str
    cue: re.Pattern[str] | None  # words that signal it, searched in Cues.text (None: always)
    when: Callable[[Cues], bool] | None = None  # what else must hold
    prefer: str | None = None  # records retrieval favours: "header" | "units" | "lead" | "table_row"
    needs_units: bool = False  # the evidence must name units (a responsibility note or the units' names)
    compose: str = "sentence"  # composer in answer/compose.COMPOSERS
    meta_field: str | None = None  # for document intents: which field of the document card answers


def _asks_who_unless_when(c: Cues) -> bool:
    return _ASKS_WHEN.search(c.text) is None or _ASKS_WHO.search(c.text) is not None


def _document(c: Cues) -> bool:
    return c.names_document


def _numbered_document(c: Cues) -> bool:
    """A document is named, and "是第几号令" asks the number of one the corpus holds (not of a rule a text cites)."""
    return c.names_document and ("第几号" not in c.text or c.names_a_title())


def _units(c: Cues) -> bool:
    return bool(c.named_units)


def _unit_kind(c: Cues) -> bool:
    return c.unit_kind is not None


# "只写了我们一家负责的是哪条": the tasks no other unit shares.
SOLE_UNIT = re.compile(
    r"只(写|列|有|由|是)?了?.{0,12}一家|(一家|单独|独自|独立)(单位)?(负责|牵头|承担|完成)|没有(其他|别的)(单位|部门)"
)
# Which of a document's tasks do not name the unit: 哪一项没有列我们, 哪些任务没被列进去, 没写我们的是哪几条.
ABSENT = re.compile(
    r"哪[^？?，,]{0,8}(?<!有)(没有?|未)被?(列|写|点名|提到|包括|涉及)|(?<!有)(没有?|未)被?(列|写|点名|提到|包括|涉及)[^？?，,]{0,10}(是)?哪"
)
# What asks which of a unit's tasks: the asking word ("哪件", "哪方面"), the nouns of a task and the verbs that assign
# one ("摊到的是哪方面的事", "需要落实什么", "分到哪些").
_WHICH = r"(什么|哪些|哪几?[项条件块类]|哪[一几]?[个些]?(重点|具体|主要)?(方面|领域))"
_TASK_NOUN = r"(工作|任务|事情?|事儿|行动|职责|分工|活)"
_TASK_VERB = r"(负责|承担|牵头|配合|参与|协助|落实|分到|摊到|分配到|列进|列入|列为|干|做)"
# ... among the leads only: 牵头单位只写了我们一家, 只有我们一家牵头, 单独牵头
SOLE_LEAD = re.compile(r"牵头(单位)?(是不是|是否|就)?只|只.{0,12}一家牵头|(一家|单独|独自)牵头")
# A question about a unit asking which documents concern it: 出现在哪几个文件, 哪些文件涉及, 在几份文件里,
# 在哪两个文件里
_WHICH_DOCUMENTS = r"(哪些|哪[几两二三四五六]|几个|几份|哪份|哪个|多少)(个|份)?(文件|文)"
ASKS_DOCUMENTS = re.compile(rf"{_WHICH_DOCUMENTS}|出现在|涉及")
# A question asking when, and one asking who (the lead intent needs the second when it has the first).
_ASKS_WHEN = re.compile(r"哪一?天|几号|什么时候|何时|哪年|几月|多久|多长时间|(之?前|以前)(完成|报送|报|上报|提交)")
# (one a report goes to — 交给谁, 报给谁 — is its recipient, not who does the work)
_ASKS_WHO = re.compile(r"(?<![给向交报])(谁|哪个|哪一个|哪[几两二三四五六]个|哪家|哪些|什么(单位|部门))")
# Words that ask about units (who does it).
_ASKS_UNITS = r"(单位|部门|机构|机关|谁|哪家|哪些局|哪个局)"
_YES_NO = r"(吗|是否|有没有|是不是|在不在|算不算|参与没|有份)"
# Which role a named unit has: 牵头还是配合, 是责任单位还是牵头单位, 什么角色
ROLE_CHOICE = r"(牵头(单位)?还是(配合|负责|责任|参与)|(配合|负责|责任单位|参与)还是牵头|什么角色|哪种角色)"

# An upper-level body's document asked for: 照着国务院哪份文件做的, 按省里哪个文件, 对应的国务院纲要文号是多少.
UPPER_DOCUMENT = re.compile(
    r"(国务院|国家|中央|省政府|省人民政府|省里|省级|省委|上级|部委)[^，,。？?]{0,10}"
    r"((哪份|哪个|哪一份|哪部|什么)[^，,。？?]{0,6}(文件|纲要|通知|意见|方案|规划|决定)|"
    r"(文件|纲要|通知|意见|决定|方案|规划|计划|办法)[^，,。？?]{0,6}(文号|几号))"
)


_BASIS_CUE = re.compile(
    r"(依据|根据|贯彻|落实|援引|引用|遵照|按照|参照|衔接|执行)(?!《)(的|了)?.{0,40}(文件|文号|通知|意见|几号|决定|规则|规定)|上级(文件|政策|依据)|"
    r"(出台|制定)(的)?(依据|背景)|依据(是|有)(什么|哪些|哪个)|" + UPPER_DOCUMENT.pattern
)


def _basis(c: Cues) -> bool:
    if not _BASIS_CUE.search(c.text) or not _BASIS_CUE.search(c.without_titles()):
        return False
    return (c.names_document and bool(re.search(r"哪|什么|多少", c.text))) or bool(UPPER_DOCUMENT.search(c.text))


INTENTS: tuple[Intent, ...] = (
    # -- several documents compared, the gazette issue itself ---------------------------------------------------------
    Intent(
        "doc_compare",
        "meta",
        re.compile(
            r"(哪一份|哪份|哪个文件|哪几份|哪些文件).{0,30}(最晚|最早|最新|印发|成文|援引|依据|发布|落款|签发)|"
            r"(最晚|最早|最新).{0,8}(哪一份|哪份|哪个文件)|(哪一份|哪份|哪个).{0,6}(是由|由)"
        ),
        lambda c: c.names_document,
        prefer="header",
        compose="documents",
    ),
    Intent(
        "gazette",
        "meta",
        re.compile(
            r"(本期|这期|该期).{0,6}(第几期|哪一期|期号|总第|哪一年|几份文件|哪些文件)|公报.{0,6}(第几期|哪一期|期号|总第)|第几期|总第几期"
        ),
        lambda c: not c.named_units,
        compose="gazette",
    ),
    # -- one document: named by 文号, a document word or its title -----------------------------------------------
    # (a verb before 《…》 is part of a title: "关于落实《…》的意见")
    Intent(
        "basis",
        "meta",
        None,  # _BASIS_CUE, outside the titles the question names
        _basis,
        prefer="header",
        compose="basis",
        meta_field="basis",
    ),
    Intent(
        "doc_no",
        "meta",
        re.compile(r"文号|几号文|发文字号|字号|第几号"),
        _numbered_document,
        prefer="header",
        compose="document",
        meta_field="doc_no",
    ),
    Intent(
        "issuer",
        "meta",
        re.compile(
            r"发文机关|发文单位|落款(单位|机关)|(哪个|什么|哪一?级)(部门|单位|机关|机构|政府)(印发|发布|发的|发文|出台|下发|颁布)|以.{0,10}名义|"
            r"(谁|哪里)(印发|发布|发的|下发|出台)|还是.{0,12}(印发|发布|发的|下发)|(印发|发布|下发)(的)?(机关|单位|部门|机构)|由(谁|哪个|哪家).{0,4}(印发|发布|下发)|"
            r"哪(些|个|[几两三四]个|[几两三四]?家)(单位|部门|机关|厅|局|委|办).{0,4}(联合)?(印发|发布|下发|发文)"
        ),
        _document,
        prefer="header",
        compose="document",
        meta_field="issuer",
    ),
    # when a document takes effect or ceases to (a regulation's 施行日期, a portal's 废止时间): the document's record,
    # else the sentence of its text that says so ("自2002年1月1日起施行")
    Intent(
        "in_force",
        "meta",
        re.compile(
            r"(哪一?[天日年]|什么时候|何时|几号|几月|何日)(起|开始)?(正式)?(施行|生效|试行)|"
            r"(哪一?[天日年]|什么时候|何时|几号|几月|何日)(起|开始)(正式)?(实施|执行)|(施行|实施|生效)(日期|时间)"
        ),
        _document,
        prefer="header",
        compose="in_force",
        meta_field="in_force",
    ),
    Intent(
        "expires",
        "meta",
        re.compile(r"废止|失效|有效期(到|至|截至|多长|是)"),
        _document,
        prefer="header",
        compose="in_force",
        meta_field="expires",
    ),
    Intent(
        "doc_date",
        "meta",
        re.compile(
            r"成文日期|发文日期|印发日期|发布日期|颁布日期|公布日期|成文时间|落款(日期|时间|是哪)|哪一?[天日](印发|发布|发|出台|下发|签发|成文|颁布|公布)|"
            r"(什么时候|何时|何日|哪年|几月|哪天|哪一?日|几号)(印发|发布|发的|出台|下发|签发|发文|成文|颁布|公布)|(印发|发布|发文|出台|成文|颁布|公布)(的)?(时间|日期)|"
            r"(印发|发布|下发|出台|成文|颁布|公布).{0,4}(哪一?[天日]|什么时候|何时|几号)|"
            r"印发[^，,。？?]{2,40}[，,](是|在)?(哪一?[天日]|什么时候|何时)[？?]?$|"
            r"(印发|发布|下发|出台)[^，,。？?]{2,40}?(是|在){1,2}(哪一?[天日]|什么时候|何时)[？?]?$"
        ),
        _document,
        prefer="header",
        compose="document",
        meta_field="date",
    ),
    Intent(
        "signer",
        "meta",
        re.compile(r"签发人|(谁|哪位)[^，。？?]{0,4}(签发|签署|签的|签字)|签发.{0,16}(是谁|哪位)|签署.{0,16}(是谁|哪位)"),
        _document,
        prefer="header",
        compose="document",
        meta_field="signer",
    ),
    Intent(
        "addressees",
        "meta",
        re.compile(r"主送|发给了?(谁|哪些|哪几)|下发(给|到)了?(谁|哪些|哪几)|发送(对象|范围)"),
        _document,
        prefer="header",
        compose="document",
        meta_field="addressees",
    ),
    Intent(
        "publicity",
        "meta",
        re.compile(r"公开发布|是否公开|公开属性|能不能公开|可以公开"),
        _document,
        prefer="header",
        compose="document",
        meta_field="publicity",
    ),
    Intent(
        "doc_topic",
        "meta",
        re.compile(
            r"是(个|一份)?什么(文件|方案|规划|通知)|讲的是什么|是关于什么|关于什么(内容|工作|的)|印发的是什么|主要内容|(什么|哪个)(方面|领域)的文件|是哪个文件"
        ),
        lambda c: c.names_doc_no,
        prefer="header",
        compose="document",
        meta_field="title",
    ),
    # -- who does what -------------------------------------------------------------------------------------------------
    Intent(
        "unit_tasks",
        "units",
        re.compile(
            rf"{_WHICH}的?(重点|具体|主要)?{_TASK_NOUN}|(要|需要|得)?{_TASK_VERB}(了|的|是|到){{0,2}}{_WHICH}|"
            r"有没有哪(项|条)|(出现|列|提到|提及|点名)(了)?(几|多少)次|(是|在)哪一?(条|项)(?=[？?，,。！!]|$)|"
            rf"{_WHICH_DOCUMENTS}|(涉及|出现|有任务).{{0,8}}(文件|哪些)|"
            r"(任务|工作)(里|中)?.{0,3}(哪些|哪几?[项条件])|"
            r"(牵头|负责|配合|参与|涉及|列为|列进|列入|被列|点名|承担|分到|分工|任务|条目|事|一共|总共|加起来).{0,12}(几|多少)(项|条|件)|"
            r"有没有[^，,。？?]{0,6}(牵头|负责|配合|参与)[^，,。？?]{0,4}(任务|工作|事)|"
            r"(几|多少)(项|条|件)(活儿?|任务|工作|事情?)?(?=[？?，,。！!]|$)|"
            r"(牵头|负责|配合|参与)的(有|是|共|一共)?(几|多少)个(?!单位|部门)|"
            r"(几|多少)(项|条|件)(牵头|配合)?(任务|工作|分工|事)|"
            r"(安排|布置|分配|部署|交给|派)(了|给)?.{0,6}(哪些|什么)?(工作|任务|活|事)|让.{0,6}(做|干)(什么|哪些)|"
            r"被(安排|布置|分配|部署|派)(了|给)?(什么|哪些)|"
            r"(配合|负责|参与|协助)(做|干)(什么|哪些)|" + ABSENT.pattern + "|" + SOLE_UNIT.pattern + "|"
            # the things a unit has a role in, by their own noun: "作为牵头单位的重点领域有哪几个", "哪些领域我们只是
            # 责任单位"
            rf"{_TASK_VERB}(单位)?的[^，,。？?是有都]{{1,8}}?(?<!单位)(?<!部门)都?(有|是)?(哪些|哪几个?|几个|多少个)"
            r"(?!单位|部门|家)|"
            rf"{_WHICH}[^，,。？?]{{0,12}}(只是|是|作为|为)(牵头|责任|配合)单位"
        ),
        # one unit by name, or units by their kind ("公安部门要配合做什么")
        lambda c: (len(c.named_units) == 1 and c.unit_kind is None) or (not c.named_units and c.unit_kind is not None),
        prefer="units",
        needs_units=True,
        compose="unit_tasks",
    ),
    Intent(
        "exclusion",
        "units",
        re.compile(
            rf"(除了?|除去|除开).{{1,30}}(以外|之外|外)?.{{0,20}}(还有|另外|其他|其余|别的|哪些|{_ASKS_UNITS})|"
            rf"(还有|另外|其他|其余|别的)(哪些|哪个|哪几个|什么)?.{{0,4}}{_ASKS_UNITS}"
        ),
        _units,
        prefer="units",
        needs_units=True,
        compose="who",
    ),
    Intent(
        "unit_kind",
        "units",
        re.compile(rf"{_ASKS_UNITS}|类|方面|参与|负责|有没有"),
        _unit_kind,
        prefer="units",
        needs_units=True,
        compose="who",
    ),
    Intent(
        "unit_check",
        "units",
        re.compile(f"{_YES_NO}|{ROLE_CHOICE}"),
        lambda c: bool(c.named_units) and not re.search(r"哪些|哪几|哪个|分别|谁", c.text),
        prefer="units",
        needs_units=True,
        compose="who",
    ),
    Intent(
        "lead",
        "lead",
        re.compile(
            r"(?<!各)牵头(?!领导)|主管|主抓|主责|谁(来)?(负责|抓|管)|由(谁|哪个|哪家)|归(谁|哪个|哪家)|(哪个|哪一个|哪家|什么)(单位|部门|机构|机关|局)(在|来)?(负责|主管|管|牵头|张罗|抓)|"
            r"谁(在)?(牵头|管|张罗|负责)"
        ),
        # "牵头单位的方案要在哪天前报送" asks when, not who: a question asking when leads only if it also asks who
        # ("各牵头单位要…" names every lead: it asks none of them; a 牵头领导 is a person)
        _asks_who_unless_when,
        prefer="lead",
        needs_units=True,
        compose="who",
    ),
    Intent(
        "table",
        "table",
        re.compile(
            r"约束性|预期性|指标类别|指标表|指标体系|哪类指标|什么(类型的)?指标|基期|基准值|基准年|(2020|基准)年?.{0,8}(基数|数据|实际|现状)|基数|现状值|表\d"
        ),
        prefer="table_row",
        compose="table",
    ),
    Intent(
        "units",
        "units",
        re.compile(
            rf"责任单位|配合|参与|按职责|(一起|共同|一道)(负责|承担|落实)|(哪些|几个|什么|哪[几两二三四五六]个|多少个)(市直|县直|区直|省直)?(单位|部门|机构)|哪几家|涉及.{{0,6}}(单位|部门)|谁参与|负责单位|负责部门|{_ASKS_UNITS}.{{0,4}}(负责|参与|配合)"
        ),
        # "各责任单位最晚什么时候报告" asks when: as for who leads, it asks which units only if it also asks who
        _asks_who_unless_when,
        prefer="units",
        compose="who",
    ),
    Intent(
        "deadline",
        "deadline",
        re.compile(
            r"什么时候|什么时间|多会儿|何时|哪一?年|哪一?天|几月|时限|期限|截止|截至|时间节点|完成时间|到什么时候|(之前|前)完成|多久|(?<!第)几号|哪年"
        ),
        compose="deadline",
    ),
    Intent(
        "figure",
        "figure",
        re.compile(
            r"多少|几(个|家|座|条|项|处|台|成|组|名|辆|所|批|次|倍)(?!吗)|百分之|比例|比重|占比|%|率(是|为|要|达|多)|目标是|达到|下降|降低|提高到|数量|规模|面积|万吨|万亩|多大|多高|多长|目标值|目标[？?]?$"
        ),
        compose="sentence",
    ),
    Intent("content", "content", None, compose="sentence"),
)

BY_NAME = {intent.name: intent for intent in INTENTS}
# A list question ("哪几个开发区", "分别是") wants the items, not a number: it is answered as content.
_LIST_QUESTION = re.compile(r"哪几|哪些|分别是")


def recognise(cues: Cues) -> Intent:
    """The first intent of INTENTS whose cue and condition hold for these cues."""
    for intent in INTENTS:
        if intent.cue is not None and not intent.cue.search(cues.text):
            continue
        if intent.when is not None and not intent.when(cues):
            continue
        if intent.name == "figure" and _LIST_QUESTION.search(cues.text) and "多少" not in cues.text:
            return BY_NAME["content"]
        return intent
    return BY_NAME["content"]


__all__ = ["ABSENT", "BY_NAME", "INTENTS", "SOLE_UNIT", "Cues", "Intent", "recognise"]
