"""Question understanding without an LLM: the intent (answer/intents.py), the 文号/years/places/terms a question names,
the units of the corpus it names, and the kind of value it asks for.

What a question asks for decides what its evidence must hold: a person's name, a place, a phone number, an amount of
money, a count, a share, the items of a list (ASKED_VALUES); a clause without it does not answer the question.
"""

from __future__ import annotations

import logging
import re
import threading
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from functools import lru_cache

import jieba
import jieba.posseg

from qa_bot.answer.intents import (
    ABSENT,
    ASKS_DOCUMENTS,
    BY_NAME,
    ROLE_CHOICE,
    SOLE_LEAD,
    SOLE_UNIT,
    Cues,
    Intent,
    recognise,
)
from qa_bot.text.normalize import normalize_text
from qa_bot.text.patterns import CN_NUM, QUESTION_DOC_NO, chinese_to_int
from qa_bot.text.vocabulary import UNIT_KINDS


@dataclass(frozen=True)
class AskedValue:
    """A kind of value a question can ask for, and what a text holding that value looks like."""

    name: str
    label: str  # for the not-found reason: "相关条款没有给出具体的{label}"
    asks: re.Pattern[str]
    holds: re.Pattern[str] | None  # None: checked by code (list items)
    decisive: bool = False  # held in the reply's sentences, it settles that the clause answers (a phone number)


