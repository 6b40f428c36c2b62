"""The question-answering engine: validate, understand (answer/question.py), retrieve with the intent's preferences,
choose the evidence, check support (answer/support.py), compose (answer/compose.py). Shared by CLI and API."""

from __future__ import annotations

import re
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from typing import Any

import numpy as np

from qa_bot.answer.compose import COMPOSERS, Evidence, citation_suffix, not_found_reply
from qa_bot.answer.evidence import EvidenceJudge, heading_text
from qa_bot.answer.intents import BY_NAME, Intent
from qa_bot.answer.question import (
    ASKS_WHETHER,
    Question,
    analyse,
    counted_noun,
    counted_value,
    counts_a_measure,
    states_asked_rate,
    without_city_prefix,
)
from qa_bot.answer.session import SessionStore, Turn
from qa_bot.answer.support import Signals, SupportModel
from qa_bot.errors import BadQuestion
from qa_bot.index.embedders import Embedder, make_embedder
from qa_bot.index.loaded import LoadedIndex, load_index
from qa_bot.index.passages import Record
from qa_bot.retrieve import Citation, Filters, Hit, Retriever
from qa_bot.retrieve.backend import open_backend
from qa_bot.settings import Settings
from qa_bot.text.normalize import CONTROL_CHARACTERS, normalize_text
from qa_bot.text.vocabulary import kind_marks


@dataclass(frozen=True)
class AnswerPolicy:
    """Every tuned number of the answer layer. Each one earns its place in the ablation table of the eval report
    (`qa-bot eval --ablate`): setting it to zero lowers a figure on some question set."""

    named_doc_bonus: float = 0.3  # a document the question names (文号 or title terms) ranks its records higher
    header_bonus: float = 0.6  # document intents prefer the document cards
    table_row_bonus: float = 0.15  # table intents prefer indicator rows
    units_bonus: float = 0.1  # who-intents prefer clauses with a responsibility note
    lead_bonus: float = 0.1  # who-leads questions prefer clauses naming a lead unit
    heading_bonus: float = 0.2  # the question names a task by (part of) its heading
    time_heading_bonus: float = 0.5  # a when-question prefers the part a notice heads with its time ("禁燃禁放时间")
    follow_up_doc_bonus: float = 0.15  # a follow-up stays in the document of the previous turn
    task_bonus: float = 1.0  # a question about a unit's tasks ranks the clauses assigning them first
    counted_bonus: float = 0.3  # a count asked of a named thing ("几个重点领域"): the clauses stating one compete
    quoted_bonus: float = 0.3  # a phrase the question quotes (“加强投入保障”): the records holding it
    choose_gap: float = 0.25  # how far below the best hit a hit holding the intent's evidence may rank and be chosen
    min_title_coverage: float = 0.5  # a document question must match the chosen document's title this well
    sentence_term_weight: float = 0.3  # sentence choice: lexical share beside the sentence vector's similarity
    sentence_value_bonus: float = 0.15  # sentence choice: a sentence holding the asked-for value
    named_run: int = 8  # a run of this many characters of the question (no particle in it) that stands in a clause of
    # a document names a thing the answering clause of that document must hold ("公共机构节能管理办法")
    reconsider: int = 3  # when the chosen hit cannot answer, the best supported of the first this-many hits answers
    reconsider_deadline: int = 5  # … for a question asking by when: a plan states its dates apart from its tasks
    sentence_clause: int = 3  # a free-text question: of the first this-many clauses, the one with the best sentence
    use_support_model: bool = True  # the fitted support model (else a lexical coverage floor)
    min_coverage: float = 0.29  # the lexical floor used without the model


DEFAULT_POLICY = AnswerPolicy()
# "那个…" opening a full question is a filler word ("那个X雷达建在哪儿？"), not a follow-up; "那X呢？" is caught by its
# ending.
_FOLLOW_UP_START = re.compile(r"^(那么|那(?!个)|还有|另外|再问一下|同样|此外)")
_FOLLOW_UP_END = re.compile(r"(呢|怎么样|如何)[？?。]*$")
_INTENT_ANCHORS = {"lead": "牵头单位", "units": "责任单位", "deadline": "时间", "figure": "目标", "table": "指标"}

