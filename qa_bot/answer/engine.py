"""The question-answering engine: validate, understand, retrieve, check support, compose; shared by CLI and API."""

from __future__ import annotations

import re
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from typing import Any

import numpy as np

from qa_bot.answer.compose import (
    best_sentences,
    citation_suffix,
    meta_fact,
    not_found_reply,
    table_fact,
    who_fact,
)
from qa_bot.answer.question import META_PATTERN, Question, analyse, place_names, required_answer
from qa_bot.answer.session import SessionStore, Turn
from qa_bot.errors import BadQuestion
from qa_bot.index.embedders import Embedder, make_embedder
from qa_bot.index.milvus import parse_store
from qa_bot.index.passages import Record
from qa_bot.index.store import LoadedIndex, load_index
from qa_bot.retrieve import Filters, Hit, Retriever
from qa_bot.retrieve.store import open_store
from qa_bot.settings import Settings
from qa_bot.text.normalize import normalize_text
from qa_bot.text.patterns import DOC_NO as DOC_NO_ANY
from qa_bot.text.patterns import match_heading
from qa_bot.text.vocabulary import SYNONYM_GROUPS

# Bonuses added to a record's fused score (fused scores lie in 0..1) by what the question asks for.
META_CARD_BONUS = 0.6
NAMED_DOC_BONUS = 0.3
TABLE_ROW_BONUS = 0.15
UNITS_BONUS = 0.1
LEAD_BONUS = 0.1  # a who-leads question prefers clauses that name a lead unit
HEADING_BONUS = 0.2  # the question names a task by (part of) its heading: "冷链寄递" → （四）构建冷链寄递体系
FOLLOW_UP_DOC_BONUS = 0.15
CHOOSE_GAP = 0.15  # how far below the top a hit with units may score and still be preferred for a who-question
FACT_GAP = 0.25  # the same for a hit that holds the asked-for year, figure or date when the top one does not
# Support: below this share of the question's (idf-weighted) terms, the clause is not an answer. Calibrated on
# eval/gold.jsonl's unanswerable questions (see README "Not found"); dense similarity did not separate them.
MIN_COVERAGE = 0.29
MIN_TITLE_COVERAGE = 0.5
# Words of a meta question that name what is asked, not which document: left out when matching titles.
META_WORDS = frozenset("文号 几号 号文 发文 字号 成文 日期 印发 发布 哪天 时候 什么 机关 单位 部门 名义 公开 主送 文件 是不是 是否 哪个 哪年 签发 下发 出台".split())
YES_NO = re.compile(r"吗|是否|有没有|是不是|在不在")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_FOLLOW_UP_START = re.compile(r"^(那么?|那个|还有|另外|再问一下|同样|此外)")
_FOLLOW_UP_END = re.compile(r"(呢|怎么样|如何)[？?。]*$")
_KIND_ANCHORS = {"lead": "牵头单位", "units": "责任单位", "deadline": "时间", "figure": "目标", "table": "指标"}


def check_question(question: Any, max_chars: int) -> str:
    """The question as text, or BadQuestion with a readable Chinese message."""
    if not isinstance(question, str):
        raise BadQuestion("问题必须是文本字符串")
    if _CONTROL.search(question):
        raise BadQuestion("问题中含有无法识别的控制字符，请删除后重试")
    try:
        question.encode("utf-8")
    except UnicodeEncodeError:  # a lone surrogate ("\ud800") is not text
        raise BadQuestion("问题中含有无法识别的字符，请删除后重试") from None
    text = question.strip()
    if not text:
        raise BadQuestion("问题不能为空，请输入要查询的内容")
    if len(text) > max_chars:
        raise BadQuestion(f"问题过长（{len(text)} 字），请控制在 {max_chars} 字以内")
    return text