# Quoted terms given as examples of a kind: "“天然氧吧”“避暑胜地”这类牌子", "“A”“B”等".
_QUOTED_EXAMPLES = re.compile(r"[”\"’]\s*(这类|这一类|之类|这样的|这种|一类|等)")
# The list of a counted thing asked by name ("318个村的具体名单"): as many items as the count.
_NAMED_LIST = r"具体名单|名单(都)?(有|是)?(哪些|什么)"
# A post whose holder a question may ask for ("市科协主席是谁", "局长现在是哪位").
_POST = (
    r"(主席|书记|局长|主任|组长|市长|县长|区长|部长|处长|科长|站长|馆长|校长|院长|会长|理事长|负责人|行长|台长|"
    r"董事长|总经理|主编|编辑|发言人|主持人|解读人|经办人)"
)
_COUNTED = r"(个|家|座|条|项|处|台|所|人|名|辆|部|吨|亩|公里|平方|批|次|期|站|类|级|天|小时|分钟|周)"
_NUMBER = rf"(\d+(\.\d+)?|[{CN_NUM}]+)"
# The parts a city's figure is broken down into: its counties, districts, towns and villages.
_PART = r"(县|区|乡|镇|村|街道|地)"
# A count in a text: digits, or a Chinese numeral other than a lone 一 ("一次都不用跑" counts nothing).
_COUNT_NUMBER = rf"(\d+(\.\d+)?|[{CN_NUM}]{{2,}}|[二三四五六七八九十两])"
# Checked in this order; a question may ask for several (all must be present).
ASKED_VALUES: tuple[AskedValue, ...] = (
    AskedValue(
        "person",
        "人名",
        re.compile(
            rf"(人|者|领导|同志|长|主任|书记|主席|总理)[^，。？?]{{0,3}}(叫什么|名字)|姓名|哪位|(哪个|哪名)(领导|同志)|谁分管|(谁|哪位)(担任|签发|签署|起草|编制|署名)|局长|{_POST}(现在|分别)?(是谁|是哪位)|联系人|签发人|起草人|执笔"
        ),
        re.compile(
            r"(?<!负责)(?<!分管)(?<!有关)(?<!相关)(?<!领导)同志|"
            # a name before a post ("朱伟县长"), not a quantifier ("各位副市长", "分管副市长", "常务副市长")
            r"(?![各位全分副正本该常])(?:(?![到给由和与及对向在为是的])[\u4e00-\u9fff]){2,3}(?<!副)"
            r"(局长|主任|组长|市长|县长|区长|书记|副市长)|"
            # a name under its label or its post: "联系人:田英才", "牵头领导:汪忠野", "市长:董伟", "省长 叶建春"
            r"(联系人|牵头领导|责任领导|分管[省市县区]?领导|责任人|(省|市|县|区)长)[：:\s]\s*[\u4e00-\u9fff]\s?[\u4e00-\u9fff]{1,2}"
            r"(?![\u4e00-\u9fff]{2})"
        ),
    ),
    AskedValue(
        "phone",
        "联系电话",
        re.compile(r"电话|联系方式|热线|手机号|号码"),
        # (a local number under its label: "电话:6552712")
        re.compile(r"\d{3,4}-?\d{7,8}|1\d{10}|123\d{2}|(电话|热线|手机)[：:]\s*\d{7,8}"),
        decisive=True,
    ),
    AskedValue(
        "email",
        "电子邮箱",
        re.compile(r"邮箱|电子信箱|电子邮件|e-?mail", re.IGNORECASE),
        re.compile(r"[A-Za-z0-9._\-]+@[A-Za-z0-9\-]+(\.[A-Za-z0-9\-]+)+"),
        decisive=True,
    ),
    AskedValue(
        "recipient",
        "报送对象",
        # whom a report, a problem or a form goes to: "问题反馈给谁", "报给哪个部门", "交到哪里"
        re.compile(
            r"(反馈|报送|上报|报|交|提交|送|寄|反映|推送|上传)(给|到|至)(谁|哪个|哪家|哪里|哪儿|什么(单位|部门|地方|平台|系统))|"
            r"(报送|上报|报|提交|报请)(哪个|哪家|什么)(单位|部门|机关)|"
            r"向(谁|哪个|哪家|哪里|哪儿|什么(单位|部门))[^，,。？?]{0,4}(反馈|报送|上报|报告|提交|反映)"
        ),
        re.compile(
            r"((反馈|报送|上报|提交|送交|寄送|反映|抄送|报(?![告道名表批刊纸销价警])|交(?![通流易付叉换往]))(给|到|至)?"
            r"|(送|寄)(给|到|至))[^，。；,;]{0,24}?(部门|机构|单位|办公室|政府|局|委|厅|小组|中心|窗口|督查室)|"
            r"(推送|上传|录入|报送)(至|到)[^，。；,;]{2,24}?(平台|系统)|"
            r"向[^，。；,;]{2,24}?(部门|机构|单位|办公室|政府|局|委|厅|小组|中心|督查室)(报告|报送|反馈|汇报|提交|反映)"
        ),
    ),
    AskedValue(
        "place",
        "地点",
        re.compile(
            r"(设|建|放|位于|落户|选址|安排)在哪(?!(个|一个|家)?(单位|部门|机构|机关|局|委|办))|在哪(里|儿)|(?<![花用])在什么地方|选址|地址[^，,。？?]{0,5}(哪|什么|多少)|(的|个|具体|详细|办公)地址|地址([和、及]|[？?呢吗]*$)|具体位置|具体地点|(哪个|什么)(位置|地段|路段)|在哪(里|儿)?办公|"
            r"哪(个|些|几个)(县|区|乡|镇|村|街道|县区|乡镇|社区|县（市）区)|"
            # a place named last ("示范县区具体定的是哪个？")
            r"(县|县区|县（市）区|乡|镇|村|街道|社区)[^，,。？?]{0,6}是哪(个|几个|些|一个)[？?吗呢]*$|哪条(路|街)"
        ),
        None,
    ),
    # an amount for each year (month…), which a total for the whole period does not give ("十四五造林63.25万亩")
    AskedValue(
        "per_period",
        "每年（每期）数量",
        re.compile(r"(每年|每个?月|每季度?|每周|每天|年均|平均每?年)[^，,。？?]{0,12}(多少|几)(?!次)"),
        re.compile(r"每(年|个?月|季度?|周|天|日)|[年月日周]均|平均|/年|/月|逐年|年度|当年|(?<![\d年月])日[\u4e00-\u9fff]{0,4}\d"),
    ),
    AskedValue(
        "hours",
        "开放时间",
        re.compile(r"开放时间|营业时间|办公时间|几点(开|关|上班|下班)"),
        re.compile(r"\d{1,2}[:：]\d{2}|\d{1,2}(点|时)(?!间)|周[一二三四五六日]|工作日"),
    ),
    AskedValue(
        "meeting",
        "会议",
        re.compile(r"(哪一?次|第几次|什么|哪个)[^，,。？?]{0,14}(会议|人代会|常委会|常务会)"),
        re.compile(rf"[\d{CN_NUM}]+\s*次|第\s*[\d{CN_NUM}]+\s*(常务|全体)?会议"),  # 第167常务会议, printed so
    ),
    AskedValue(
        "frequency",
        "频次",
        re.compile(r"(多长时间|多久|每隔多久)[^，,。？?]{0,8}一次|(每年|一年|每月|每季度?)[^，,。？?]{0,4}几次|频次|频率"),
        re.compile(
            r"每(个|一)?(年度?|季度?|月|周|半年|两周|旬|日|天|学期)|[一二两三四五六\d]+(个)?(年|季度|月|周|天|工作日)"
            r"[^，,。；]{0,4}(一次|1次)|(年度|季度|月度)(成效|绩效)?(考核|评估|评价|调度|通报)|"
            r"(年|季|季度|月|周|旬)(开展|召开|组织|报送|通报|调度|督查)一次|分[两二三四\d]次|"
            r"按(年度?|季度?|月|周|旬|日|天)(?![份底末初])[\u4e00-\u9fff]"
        ),
    ),
    AskedValue(
        "frame",
        "提法",
        re.compile(r"(以|拿|把)(什么|哪些?|哪个)[^，,。？?]{0,10}(为|当|作为)"),
        re.compile(r"以[^，。；]{1,30}为[\u4e00-\u9fff]|把[^，。；]{1,30}(作为|当作)"),
    ),
    AskedValue(
        "money",
        "金额",
        re.compile(
            # ("进出多少辆" counts vehicles)
            r"(多少|几)([块毛角]钱|毛|分钱|钱|元|亿|万元|千元)|(投|拨|补|花|给|出)(了)?多少(?!万?亿?" + _COUNTED + r")|"
            r"多少.{0,4}(资金|经费|钱|补贴|投资)|"
            r"(资金|投资|经费|补贴|费用|预算|总额|金额|总规模|罚款|收费|价格|票价)[^，。"
            r"？?]{0,4}(多少|几)|(补贴|资助|奖励|罚款|收费)标准|价格(?!涨幅|指数|水平|总水平)|票价|门票"
        ),
        # 万/亿 alone are money unless a measure follows (2.4万户, 63万亩)
        re.compile(rf"{_NUMBER}\s*(元|万元|亿元|千元|(亿|万)(?!{_COUNTED}|吨|户|千瓦|标准|立方|余|多))"),
    ),
    # the laws or regulations a text follows ("依据的是哪两部法规"): their titles
    AskedValue(
        "law",
        "法规名称",
        re.compile(r"(哪|什么)[^，,。？?]{0,3}(法律法规|法规|法律|条例|规章)"),
        re.compile(r"《[^》]{2,}》"),
    ),
    AskedValue(
        "breakdown",
        "分县区数字",
        re.compile(
            rf"(分解|分配|分|落实|下达|细化|摊)(到|给)(各|每个)[^，,。？?]{{0,4}}{_PART}|"
            rf"各{_PART}[^，,。？?]{{0,6}}(分别|各自|各)[^，,。？?]{{0,4}}(多少|几)|每个{_PART}[^，,。？?]{{0,6}}(分别|各)"
        ),
        None,
    ),
    AskedValue(
        "duration",
        "期限",
        # how many years or months ("有效期最长是几年"), not which year ("哪年", "几月"): a year of the calendar
        # (2022年) is no length of time
        re.compile(r"(?<![哪这那前后近头])(几|多少)(个)?年(?![级底前后度])|(?<![哪这那前后近头])(几|多少)个月"),
        re.compile(rf"(?<![\d.])\d{{1,2}}\s*(年|个月)|(?<![{CN_NUM}两])[{CN_NUM}两]{{1,3}}(年|个月)(?![底度])"),
    ),
    # (a 几 right before 吗 is "a few", not a count asked: "能多放几个吗")
    AskedValue("count", "数量", re.compile(rf"多少(万|亿)?{_COUNTED}|(?<!哪)几{_COUNTED}(?!吗)|共(有)?多少"), None),
    AskedValue(
        "share",
        "比例",
        re.compile(r"比例|比重|占比|百分(?!百)|几成|(?<![效频功])率(是|为|要|达|多|有)|占(了|到)?(多少|几成|多大)"),
        re.compile(r"\d[\d.]*\s*(%|％)|百分之|\d+成|百分点|全覆盖|全部|基本消除|100|\d+\s*[:：∶比]\s*\d+"),
    ),
    AskedValue(
        "items",
        "具体内容",
        re.compile(
            rf"哪(些|(几|{_NUMBER})(个|项|类))[\u4e00-\u9fff]{{0,4}}(方面|内容|领域|方式|措施|渠道|类型|人群|行业|要求|项目|企业|地方|地区|地点|规章|文件|办法|规定|条例|制度|机制|环节|事项)|具体(是|指|包括)(什么|哪些|哪)(?!几?[年月天])|"
            rf"分别(是|指)(什么|哪)|(都)?包括哪些|{_NAMED_LIST}|列(了|出|明)?(有)?哪(些|几[个项家条座所处类种])|哪({_NUMBER})(个|项|类)|哪几(类|种)|(都(是|有)哪(些|几[个项家条座所处])[\u4e00-\u9fff]{{0,4}}|是哪几(个|项|家))(?=[？?，,。！!]|$)"
        ),
        re.compile(r"(、[^、，。；]{1,24}){2,}"),
    ),
    # a unit's own share of a task ("具体负责哪一块"): stated only where the text names the unit with its part, not
    # in a note giving the task to several units at once
    AskedValue(
        "share_of_work",
        "各单位的具体分工",
        re.compile(r"具体(负责|承担|分管|管|干|做)[^，,。？?]{0,4}(哪一?块|哪一?部分|哪(些|几)?个?方面)"),
        None,
    ),
    # whether the asker's own place or thing is among those a text counts ("建200个美丽宜居村，我们村在不在里面"):
    # only a text covering every one of them says
    AskedValue(
        "membership",
        "名单",
        re.compile(
            r"(我们|我家|咱们?|我的)[\u4e00-\u9fff]{0,3}(在不在|算不算)|在不在(里面|里头|其中|名单|范围)|"
            r"(包括|包含)(我们|我家|咱)"
        ),
        re.compile(r"全部|所有|全覆盖|全面覆盖|村村|乡乡|户户|每个|每一个|一律|均"),
    ),
)
DATE_VALUE = re.compile(
    rf"\d{{4}}\s*年|[{CN_NUM}]{{4}}年|\d{{1,2}}\s*月|\d{{1,2}}\s*日前|年底|月底|底前|之前|以前|持续推进|长期坚持|期间|时期|“十四五”"
    rf"|\d{{4}}—\d{{4}}"
)
# A day asked ("从哪天起", "几号"; not "第几号令"), and what states one.
_ASKS_DAY = re.compile(r"哪一?天(?![之以]?前)|(?<!第)几号|几月几[日号]")  # ("哪天之前" asks a limit)
STATES_DAY = re.compile(r"\d{1,2}\s*[日曰]")  # ("3月18曰": a copy's typo for 日)
# A when-question asking a time limit or a day, and what states one ("最晚什么时候" ~ "5月25日前", "从哪天开始" ~
# "5月10日起"): a year standing for the context ("2020年春季学期") answers neither.
_PRECISE_WHEN = (
    (re.compile(r"最晚|最迟|截止|(什么|哪)[^，,。？?]{0,4}前"), re.compile(r"[日月底年]前|以前|之前|截至|截止")),
    (_ASKS_DAY, STATES_DAY),
)
# A text saying when a document takes effect, or ceases to (in_force / expires questions).
IN_FORCE_VALUE = re.compile(r"起\s*(施行|实施|执行|生效|试行)|(发布|公布)\s*施行|(施行|实施|生效)日期")
EXPIRY_VALUE = re.compile(r"废止|失效|有效期")
# A question asking a quantity ("达到什么程度", "转向注重什么" ask a quality, whatever figure words they hold).
_QUANTITY_ASK = re.compile(
    r"多少|几(?!乎)|百分之|比例|比重|占比|%|率|多大|多高|多长|目标值|提高到|降(低)?到|达到(?!什么|啥|哪)"
)
FIGURE_VALUE = re.compile(r"\d|[一二三四五六七八九十百千万两]+(个|家|座|条|项|处|台|所|批|倍)")