_NOT_SUBJECT = re.compile(
    r"[，。？！?!、：；\s]|哪个|哪些|哪家|哪几|什么|多少|谁|怎么|如何|是否|有没有|是不是|吗|呢|吧|请问|"
    r"单位|部门|牵头|负责|责任|主管|时候|时间|何时|目标|要求|一下|是|的|了|由|要|在|和|与|及|那么|那|还有"
)
_MIN_PHRASE = 3
_MIN_HEADING = 4  # characters of a heading a question may hold whole to name its task



def check_question(question: Any, max_chars: int) -> str:
    """The question as text, or BadQuestion with a readable Chinese message."""
    if not isinstance(question, str):
        raise BadQuestion("问题必须是文本字符串")
    if CONTROL_CHARACTERS.search(question):
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
    citations: list[Citation]
    question: Question
    session_id: str
    latency_ms: float
    reason: str = ""
    hits: list[Hit] = field(default_factory=list)
    # The turn a follow-up to this reply continues: this question's when it was answered, else the one it followed.
    turn: Turn | None = None
    signals: Signals | None = None  # what support was decided from (None when a targeted check decided)
    sentence: str | None = None  # the clause sentence the reply was composed from

    def body(self) -> dict[str, Any]:
        return {
            "answer": self.answer,
            "found": self.found,
            "citations": [c.model_dump() for c in self.citations],
            "latency_ms": round(self.latency_ms, 1),
            "session_id": self.session_id,
            "kind": self.question.kind,
            "intent": self.question.intent.name,
        }


@dataclass(frozen=True)
class Verdict:
    """Whether one hit answers the question, and what that was decided from."""

    hit: Hit
    ranked: list[tuple[float, str]]  # its sentences, best answer first
    reason: str | None  # why it cannot answer (None: it answers)
    signals: Signals | None  # None when a targeted check decided, or for a document card
    probability: float  # the support model's P(answers)

    @property
    def answers(self) -> bool:
        return self.reason is None


_PROSE_CELL = 40  # characters: a cell this long holds sentences (a task and what was done), not an indicator value


def _prose_row(evidence: Evidence) -> bool:
    """A row of a task table whose cells are sentences ("落实情况 吉水二中…均完成项目建设…"): answered from its
    sentences like a clause, not pasted whole as an indicator row is."""
    table = evidence.clause.table if evidence.clause else None
    return table is not None and any(len(value) >= _PROSE_CELL for _, value in table.cells)


def looks_like_follow_up(text: str) -> bool:
    """Is this (normalised) question worded as a follow-up ("那冷链寄递呢？")? Only such a question uses the previous
    turn; any other is answered the same whatever came before."""
    return len(text) <= 20 and bool(_FOLLOW_UP_START.search(text) or _FOLLOW_UP_END.search(text))



