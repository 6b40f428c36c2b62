"""The evidence for a question: which clause answers it, which of its sentences, and whether it can answer at all.

EvidenceJudge holds what the judging needs to know of the corpus (its units, titles, places; which records carry a
responsibility note) and applies the targeted checks by class: a 文号 not indexed, a place, term, quoted phrase or
year the evidence lacks, a value the question asks for (answer/question.ASKED_VALUES) or its intent needs
(answer/intents.Intent) that the evidence does not hold. The soft part of support is answer/support.py.
"""

from __future__ import annotations

import re
from dataclasses import replace
from typing import TYPE_CHECKING

import numpy as np

from qa_bot.answer.question import (
    DATE_VALUE,
    DOCUMENT_KINDS,
    DUTIES,
    EXPIRY_VALUE,
    IN_FORCE_VALUE,
    QUESTION_PARTS,
    STATES_DAY,
    CorpusFacts,
    Question,
    counted_value,
    list_head,
    list_size,
    place_names,
    place_words,
    unit_mentions,
    without_city_prefix,
    without_introduction,
)
from qa_bot.answer.support import Signals, bigram_share
from qa_bot.index.loaded import LoadedIndex
from qa_bot.index.passages import Record
from qa_bot.index.tokenize import title_terms
from qa_bot.ledger import Task
from qa_bot.parse.basis import BASIS_VERB, find_basis
from qa_bot.parse.issuers import short_issuer
from qa_bot.parse.model import NOTICE_SECTION, PREAMBLE_SECTION, Clause, Document
from qa_bot.retrieve import Hit
from qa_bot.text.normalize import (
    common_run,
    common_text,
    compact,
    normalize_text,
    split_sentences,
    without_common_runs,
)
from qa_bot.text.patterns import QUESTION_DOC_NO as DOC_NO_ANY
from qa_bot.text.patterns import match_heading
from qa_bot.text.unit_names import UNIT_SHAPE
from qa_bot.text.units import is_note_sentence
from qa_bot.text.vocabulary import GENERIC_PLACES, STOPWORDS, SYNONYM_GROUPS, kind_marks

if TYPE_CHECKING:
    from qa_bot.answer.engine import AnswerPolicy

# Words of a document question that name what is asked, not which document: left out when matching titles.
_DOCUMENT_QUESTION_WORDS = re.compile(
    r"文号|几号|号文|发文|字号|成文|日期|印发|发布|哪[天日]|一日|时候|什么|机关|单位|部门|名义|公开|主送|文件|是不是|是否|哪个|哪年|签发|下发|出台|"
    r"还是|市政府办公室|市政府|人民政府办公室|人民政府|由|的|是|哪份|哪一份|这份|通知|依据|根据|贯彻|落实|上级|内容|关于|工作|时间|哪一?天|"
    r"国务院|办公厅|省政府|省人民政府|国家|为"
)
_ROLE_LEAD = re.compile(r"(?<![不没非])牵头")  # ("只是责任单位、不牵头" asks the others)
_ROLE_HELP = re.compile(r"配合|参与|协助|责任单位")
_DOCUMENT_KIND = re.compile(r"(通告|公告|通知|方案|意见|办法|规定|细则|规划|纲要|计划|决定|条例|要点)$")
_TITLE_SLACK = 2  # characters a run may hold beyond its document title's words and still name the document
_TITLE_WINDOW = 12  # the words after a year that may name a document by its title
_MIN_TITLE_RUN = 4  # a question names a document when it shares this many characters in a row with a title's key term


# Years and periods: 2025年, 2021—2035年, 2022年10月26日
_YEARS = re.compile(r"(19|20)\d{2}\s*([—–-]\s*(19|20)\d{2}\s*)?年(\d{1,2}\s*月)?(\d{1,2}\s*日)?")
# A clause's own number: 16. / （三） / 三、 / 第一条
_ITEM_NUMBER = re.compile(
    r"^\s*(\d+[.．、]|[（(][一二三四五六七八九十\d]+[）)]|[一二三四五六七八九十]+、|第[一二三四五六七八九十百零〇\d]+条)"
)
_DOCUMENT_KIND = re.compile(DOCUMENT_KINDS)
_MAX_SHORT_TITLE = 8  # characters of a shortened title before its kind
_GENERIC_TITLE_WORDS = re.compile(r"实施|工作|综合|行动|专项|具体|有关|相关|关于|印发")


def _in_order(phrase: str, title: str) -> bool:
    """Do phrase's characters all stand in title, in order (a subsequence)?"""
    rest = iter(title)
    return all(ch in rest for ch in phrase)


def _mentions(text: str, code: str) -> bool:
    """Does text name this Latin/number term, itself or by a general synonym (VOCs ↔ 挥发性有机物)?"""
    lowered = text.lower()
    if code.lower() in lowered:
        return True
    for group in SYNONYM_GROUPS:
        if any(code.lower() == g.lower() for g in group):
            return any(g.lower() in lowered for g in group)
    return False


# A sentence naming the body that coordinates a whole document's work: "市科协履行…领导小组办公室职责，发挥综合
# 协调作用", "领导小组办公室设在州交通运输局", "市发展改革委、市生态环境局要加强统筹协调".
_COORDINATES = re.compile(
    r"(履行|承担)[^。；]{0,30}办公室[^。；]{0,4}职责|办公室设在|综合协调作用|加强统筹协调|牵头抓总"
)

_INTRODUCES_LIST = re.compile(r"包括|包含|分别|[:：]")
# an item saying what must be done is part of a sentence, no item of a list
_ITEM_IS_A_CLAUSE = re.compile(r"(?<![需重主只想])要(?![求素点件])|应当|必须")
_AIMS_AT_YEAR = re.compile(r"^(?:到|至)\s*(?:19|20)\d{2}\s*年(?:底|末)?[，,]")  # "到2020年，全面建成……"
# An amount offered as a choice ("每半年一次", "3个"): a value, not a paraphrase, so a clause naming none gives none.
_AMOUNT = re.compile(r"[\d一二两三四五六七八九十百半]+\s*(个)?(次|年|季度|月|周|天|日|项|家|处|%|万|亿)")
# A question about what has been done: it may be answered from a review of the last period.
_PAST = re.compile(r"以前|过去|已经|已|曾|此前|去年|前些年|这些年|近年|累计|了(多少|几)|(19|20)\d\d年")
# A question about how things stand now; the figure a plan sets for its end says nothing of it.
_CURRENT = re.compile(r"现在|目前|当前|现状|眼下|如今|现阶段")
_TARGET = re.compile(r"(^|[，,。；;])\s*到\s*(19|20)\d{2}\s*年|力争|预计|目标")  # not "提高到2020年的9.5%"
_TARGET_SECTION = re.compile(r"目标")
# The values an indicator row can hold (not a place, a name, a contact or a list).
_ROW_VALUES = frozenset({"count", "share", "money", "per_period", "duration", "frequency"})
# A part of a plan telling how things stand (the last period's review, the situation and its problems), and a
# question asking about those.
_BACKGROUND_SECTION = re.compile(
    r"回顾|总结|面临形势|形势分析|存在的问题|主要问题|问题和挑战|工作基础|发展基础|发展现状"
)
_ASKS_BACKGROUND = re.compile(
    r"过去|以前|之前|已经|曾|取得|成效|成绩|成果|回顾|十三五|上一|上个|期间|19\d{2}|20[01]\d|2020|现在|目前|现状|"
    r"了多少|了几|问题|不足|短板|困难|挑战|形势|基础|差距|为啥|为什么|为何|原因|怎么回事"
)
# A note giving every following task of a document to some units once for all: "以下均需各县（市）区政府（管委会）落实，
# 不再列出", "以下政策措施均需各县区人民政府、园区管委会落实,不再单独列出".
_STANDING_NOTE = re.compile(r"以下[^。；〕]{0,8}均[需由要]([^。；〕]{2,40}?)(负责)?落实[，,]?不再(单独)?列出")
# A question about what is to be done.
_ORDINAL = re.compile(r"第[\d一二三四五六七八九十百]+(次|号|届|批|期|章|条|款|项|个)")
_AHEAD = re.compile(r"要|将|计划|目标|力争|争取|预计|到\d{4}|末")
# What no name holds: punctuation, the particles, prepositions and verbs that join a question's words, and a year (it
# says when, not what).
_NOT_A_NAME = re.compile(r"(?<!\d)(?:19|20)\d{2}年?|[^\u4e00-\u9fff\w]+|[的了是在和与及要将把被对为从到由达]")
_RUNS_KEPT = 1024  # (question, document) pairs whose named runs are remembered
# A heading naming a time: "禁燃禁放时间", "实施期限", "完成时限", "有效期".
_TIME_HEADING = re.compile(r"(时间|时限|期限|日期|有效期)$")
# A task given to every county, district or county-level city of a city: 各县（市）区政府, 县区, 各区县.
# (not "建设1个示范县（市）区": one of them)
_EVERY_COUNTY = re.compile(
    r"各县[（(]市[)）]区|县[（(]市[)）]区(政府|管委会|全部|均|都|要|负责)|各县区|各区县|各县[（(]区[)）]"
)