_PLACE_SUFFIX = re.compile(r"(特别行政区|自治区|自治州|自治县|省|市|县|区|盟|州|港)$")
_CODE = re.compile(r"[A-Z][A-Za-z]*\d+(\.\d+)?|[A-Z]{2,}[a-z]?\d*")  # PM10, PM2.5, VOCs, REITs, GDP
_YEAR = re.compile(r"(?<!\d)(19\d{2}|20\d{2})(?!\d)\s*年?")
_QUESTION_WORDS = re.compile(
    r"请问|我想(知道|问)|能不能|能否|可以|是不是|有没有|是否|哪个|哪些|哪家|什么|怎么|怎样|如何|多少|几个|谁|吗|呢|吧|？|\?|。|的是|是"
)
# Words that say a question is about one of the documents themselves.
# The kinds of document a title ends with (…实施方案, …规划, …的通知).
DOCUMENT_KINDS = "方案|规划|纲要|通知|意见|办法|计划|细则|规定|条例|措施|规则|预案|批复|公告|通告|要点|指引"
_DOCUMENT_WORD = re.compile(rf"{DOCUMENT_KINDS}|文件|公报|这个文|该文|本文|几号文|文号|这份|那份|哪份|哪一份")
_LEADING_WORDS = re.compile(r"^(按照|依照|依据|根据|关于|按|据|照|是|和|与|及|的|为|在|对|把|将|看)+")
_UNIT_KIND_ASK = re.compile(r"(类|方面|系统|领域)?(的)?(部门|单位|机构|机关)")
# A part of a question that asks (an interrogative word), and one that only sets a condition ("要是哪个区县没完成，…").
_INTERROGATIVE = re.compile(
    r"哪|什么|啥|咋|多少|几(?!乎)|谁|怎么|怎样|如何|吗|呢|是否|有没有|是不是|能不能|可不可以|会不会|[？?]"
)
_MIN_ASKING_CHARS = 4
# (a subject may come first: "哪个县区要是…" — its 哪 is "any", not a question)
_CONDITION = re.compile(r"^.{0,6}?(要是|如果|假如|假若|倘若|若(?!干)是?|万一|一旦)")
# A part opening with "哪个县区…" before a part asking what happens ("哪个县区的资产一直闲着，会被怎么处理？"): its 哪
# is "whichever", not a question.
_ANY_ONE = re.compile(r"^.{0,4}?哪(个|家|些|一个|位)")
_ASKS_WHAT = re.compile(r"(会|将)被?(怎么|怎样|如何)|怎么(处理|办|罚)|(什么|啥)(后果|处罚|处理)|会不会|会被")
# An asker introducing themselves ("市教育局这边确认一下", "我是市财政局的，想问下").
_INTRODUCTION = re.compile(
    r"这边|我是|我们是|我在|想问|问一下|问问|[^学疑]问[:：]|确认一下|核实一下|了解一下|咨询|请教"
)
# A part asking about duties ("牵头的任务有哪些？") is about the unit that introduced the asker.
DUTIES = re.compile(r"牵头|负责|配合|参与|协助|任务|职责|分工|承担|涉及|列为|列入|点名")
# A question asking whether (a unit has a task in some role, a thing is so).
ASKS_WHETHER = re.compile(r"有没有|有无|是否|吗(?=[？?，,。]|$)")
# The asker's own unit, referred to in the part that asks ("我是市气象局的，我们要配合做什么？").
_FIRST_PERSON = re.compile(r"我们|咱们|咱|我局|我委|我办|我单位|本单位|本局|我方|我这")