class QaEngine:
    """Answers questions from one loaded index. Thread-safe for concurrent asks."""

    def __init__(
        self,
        settings: Settings,
        index: LoadedIndex,
        embedder: Embedder,
        policy: AnswerPolicy = DEFAULT_POLICY,
        support_model: SupportModel | None = None,
    ) -> None:
        self.settings = settings
        self.index = index
        self.embedder = embedder
        self._policy = policy
        self.support_model = support_model if support_model is not None else SupportModel.load()
        backend = open_backend(index, settings.milvus_target())
        self.retriever = Retriever(
            index, embedder, dense_weight=settings.fusion_dense_weight, candidates=settings.candidates, backend=backend
        )
        self.sessions = SessionStore(ttl_seconds=settings.session_ttl_seconds, max_sessions=settings.session_max)
        self.judge = EvidenceJudge(index, policy)
        self.corpus = self.judge.corpus

    @property
    def policy(self) -> AnswerPolicy:
        return self._policy

    @policy.setter
    def policy(self, policy: AnswerPolicy) -> None:
        self._policy = policy
        self.judge.policy = policy

    @classmethod
    def load(cls, settings: Settings) -> QaEngine:
        index = load_index(settings.index_dir)
        embedder = make_embedder(index.manifest.embedder_spec)
        return cls(settings, index, embedder)

    # -- understanding ------------------------------------------------------------------------------------------------
    def understand(self, text: str, previous: Turn | None = None) -> tuple[Question, str, str | None]:
        """The analysed question, the retrieval query, and the document a follow-up continues."""
        question = analyse(text, self.corpus)
        question = replace(question, doc_nos=tuple(self.judge._known_doc_no(d) for d in question.doc_nos))
        if previous is None or not looks_like_follow_up(question.text):
            return question, question.text, None
        subject = _FOLLOW_UP_END.sub("", _FOLLOW_UP_START.sub("", question.text)).strip("，,？? ")
        intent = question.intent
        if intent.name == "content":
            intent = BY_NAME.get(previous.kind) or next(
                (i for i in BY_NAME.values() if i.meta_field and i.meta_field == previous.meta_field), intent
            )
        query = f"{subject} {_INTENT_ANCHORS.get(intent.name, '')}".strip()
        return replace(question, intent=intent, subject=subject, flags=frozenset({"follow_up"})), query, previous.doc_id

    # -- retrieval preferences ----------------------------------------------------------------------------------------
    def _bonus(self, question: Question, follow_doc: str | None) -> np.ndarray:
        p = self.policy
        bonus = np.zeros(len(self.index.records), dtype=np.float32)
        named = self.judge.named_documents(question)
        for doc_id in named:
            bonus += p.named_doc_bonus * (self.judge.doc_of == doc_id)
        prefer = question.intent.prefer
        if prefer == "header":
            bonus += p.header_bonus * self.judge.kind_mask["header"]
            for doc_id in named:
                bonus += p.header_bonus * self.judge.kind_mask["header"] * (self.judge.doc_of == doc_id)
        elif prefer == "table_row":
            bonus += p.table_row_bonus * self.judge.kind_mask["table_row"]
        elif prefer in ("units", "lead"):
            bonus += p.units_bonus * self.judge.has_units
            if "牵头" in question.text:
                bonus += p.lead_bonus * self.judge.has_lead
        if question.intent.name == "deadline":  # "从哪天开始": the part a notice heads with its time ("禁燃禁放时间")
            bonus += p.time_heading_bonus * self.judge.time_headed
        if question.intent.name == "unit_tasks" and p.task_bonus:
            # a question about a unit's tasks: the clauses that assign them are the ones to show
            by_id = self.index.record_by_id
            rows = {by_id[t.chunk_id] for t in self.judge.asked_tasks(question) if t.chunk_id in by_id}
            bonus[sorted(rows)] += p.task_bonus
        counted = counted_noun(question.text) if p.counted_bonus else None
        if counted is not None:  # "几个重点领域": the clauses stating a number of them
            stating = [i for i, r in enumerate(self.index.records) if r.kind != "header" and counted.search(r.text)]
            bonus[stating] += p.counted_bonus
        # "“加强投入保障”这条": the clause it is the heading or words of (a phrase of a title, “十四五”, names
        # documents)
        quoted = [q for q in question.quoted if not any(q in t for t in self.judge.titles.values())]
        if quoted and p.quoted_bonus:
            every = any if question.quoted_examples else all  # examples of a kind: any one of them
            holding = [
                i for i, r in enumerate(self.index.records) if every(q in r.text or q in r.section for q in quoted)
            ]
            bonus[holding] += p.quoted_bonus
        if follow_doc:
            bonus += p.follow_up_doc_bonus * (self.judge.doc_of == follow_doc)
        return bonus

    def _heading_bonus(self, query: str) -> Callable[[Record], float] | None:
        """When a question is essentially a task's name ("那冷链寄递呢？", "冷链寄递谁牵头"), prefer the clause whose
        own heading carries that name. A phrase of the document's title names the whole document, not a task."""
        phrases = [p for p in _NOT_SUBJECT.split(normalize_text(query)) if len(p) >= _MIN_PHRASE]
        if len(phrases) != 1 or not self.policy.heading_bonus:
            return None
        phrase = phrases[0]
        weight = self.policy.heading_bonus

        def bonus(record: Record) -> float:
            if phrase in self.judge.titles.get(record.doc_id, ""):
                return 0.0
            own = heading_text(record.section.rsplit(" > ", 1)[-1])
            # the phrase is (part of) the heading, or holds the whole of a heading of a few words ("能源领域" in
            # "能源领域盘活存量资产谁牵头")
            return weight if phrase in own or (len(own) >= _MIN_HEADING and own in phrase) else 0.0

        return bonus

    # -- asking -------------------------------------------------------------------------------------------------------
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
        analysed, query, follow_doc = self.understand(text, previous)
        query_vector = self.embedder.embed_query(normalize_text(query))
        result = self.retriever.search(
            query, max(top_k, 5), filters, query_vector=query_vector, bonus=self._bonus(analysed, follow_doc),
            candidate_bonus=self._heading_bonus(query), promote_sentences=analysed.intent.prefer is None,
        )
        hits = self.judge.ahead_first(analysed, result.hits)
        at = self.judge.coordinator(analysed, hits) if analysed.intent.name == "lead" and hits else None
        if at is not None:  # who leads a document's work as a whole: the clause naming who coordinates it
            hits = [self._hit_at(at, hits[0])] + [h for h in hits if h.record != at]

        def latency() -> float:
            return (time.perf_counter() - started) * 1000

        def not_found(reason: str, signals: Signals | None = None) -> Reply:
            citations = [h.citation(self.index) for h in hits[:3]]
            return Reply(
                not_found_reply(reason, citations),
                False,
                citations,
                analysed,
                session_id,
                latency(),
                reason=reason,
                hits=hits,
                turn=previous,
                signals=signals,
            )

        def document_fact(fact: str) -> Reply:
            """A reply composed from the document records themselves, citing the search's hits."""
            citations = [h.citation(self.index) for h in hits[:top_k]]
            return Reply(fact + "。", True, citations, analysed, session_id, latency(), hits=hits)

        if analysed.intent.name == "doc_compare":
            named = self.judge.named_documents(analysed, every=True)
            docs = [self.index.doc_by_id[d] for d in named] if len(named) >= 2 else self.index.documents
            fact = COMPOSERS["documents"](Evidence(analysed, "header", "", None, None, documents=docs))
            if fact is not None:
                return document_fact(fact)
        if analysed.intent.name == "gazette":
            fact = COMPOSERS["gazette"](Evidence(analysed, "header", "", None, None, documents=self.index.documents))
            if fact is None or analysed.asks or "期" not in analysed.text + fact:
                return not_found("公报只载明刊期和所收文件")
            return document_fact(fact)
        if analysed.intent.name == "unit_tasks":
            tasks = self.judge.asked_tasks(analysed)
            # "有没有牵头的任务？": none, and its tasks in other roles say so ("哪几项是它牵头的" finds none to list)
            none_in_role = not tasks and "absent" not in analysed.flags and ASKS_WHETHER.search(text) is not None
            if none_in_role:
                tasks = self.judge.unit_tasks(analysed, by_role=False)
            if tasks:
                sole = self.judge.sole_tasks(analysed, tasks) if "sole_unit" in analysed.flags else tasks
                naming = self.judge.mentioning_clauses(analysed, tasks)
                shown = sole or tasks
                also = (  # "是不是我们单独负责？到2025年要降多少？": the one task's clause answers the rest
                    self.judge.also_asked(analysed, self._task_hit(shown[0].chunk_id), query_vector, result.terms)
                    if analysed.also and len(shown) == 1 and shown[0].chunk_id in self.index.record_by_id
                    else []
                )
                evidence = Evidence(
                    analysed, "ledger", "", None, None, tasks=sole or tasks, shared_only=not sole,
                    documents=[self.index.doc_by_id[c.doc_id] for c in naming],
                    standing=self.judge.standing_notes(analysed),
                    also=also,
                    none_in_role=none_in_role,
                )
                return self._answer_tasks(evidence, hits, session_id, top_k, latency, [c.chunk_id for c in naming])
            analysed = replace(analysed, intent=BY_NAME["content"], flags=analysed.flags | {"unit_in_text"})
        if analysed.intent.name == "basis":
            cited = self.judge.cited_in_clause(analysed, hits, result.terms)
            if cited is not None:  # the document a measure cites, not the document's own basis
                hit, sentence = cited
                ordered = [hit] + [h for h in hits if h is not hit]
                citations = [h.citation(self.index) for h in ordered[:top_k]]
                answer = sentence.rstrip("。；;，,") + "。" + citation_suffix(citations[0])
                return Reply(answer, True, citations, analysed, session_id, latency(), hits=ordered, sentence=sentence)
        listed = self.judge.outline(analysed, hits) if hits and any(v.name == "items" for v in analysed.asks) else None
        if listed is not None:  # the items are the subsections of the part of the document asked about
            heading, items, at = listed
            hit = self._hit_at(at, hits[0])
            ordered = [hit] + [h for h in hits if h.record != at]
            citations = [h.citation(self.index) for h in ordered[:top_k]]
            answer = f"{heading}包括：{'；'.join(items)}。" + citation_suffix(citations[0])
            return Reply(answer, True, citations, analysed, session_id, latency(), hits=ordered)
        chosen = self.judge._choose(analysed, hits) if hits else None
        if chosen is None:
            return not_found("没有检索到相关条款")
        closest = self.judge.closest_sentence_clause(analysed, hits, chosen, query_vector, result.terms)
        verdict = self._verdict(analysed, closest, hits, query_vector, result.terms)
        if closest is not chosen and not verdict.answers:  # the closer sentence's clause is not supported: as chosen
            verdict = self._verdict(analysed, chosen, hits, query_vector, result.terms)
        chosen = verdict.hit
        if not verdict.answers:
            # The closest clauses below it may hold what this one lacks: the best supported of them answers instead.
            # So may a clause further down holding the thing the question names in the document's words, and one
            # the search ranked among them that tells how things stood (ahead_first put it last).
            n = self.policy.reconsider_deadline if analysed.intent.name == "deadline" else self.policy.reconsider
            pool = hits[:n] + [h for h in hits[n:] if self.judge.names(analysed, h) or h in result.hits[:n]]
            # A phone number or an e-mail address asked of a document the question names stands in a short line of it
            # that the question's other words may not find ("电子邮件：…").
            seen = [h.record for h in pool]
            pool += [self._hit_at(i, hits[0]) for i in self.judge.holding_decisive(analysed, hits[0].doc_id, seen)]
            others = [self._verdict(analysed, h, hits, query_vector, result.terms) for h in pool if h is not chosen]
            best = max((v for v in others if v.answers), key=lambda v: v.probability, default=None)
            if best is None:
                return not_found(verdict.reason or "没有检索到相关条款", verdict.signals)
            verdict = best
        chosen, ranked, signals = verdict.hit, verdict.ranked, verdict.signals
        best_sentence = ranked[0][1] if ranked else None
        record = self.index.records[chosen.record]
        evidence = Evidence(
            question=analysed,
            record_kind=record.kind,
            text=record.text,
            clause=self.index.clause_by_id.get(record.chunk_id),
            document=self.index.doc_by_id[record.doc_id],
            ranked_sentences=[s for _, s in ranked],
            documents=self.index.documents,
            also=self.judge.also_asked(analysed, chosen, query_vector, result.terms),
            standing=self.judge.standing_notes(analysed) if analysed.intent.name == "unit_check" else [],
        )
        fact = self._compose(analysed.intent, evidence)
        if fact is None:
            return not_found("相关条款没有给出所问的内容", signals)
        ordered = [chosen] + [h for h in hits if h is not chosen]
        citations = [h.citation(self.index) for h in ordered[:top_k]]
        answer = fact.rstrip("。；;，,") + "。" + citation_suffix(citations[0])
        turn = Turn(
            question=text,
            kind=analysed.intent.name,
            meta_field=analysed.meta_field,
            doc_id=chosen.doc_id,
            subject=analysed.subject,
        )
        self.sessions.put(session_id, turn)
        return Reply(
            answer,
            True,
            citations,
            analysed,
            session_id,
            latency(),
            hits=ordered,
            turn=turn,
            signals=signals,
            sentence=best_sentence,
        )

    def _verdict(
        self, question: Question, hit: Hit, hits: list[Hit], query_vector: np.ndarray, terms: dict[str, float]
    ) -> Verdict:
        """Does this hit answer the question: the targeted checks, then the support model on its signals."""
        ranked = self.judge.rank_sentences(question, hit, query_vector, terms)
        reason = self.judge.unsupported_reason(question, hit, [s for _, s in ranked])
        record = self.index.records[hit.record]
        if reason is None and "unit_in_text" in question.flags:
            # No responsibility note gives the unit a task: only a clause that itself names the unit can say what it
            # does.
            if question.named_units:
                unit = question.named_units[0]
                known = self.index.ledger.unit(unit)
                names: tuple[str, ...] = (unit, without_city_prefix(unit), *(known.aliases if known else ()))
            else:  # units named by their kind ("公安部门")
                unit = f"{question.unit_kind}部门"
                names = kind_marks(question.unit_kind or "")
            if not any(name in record.text for name in names):
                reason = f"相关条款没有提到{unit}"
        if reason is not None or record.kind == "header":
            return Verdict(hit, ranked, reason, None, 1.0 if reason is None else 0.0)
        signals = self.judge.signals(question, hits, hit, ranked[0][0] if ranked else hit.dense)
        if any(v.decisive for v in question.asks) or question.meta_field in ("in_force", "expires"):
            # the asked value stands in the reply (the checks above); a clause saying when a document takes effect or
            # ceases ("…同时废止") has passed them too
            return Verdict(hit, ranked, None, signals, 1.0)
        if ranked and self.judge.states_now(question, ranked[0][1]):  # the value as it stands, asked for now
            return Verdict(hit, ranked, None, signals, 1.0)
        if ranked and counts_a_measure(question.text) and counted_value(question.text, ranked[0][1]):
            # a count in the question's own measure stands in the best sentence ("多少辆" ~ "淘汰…21597台")
            return Verdict(hit, ranked, None, signals, 1.0)
        if ranked and any(v.name == "share" for v in question.asks) and states_asked_rate(question.text, ranked[0][1]):
            return Verdict(hit, ranked, None, signals, 1.0)  # the rate the question names, with its figure
        # The fitted model where it was fitted on this embedder's similarities, else the lexical floor.
        if self.policy.use_support_model and self.support_model.fits(self.embedder.id):
            probability = self.support_model.probability(signals)
            supported = probability >= self.support_model.threshold
        else:
            probability = hit.coverage
            supported = hit.coverage >= self.policy.min_coverage
        return Verdict(hit, ranked, None if supported else "找到的条款与问题关联不足", signals, probability)

    @staticmethod
    def _compose(intent: Intent, evidence: Evidence) -> str | None:
        if evidence.record_kind == "table_row" and not _prose_row(evidence):
            return COMPOSERS["table"](evidence)  # an indicator row answers as a row, whatever the wording
        if evidence.record_kind == "header" and intent.kind != "meta":  # a document card answers what the document is
            return COMPOSERS["document"](evidence)
        fact = COMPOSERS[intent.compose](evidence)
        if fact is None and intent.compose == "who":
            # No responsibility note: a sentence that itself names who does it still answers.
            return COMPOSERS["sentence"](evidence) if evidence.ranked_sentences else None
        if (
            fact is None
            and intent.compose in ("document", "basis")
            and intent.meta_field != "doc_no"  # a clause's sentence never gives its own document's 文号
            and evidence.record_kind != "header"
        ):
            return COMPOSERS["sentence"](evidence)
        return fact

    def _answer_tasks(self, evidence: Evidence, hits: list[Hit], session_id: str, top_k: int,
                      latency: Callable[[], float], naming: list[str] | None = None) -> Reply:
        question, tasks = evidence.question, evidence.tasks
        fact = COMPOSERS["unit_tasks"](evidence) or ""
        # Every listed task cites its clause: those the search found first, in its order, then the rest in the ledger's
        # (then the clauses of other documents that name the unit, when asked which documents concern it).
        task_ids = list(dict.fromkeys([t.chunk_id for t in tasks] + (naming or [])))
        found = [h for h in hits if h.chunk_id in task_ids]
        seen = {h.chunk_id for h in found}
        listed = [
            self._task_hit(chunk_id)
            for chunk_id in task_ids
            if chunk_id not in seen and chunk_id in self.index.record_by_id
        ]
        cited = found + listed + [h for h in hits if h.chunk_id not in task_ids]
        citations = [h.citation(self.index) for h in cited[:top_k]]
        turn = Turn(
            question=question.text,
            kind=question.intent.name,
            meta_field=None,
            doc_id=cited[0].doc_id if cited else None,
            subject=question.subject,
        )
        self.sessions.put(session_id, turn)
        return Reply(fact + "。", True, citations, question, session_id, latency(), hits=cited, turn=turn)

    def _hit_at(self, record: int, like: Hit) -> Hit:
        """A record the search did not rank first, put in as a hit with the scores of the one it stands in for."""
        return replace(like, record=record, chunk_id=self.index.records[record].chunk_id)

    def _task_hit(self, chunk_id: str) -> Hit:
        """A ledger task's clause as a hit the search did not rank."""
        r = self.index.record_by_id[chunk_id]
        return Hit(
            record=r,
            chunk_id=chunk_id,
            doc_id=self.index.records[r].doc_id,
            score=0.0,
            bm25=0.0,
            dense=0.0,
            coverage=0.0,
        )

    def search(self, query: Any, *, top_k: int | None = None, filters: Filters | None = None) -> list[Citation]:
        text = check_question(query, self.settings.max_question_chars)
        analysed, _, _ = self.understand(text)
        result = self.retriever.search(
            analysed.text,
            self._top_k(top_k),
            filters,
            bonus=self._bonus(analysed, None),
            candidate_bonus=self._heading_bonus(analysed.text),
            promote_sentences=analysed.intent.prefer is None,
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


__all__ = ["DEFAULT_POLICY", "AnswerPolicy", "QaEngine", "Reply", "check_question", "looks_like_follow_up"]