@dataclass
class Reply:
    """An answer with everything the API, the CLI and the evaluation need."""

    answer: str
    found: bool
    citations: list[dict[str, Any]]
    question: Question
    session_id: str
    latency_ms: float
    reason: str = ""
    hits: list[Hit] = field(default_factory=list)
    # The turn a follow-up to this reply continues: this question's when it was answered, else the one it followed.
    turn: Turn | None = None

    def body(self) -> dict[str, Any]:
        return {
            "answer": self.answer,
            "found": self.found,
            "citations": self.citations,
            "latency_ms": round(self.latency_ms, 1),
            "session_id": self.session_id,
            "kind": self.question.kind,
        }


_NOT_SUBJECT = re.compile(
    r"[，。？！?!、：；\s]|哪个|哪些|哪家|哪几|什么|多少|谁|怎么|如何|是否|有没有|是不是|吗|呢|吧|请问|"
    r"单位|部门|牵头|负责|责任|主管|时候|时间|何时|目标|要求|一下|是|的|了|由|要|在|和|与|及|那么|那|还有"
)
_MIN_PHRASE = 3


def looks_like_follow_up(text: str) -> bool:
    """Is this (normalised) question worded as a follow-up ("那冷链寄递呢？")? Only such a question uses the previous
    turn; any other is answered the same whatever came before."""
    return len(text) <= 20 and bool(_FOLLOW_UP_START.search(text) or _FOLLOW_UP_END.search(text))


def heading_bonus(query: str, titles: dict[str, str]) -> Callable[[Record], float] | None:
    """When a question is essentially a task's name ("那冷链寄递呢？", "冷链寄递谁牵头"), prefer the clause whose own
    heading carries that name. A phrase of the document's title names the whole document, not a task."""
    phrases = [p for p in _NOT_SUBJECT.split(normalize_text(query)) if len(p) >= _MIN_PHRASE]
    if len(phrases) != 1:
        return None
    phrase = phrases[0]

    def bonus(record: Record) -> float:
        if phrase in titles.get(record.doc_id, ""):
            return 0.0
        heading = record.section.rsplit(" > ", 1)[-1]
        return HEADING_BONUS if phrase in heading else 0.0

    return bonus


def _mentions(text: str, code: str) -> bool:
    """Does text name this Latin/number term, itself or by a general synonym (VOCs ↔ 挥发性有机物)?"""
    lowered = text.lower()
    if code.lower() in lowered:
        return True
    for group in SYNONYM_GROUPS:
        if any(code.lower() == g.lower() for g in group):
            return any(g.lower() in lowered for g in group)
    return False