@dataclass(frozen=True)
class CorpusFacts:
    """What understanding a question needs to know of the corpus: its units and the key terms of its titles."""

    units: tuple[str, ...] = ()  # every unit named in a responsibility note, longest first
    title_terms: tuple[str, ...] = ()  # key terms of the document titles (index.tokenize.title_terms)
    titles: tuple[str, ...] = ()  # the documents' titles (and their attached documents' titles)
    # The units a text names, by any alias (the task ledger's resolution); default: unit_mentions over `units`.
    find_units: Callable[[str], tuple[str, ...]] | None = None


@dataclass(frozen=True)
class Question:
    """What a question asks for, as far as patterns and the corpus' own names can tell."""

    text: str
    intent: Intent = BY_NAME["content"]
    doc_nos: tuple[str, ...] = ()
    years: tuple[int, ...] = ()
    places: tuple[str, ...] = ()
    subject: str = ""
    codes: tuple[str, ...] = ()  # Latin/number terms such as PM10, VOCs, REITs: an answer must name them
    quoted: tuple[str, ...] = ()  # terms the question puts in quotes (“四个短板”): the evidence must hold them
    quoted_examples: bool = False  # the quoted terms are examples of a kind (“天然氧吧”“避暑胜地”这类): one will do
    alternatives: tuple[str, ...] = ()  # the choices of "A还是B" ("北镇还是黑山"): the evidence must name one
    named_units: tuple[str, ...] = ()
    unit_kind: str | None = None
    asks: tuple[AskedValue, ...] = ()
    flags: frozenset[str] = field(default_factory=frozenset)
    # the other parts of a who-question that ask a value ("下降多少？由哪个单位负责？"), each analysed alone
    also: tuple[Question, ...] = ()

    @property
    def kind(self) -> str:
        return self.intent.kind

    @property
    def meta_field(self) -> str | None:
        return self.intent.meta_field

    def quoted_missing(self, text: str) -> str | None:
        """A quoted term the evidence must hold and text lacks: any one when they are examples of a kind, else each."""
        missing = [q for q in self.quoted if q not in text]
        if self.quoted_examples and len(missing) < len(self.quoted):
            return None
        return missing[0] if missing else None

    def precise_when(self) -> re.Pattern[str] | None:
        """For a when-question asking a time limit or a day, what a sentence must hold to state it."""
        if self.intent.name != "deadline":
            return None
        return next((stated for asked, stated in _PRECISE_WHEN if asked.search(self.text)), None)

    def asks_day(self) -> bool:
        """Does a when-question ask for a day ("从哪天起让货车绕城"), which a year or a period does not give?"""
        return self.intent.name == "deadline" and _ASKS_DAY.search(self.text) is not None

    def value_needed(self) -> re.Pattern[str] | None:
        """What the answering text must hold for a figure or deadline question to be answered at all (beyond
        ASKED_VALUES)."""
        if self.intent.name == "deadline" and not any(v.name == "frequency" for v in self.asks):
            return DATE_VALUE  # ("多久公开一次" asks how often: the frequency answers it)
        if self.intent.name == "figure" and not self.asks and _QUANTITY_ASK.search(self.text):
            return FIGURE_VALUE
        return None