# The place an issuer's name opens with: 谯城区政府, 宁波市人民政府办公厅, 甘肃省人民政府, 沁县人民政府办公室.
_ISSUER_PLACE = re.compile(
    r"([\u4e00-\u9fff]{1,6}?(省|自治区|市|州|县|区|旗))(?=[\u4e00-\u9fff]{0,12}(政府|党委|局|厅|委员会|办公室))"
)
# Items a sentence names one by one after 即 or 分别是, set off by commas; each no longer than _ITEM_CHARS.
_NAMES_ITEMS = re.compile(r"(?:即|分别是|分别为)[:：]?([^。；]+)")
_ITEM_CHARS = 24
# A count of units asked: "涉及几个牵头单位", "有多少个责任部门".
_COUNTS_UNITS = re.compile(r"(几|多少)个?[^，,。？?]{0,4}(单位|部门)")
# A five-year plan period ("十四五"): a section headed by one period speaks of it ("“十三五”时期回顾与总结").
_PLAN_PERIOD = re.compile(r"十[一二三四五六七八九]五")
_PLAN_PERIOD_SPELLED = re.compile(r"第(十[一二三四五六七八九])个五年")  # "第十四个五年规划" is the 十四五 plan
_ISSUER_WORDS = re.compile(r"人民|市|省|县|区")  # the words an issuer's name in a 文号 may be given with or without
_MIN_BEYOND = 4  # characters a first sentence says past its heading to count as more than it
_HEADING_START = 4  # characters of a section's heading that its clause's first sentence opens with
_OUTLINE_RUN = 4  # characters of a part's heading a question repeats to ask for that part's items
_TASK_HEADING_RUN = 5  # characters of a task's heading a question repeats to name that task ("青少年科学素质提升行动")

# A sentence that says who acts, in a clause with no responsibility note.
_SAYS_WHO = re.compile(
    r"领导小组|委员会|联席会议|(由|归)[^，。；]{1,14}(负责|承担|决定|主管|管理|主持|审批|任免|组织)|"
    r"由[\u4e00-\u9fff]{1,12}(局|委|办|厅|署|院|政府|中心|公司|机关)|"
    r"[\u4e00-\u9fff]{1,12}(部门|政府|财政|机关|机构|局|委|院|办公室|县长|市长|省长|主席)[^。；]{0,6}(负责|主管|承担|主持|决定|领导|会同)|"
    r"[\u4e00-\u9fff]{1,12}(部门|局|委|院|厅|办公室|中心)(为|是)[^。；]{0,24}(单位|部门|机关|机构)|"
    # which of the listed units leads: "排名第一的责任单位为牵头单位"
    r"(单位|部门)(为|是)牵头(单位|部门)|"
    # a government or office as the sentence's subject: "市、县（市）区政府（管委会）按照…统筹落实所需经费"
    r"(^|[。；])[\u4e00-\u9fff（）、]{0,16}(政府|局|委|办)(（[^）]{1,8}）)?(要|按照|依法|负责|统筹|应当|会同|牵头|组织)"
)


def _issuer_place(name: str) -> tuple[str, ...]:
    """The places an issuer's name opens with, each also without its suffix when two characters or more remain:
    谯城区政府 → 谯城区, 谯城; 江西省吉安市人民政府办公室 → 江西省, 江西, 吉安市, 吉安; 沁县人民政府办公室 → 沁县;
    市政府办公厅 → none."""
    places: list[str] = []
    while (m := _ISSUER_PLACE.match(name)) is not None:
        place = m.group(1)
        if place[0] in "各全本该外省市县区" or place in GENERIC_PLACES:
            break
        stem = place[: -len(m.group(2))]
        places += [place, stem] if len(stem) >= 2 else [place]
        name = name[len(place) :]
    return tuple(places)


def _beyond(sentence: str, heading: str) -> bool:
    """Does an item's first sentence say more than its heading ("1.抓好…重点项目，总投资1906.4亿元。" under the heading
    "1.抓好…重点项目")? Its words after the heading's, a clause's worth."""
    said, head = compact(sentence), compact(heading)
    at = said.find(head)
    return at >= 0 and len(said[at + len(head) :].strip("。；;，,.")) >= _MIN_BEYOND


def _indicator_name(row_text: str) -> str:
    """An indicator row's name: its text before its values, without the unit in brackets ("森林覆盖率（%）" →
    森林覆盖率)."""
    return compact(re.sub(r"[（(][^）)]*[）)]", "", row_text.split("：", 1)[0]))


def _breaks_down(text: str) -> bool:
    """Does text give figures part by part: two places it names ("凌海市3.2万亩、北镇市2.1万亩"), each with a number
    of its own, or 分别 before two numbers?"""
    parts = {
        w
        for w in place_words(text)
        if re.search(r"(县|区|市|乡|镇|村|街道)$", w)
        and w not in GENERIC_PLACES
        and w[0] not in "各全本该每"
        and re.search(rf"{re.escape(w)}[^，。；、]{{0,12}}?\d", text)
    }
    each = re.search(r"(县|区|市|乡|镇|村|地)各[^，。；]{0,6}\d", text)  # "东山县、西河县各建1个": the same for each
    return len(parts) >= 2 or each is not None or re.search(r"分别[^。；]{0,30}\d[^。；]{1,30}\d", text) is not None


def _periods_short(text: str) -> str:
    """Text with its five-year periods written as people say them: 第十四个五年规划 → 十四五规划."""
    return _PLAN_PERIOD_SPELLED.sub(r"\1五", text)


def heading_text(heading: str) -> str:
    """A heading without its number: "（一）青少年科学素质提升行动" → "青少年科学素质提升行动"."""
    return re.sub(r"^[（(]?[一二三四五六七八九十\d.]+[）)、.．]?\s*", "", heading)