class QaEngine:
    """Answers questions from one loaded index. Thread-safe for concurrent asks."""

    def __init__(self, settings: Settings, index: LoadedIndex, embedder: Embedder) -> None:
        self.settings = settings
        self.index = index
        self.embedder = embedder
        target = parse_store(settings.store, collection=settings.milvus_collection, token=settings.milvus_token)
        store = open_store(index, target, dense_weight=settings.fusion_dense_weight)
        self.retriever = Retriever(index, embedder, dense_weight=settings.fusion_dense_weight, candidates=settings.candidates, store=store)
        self.sessions = SessionStore(ttl_seconds=settings.session_ttl_seconds, max_sessions=settings.session_max)
        records = index.records
        self._kind_mask = {kind: np.array([r.kind == kind for r in records], dtype=np.float32) for kind in ("header", "table_row")}
        has_units = [bool(index.clause_by_id.get(r.chunk_id, {}).get("lead_units") or index.clause_by_id.get(r.chunk_id, {}).get("responsible_units")) for r in records]
        self._units_mask = np.array(has_units, dtype=np.float32)
        self._lead_mask = np.array([bool(index.clause_by_id.get(r.chunk_id, {}).get("lead_units")) for r in records], dtype=np.float32)
        self._doc_of = np.array([r.doc_id for r in records])
        self._titles = {d["doc_id"]: (d.get("plan_title") or "") + (d.get("title") or "") for d in index.documents}
        self._corpus_text = "\n".join(r.text + r.context for r in records)
        # Places every document is about (its issuer's city): questions naming them are never "another city".
        self._home_places = {p for d in index.documents for p in place_names((d.get("issuer") or "") + (d.get("plan_title") or ""))}
        self._units = sorted(
            {u for c in index.clause_by_id.values() for u in (c.get("lead_units") or []) + (c.get("responsible_units") or [])},
            key=len,
            reverse=True,
        )

    @classmethod
    def load(cls, settings: Settings) -> "QaEngine":
        index = load_index(settings.index_dir)
        embedder = make_embedder(index.manifest.embedder_spec)
        return cls(settings, index, embedder)

    # -- question understanding -----------------------------------------------------------
    def _follow_up(self, text: str, previous: Turn | None) -> tuple[Question, str, str | None]:
        """The analysed question, the retrieval query, and the document a follow-up continues."""
        question = analyse(text)
        if previous is None or not looks_like_follow_up(question.text):
            return question, question.text, None
        subject = _FOLLOW_UP_END.sub("", _FOLLOW_UP_START.sub("", question.text)).strip("，,？? ")
        kind = question.kind if question.kind != "content" else previous.kind
        query = f"{subject} {_KIND_ANCHORS.get(kind, '')}".strip()
        followed = Question(
            text=question.text,
            kind=kind,
            doc_nos=question.doc_nos,
            years=question.years,
            places=question.places,
            subject=subject,
            meta_field=question.meta_field or previous.meta_field,
            flags=frozenset({"follow_up"}),
        )
        return followed, query, previous.doc_id

    def _bonus(self, question: Question, follow_doc: str | None) -> np.ndarray:
        bonus = np.zeros(len(self.index.records), dtype=np.float32)
        named = [d["doc_id"] for d in self.index.documents if d.get("doc_no") in question.doc_nos]
        for doc_id in named:
            bonus += NAMED_DOC_BONUS * (self._doc_of == doc_id)
        if question.kind == "meta":
            bonus += META_CARD_BONUS * self._kind_mask["header"]
            for doc_id in named:
                bonus += META_CARD_BONUS * self._kind_mask["header"] * (self._doc_of == doc_id)
        elif question.kind == "table":
            bonus += TABLE_ROW_BONUS * self._kind_mask["table_row"]
        elif question.kind in ("lead", "units"):
            bonus += UNITS_BONUS * self._units_mask
            if "牵头" in question.text:
                bonus += LEAD_BONUS * self._lead_mask
        if follow_doc:
            bonus += FOLLOW_UP_DOC_BONUS * (self._doc_of == follow_doc)
        return bonus

    # -- support ----------------------------------------------------------------------------
    def _known_doc_no(self, doc_no: str) -> str:
        """Map a 文号 found in a question onto an indexed one it ends with (a pattern may sweep up a word)."""
        if doc_no in self.index.doc_by_no:
            return doc_no
        return next((known for known in self.index.doc_by_no if doc_no.endswith(known)), doc_no)

    def named_units(self, question: Question) -> list[str]:
        """Unit names of the corpus that the question mentions ("供销社" finds 市供销社)."""
        found: list[str] = []
        text = question.text
        for unit in self._units:
            short = unit[1:] if unit.startswith("市") and len(unit) >= 4 else unit
            if (unit in text or short in text) and not any(unit in f for f in found):
                found.append(unit)
        return found

    def _foreign_place(self, question: Question, record_text: str) -> str | None:
        for place in question.places:
            if place[0] in "各全本我该外省市县区" or place in self._home_places or place in record_text:
                continue
            # jieba tags some common nouns as places; only a place the corpus never mentions, or one with
            # an administrative suffix in the question, counts as "another city".
            if place not in self._corpus_text or re.search(rf"{re.escape(place)}(市|省|县|区|州)", question.text):
                return place
        return None

    def _title_coverage(self, question: Question, card: str) -> float:
        """Share of the question's own words (meta words aside) found in a document card: is it this document?"""
        words = META_PATTERN.sub(" ", DOC_NO_ANY.sub(" ", question.text))
        terms = [t for t in self.index.segmenter.tokens(words) if t not in META_WORDS]
        if not terms:
            return 1.0
        idf = self.index.bm25.term_idf
        total = sum(idf(t) for t in terms)
        return sum(idf(t) for t in terms if t in card) / total if total else 1.0

    def _has_answer(self, question: Question, hit: Hit) -> bool:
        """Does this hit hold what the question asks for: its years, and the figure or date it wants?"""
        record = self.index.records[hit.record]
        if record.kind == "header":
            return True
        document = self.index.doc_by_id[record.doc_id]
        scope = record.text + record.context + (document.get("plan_title") or "")
        if any(str(y) not in scope for y in question.years):
            return False
        needs = required_answer(question)
        if needs is None:
            return True
        clause = self.index.clause_by_id.get(record.chunk_id, {})
        if question.kind == "deadline" and clause.get("deadline"):
            return True
        body = record.text
        heading = match_heading(body)
        if heading is not None:
            body = heading.rest  # the item's own number ("16.") is not a figure
        if record.kind == "table_row":
            return bool(re.search(r"\d", body))
        return bool(needs.search(body))

    def unsupported_reason(self, question: Question, best: Hit | None) -> str | None:
        """Why the best evidence does not answer the question, or None when it does."""
        if best is None:
            return "没有检索到相关条款"
        known = {d.get("doc_no") for d in self.index.documents}
        missing = [d for d in question.doc_nos if d not in known]
        if missing:
            return f"未收录文号为{missing[0]}的文件"
        record = self.index.records[best.record]
        document = self.index.doc_by_id[record.doc_id]
        scope = record.text + record.context + (document.get("plan_title") or "") + document.get("title", "")
        foreign = self._foreign_place(question, scope)
        if foreign:
            return f"已收录的文件中没有关于{foreign}的内容"
        missing_code = next((c for c in question.codes if not _mentions(scope, c)), None)
        if missing_code:
            return f"相关条款没有提到{missing_code}"
        if record.kind == "header" and question.kind == "meta" and self._title_coverage(question, record.text) < MIN_TITLE_COVERAGE:
            return "没有找到题目相符的文件"
        absent_years = [y for y in question.years if str(y) not in scope]
        if absent_years:
            return f"文件中没有{absent_years[0]}年的相关内容"
        if not self._has_answer(question, best):
            return "相关条款没有给出具体的" + ("时间" if question.kind == "deadline" else "数字")
        if best.coverage < MIN_COVERAGE:
            return "找到的条款与问题关联不足"
        return None

    # -- composing ----------------------------------------------------------------------------
    def _choose(self, question: Question, hits: list[Hit]) -> Hit:
        """The hit to answer from: the best one, unless a close runner-up has what the question needs
        (units for who-questions, a figure or date for how-much/when questions)."""
        if question.kind in ("lead", "units"):
            for hit in hits[:3]:
                clause = self.index.clause_by_id.get(hit.chunk_id, {})
                if (clause.get("lead_units") or clause.get("responsible_units")) and hit.score >= hits[0].score - CHOOSE_GAP:
                    return hit
        if not self._has_answer(question, hits[0]):
            for hit in hits[1:5]:
                close = hit.score >= hits[0].score - FACT_GAP and hit.coverage >= hits[0].coverage - FACT_GAP
                if close and self._has_answer(question, hit):
                    return hit
        return hits[0]

    def _fact(self, question: Question, hit: Hit, terms: dict[str, float]) -> str:
        record = self.index.records[hit.record]
        clause = self.index.clause_by_id.get(record.chunk_id, {})
        document = self.index.doc_by_id[record.doc_id]
        if question.kind == "meta" or record.kind == "header":
            return meta_fact(document, question.meta_field)
        if question.kind in ("lead", "units"):
            fact = who_fact(clause, question.kind, self.named_units(question))
            if fact:
                return fact
        if record.kind == "table_row":
            return table_fact(clause)
        if question.kind == "deadline" and clause.get("deadline"):
            return f"完成时限：{clause['deadline']}"
        count = 2 if question.kind == "content" else 1
        needs = required_answer(question)
        return best_sentences(record.text, terms, self.index.bm25.term_idf, question, count=count, needs=needs)

    def ask(
        self,
        question: Any,
        *,
        top_k: int | None = None,
        session_id: str | None = None,
        filters: Filters | None = None,
        context: Turn | None = None,
    ) -> Reply:
        """Answer one question. A follow-up continues `context` (the previous turn, as the client carried it) when
        given, else the turn kept in this process under `session_id`. The new turn is kept under `session_id` and
        returned as Reply.turn."""
        started = time.perf_counter()
        text = check_question(question, self.settings.max_question_chars)
        top_k = self._top_k(top_k)
        session_id = session_id or uuid.uuid4().hex
        previous = context if context is not None else self.sessions.get(session_id)
        analysed, query, follow_doc = self._follow_up(text, previous)
        analysed = replace(analysed, doc_nos=tuple(self._known_doc_no(d) for d in analysed.doc_nos))
        if analysed.kind in ("content", "figure") and YES_NO.search(analysed.text) and self.named_units(analysed):
            analysed = replace(analysed, kind="units")  # "市妇联有责任吗" asks whether a unit is listed
        result = self.retriever.search(
            query, max(top_k, 5), filters, bonus=self._bonus(analysed, follow_doc), candidate_bonus=heading_bonus(query, self._titles)
        )
        hits = result.hits
        chosen = self._choose(analysed, hits) if hits else None
        reason = self.unsupported_reason(analysed, chosen)
        latency = lambda: (time.perf_counter() - started) * 1000  # noqa: E731
        if chosen is None or reason is not None:
            citations = [h.citation(self.index) for h in hits[:3]]
            answer = not_found_reply(reason or "", citations)
            return Reply(answer, False, citations, analysed, session_id, latency(), reason=reason or "", hits=hits, turn=previous)
        ordered = [chosen] + [h for h in hits if h is not chosen]
        citations = [h.citation(self.index) for h in ordered[:top_k]]
        answer = self._fact(analysed, chosen, result.terms).rstrip("。；;，,") + "。" + citation_suffix(citations[0])
        turn = Turn(question=text, kind=analysed.kind, meta_field=analysed.meta_field, doc_id=chosen.doc_id, subject=analysed.subject)
        self.sessions.put(session_id, turn)
        return Reply(answer, True, citations, analysed, session_id, latency(), hits=ordered, turn=turn)

    def search(self, query: Any, *, top_k: int | None = None, filters: Filters | None = None) -> list[dict[str, Any]]:
        text = check_question(query, self.settings.max_question_chars)
        analysed = analyse(text)
        analysed = replace(analysed, doc_nos=tuple(self._known_doc_no(d) for d in analysed.doc_nos))
        result = self.retriever.search(
            analysed.text, self._top_k(top_k), filters, bonus=self._bonus(analysed, None), candidate_bonus=heading_bonus(analysed.text, self._titles)
        )
        return [h.citation(self.index) for h in result.hits]

    def _top_k(self, top_k: int | None) -> int:
        if top_k is None:
            return self.settings.default_top_k
        if isinstance(top_k, bool) or not isinstance(top_k, int) or not 1 <= top_k <= self.settings.max_top_k:
            raise BadQuestion(f"top_k 必须是 1 到 {self.settings.max_top_k} 之间的整数")
        return top_k

    def normalise(self, text: str) -> str:
        return normalize_text(text)


__all__ = ["QaEngine", "Reply", "check_question", "looks_like_follow_up"]