def without_city_prefix(unit: str) -> str:
    """市财政局 → 财政局, 市委组织部 → 组织部: the name as colleagues say it."""
    return re.sub(r"^(市委|市)", "", unit)


def unit_mentions(text: str, units: tuple[str, ...]) -> tuple[str, ...]:
    """Corpus units a text names, by full name or without the leading 市 ("供销社" finds 市供销社), longest first."""
    found: list[str] = []
    for unit in units:
        short = without_city_prefix(unit) if len(unit) >= 4 else unit
        short = short if len(short) >= 2 else unit
        if (unit in text or short in text) and not any(unit in f or short in f for f in found):
            found.append(unit)
    return tuple(found)


def unit_kind_in(text: str, named: tuple[str, ...]) -> str | None:
    """The kind of unit a question asks about ("有哪些金融部门", "公安这类单位"), from text.vocabulary.UNIT_KINDS."""
    for kind in UNIT_KINDS:
        if any(kind in u for u in named):
            continue
        for m in re.finditer(kind, text):
            if _UNIT_KIND_ASK.match(text, m.end()) or re.match(r"(这|那)?类", text[m.end() :]):
                return kind
    return None


# Spoken words read as their written forms, so every rule that knows 什么 knows 啥 ("方案啥时候印发的", "为啥要封路").
_WRITTEN = {"啥": "什么", "咋": "怎么"}
_SPOKEN = re.compile("|".join(_WRITTEN))
QUESTION_PARTS = re.compile(r"[？?；;！!。]")  # what sets off the questions a question holds
# A space between two words of a question typed on a phone parts them as a comma does ("哪个县区要是不盘活 咋整"),
# but not inside quotes or a title.
_SPACE_AS_COMMA = re.compile(r"(?<=[\u4e00-\u9fff])[ \t\u3000]+(?=[\u4e00-\u9fff])")
_QUOTED_SPAN = re.compile(r"“[^”]*”|\"[^\"]*\"|《[^》]*》|「[^」]*」")


def _spaces_as_commas(question: str) -> str:
    """The question with a space between two words read as a comma where what follows asks ("…不盘活 咋整") — not
    inside a phrase ("哪两个 部门") nor inside quotes and titles ("“城警联动 并肩行动”")."""
    def commas(text: str) -> str:
        return _SPACE_AS_COMMA.sub(
            lambda m: "，" if _INTERROGATIVE.search(re.split(r"[\s，,。？?]", text[m.end() :])[0] or "") else m.group(),
            text,
        )

    out, at = [], 0
    for m in _QUOTED_SPAN.finditer(question):
        out += [commas(question[at : m.start()]), m.group()]
        at = m.end()
    return "".join([*out, commas(question[at:])])