class EvidenceJudge:
    """Chooses and judges evidence against one loaded index, under the engine's AnswerPolicy."""

    def __init__(self, index: LoadedIndex, policy: AnswerPolicy) -> None:
        self.index = index
        self.policy = policy
        records = index.records
        clause_of = [index.clause_by_id.get(r.chunk_id) for r in records]
        self.has_units = np.array(
            [bool(c and (c.lead_units or c.responsible_units)) for c in clause_of], dtype=np.float32
        )
        self.has_lead = np.array([bool(c and c.lead_units) for c in clause_of], dtype=np.float32)
        # records under a heading naming a time ("二、禁燃禁放时间", "实施期限"): where a notice states when
        self.time_headed = np.array(
            [
                r.kind != "header" and bool(_TIME_HEADING.search(heading_text(r.section.rsplit(" > ", 1)[-1])))
                for r in records
            ],
            dtype=np.float32,
        )
        # per document, the first clause naming who coordinates its whole work, and the headings of its tasks; per
        # section, its direct subsections in order with the first record under each
        self._coordinator: dict[str, int] = {}
        self._headings: dict[str, set[str]] = {}
        self._subsections: dict[str, dict[str, dict[str, int]]] = {}  # doc → section → subsection → first record
        self._own_record: dict[tuple[str, str], int] = {}  # a section's own opening paragraph, when it has one
        for i, r in enumerate(records):
            if r.kind == "header":
                continue
            self._own_record.setdefault((r.doc_id, r.section), i)
            path = r.section.split(" > ")
            for depth in range(1, len(path)):
                sections = self._subsections.setdefault(r.doc_id, {})
                sections.setdefault(" > ".join(path[:depth]), {}).setdefault(path[depth], i)
            if r.doc_id not in self._coordinator and _COORDINATES.search(r.text):
                self._coordinator[r.doc_id] = i
            self._headings.setdefault(r.doc_id, set()).add(heading_text(r.section.rsplit(" > ", 1)[-1]))
        self.kind_mask = {
            kind: np.array([r.kind == kind for r in records], dtype=np.float32) for kind in ("header", "table_row")
        }
        self.doc_of = np.array([r.doc_id for r in records])
        self.titles = {d.doc_id: (d.plan_title or "") + d.title for d in index.documents}
        # every issuing body, its 人民政府 said 政府 (区政府办公室 is part of X区人民政府办公室)
        self._issuers = " ".join(compact(short_issuer(i)) for d in index.documents for i in d.issuing_bodies)
        self._compact_titles = {doc_id: compact(title) for doc_id, title in self.titles.items()}
        self._title_terms = {
            d.doc_id: {t for title in (d.title, d.plan_title or "") for t in title_terms(title)}
            for d in index.documents
        }
        # Units a question can name; references to many units ("各县（市）区", "有关部门", the ledger's
        # "重点领域牵头单位") name none in particular.
        units = sorted(
            {
                u
                for c in clause_of
                if c
                for u in c.lead_units + c.responsible_units
                if not u.startswith(("各", "有关", "相关", "其他")) and u not in index.ledger.references
            },
            key=len,
            reverse=True,
        )
        # A title term that every document shares ("示例市") names no document in particular.
        shared = set.intersection(*self._title_terms.values()) if self._title_terms else set()
        self.corpus = CorpusFacts(
            units=tuple(units),
            title_terms=tuple(sorted({t for ts in self._title_terms.values() for t in ts} - shared)),
            titles=tuple(dict.fromkeys(t for d in index.documents for t in (d.title, d.plan_title) if t)),
        )
        self.corpus = replace(self.corpus, find_units=self._find_units)
        self._corpus_text = "\n".join(r.text + r.context for r in records)
        self._compact_text = compact(self._corpus_text)
        # Each document's clause text, and the runs of questions' words found in it (_named_runs).
        self._doc_text = {d.doc_id: compact("\n".join(c.text for c in d.clauses)) for d in index.documents}
        self._runs: dict[tuple[str, str], tuple[str, ...]] = {}
        # Each table's indicator names ("森林覆盖率"), by document and caption (_other_row_term).
        self._indicator_names: dict[tuple[str, str], list[str]] = {}
        for d in index.documents:
            for c in d.clauses:
                if c.table is not None:
                    names = self._indicator_names.setdefault((d.doc_id, c.table.table_title), [])
                    names.append(_indicator_name(c.text))
        # The places the documents' issuers are named after (沁县人民政府办公室 → 沁县), longest first.
        self._issuer_places = sorted(
            {p for d in index.documents for n in d.issuers for p in _issuer_place(n)}, key=len, reverse=True
        )
        # A body named after one of those places: 示例海关, 示例市民政局.
        self._placed_body = (
            re.compile(
                "(?:" + "|".join(map(re.escape, self._issuer_places)) + r")"
                r"(海关|[^\W\d的和与在是了要把对]{1,6}?(局|分局|支行))"
            )
            if self._issuer_places
            else None
        )
        # The notes giving a document's following tasks to some units once for all (standing_notes), with the units.
        self._standing = [
            (d, heading_text(c.section_path[-1]) if c.section_path else "", found.group(0), found.group(1))
            for d in index.documents
            for c in d.clauses
            for found in _STANDING_NOTE.finditer(c.text)
        ]
        # The places each document is about (its issuer's city): a question naming them asks about no "other place"
        # when that document answers. (A document whose issuer and titles name no place — a stored copy without its
        # masthead — is about the places its opening paragraph names: "结合淮安实际".)
        self._home_places = {
            d.doc_id: set(
                place_names((d.issuer or "") + (d.plan_title or ""))
                or place_names(d.title + (d.clauses[0].text[:200] if d.clauses else ""))
            )
            for d in index.documents
        }

    def _find_units(self, text: str) -> tuple[str, ...]:
        """The units a text names, by any alias the ledger knows (市发改委, 中国人民银行…), as the notes spell them."""
        ledger = self.index.ledger
        named = list(unit_mentions(text, self.corpus.units))
        seen = {ledger.resolve_unit(raw).name for raw in named}
        for unit in ledger.mentions(text):
            if unit.name not in seen:  # one spelling per unit
                seen.add(unit.name)
                spelled = (r for r in self.corpus.units if ledger.resolve_unit(r).name == unit.name)
                named.append(next(spelled, unit.name))
        return tuple(named)

    def _known_doc_no(self, doc_no: str) -> str:
        """Map a 文号 found in a question onto an indexed one it ends with (a pattern may sweep up a word), or onto the
        one indexed 文号 that ends with it (国务院令第238号 names 中华人民共和国国务院令第238号)."""
        if doc_no in self.index.doc_by_no:
            return doc_no
        swept = next((known for known in self.index.doc_by_no if doc_no.endswith(known)), None)
        longer = [known for known in self.index.doc_by_no if known.endswith(doc_no)]
        if swept or len(longer) == 1:
            return swept or longer[0]
        # an order's issuer said another way: 石家庄市政府令第184号 for the printed 石家庄人民政府令第184号
        bare = _ISSUER_WORDS.sub("", doc_no)
        loose = [known for known in self.index.doc_by_no if _ISSUER_WORDS.sub("", known) == bare]
        return loose[0] if len(loose) == 1 else doc_no

    def named_documents(self, question: Question, *, every: bool = False) -> list[str]:
        """Documents the question names: by 文号, else by the key terms of their titles (the most specific match, or
        `every` document named)."""
        by_no = [d.doc_id for d in self.index.documents if d.doc_no in question.doc_nos]
        text = DOC_NO_ANY.sub(" ", question.text)
        for unit in question.named_units:  # a unit's name is no title word (市生态环境局 names no 生态环境规划)
            text = text.replace(unit, " ").replace(without_city_prefix(unit), " ")
        for phrase in self.index.ledger.references:  # nor is a note's generic phrase ("重点领域牵头单位")
            text = text.replace(phrase, " ")
        scores = {
            doc_id: max((common_run(text, t) for t in terms if t in self.corpus.title_terms), default=0)
            for doc_id, terms in self._title_terms.items()
        }
        scores = {doc_id: score if score >= _MIN_TITLE_RUN else 0 for doc_id, score in scores.items()}
        if not any(scores.values()):
            scores = dict.fromkeys(self._shortened_title(text), _MIN_TITLE_RUN)
        if every:
            return list(dict.fromkeys(by_no + [doc_id for doc_id, score in scores.items() if score]))
        if by_no:
            return by_no
        best = max(scores.values(), default=0)
        return [doc_id for doc_id, score in scores.items() if best and score == best]

    def _shortened_title(self, text: str) -> list[str]:
        """The document a question names by a shortened title — a few of the title's characters, in order, before
        its kind ("气象实施方案" for "…《气象高质量发展纲要…》实施方案"): the longest such phrase fitting one
        title."""
        for found in _DOCUMENT_KIND.finditer(text):
            before = text[: found.start()]
            for start in range(max(0, len(before) - _MAX_SHORT_TITLE), len(before) - 1):
                if len(_GENERIC_TITLE_WORDS.sub("", before[start:])) < 2:
                    break  # "实施方案" alone names no document
                phrase = before[start:] + found.group(0)
                fits = [d for d, title in self._compact_titles.items() if _in_order(phrase, title)]
                if len(fits) == 1:
                    return fits
                if fits:
                    break  # shorter phrases fit more titles, never fewer
        return []

    def _scope(self, record: Record, basis: bool = True) -> str:
        """What a record speaks for: its text, its section and document titles, the documents it rests on (unless
        basis is False)."""
        document = self.index.doc_by_id[record.doc_id]
        if basis:
            cited = "".join(b.title + (b.doc_no or "") for b in document.basis)
            titles = (document.plan_title or "", document.title, cited)
            return _periods_short("".join((record.text, record.context, *titles)))
        text = record.text
        for b in document.basis:  # a document card lists them too
            text = text.replace(b.title, "")
        return _periods_short("".join((text, record.context, document.plan_title or "", document.title)))

    def _places_of(self, record: Record, scope: str) -> str:
        """Where a record's places may be named: its scope and its document's opening (the masthead 鞍山市立山区人民政府
        文件 places a district's document in its city)."""
        return scope + self.index.doc_by_id[record.doc_id].header_text

    def names(self, question: Question, hit: Hit) -> bool:
        """Does the hit's clause hold a thing the question names in its document's words (_named_runs)?"""
        record = self.index.records[hit.record]
        if record.kind == "header" or question.intent.needs_units:
            return False
        text = compact(record.text)
        return any(named in text for named in self._named_runs(question.text, record.doc_id))

    def _named_runs(self, text: str, doc_id: str) -> tuple[str, ...]:
        """The longest runs of a question's characters (at least policy.named_run; several of one length) that stand
        in a clause of the document: a thing the question names by the document's own words ("公共机构节能管理办法"),
        one of which a clause of that document must hold to answer."""
        n = self.policy.named_run
        if not n:
            return ()
        key = (text, doc_id)
        if key in self._runs:
            return self._runs[key]
        within = self._doc_text[doc_id]
        title = self.titles.get(doc_id, "")
        best: list[str] = []
        for part in _NOT_A_NAME.split(compact(text)):
            for size in range(len(part), max(n, len(best[0]) if best else 0) - 1, -1):
                found = [r for r in (part[i : i + size] for i in range(len(part) - size + 1)) if r in within]
                if found:
                    best = found if not best or size > len(best[0]) else best + found
                    break
        if len(self._runs) >= _RUNS_KEPT:
            self._runs.clear()
        # a run naming the document itself — its kind of document, and its title's words but for a particle:
        # "森林防火禁火通告" — names no thing in it
        self._runs[key] = tuple(
            dict.fromkeys(
                r for r in best if not (_DOCUMENT_KIND.search(r) and common_run(r, title) >= len(r) - _TITLE_SLACK)
            )
        )
        return self._runs[key]

    def _periods_asked(self, question: Question, record: Record) -> set[str]:
        """The five-year periods a question is about: those it names, else its document's own ("十四五" of the plan's
        title) when it asks what is to be done ("要淘汰多大的锅炉"), not what was done ("以前拆了多少") or is so
        ("条例是哪天施行的")."""
        named = set(_PLAN_PERIOD.findall(question.text))
        if named or _PAST.search(question.text) or not _AHEAD.search(question.text):
            return named
        document = self.index.doc_by_id[record.doc_id]
        return set(_PLAN_PERIOD.findall(_periods_short(document.plan_title or document.title)))

    def _years_missing(self, question: Question, record: Record, scope: str) -> list[int]:
        """The years a question names that the evidence does not cover. A year written next to the document's issuer
        ("1978年交通部的办法", "铁道部1990年的规定") names the document by when it was issued, not its content; so does
        the year of a document whose issuer the copy lost (the year of its date or 文号: "平顶山市2013年重点工作"),
        and a year said before the words of its title ("湖北2018年优化营商环境的意见")."""
        document = self.index.doc_by_id[record.doc_id]
        # (a copy without date or 文号 is of the year its title names: "2021年区政府工作报告重点工作责任分工")
        titled_year = re.search(r"(?:19|20)\d{2}(?=年)", document.title + (document.plan_title or ""))
        issued = str(document.year or (titled_year.group() if titled_year else ""))
        # an issuer as printed or as said: without 人民 ("江西省政府2010年那次"), by its place ("吉安2003年出的")
        said = {v for n in document.issuers if len(n) >= 2 for v in (n, n.replace("人民", ""), *_issuer_place(n))}
        names = [re.escape(v) for v in sorted(said)]

        def names_the_issue(y: int) -> bool:
            beside = (rf"{n}.{{0,2}}{y}|{y}年?.{{0,2}}{n}" for n in names)
            said_beside = any(re.search(pattern, question.text) for pattern in beside)
            # or said before the words of its title ("湖北2018年优化营商环境的意见", "襄阳市2018年出的…实施方案")
            after = (question.text[m.end() : m.end() + _TITLE_WINDOW] for m in re.finditer(rf"{y}年?", question.text))
            titled = any(common_run(words, document.title) >= _MIN_TITLE_RUN for words in after)
            # a document whose copy gives no year may be of the year said before its title's words; one that gives
            # neither its year nor its issuer, of any year (as of any place)
            return (str(y) == issued and (not names or titled or said_beside)) or (not issued and (titled or not names))

        # the documents it rests on name their own periods (《…规划（2018-2035）》): they state no target of this one
        basis = "".join(b.title + (b.doc_no or "") for b in document.basis)
        own = (scope.replace(basis, "") if basis else scope) + self._lead_ins(record)
        return [y for y in question.years if str(y) not in own and not names_the_issue(y)]

    def _openings(self, record: Record, *, preamble: bool = True) -> list[str]:
        """The opening paragraphs around a record: of its document (its preamble, unless not preamble) and of each
        section it stands in, outermost first, its own text left out."""
        path = record.section.split(" > ")
        sections = [" > ".join(path[:depth]) for depth in range(1, len(path) + 1)]
        if preamble and record.section != PREAMBLE_SECTION:
            sections.insert(0, PREAMBLE_SECTION)
        texts = []
        for section in sections:
            at = self._own_record.get((record.doc_id, section))
            if at is not None and self.index.records[at] is not record:
                texts.append(self.index.records[at].text.rstrip())
        return texts

    def _lead_ins(self, record: Record) -> str:
        """The openings that hold for a record: those ending in a colon ("现就2013年……提出责任分工意见如下：",
        "到2025年，全市主要指标如下：") or opening with the year they aim at ("到2020年，全面建成……" over the targets
        that follow)."""
        # (a record setting its own year's target keeps it: "到2035年，…" after "到2025年，…")
        own_year = _YEARS.search(record.text) is not None
        return "".join(
            t for t in self._openings(record) if t.endswith(("：", ":")) or (_AIMS_AT_YEAR.match(t) and not own_year)
        )

    def rank_sentences(
        self, question: Question, hit: Hit, query_vector: np.ndarray, terms: dict[str, float]
    ) -> list[tuple[float, str]]:
        """The clause's sentences, best answer first: closeness of the sentence's vector to the question's, the share of
        the question's terms it holds, and whether it holds the value the question asks for."""
        rows = self.index.record_sentence_rows.get(hit.record, [])
        rest = [r for r in rows[1:] if not is_note_sentence(self.index.sentence_texts[r])]
        first = self.index.sentence_texts[rows[0]] if rows else ""
        heading = heading_text(self.index.records[hit.record].section.rsplit(" > ", 1)[-1])
        restated = heading[:_HEADING_START] in first and not _beyond(first, heading)
        if rest and match_heading(first) is not None and restated:
            # an item's heading sentence restates the question, not the answer — unless all that follows is its note
            # ("10.每年招引亿元以上制造业项目100个。" over "责任单位：…"); a numbered paragraph of a notice that heads
            # no section of its own ("二、责任分解中，列第一位的责任单位为牵头单位。…") says something, and so does a
            # sentence going on past its heading ("1.抓好…重点项目，总投资1906.4亿元")
            rows = rows[1:]
        if not rows:
            return []
        p = self.policy
        precise = question.precise_when()
        sims = self.index.sentence_vectors[rows] @ query_vector
        idf = self.index.bm25.term_idf
        total = sum(w * idf(t) for t, w in terms.items()) or 1.0
        out = []
        said_year = ""  # a year holds for the sentences after it that name none ("到2025年，…。管网漏损率低于10%。")
        for row, sim in zip(rows, sims, strict=True):
            text = self.index.sentence_texts[row]
            year = _YEARS.search(text)
            said_year = year.group(0) if year else said_year
            lowered = text.lower()
            share = sum(w * idf(t) for t, w in terms.items() if t in lowered) / total
            holds = self.holds_value(question, text) or (
                question.intent.needs_units and self._names_a_body(text)  # a who-question: who does it
            )
            if holds and precise is not None:  # "哪天", "最晚": a day or a limit, not a year standing for the context
                holds = precise.search(text) is not None
            own = [f for f in re.findall(r"\d+(?:\.\d+)?%?", question.text)]
            if question.intent.name == "deadline":  # a when-question's year is its context, not the answer
                own = [f for f in own if not re.fullmatch(r"(19|20)\d\d", f)]
            echoes = all(f in text + said_year for f in own) if own else False  # the question's own years and figures
            score = float(sim) + p.sentence_term_weight * share + p.sentence_value_bonus * (holds + echoes)
            out.append((score, text))
        out.sort(key=lambda pair: -pair[0])
        return out

    @staticmethod
    def states_now(question: Question, sentence: str) -> bool:
        """Does the sentence state the asked value as it stands, for a question asking how things are now ("现在的比例是
        多少" against "比例从2010年的3.49%提高到2020年的9.5%"): the value with the year it was reached, no target."""
        return (
            _CURRENT.search(question.text) is not None
            and not _AHEAD.search(question.text)
            and not question.years
            and any(v.holds is not None and v.holds.search(sentence) for v in question.asks)
            and _YEARS.search(sentence) is not None
            and not _TARGET.search(sentence)
        )

    @staticmethod
    def holds_value(question: Question, text: str) -> bool:
        """Does text hold the value the question asks for (ASKED_VALUES, or the figure or date its intent needs)?"""
        needed = question.value_needed()
        if needed is DATE_VALUE:  # the year the question names itself is no answer to when ("2020年…多久报一次")
            text = re.sub("|".join(f"{y}\\s*年" for y in question.years), "", text) if question.years else text
        return any(v.holds is not None and v.holds.search(text) for v in question.asks) or bool(
            needed and needed.search(text)
        )

    def also_asked(self, question: Question, hit: Hit, query_vector: np.ndarray, terms: dict[str, float]) -> list[str]:
        """For each other part of a who-question asking a value, the clause's best sentence holding that value."""
        found = []
        clause = self.index.clause_by_id.get(self.index.records[hit.record].chunk_id)
        for part in question.also:
            if part.intent.name == "deadline" and clause is not None and clause.deadline:
                found.append(f"完成时限：{clause.deadline}")  # the note's own 完成时限 (a note line is no sentence)
                continue
            own = {t: w for t, w in terms.items() if t in part.text.lower()} or terms  # the part's own terms
            ranked = self.rank_sentences(part, hit, query_vector, own)
            counts = any(v.name == "count" for v in part.asks)  # "多少万亩": a count in the question's measure
            holding = (s for _, s in ranked if self.holds_value(part, s) or (counts and counted_value(part.text, s)))
            sentence = next((s for s in holding if not is_note_sentence(s)), None)
            if sentence is not None and sentence not in found:
                found.append(sentence)
        return found

    def missing_value(self, question: Question, record: Record, sentences: list[str] | None = None) -> str | None:
        """The reason this evidence cannot answer what the question asks for (its intent's evidence, an asked value,
        a needed figure or date), or None."""
        clause = self.index.clause_by_id.get(record.chunk_id)
        in_force = {"in_force": IN_FORCE_VALUE, "expires": EXPIRY_VALUE}.get(question.meta_field or "")
        if record.kind == "header" or clause is None:
            # a document card answers what the document is, not a figure, date or unit; when it takes effect or
            # ceases to only if its record says
            if in_force is not None:
                document = self.index.doc_by_id[record.doc_id]
                known = document.expires if question.meta_field == "expires" else document.in_force
                return None if known else "文件信息中没有所问的内容"
            return None if question.kind in ("meta", "content") and not question.asks else "文件信息中没有所问的内容"
        if in_force is not None and not in_force.search(record.text):
            return "相关条款没有给出" + ("废止日期" if question.meta_field == "expires" else "施行日期")
        if question.intent.needs_units and not (clause.lead_units or clause.responsible_units):
            # a count of units asked ("涉及几个牵头单位") is answered by a text stating it ("涉及34个牵头单位")
            counts = _COUNTS_UNITS.search(question.text) is not None and counted_value(question.text, record.text)
            if question.intent.name != "unit_tasks" and not self._names_a_body(record.text) and not counts:
                return "相关条款没有写明牵头或责任单位"
        current = _CURRENT.search(question.text) is not None and not _AHEAD.search(question.text)
        if record.kind == "table_row":
            # an indicator row holds a figure: not a place, a name, a contact or a list
            other = next((v for v in question.asks if v.name not in _ROW_VALUES), None)
            if other is not None:
                return f"指标表没有给出{other.label}"
            return self._missing_table_value(
                question,
                clause,
                wants_number=any(v.name in ("count", "share", "money") for v in question.asks),
                current=current,
            )
        body = record.text
        # An asked-for figure must stand in the sentences the reply is made of, when they are known.
        values = (
            "".join(sentences[: 2 if question.intent.name == "content" else 1])
            if sentences
            else self._value_text(record)
        )
        for value in question.asks:
            if value.name == "place":
                if not self._names_new_place(question, body, record.doc_id):
                    return f"相关条款没有给出具体的{value.label}"
            elif value.name == "count":
                if not counted_value(question.text, values):
                    return f"相关条款没有给出具体的{value.label}"
            elif value.name == "items":
                if not self._has_list(question, body):
                    return f"相关条款没有列出{value.label}"
            elif value.name == "share_of_work":
                if not self._states_share(question, clause):
                    return f"相关条款没有写明{value.label}"
            elif value.name == "breakdown":
                if not _breaks_down(body):
                    return f"相关条款没有给出{value.label}"
            elif value.holds is not None and not value.holds.search(values):
                return f"相关条款没有给出具体的{value.label}"
        needed = question.value_needed()
        if needed is not None:
            if question.intent.name == "deadline" and clause.deadline:
                return None
            text = self._value_text(record)
            # a year, a period or an ordinal is no figure of "多少" (2025年《政府工作报告》, 第39次常务会议)
            if needed is not DATE_VALUE:
                text = _ORDINAL.sub("", _YEARS.sub("", text))
            if not needed.search(text):
                return "相关条款没有给出具体的" + ("时间" if needed is DATE_VALUE else "数字")
            if needed is DATE_VALUE:
                undated = self._undated_named(question, record)
                if undated is not None:  # "推进X节能改造。推进…改造，到2025年…": the year is another task's
                    return f"相关条款没有给出“{undated}”的时间"
            if needed is DATE_VALUE and question.asks_day() and not STATES_DAY.search(text):
                return "相关条款没有给出具体的日期"  # "从哪天起": a year or a period gives no day
        if current and not question.years and (question.intent.name == "figure" or question.asks) and sentences:
            # "现在的森林覆盖率是多少" is not answered by the figure a plan sets for its end ("到2025年…达到18.36%")
            said = sentences[0]
            if _TARGET.search(said) or (_TARGET_SECTION.search(record.section) and not _YEARS.search(said)):
                return "相关条款给出的是目标值，没有给出现状"
        return None

    def _undated_named(self, question: Question, record: Record) -> str | None:
        """A thing the question names in the document's words (_named_runs) that stands in one sentence of the clause,
        a sentence giving no date (nor does the clause's heading): the clause's dates are other tasks'."""
        sentences = [compact(s) for s in split_sentences(record.text)]
        if not sentences or DATE_VALUE.search(sentences[0]):
            return None
        for run in self._named_runs(question.text, record.doc_id):
            if self._find_units(run):  # a unit the question names is who does it, not the task
                continue
            naming = [k for k, s in enumerate(sentences) if run in s and not is_note_sentence(s)]
            if len(naming) == 1 and naming[0] > 0 and not DATE_VALUE.search(sentences[naming[0]]):
                return run
        return None

    def _states_share(self, question: Question, clause: Clause) -> bool:
        """Does a clause name the question's unit outside its responsibility note — with a part of its own ("市商务局
        负责…") — rather than only among the units the note gives the whole task to?"""
        resolve = self.index.ledger.resolve_unit
        asked = {resolve(u).name for u in self._find_units(question.text)}
        own_text = clause.text.replace(clause.note, "") if clause.note else clause.text
        return not asked or any(resolve(u).name in asked for u in self._find_units(own_text))

    @staticmethod
    def _missing_table_value(
        question: Question, clause: Clause, *, wants_number: bool, current: bool = False
    ) -> str | None:
        """An indicator row answers unless the period asked for is left blank ("—") in the table — the first period
        when the question asks how things stand now —, or a question asking how much meets a row that states no
        number for any period (no number at all, in a table without periods), or one asking a sum a row with no amount
        in it."""
        cells = dict(clause.table.cells if clause.table else ())
        periods = [v for k, v in cells.items() if re.search(r"\d{4}", k)]
        # (a task table with no period columns: the number stands in its task's words, "不少于100场", or nowhere)
        stated = periods or [v for k, v in cells.items() if k not in ("序号", "编号")]
        if wants_number and not any(re.search(r"\d", v) for v in stated):
            return "指标表没有给出具体数值"
        money = next((v for v in question.asks if v.name == "money"), None)
        change = re.search(r"(增长|下降|提高|降低|增幅|降幅)[^，。？?]{0,3}(多少|几)", question.text)
        if money is not None and money.holds is not None and not change:  # (a sum's growth is a share of it)
            # a sum asked: an amount in a cell, or a number under a column of money ("投资（万元）"), not "210个"
            in_money_column = any(re.search(r"\d", v) for k, v in cells.items() if re.search(r"元|资金|投资|经费", k))
            if not in_money_column and not any(money.holds.search(v) for v in cells.values()):
                return "指标表没有给出金额"
        if current and not question.years and periods and periods[0].strip(" —-－") == "":
            return "指标表没有给出现状值"
        for year in question.years:
            value = next((v for k, v in cells.items() if str(year) in k), None)
            if value is not None and value.strip(" —-－") == "":
                return f"指标表没有给出{year}年的数值"
        return None

    def coordinator(self, question: Question, hits: list[Hit]) -> int | None:
        """Who leads a document's work as a whole ("提高科学素质这个事是哪个单位牵头张罗？"): the record naming who
        coordinates it, when the first hit has no responsibility note and the question names none of the document's
        tasks by its heading nor does the first hit say who does it ("市、县政府统筹落实所需经费")."""
        first = hits[0]
        at = self._coordinator.get(first.doc_id)
        if at is None or at == first.record or self.has_units[first.record] or _COUNTS_UNITS.search(question.text):
            return None  # (a count of the lead units is no question of who coordinates)
        text = self.index.records[first.record].text
        # a clause saying what the 领导小组 does names no unit: the one holding the group's office coordinates
        if self._names_a_body(text) and self._names_a_body(text.replace("领导小组", "")):
            return None
        headings = self._headings.get(first.doc_id, set())
        if any(common_run(question.text, h) >= _TASK_HEADING_RUN for h in headings if len(h) >= _TASK_HEADING_RUN):
            return None
        return at

    def outline(self, question: Question, hits: list[Hit]) -> tuple[str, list[str], int] | None:
        """Items asked of a part of a document that its subsections name ("科学素质提升行动分别面向哪几类人群？" under
        "三、实施科学素质提升行动" > "（一）青少年科学素质提升行动", "（二）产业工人…"): that part's heading, its
        subsections' headings, and the record to cite (the part's own opening paragraph, else its first subsection's).
        The part is the one of the first hits' documents whose heading shares the longest run of characters with the
        question (at least _OUTLINE_RUN)."""
        if any(v.name != "items" for v in question.asks):
            return None  # a name, a number, a phone asked besides: not the parts' headings
        best: tuple[int, str, str] | None = None
        for doc in dict.fromkeys(h.doc_id for h in hits[:3]):
            for section, children in self._subsections.get(doc, {}).items():
                if len(children) < 2:
                    continue
                # the document's own title words name no part of it
                asked = without_common_runs(question.text, self.titles.get(doc, ""))
                shared = common_text(asked, heading_text(section.rsplit(" > ", 1)[-1]))
                if len(shared) < _OUTLINE_RUN:
                    continue
                if any(common_run(asked, heading_text(c)) > len(shared) for c in children):
                    continue  # the question names one of the subsections
                if best is None or len(shared) > best[0]:
                    best = (len(shared), doc, section)
        if best is None:
            return None
        _, doc, section = best
        children = self._subsections[doc][section]
        cited = self._own_record.get((doc, section), next(iter(children.values())))
        return section.rsplit(" > ", 1)[-1], [heading_text(c) for c in children], cited

    def unknown_unit(self, question: Question) -> str | None:
        """A body the question names by a unit's shape (市民政局, 团市委; a place of the corpus's issuers before a
        bureau's or customs' name: 示例海关, 示例市民政局) that no document of the corpus mentions."""
        shaped = [(m.group(0), "") for m in UNIT_SHAPE.finditer(question.text)]
        if self._placed_body is not None:  # the body after the place: 淮安市人社局 where the text says 市人社局
            shaped += [(m.group(0), m.group(1)) for m in self._placed_body.finditer(question.text)]
        asked = without_introduction(question.text)  # "县发改局同事问：…" names who asks, not what is asked about
        for name, body in shaped:
            if name not in asked:
                continue
            if compact(name) in self._compact_text or self.index.ledger.resolve_unit(name).name is not None:
                continue
            if len(body) >= 3 and compact(body) in self._compact_text:
                continue
            if not any(name in u or u in name for u in question.named_units):
                return name
        return None

    def unit_outside_document(self, question: Question) -> tuple[str, str] | None:
        """(unit, title) when a question asks about a unit's part in the one document it names, and that document
        never names the unit under any of its names ("海事局在盘活方案里负责哪块"): the document says nothing of it."""
        if question.intent.kind == "units":  # "海事局是不是责任单位": no, and the reply says so
            return None
        named = self.named_documents(question)
        asked = without_introduction(question.text)
        units = self.index.ledger.mentions(asked)
        if len(named) != 1 or not units or not DUTIES.search(asked):  # asked about its part in it, not its interest
            return None
        unit, document = units[0], self.index.doc_by_id[named[0]]
        names = [compact(n) for n in (unit.name, *unit.aliases, *unit.spellings)]
        if any(short_issuer(n) in self._issuers for n in names):
            return None  # an issuing office: what it does is said of the documents it issues
        within = self._doc_text[named[0]] + compact(document.title)
        if any(n in within for n in names):
            return None
        return unit.name, document.display_title

    def _names_a_body(self, text: str) -> bool:
        """Does a clause without a responsibility note still say who does it (a unit of the corpus, a 领导小组,
        "由省财政
        承担", "县长主持")?"""
        return any(u in text for u in self.corpus.units) or bool(_SAYS_WHO.search(text))

    def _value_text(self, record: Record) -> str:
        """Where a figure may stand: the clause without its item number ("16.") and its responsibility note, and
        without the titles and 文号 of the documents it cites (国发〔2000〕23号 states no figure of its own)."""
        rows = self.index.record_sentence_rows.get(self.index.record_by_id.get(record.chunk_id, -1), [])
        text = "".join(self.index.sentence_texts[r] for r in rows) or record.text
        text = DOC_NO_ANY.sub("", re.sub(r"《[^》]*》", "", text))
        return _ITEM_NUMBER.sub("", text)

    def _names_new_place(self, question: Question, text: str, doc_id: str) -> bool:
        """Does text name a particular place the question does not (a county, a port), beyond its document's city?"""
        home = self._home_places[doc_id]
        return any(
            len(w) >= 2
            and w not in question.text
            and w not in GENERIC_PLACES
            and w[0] not in "各全本该"
            and not any(h in w for h in home)
            and (re.search(r"(省|市|县|区|旗|州|乡|镇|村|街道|港|湾)$", w) is not None or self._corpus_place(w))
            for w in place_words(text)
        )

    @staticmethod
    def _has_list(question: Question, text: str) -> bool:
        """Does text list the items asked for (as many as the question says, "哪四个方面")? When the question quotes
        a term ("“四个短板”具体指…"), the list must stand next to that term in its sentence: after it, or in the comma
        part that leads up to it ("依靠A、B、C等，打造“最美海岸线”"). When it names what is listed ("哪些渠道") and the
        text uses that word, the list stands in the comma part naming it ("A、B、C等渠道"); and in the sentence that
        names what the question is about, when one does."""
        size = list_size(question.text)
        want = size or 2
        head = list_head(question.text)
        head = head if head is not None and head in text else None  # the text may call them otherwise (渠道 ~ 媒体)
        sentences = re.split(r"[。；]", text)
        anchors = question.quoted
        if anchors and all(q in sentences[0] for q in anchors) and len(sentences[0]) <= sum(map(len, anchors)) + 4:
            anchors = ()  # the quote is the clause's own heading (“坚持高效便利”原则下…哪些): its list stands anywhere
        # The sentence naming what the question is about ("清单里有哪些项目" ~ "设立…重点项目清单"), when there is one,
        # holds the list: a list of something else further on does not answer.
        # (a clause's own heading — "（七）房地产领域" — names what the whole clause lists)
        about = [s for s in sentences if common_run(question.text, s) >= _MIN_TITLE_RUN and match_heading(s) is None]
        for sentence in about or sentences:
            if not all(q in sentence for q in anchors):
                continue
            named = _NAMES_ITEMS.search(sentence)  # "…三个良好机制，即A，B，C": as many comma parts as asked for
            if named and size and sum(1 <= len(p) <= _ITEM_CHARS for p in re.split(r"[，,]", named.group(1))) >= size:
                return True
            if anchors:  # the list must follow the quoted term: its own comma segment, or the next one
                after = sentence[max(sentence.find(q) + len(q) for q in anchors) :]
                segments = re.split(r"[，,]", after)
                candidates = segments[:2] if len(re.findall(r"[\u4e00-\u9fff]", segments[0])) < 2 else segments[:1]
                before = re.split(r"[，,]", sentence[: min(sentence.find(q) for q in anchors)])
                candidates += before[-2:]
            else:  # the comma parts that name what is listed ("A、B、C等渠道"), when the question says what
                candidates = [part for part in re.split(r"[，,]", sentence) if head is None or head in part]
            for part in candidates:
                items = [p for p in re.split(r"、|和|及|与", part) if p.strip("”“：: ")] if "、" in part else []
                if any(_ITEM_IS_A_CLAUSE.search(item) for item in items):
                    items = []  # "各地区、各部门要落实责任单位和责任人": subjects of a sentence, no list of things
                quoted = re.findall(r"“[^”]{2,}”", part)  # “A”“B”的理念
                # two things joined by 、 are a list when introduced as one ("首批包括A、B") or when two are asked for;
                # prose pairs them all the time ("采取约谈、问责等方式")
                listed = len(items) >= max(want, 3) or (
                    len(items) >= want and (size is not None or _INTRODUCES_LIST.search(part) is not None)
                )
                if listed or len(quoted) >= max(want, 2) or re.search(r"一是.{2,}二是", part):
                    return True
        return False

    def unsupported_reason(
        self, question: Question, best: Hit | None, sentences: list[str] | None = None
    ) -> str | None:
        """The targeted checks: why the best evidence cannot answer the question, or None when none applies."""
        if best is None:
            return "没有检索到相关条款"
        missing = [d for d in question.doc_nos if d not in self.index.doc_by_no]
        if missing:
            return f"未收录文号为{missing[0]}的文件"
        unknown = self.unknown_unit(question)
        if unknown:
            return f"已收录的文件中没有提到{unknown}"
        outside = self.unit_outside_document(question)
        if outside:
            return f"《{outside[1]}》中没有提到{outside[0]}"
        record = self.index.records[best.record]
        scope = self._scope(record)
        # a document's card answers for the document, not for the upper-level ones it cites: a place only their titles
        # name ("辽宁省…方案是哪天印发的") asks about one of those
        of_card = record.kind == "header" and question.intent.name != "basis"
        places = self._scope(record, basis=False) if of_card else scope
        place = self._missing_place(question, self._places_of(record, places), record.doc_id)
        if place:
            return (
                f"已收录的文件中没有关于{place}的内容" if place not in self._corpus_text else f"相关条款没有提到{place}"
            )
        code = next((c for c in question.codes if not _mentions(scope, c)), None)
        if code:
            return f"相关条款没有提到{code}"
        quoted = question.quoted_missing(scope)
        if quoted and record.kind != "header":
            return f"相关条款没有提到“{quoted}”"
        choices = question.alternatives
        if (
            choices
            and record.kind != "header"
            and (any(c in self._corpus_text for c in choices) or all(_AMOUNT.search(c) for c in choices))
            and not any(c in scope for c in choices)
        ):  # "定的是北镇还是黑山", "每半年一次还是一年一次": a clause naming neither does not say which
            return f"相关条款没有提到{choices[0]}或{choices[1]}"
        if (
            record.kind == "header"
            and question.kind == "meta"
            and not question.doc_nos
            and record.doc_id not in self.named_documents(question)
        ):
            if self._title_coverage(question, record.doc_id) < self.policy.min_title_coverage:
                return "没有找到题目相符的文件"
        sibling = (
            self._sibling_term(question, record.text) or self._other_row_term(question, record)
            if record.kind == "table_row"
            else None
        )
        if sibling is not None:
            return f"相关条款说的是{sibling[1]}，没有提到{sibling[0]}"
        # a value asked of a thing named in the document's words stands in the clause naming it; who does it may be
        # said for the whole document (its coordinator)
        asks_value = record.kind != "header" and not question.intent.needs_units
        named = self._named_runs(question.text, record.doc_id) if asks_value else ()
        # (an item is named by the words of the heading paragraph it stands under: "二、…新建中小学标准化食堂100所" over
        # "（四）以农村中小学为重点，新建标准化食堂100所"; a document whose copy lost its title, by its preamble's
        # words, which say what it is about: "县人民政府决定…实施烟花爆竹禁燃禁放工作")
        untitled = not self.index.doc_by_id[record.doc_id].title
        if named and not any(n in compact(scope + "".join(self._openings(record, preamble=untitled))) for n in named):
            return f"相关条款没有提到“{named[0]}”"
        absent_years = self._years_missing(question, record, scope)
        if absent_years:
            return f"文件中没有{absent_years[0]}年的相关内容"
        asked = self._periods_asked(question, record)
        spoken = set(_PLAN_PERIOD.findall(record.section))
        if asked and spoken and not asked & spoken:  # "十四五要种多少亩树" is not answered by the 十三五 review
            return f"相关条款说的是“{min(spoken)}”时期，没有提到“{min(asked)}”"
        return self.missing_value(question, record, sentences)

    def _sibling_term(self, question: Question, text: str) -> tuple[str, str] | None:
        """A term of the question (three or more characters) that an indicator row lacks while it names a sibling of the
        same length one character apart (二氧化硫 ~ 二氧化碳, 地下水 ~ 地表水): the row is about the sibling.
        (Measured on
        clauses too: there a question's paraphrase — 发文日期 ~ 成文日期 — is as often one character apart.)"""
        asked = {
            t
            for t in self.index.segmenter.tokens(question.text)
            if len(t) >= 3 and re.fullmatch(r"[\u4e00-\u9fff]+", t)
        }
        asked = {t for t in asked if t not in text}
        if not asked:
            return None
        words = set(self.index.segmenter.tokens(text))
        for term in sorted(asked):
            for word in words:
                if len(word) == len(term) and sum(a != b for a, b in zip(word, term, strict=True)) == 1:
                    return term, word
        return None

    def _other_row_term(self, question: Question, record: Record) -> tuple[str, str] | None:
        """Another indicator of the row's table (one with a column for each period) that the question names by its
        whole name, while not this row's ("森林覆盖率2020年是多少" meeting the row of 受污染耕地安全利用率): that row,
        not this one, is the one asked about."""
        clause = self.index.clause_by_id.get(record.chunk_id)
        if clause is None or clause.table is None or not any(re.search(r"\d{4}", k) for k, _ in clause.table.cells):
            return None  # (a task table's rows are tasks, not indicators)
        asked = compact(question.text)
        own = _indicator_name(record.text)
        if own in asked:
            return None
        named = self._indicator_names.get((record.doc_id, clause.table.table_title), [])
        other = next((n for n in named if len(n) >= 3 and n in asked and n not in own), None)
        return (other, own) if other else None

    def _missing_place(self, question: Question, scope: str, doc_id: str) -> str | None:
        """A place the question names that the evidence does not: the question is about another place. A word jieba
        merely tags as a place ("河里") counts only when written with an administrative suffix, in the question or in
        the corpus. A document whose issuer the copy lost (its 文号 and text only), or names by its level alone
        ("省人民政府"), may be of any place."""
        if not _issuer_place(self.index.doc_by_id[doc_id].issuer or ""):
            return None
        home = self._home_places[doc_id]
        named: list[str] = []
        for place in self._issuer_places:  # an issuer's place is a place whatever jieba tags it ("沁县", "谯城区")
            if place in question.text and not any(place in n for n in named):
                named.append(place)
                if place not in home and place not in scope:
                    return place
        for place in question.places:
            if place[0] in "各全本我该外省市县区" or place in home or place in scope:
                continue
            if re.search(rf"{re.escape(place)}[市县区]", question.text) and place[-1] in "市县区":
                continue  # a split of two generic words ("全市和县区" → 和县), not a name
            suffixed = re.compile(rf"{re.escape(place)}(市|省|县|区|州|镇|乡|村)")
            if suffixed.search(question.text) or self._corpus_place(place):
                if self._every_county_task(question, place, scope, doc_id):
                    continue
                return place
        return None

    def _every_county_task(self, question: Question, place: str, scope: str, doc_id: str) -> bool:
        """Is a county the question names (one named by its document or another about the same city: 北河县 in a 示例市
        document) given the task with every county ("各县（市）区要…")? Its task, its deadline, but not its figure: a
        city's target is no county's share of it."""
        figure = question.intent.name in ("figure", "table") or any(
            v.name in ("count", "share", "money", "breakdown", "items", "place") for v in question.asks
        )
        county = re.search(rf"{re.escape(place)}[市县区旗]?", question.text)
        duty = question.intent.name == "deadline" or DUTIES.search(question.text) or "落实" in question.text
        return bool(
            duty
            and not figure
            and county is not None
            and county.group(0)[-1] in "市县区旗"
            and _EVERY_COUNTY.search(scope) is not None
            and any(
                (d == doc_id or self._home_places[d] & self._home_places[doc_id]) and place in text
                for d, text in self._doc_text.items()
            )
        )

    def _corpus_place(self, place: str) -> bool:
        """Does the corpus write this word as a place, with its administrative suffix ("凌海市", not "城市区域"), or as
        the county its name already is ("义县")?"""
        # a county's name ending in its own suffix ("义县") stands as it is (not a word such as 城市, 新区, 乡镇)
        suffix = "?" if place[-1] in "县旗" else ""
        for m in re.finditer(rf"{re.escape(place)}(市|省|县|区|州|镇|乡|村){suffix}", self._corpus_text):
            window = self._corpus_text[max(0, m.start() - 3) : m.end() + 3]
            if m.group(0) in place_words(window):
                return True
        return False

    def _title_coverage(self, question: Question, doc_id: str) -> float:
        """Share of the question's own words (document-question words aside) found in a document's title, or in the
        name of its issuer when the question names the document as "<issuer>关于…的通知"."""
        title = self.titles.get(doc_id, "") + "".join(self.index.doc_by_id[doc_id].issuers)
        words = _DOCUMENT_QUESTION_WORDS.sub(" ", DOC_NO_ANY.sub(" ", question.text))
        terms = [t for t in self.index.segmenter.tokens(words) if t not in STOPWORDS]
        if not terms:
            return 1.0
        idf = self.index.bm25.term_idf
        total = sum(idf(t) for t in terms)
        return sum(idf(t) for t in terms if t in title) / total if total else 1.0

    def signals(self, question: Question, hits: list[Hit], chosen: Hit, sentence_score: float) -> Signals:
        runner_up = next((h.score for h in hits if h is not chosen), 0.0)
        record = self.index.records[chosen.record]
        asked = _DOCUMENT_QUESTION_WORDS.sub("", normalize_text(question.subject or question.text))
        return Signals(
            coverage=chosen.coverage,
            sentence_similarity=sentence_score,
            clause_similarity=chosen.dense,
            fused_score=chosen.score,
            margin=chosen.score - runner_up,
            bigram_coverage=bigram_share(asked, record.text + record.context),
        )

    def _behind(self, question: Question, hit: Hit) -> bool:
        """Does the hit tell how things stood or stand (a review, the problems) while the question asks what is to be
        done or required, which the tasks say?"""
        section = self.index.records[hit.record].section
        return _BACKGROUND_SECTION.search(section) is not None and not _ASKS_BACKGROUND.search(question.text)

    def ahead_first(self, question: Question, hits: list[Hit]) -> list[Hit]:
        """The hits with those behind the question (_behind) last, when any other is left."""
        ahead = [h for h in hits if not self._behind(question, h)]
        return ahead + [h for h in hits if h not in ahead] if ahead else hits

    def _holds(self, question: Question, hit: Hit, *, units: bool) -> bool:
        """Does this hit hold what the question needs: its years, the asked-for value, and (`units`) a
        responsibility note?"""
        record = self.index.records[hit.record]
        scope = self._scope(record)
        if question.years and record.kind != "header" and self._years_missing(question, record, scope):
            return False
        if units and question.intent.prefer in ("units", "lead") and not self.has_units[hit.record]:
            return False
        if any(not _mentions(scope, code) for code in question.codes) or question.quoted_missing(scope):
            return False
        if self._missing_place(question, self._places_of(record, scope), record.doc_id):
            return False
        return self.missing_value(question, record, None) is None

    def _choose(self, question: Question, hits: list[Hit]) -> Hit:
        """The hit to answer from: the best one, unless a close runner-up holds what the intent needs and it does not
        (a who-question first looks for a clause with a responsibility note)."""
        top = hits[0]
        if question.kind == "meta" and not question.doc_nos:  # a document question: the card whose title it names
            cards = [h for h in hits[:5] if self.index.records[h.record].kind == "header"]
            scored = [(self._title_coverage(question, h.doc_id), -k, h) for k, h in enumerate(cards)]
            best = max(scored, default=None, key=lambda t: (t[0], t[1]))
            if best is not None and best[0] >= self.policy.min_title_coverage:
                return best[2]
        if question.kind != "meta":
            # A document card answers what a document is; a question about its content is answered by a clause.
            clauses = [h for h in hits[:5] if self.index.records[h.record].kind != "header"]
            if clauses:
                hits = clauses + [h for h in hits if h not in clauses]
                top = hits[0]
        gap = self.policy.choose_gap
        close = [h for h in hits[:5] if h is top or (h.score >= top.score - gap and h.coverage >= top.coverage - gap)]
        precise = question.precise_when()
        if precise is not None:  # a day or a time limit asked: the hits stating one first
            close.sort(key=lambda h: precise.search(self.index.records[h.record].text) is None)
        for units in (True, False):
            for hit in close:
                if self._holds(question, hit, units=units):
                    return hit
        if question.years:  # the year a question names is a strong cue: any of the first five that holds it
            return next((h for h in hits[:5] if self._holds(question, h, units=False)), top)
        return top

    def closest_sentence_clause(
        self, question: Question, hits: list[Hit], chosen: Hit, query_vector: np.ndarray, terms: dict[str, float]
    ) -> Hit:
        """For a free-text question that asks no particular value ("国三的老车以后还让开吗"), the clause among the first
        few whose best sentence answers it best: everyday words find the sentence more surely than the clause. Not
        when the question names the chosen clause's own item (its heading), and never a notice paragraph."""
        n = self.policy.sentence_clause
        if not n or question.intent.name != "content" or question.asks:
            return chosen
        records = self.index.records
        heading = records[chosen.record].section.rsplit(" > ", 1)[-1]
        if common_run(question.text, heading) >= _MIN_TITLE_RUN:
            return chosen
        clauses = [h for h in hits[:n] if records[h.record].kind != "header"]
        pool = [
            h
            for h in clauses
            if h is chosen
            or (
                records[h.record].section != NOTICE_SECTION
                and not self._behind(question, h)
                and self._holds(question, h, units=False)
            )
        ]
        if chosen not in pool or records[chosen.record].section == NOTICE_SECTION:
            return chosen

        def best(hit: Hit) -> float:
            ranked = self.rank_sentences(question, hit, query_vector, terms)
            return ranked[0][0] if ranked else -1.0

        return max(pool, key=lambda h: (best(h), h is chosen))

    def cited_in_clause(self, question: Question, hits: list[Hit], terms: dict[str, float]) -> tuple[Hit, str] | None:
        """A clause among the first five citing an upper-level document for the very measure the question asks about
        (a question on funding against "…按照《…支出责任划分改革方案的通知》（X发〔2020〕17号）要求，落实…"): the hit,
        and its citing sentence from the verb that cites. The question's matter is its terms that neither the document's
        titles nor its own basis hold; at least two of them must stand in the citing sentence."""
        for hit in hits[:5]:
            record = self.index.records[hit.record]
            document = self.index.doc_by_id[record.doc_id]
            if record.kind == "header":
                continue
            own = compact(self.titles.get(document.doc_id, "") + "".join(b.title for b in document.basis))
            matter = [t for t in terms if len(t) >= 2 and t not in STOPWORDS and compact(t) not in own]
            for sentence in split_sentences(record.text):
                cited = find_basis([sentence], [document.title, document.plan_title])
                if not cited or {b.title for b in cited} <= {b.title for b in document.basis}:
                    continue
                if re.search(r"文号|几号", question.text) and not any(b.doc_no for b in cited):
                    continue  # a 文号 asked for must be given
                if question.quoted_missing(sentence):
                    continue
                if sum(compact(t) in compact(sentence) for t in matter) >= 2:
                    verbs = [m for m in BASIS_VERB.finditer(sentence) if "《" in sentence[m.end() : m.end() + 8]]
                    return hit, (sentence[verbs[0].start() :] if verbs else sentence).strip()  # from the citing verb
        return None

    def unit_tasks(self, question: Question, *, by_role: bool = True) -> list[Task]:
        """The named unit's tasks from the ledger (any alias), or those of every unit of the kind the question names
        ("公安部门"), filtered by the role (unless not by_role) and the document the question names."""
        ledger = self.index.ledger
        mentioned = ledger.mentions(question.text)
        if mentioned:
            units = [mentioned[0].name]
        elif question.unit_kind:
            marks = kind_marks(question.unit_kind)
            units = [u.name for u in ledger.units() if any(m in u.name for m in marks)]
        else:
            return []
        named = self.named_documents(question)
        # the role that qualifies the tasks asked for, not one another part of the question asks about ("任务一共几项？
        # 有我们牵头的吗？")
        cue = question.intent.cue
        parts = [p for p in QUESTION_PARTS.split(question.text) if cue is not None and cue.search(p)]
        asked = parts[0] if parts else question.text  # "被安排了几项？有没有哪项是我们牵头的？": all are counted
        role = "lead" if by_role and _ROLE_LEAD.search(asked) and not _ROLE_HELP.search(asked) else None
        tasks = [t for u in units for t in ledger.tasks(u, role=role) if not named or t.doc_id in named]
        if by_role and _ROLE_HELP.search(asked) and not _ROLE_LEAD.search(asked):
            tasks = [t for t in tasks if t.role != "lead"]
        if "deadline" in question.flags:  # "哪些有完成时限", "哪些要在2025年前完成"
            tasks = [t for t in tasks if t.deadline and all(str(y) in t.deadline for y in question.years)]
        return tasks

    def holding_decisive(self, question: Question, doc_id: str, seen: list[int]) -> list[int]:
        """The records of the document the question names holding a value it asks that decides by itself (a phone
        number, an e-mail address), besides those already seen."""
        decisive = [v.holds for v in question.asks if v.decisive and v.holds is not None]
        if not decisive or doc_id not in self.named_documents(question):  # the contact of a document it names
            return []
        return [
            i
            for i, r in enumerate(self.index.records)
            if r.doc_id == doc_id and i not in seen and r.kind != "header" and any(p.search(r.text) for p in decisive)
        ]

    def asked_tasks(self, question: Question) -> list[Task]:
        """The tasks a question about a unit's tasks asks for: those its notes leave out ("哪一项没有列我们"), else
        its own."""
        return self.absent_tasks(question) if "absent" in question.flags else self.unit_tasks(question)

    def absent_tasks(self, question: Question) -> list[Task]:
        """For "哪一项没有列我们": the tasks of the documents asked about (those the question names, else those giving
        the unit a task) whose notes do not name the unit, each once, given to the unit asked about."""
        mentioned = self.index.ledger.mentions(question.text)
        if not mentioned:
            return []
        unit = mentioned[0].name
        own = self.index.ledger.tasks(unit)
        docs = set(self.named_documents(question)) or {t.doc_id for t in own}
        taken = {t.chunk_id for t in own}
        absent: dict[str, Task] = {}
        for task in self.index.ledger.all_tasks():
            if task.doc_id in docs and task.chunk_id not in taken and task.chunk_id not in absent:
                absent[task.chunk_id] = replace(task, unit=unit, role="responsible")
        return list(absent.values())

    def standing_notes(self, question: Question) -> list[tuple[Document, str, str]]:
        """Notes that give a document's following tasks to the unit asked about once for all ("以下均需各县（市）区
        政府（管委会）落实，不再列出"), so that no later note names it: each as (its document, the heading of the task
        it stands under, its words)."""
        mentioned = self.index.ledger.mentions(question.text)
        if not mentioned:
            return []
        unit = mentioned[0]
        names = [n for n in (unit.name, *unit.aliases, *unit.spellings) if len(n) >= 3]
        return [(d, heading, note) for d, heading, note, units in self._standing if any(n in units for n in names)]

    def mentioning_clauses(self, question: Question, tasks: list[Task]) -> list[Clause]:
        """For a question about which documents concern a unit ("出现在哪几个文件", "哪些文件涉及"): in each document
        whose text names the unit (a name of three or more characters) without giving it a task in a note, the first
        clause naming it."""
        mentioned = self.index.ledger.mentions(question.text)
        if not mentioned or "documents" not in question.flags:
            return []
        unit = mentioned[0]
        names = [n for n in (unit.name, *unit.aliases, *unit.spellings) if len(n) >= 3]
        tasked = {t.doc_id for t in tasks}
        found = []
        for document in self.index.documents:
            if document.doc_id in tasked:
                continue
            naming = next((c for c in document.clauses if any(n in c.text for n in names)), None)
            if naming is not None:
                found.append(naming)
        return found

    def sole_tasks(self, question: Question, tasks: list[Task]) -> list[Task]:
        """The tasks no other unit shares ("只写了我们一家的") or, asked so, no other unit leads; with "市直", no other
        city department."""
        ledger = self.index.ledger

        def counted(name: str) -> bool:
            unit = ledger.unit(name)
            return "市直" not in question.text or (unit is not None and unit.kind_key == "city")

        if "sole_lead" in question.flags:  # 牵头单位只写了我们一家: no other lead, whoever else is responsible
            return [t for t in tasks if t.role == "lead" and not any(counted(u) for u in t.co_lead)]
        return [t for t in tasks if not any(counted(u) for u in t.co_units)]


__all__ = ["EvidenceJudge", "heading_text"]