def analyse(question: str, corpus: CorpusFacts | None = None) -> Question:
    """Recognise a question's intent and pull out what it names."""
    corpus = corpus or CorpusFacts()
    text = _SPOKEN.sub(lambda m: _WRITTEN[m.group()], normalize_text(_spaces_as_commas(question)))
    doc_nos = tuple(dict.fromkeys(_canonical(m.group(0)) for m in QUESTION_DOC_NO.finditer(text)))
    rest = QUESTION_DOC_NO.sub(" ", text)
    find = corpus.find_units or (lambda t: unit_mentions(t, corpus.units))
    named = find(rest)
    asking = asking_part(rest)
    # "市教育局这边确认一下，纲要部署了几项行动？": the unit introduces the asker; the question is not about it
    introduced_only = asking != rest and _INTRODUCTION.search(rest) and not find(asking)
    if named and introduced_only and not _FIRST_PERSON.search(asking) and not DUTIES.search(asking):
        named = ()
    kind = unit_kind_in(rest, named)
    names_title = any(term in rest for term in corpus.title_terms)
    cues = Cues(
        text=rest,
        names_doc_no=bool(doc_nos),
        names_document=bool(doc_nos) or bool(_DOCUMENT_WORD.search(rest)) or names_title,
        named_units=named,
        unit_kind=kind,
        titles=corpus.titles,
    )
    # When the asking part is a question by itself, it decides what is asked ("我们局是牵头单位，这项工作哪年完成？"
    # asks a deadline, not who leads); a bare "有哪些？" leans on the rest.
    stands_alone = len(re.sub(r"[^\u4e00-\u9fff]", "", _QUESTION_WORDS.sub("", asking))) >= _MIN_ASKING_CHARS
    intent = recognise(replace(cues, text=asking) if asking != rest and stands_alone else cues)
    if intent.name in ("deadline", "figure", "content") and recognise(cues).name == "unit_tasks":
        intent = BY_NAME["unit_tasks"]  # "我们局的任务里，哪些有完成时间？": the unit's tasks, narrowed
    subject = re.sub(r"\s+", " ", _QUESTION_WORDS.sub(" ", rest)).strip()
    choices = alternatives(rest)
    return Question(
        text=text,
        intent=intent,
        doc_nos=doc_nos,
        years=tuple(int(y) for y in _YEAR.findall(rest)),
        places=place_names(rest),
        subject=subject,
        codes=tuple(dict.fromkeys(m.group(0) for m in _CODE.finditer(rest))),
        quoted=tuple(dict.fromkeys(q for q in re.findall(r"[“\"‘]([^”\"‘’“]{2,12})[”\"’]", rest))),
        quoted_examples=_QUOTED_EXAMPLES.search(rest) is not None,
        alternatives=choices,
        named_units=named,
        unit_kind=kind,
        # a choice asks which of the two, not a value its words name ("比例这个指标是约束性的还是预期性的")
        asks=() if choices else _asked_values(intent, asking) or _context_asks(intent, asking, rest),
        flags=_task_flags(intent, rest),
        also=_other_asks(intent, rest, corpus),
    )


# A part that asks only by its 呢 ("……漏损率呢？") asks what the part before it asked.
_ELLIPTICAL = re.compile(r"^(?P<what>[^？?]{2,}?)呢[？?]?$")


def _other_asks(intent: Intent, text: str, corpus: CorpusFacts) -> tuple[Question, ...]:
    """The parts of a who-question (or one about a unit's tasks), set off as questions of their own, that ask a value —
    a figure, a date, a frequency ("主要污染物排放总量控制实行什么频次的考核？由哪个单位负责？"): the reply gives it
    besides the units. A figure question's parts each asking a figure ("清洁取暖率要到多少？漏损率呢？"): the reply
    gives each."""
    if intent.name == "figure":
        figures = [p for p in QUESTION_PARTS.split(text) if p.strip()]
        if len(figures) < 2:
            return ()
        asked = (
            analyse(f"{m['what']}是多少" if (m := _ELLIPTICAL.match(p.strip())) else p, corpus) for p in figures
        )
        return tuple(q for q in asked if q.intent.name == "figure")
    if intent.compose not in ("who", "unit_tasks"):
        return ()
    # a question's parts, and within one the comma-separated clauses that each ask ("是谁牵头，完成时限是什么时候")
    parts = [
        c
        for p in QUESTION_PARTS.split(text)
        if p.strip()
        for c in (_asking_clauses(p) or [p])
    ]
    if len(parts) < 2:
        return ()
    analysed = (analyse(p, corpus) for p in parts)
    return tuple(
        q
        for q in analysed
        if q.intent.compose not in ("who", "unit_tasks") and (q.intent.name in ("figure", "deadline") or q.asks)
    )


# What a choice's left side follows ("定的是北镇还是黑山"), and what ends its right side ("黑山呢", "预期性的").
_CHOICE_LEAD = re.compile(r".*(是|选|在|定|找|去|归|给|按|用)")
_CHOICE_END = re.compile(r"(的|呢|吗|啊|呀|吧|好|啦|哪)")
_CHOICE_LEN = (2, 6)  # characters: a name or a term, not a phrase ("市里统一建还是各县自己建" offers no names)


def alternatives(text: str) -> tuple[str, ...]:
    """The two choices of "A还是B" in a question ("示范县定的是北镇还是黑山" → 北镇, 黑山), when both are short enough
    to be names or terms; not a role choice (牵头还是配合) nor "X还是不X"."""
    if re.search(ROLE_CHOICE, text):
        return ()
    for part in re.split(r"[，,。？?！!；;：:\s]", text):
        if "还是" not in part:
            continue
        left, right = part.split("还是", 1)
        left = _CHOICE_LEAD.sub("", left).removesuffix("的")
        right = _CHOICE_END.split(right, 1)[0]
        if right.startswith(("不", "没", "别")):
            return ()
        if all(_CHOICE_LEN[0] <= len(c) <= _CHOICE_LEN[1] for c in (left, right)):
            return (left, right)
    return ()


def _task_flags(intent: Intent, text: str) -> frozenset[str]:
    """What narrows or widens a question about a unit's tasks: the tasks no other unit shares (or no other unit leads),
    the tasks with a deadline, every document naming the unit."""
    if intent.name != "unit_tasks":
        return frozenset()
    deadline = BY_NAME["deadline"].cue
    return frozenset(
        name
        for name, asked in (
            ("sole_unit", SOLE_UNIT.search(text)),
            ("sole_lead", SOLE_UNIT.search(text) and SOLE_LEAD.search(text)),
            ("deadline", deadline and deadline.search(text)),
            ("documents", ASKS_DOCUMENTS.search(text)),
            ("absent", ABSENT.search(text)),
        )
        if asked
    )


def without_introduction(text: str) -> str:
    """A question without the part introducing the asker ("县发改局同事问：…是不是我们县里就不用管？" → its asking
    part), where one does."""
    return asking_part(text) if _INTRODUCTION.search(text) else text


def _asking_clauses(text: str) -> list[str]:
    """A part's comma-separated clauses when two or more of them ask, else none."""
    clauses = [c for c in re.split(r"[，,]", text) if c.strip()]
    return clauses if sum(bool(_INTERROGATIVE.search(c)) for c in clauses) >= 2 else []


def asking_part(text: str) -> str:
    """The parts of a question that ask: its comma-separated parts holding an interrogative word, without those that
    only set a condition or give the asker's context ("我们局是牵头单位，这项工作哪年完成？" → "这项工作哪年完成？")."""
    parts = [p for p in re.split(r"(?<=[？?])|[，,；;。]", text) if p.strip()]
    asking = [
        p
        for i, p in enumerate(parts)
        if _INTERROGATIVE.search(p)
        and not _CONDITION.match(p.strip())
        and not (_ANY_ONE.match(p.strip()) and any(_ASKS_WHAT.search(q) for q in parts[i + 1 :]))
    ]
    return "，".join(asking) if asking and len(asking) < len(parts) else text


def _context_asks(intent: Intent, asking: str, text: str) -> tuple[AskedValue, ...]:
    """A figure asked by a bare "多少" names its kind in the part before ("懂科学的比例挺低的，现在到底是多少")."""
    if intent.name != "figure" or asking == text:
        return ()
    return _asked_values(intent, text)


def _asked_values(intent: Intent, text: str) -> tuple[AskedValue, ...]:
    """The values a question asks for. A document question is answered from the document card; a who-question's
    value is its units (only a person's name or a phone number is asked beyond them)."""
    if intent.kind == "meta":
        return ()
    asked = tuple(v for v in ASKED_VALUES if v.asks.search(text))
    if intent.needs_units or intent.kind in ("lead", "units"):
        asked = tuple(v for v in asked if v.name in ("person", "phone"))
    return asked


_CLASSIFIER = r"(个|项|级|类|条|家|所|座|批|处|种|方面)"
# What ends a question's noun phrase: punctuation, and the words that follow a noun ("几个县没完成", "几项任务要…").
_PHRASE_END = r"，,。？?！!、；;：:\s没要需是有在的了呢吗啊被将都还已由和与及"
_COUNT_ASK = re.compile(rf"(多少|几)(万|亿)?{_COUNTED}")


# Classifiers a text may use for the same things: vehicles and machines are counted in 辆, 台 or 部, people in 人 or 名.
_SAME_MEASURE = {m: "(辆|台|部)" for m in ("辆", "台", "部")} | {m: "(人|名)" for m in ("人", "名")}


def counts_a_measure(question: str) -> bool:
    """Does the question count in a measure of its own ("多少辆", "多少吨"), not any number of things ("几个")?"""
    asked = _COUNT_ASK.search(question)
    return asked is not None and asked.group(_COUNT_ASK.groups) not in ("个", "项", "类", "批", "次", "期")


def counted_value(question: str, text: str) -> bool:
    """Does text hold a count of what the question counts ("多少吨" wants "… 万吨", "几个" any counted number)?"""
    if "第几" in question:  # an ordinal asked ("第几次常务会议") is answered by an ordinal (第167常务会议)
        return bool(re.search(rf"第\s*{_COUNT_NUMBER}", text))
    asked = _COUNT_ASK.search(question)
    measure = asked.group(_COUNT_ASK.groups) if asked else None
    if measure in ("人", "名") and re.search(
        r"\d\s*[%％]|百分之", text
    ):  # how many people: a share of them answers too
        return True
    generic = measure in (None, "个", "项", "类", "批", "次", "期")
    pattern = _COUNTED if generic else _SAME_MEASURE.get(measure or "", re.escape(measure or ""))
    return bool(re.search(rf"{_COUNT_NUMBER}\s*(余|多)?\s*(万|千|百)?\s*{pattern}", text))


# A rate the question names ("秸秆利用率", "秸秆的利用率"): its name, and the two characters before it.
_RATE_ASKED = re.compile(r"(?P<what>[\u4e00-\u9fff]{2})的?(?P<rate>[\u4e00-\u9fff]{2}率)")


def states_asked_rate(question: str, text: str) -> bool:
    """Does text give the rate the question names its figure ("秸秆利用率要求多少" ~ "秸秆综合利用率稳定在86%以上")?
    The rate's name and the word before it in the question, then a percentage within a few characters."""
    for m in _RATE_ASKED.finditer(question):
        rate = re.escape(m["rate"])
        if m["what"] in text and re.search(rf"{rate}[^，。；%％]{{0,12}}?\d+(\.\d+)?\s*[%％]", text):
            return True
    return False


def counted_noun(question: str) -> re.Pattern[str] | None:
    """A count the question asks of a named kind of thing ("几个重点领域", "几级寄递物流服务管理体系"), as the
    pattern of a text stating it ("10 个重点领域", "县、乡、村三级寄递物流服务管理体系"): a classifier, then within a
    few characters the head of the question's noun phrase (its last two characters). Amounts (吨, 亩, 公里) count no
    kind of thing."""
    m = re.search(rf"(多少|几)\s*(?P<measure>{_CLASSIFIER})(?P<noun>[^{_PHRASE_END}]{{2,16}})", question)
    if not m:
        return None
    head = m["noun"][-2:]
    return re.compile(rf"{_COUNT_NUMBER}\s*{m['measure']}[\u4e00-\u9fff、]{{0,12}}?{re.escape(head)}")


def list_size(text: str) -> int | None:
    """How many items a list question expects ("哪四个方面" → 4), when it says."""
    m = re.search(rf"哪({_NUMBER})(个|项|类|方面|条)", text)
    # "那25家，都是哪些", "318个村的具体名单": as many as the count it names
    if not m and re.search(rf"都(是|有)哪(些|几)|{_NAMED_LIST}", text):
        m = re.search(r"(\d+)\s*(条|家|个|项|处|所|座)", text)
    if not m:
        return None
    raw = m.group(1)
    return int(float(raw)) if raw[0].isdigit() else chinese_to_int(raw)


_POS_LOCK = threading.Lock()


@lru_cache(maxsize=1)
def _pos_tokenizer() -> jieba.posseg.POSTokenizer:
    jieba.setLogLevel(logging.WARNING)
    return jieba.posseg.POSTokenizer(jieba.Tokenizer())


def place_words(text: str) -> tuple[str, ...]:
    """The words of text that jieba tags as places ('ns'), as written."""
    with _POS_LOCK:
        pairs = list(_pos_tokenizer().cut(text))
    return tuple(word for word, flag in pairs if flag == "ns")


_LIST_ASK_AFTER = re.compile(rf"哪(些|(几|{_NUMBER})(个|项|类|种|条|家|所|批)?)")  # 哪些项目: 项 is the noun's
_LIST_ASK_BEFORE = re.compile(r"(都|具体|分别)?(是|有|包括|指)(哪些|哪几[个项类种条家所批]?)(?=[？?呢啊吧。，,]|$)")
_GENERIC_HEADS = frozenset(("地方", "方面", "内容", "东西", "事情", "情况", "部分", "环节", "工作", "问题"))


@lru_cache(maxsize=1024)
def list_head(text: str) -> str | None:
    """The noun a list question asks the items of, as a text repeats it next to the items ("A、B、C等渠道"): "通过哪些
    渠道发布" → 渠道, "试点项目都是哪些" → 项目 (a long noun by its last two characters). None for a generic noun
    (方面, 地方, 内容…) or none found."""
    with _POS_LOCK:
        pairs: list[tuple[str, str]] = []
        for p in _pos_tokenizer().cut(text):
            word, flag = str(p.word), str(p.flag)
            glued = _LIST_ASK_AFTER.match(word)  # jieba may glue the question word to the noun: 哪些项目
            if glued and glued.end() < len(word):
                pairs += [(word[: glued.end()], "r"), (word[glued.end() :], "n")]
            else:
                pairs.append((word, flag))
    offsets = [0]
    for word, _ in pairs:
        offsets.append(offsets[-1] + len(word))
    nouns = [i for i, (w, flag) in enumerate(pairs) if flag.startswith("n") and flag != "ns" and len(w) >= 2]
    head = None
    after = _LIST_ASK_AFTER.search(text)
    if after:  # 哪些X: the run of nouns right after the question word, its last one
        run = [i for i in nouns if offsets[i] >= after.end()]
        if run and offsets[run[0]] == after.end():
            last = run[0]
            while last + 1 in run:
                last += 1
            head = pairs[last][0]
    before = _LIST_ASK_BEFORE.search(text)
    if head is None and before:  # X都是哪些: the last noun before it
        ends = [i for i in nouns if offsets[i + 1] <= before.start()]
        head = pairs[ends[-1]][0] if ends else None
    if head is None or head in _GENERIC_HEADS:
        return None
    return head if len(head) <= 3 else head[-2:]


def place_names(text: str) -> tuple[str, ...]:
    """Place names a question mentions (jieba's 'ns' tag), without their 市/省/县 suffix: '沈阳市' → '沈阳'."""
    names = []
    for word in place_words(text):
        if len(word) >= 2:
            base = _PLACE_SUFFIX.sub("", word) if len(word) > 2 else word
            if base and base not in names:
                names.append(base)
    return tuple(names)


def _canonical(doc_no: str) -> str:
    """The 文号 as written in the question, without a verb or particle the pattern swept up ("按测政发…")."""
    from qa_bot.parse.starts import canonical_doc_no

    doc_no = _LEADING_WORDS.sub("", doc_no)
    if order := re.fullmatch(rf"(.+令)\s*第?\s*(\d{{1,4}}|[{CN_NUM}]{{1,6}})\s*号", doc_no):  # X令19号 → X令第19号
        return f"{normalize_text(order.group(1))}第{chinese_to_int(order.group(2))}号"
    return canonical_doc_no(doc_no)


__all__ = [
    "ASKED_VALUES",
    "ASKS_WHETHER",
    "DUTIES",
    "STATES_DAY",
    "DOCUMENT_KINDS",
    "AskedValue",
    "CorpusFacts",
    "counted_noun",
    "counted_value",
    "DATE_VALUE",
    "EXPIRY_VALUE",
    "IN_FORCE_VALUE",
    "FIGURE_VALUE",
    "Question",
    "QUESTION_PARTS",
    "without_introduction",
    "analyse",
    "list_size",
    "list_head",
    "place_names",
    "place_words",
    "unit_mentions",
    "without_city_prefix",
]
