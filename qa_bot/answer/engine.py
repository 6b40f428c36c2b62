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
from qa_bot.answer.intents import BY_NAME, Intent
from qa_bot.answer.question import DATE_VALUE, CorpusFacts, Question, analyse, counted_value, list_size, place_names, place_words, unit_mentions
from qa_bot.answer.session import SessionStore, Turn
from qa_bot.answer.support import Signals, SupportModel, bigram_share
from qa_bot.errors import BadQuestion
from qa_bot.index.embedders import Embedder, make_embedder
from qa_bot.index.milvus import parse_store
from qa_bot.index.passages import Record
from qa_bot.index.store import LoadedIndex, load_index
from qa_bot.index.tokenize import title_terms
from qa_bot.retrieve import Filters, Hit, Retriever
from qa_bot.retrieve.store import open_store
from qa_bot.settings import Settings
from qa_bot.text.normalize import normalize_text
from qa_bot.text.patterns import DOC_NO as DOC_NO_ANY
from qa_bot.text.vocabulary import STOPWORDS, SYNONYM_GROUPS


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
    follow_up_doc_bonus: float = 0.15  # a follow-up stays in the document of the previous turn
    choose_gap: float = 0.25  # how far below the best hit a hit holding the intent's evidence may rank and be chosen
    min_title_coverage: float = 0.5  # a document question must match the chosen document's title this well
    sentence_term_weight: float = 0.3  # sentence choice: lexical share beside the sentence vector's similarity
    sentence_value_bonus: float = 0.15  # sentence choice: a sentence holding the asked-for value
    use_support_model: bool = True  # the fitted support model (else a lexical coverage floor)
    min_coverage: float = 0.29  # the lexical floor used without the model


DEFAULT_POLICY = AnswerPolicy()
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_FOLLOW_UP_START = re.compile(r"^(那么?|那个|还有|另外|再问一下|同样|此外)")
_FOLLOW_UP_END = re.compile(r"(呢|怎么样|如何)[？?。]*$")
_INTENT_ANCHORS = {"lead": "牵头单位", "units": "责任单位", "deadline": "时间", "figure": "目标", "table": "指标"}
# Words of a document question that name what is asked, not which document: left out when matching titles.
_DOCUMENT_QUESTION_WORDS = re.compile(
    r"文号|几号|号文|发文|字号|成文|日期|印发|发布|哪[天日]|一日|时候|什么|机关|单位|部门|名义|公开|主送|文件|是不是|是否|哪个|哪年|签发|下发|出台|"
    r"还是|市政府办公室|市政府|人民政府办公室|人民政府|由|的|是|哪份|哪一份|这份|通知|依据|根据|贯彻|落实|上级|内容|关于|工作|时间|哪一?天|"
    r"国务院|办公厅|省政府|省人民政府|国家|为"
)
_NOT_SUBJECT = re.compile(
    r"[，。？！?!、：；\s]|哪个|哪些|哪家|哪几|什么|多少|谁|怎么|如何|是否|有没有|是不是|吗|呢|吧|请问|"
    r"单位|部门|牵头|负责|责任|主管|时候|时间|何时|目标|要求|一下|是|的|了|由|要|在|和|与|及|那么|那|还有"
)
_MIN_PHRASE = 3
_ROLE_LEAD = re.compile(r"牵头")
_ROLE_HELP = re.compile(r"配合|参与|协助|责任单位")


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
    signals: Signals | None = None  # what support was decided from (None when a targeted check decided)
    sentence: str | None = None  # the clause sentence the reply was composed from

    def body(self) -> dict[str, Any]:
        return {
            "answer": self.answer,
            "found": self.found,
            "citations": self.citations,
            "latency_ms": round(self.latency_ms, 1),
            "session_id": self.session_id,
            "kind": self.question.kind,
            "intent": self.question.intent.name,
        }


def looks_like_follow_up(text: str) -> bool:
    """Is this (normalised) question worded as a follow-up ("那冷链寄递呢？")? Only such a question uses the previous
    turn; any other is answered the same whatever came before."""
    return len(text) <= 20 and bool(_FOLLOW_UP_START.search(text) or _FOLLOW_UP_END.search(text))


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

    def __init__(self, settings: Settings, index: LoadedIndex, embedder: Embedder, policy: AnswerPolicy = DEFAULT_POLICY,
                 support_model: SupportModel | None = None) -> None:
        self.settings = settings
        self.index = index
        self.embedder = embedder
        self.policy = policy
        self.support_model = support_model if support_model is not None else SupportModel.load()
        target = parse_store(settings.store, collection=settings.milvus_collection, token=settings.milvus_token)
        store = open_store(index, target, dense_weight=settings.fusion_dense_weight)
        self.retriever = Retriever(index, embedder, dense_weight=settings.fusion_dense_weight, candidates=settings.candidates, store=store)
        self.sessions = SessionStore(ttl_seconds=settings.session_ttl_seconds, max_sessions=settings.session_max)
        records = index.records
        clause_of = [index.clause_by_id.get(r.chunk_id, {}) for r in records]
        self._has_units = np.array([bool(c.get("lead_units") or c.get("responsible_units")) for c in clause_of], dtype=np.float32)
        self._has_lead = np.array([bool(c.get("lead_units")) for c in clause_of], dtype=np.float32)
        self._kind_mask = {kind: np.array([r.kind == kind for r in records], dtype=np.float32) for kind in ("header", "table_row")}
        self._doc_of = np.array([r.doc_id for r in records])
        self._titles = {d["doc_id"]: (d.get("plan_title") or "") + (d.get("title") or "") for d in index.documents}
        self._title_terms = {d["doc_id"]: {t for title in (d.get("title") or "", d.get("plan_title") or "") for t in title_terms(title)} for d in index.documents}
        # Units a question can name; references to many units ("各县（市）区", "有关部门") name none in particular.
        units = sorted(
            {u for c in clause_of for u in (c.get("lead_units") or []) + (c.get("responsible_units") or []) if not u.startswith(("各", "有关", "相关", "其他"))},
            key=len,
            reverse=True,
        )
        # A title term that every document shares ("锦州市") names no document in particular.
        shared = set.intersection(*self._title_terms.values()) if self._title_terms else set()
        self.corpus = CorpusFacts(units=tuple(units), title_terms=tuple(sorted({t for ts in self._title_terms.values() for t in ts} - shared)))
        self.corpus = replace(self.corpus, find_units=self._find_units)
        self._corpus_text = "\n".join(r.text + r.context for r in records)
        # Places every document is about (its issuer's city): questions naming them are never "another place".
        self._home_places = {p for d in index.documents for p in place_names((d.get("issuer") or "") + (d.get("plan_title") or ""))}

    @classmethod
    def load(cls, settings: Settings) -> QaEngine:
        index = load_index(settings.index_dir)
        embedder = make_embedder(index.manifest.embedder_spec)
        return cls(settings, index, embedder)

    # -- understanding ------------------------------------------------------------------------------------------------
    def understand(self, text: str, previous: Turn | None = None) -> tuple[Question, str, str | None]:
        """The analysed question, the retrieval query, and the document a follow-up continues."""
        question = analyse(text, self.corpus)
        question = replace(question, doc_nos=tuple(self._known_doc_no(d) for d in question.doc_nos))
        if previous is None or not looks_like_follow_up(question.text):
            return question, question.text, None
        subject = _FOLLOW_UP_END.sub("", _FOLLOW_UP_START.sub("", question.text)).strip("，,？? ")
        intent = question.intent
        if intent.name == "content":
            intent = BY_NAME.get(previous.kind) or next((i for i in BY_NAME.values() if i.meta_field and i.meta_field == previous.meta_field), intent)
        query = f"{subject} {_INTENT_ANCHORS.get(intent.name, '')}".strip()
        return replace(question, intent=intent, subject=subject, flags=frozenset({"follow_up"})), query, previous.doc_id

    def _find_units(self, text: str) -> tuple[str, ...]:
        """The units a text names, by any alias the ledger knows (市发改委, 中国人民银行…), as the notes spell them."""
        ledger = self.index.ledger
        named = list(unit_mentions(text, self.corpus.units))
        for unit in ledger.mentions(text):
            for raw in self.corpus.units:
                if raw not in named and ledger.resolve_unit(raw).name == unit.name:
                    named.append(raw)
        return tuple(named)

    def _known_doc_no(self, doc_no: str) -> str:
        """Map a 文号 found in a question onto an indexed one it ends with (a pattern may sweep up a word)."""
        if doc_no in self.index.doc_by_no:
            return doc_no
        return next((known for known in self.index.doc_by_no if doc_no.endswith(known)), doc_no)

    def named_documents(self, question: Question, *, every: bool = False) -> list[str]:
        """Documents the question names: by 文号, else by the key terms of their titles (the most specific match, or
        `every` document named)."""
        by_no = [d["doc_id"] for d in self.index.documents if d.get("doc_no") in question.doc_nos]
        text = DOC_NO_ANY.sub(" ", question.text)
        scores = {doc_id: sum(len(t) for t in terms if t in text and t in self.corpus.title_terms) for doc_id, terms in self._title_terms.items()}
        if every:
            return list(dict.fromkeys(by_no + [doc_id for doc_id, score in scores.items() if score]))
        if by_no:
            return by_no
        best = max(scores.values(), default=0)
        return [doc_id for doc_id, score in scores.items() if best and score == best]

    # -- retrieval preferences ----------------------------------------------------------------------------------------
    def _bonus(self, question: Question, follow_doc: str | None) -> np.ndarray:
        p = self.policy
        bonus = np.zeros(len(self.index.records), dtype=np.float32)
        named = self.named_documents(question)
        for doc_id in named:
            bonus += p.named_doc_bonus * (self._doc_of == doc_id)
        prefer = question.intent.prefer
        if prefer == "header":
            bonus += p.header_bonus * self._kind_mask["header"]
            for doc_id in named:
                bonus += p.header_bonus * self._kind_mask["header"] * (self._doc_of == doc_id)
        elif prefer == "table_row":
            bonus += p.table_row_bonus * self._kind_mask["table_row"]
        elif prefer in ("units", "lead"):
            bonus += p.units_bonus * self._has_units
            if "牵头" in question.text:
                bonus += p.lead_bonus * self._has_lead
        if follow_doc:
            bonus += p.follow_up_doc_bonus * (self._doc_of == follow_doc)
        return bonus

    def _heading_bonus(self, query: str) -> Callable[[Record], float] | None:
        """When a question is essentially a task's name ("那冷链寄递呢？", "冷链寄递谁牵头"), prefer the clause whose own
        heading carries that name. A phrase of the document's title names the whole document, not a task."""
        phrases = [p for p in _NOT_SUBJECT.split(normalize_text(query)) if len(p) >= _MIN_PHRASE]
        if len(phrases) != 1 or not self.policy.heading_bonus:
            return None
        phrase = phrases[0]
        weight = self.policy.heading_bonus

        def bonus(record: Record) -> float:
            if phrase in self._titles.get(record.doc_id, ""):
                return 0.0
            return weight if phrase in record.section.rsplit(" > ", 1)[-1] else 0.0

        return bonus

    # -- evidence -----------------------------------------------------------------------------------------------------
    def _scope(self, record: Record) -> str:
        """What a record speaks for: its text, its section and document titles, and the documents it rests on."""
        document = self.index.doc_by_id[record.doc_id]
        basis = "".join(b["title"] for b in document.get("basis") or [])
        return record.text + record.context + (document.get("plan_title") or "") + document.get("title", "") + basis

    def rank_sentences(self, question: Question, hit: Hit, query_vector: np.ndarray, terms: dict[str, float]) -> list[tuple[float, str]]:
        """The clause's sentences, best answer first: closeness of the sentence's vector to the question's, the share of
        the question's terms it holds, and whether it holds the value the question asks for."""
        rows = self.index.record_sentence_rows.get(hit.record, [])
        if not rows:
            return []
        p = self.policy
        sims = self.index.sentence_vectors[rows] @ query_vector
        idf = self.index.bm25.term_idf
        total = sum(w * idf(t) for t, w in terms.items()) or 1.0
        needed = question.value_needed()
        out = []
        for row, sim in zip(rows, sims, strict=True):
            text = self.index.sentence_texts[row]
            lowered = text.lower()
            share = sum(w * idf(t) for t, w in terms.items() if t in lowered) / total
            holds = any(v.holds is not None and v.holds.search(text) for v in question.asks) or bool(needed and needed.search(text))
            own = [f for f in re.findall(r"\d+(?:\.\d+)?%?", question.text)]
            echoes = all(f in text for f in own) if own else False  # the question's own years and figures
            score = float(sim) + p.sentence_term_weight * share + p.sentence_value_bonus * (holds + echoes)
            out.append((score, text))
        out.sort(key=lambda pair: -pair[0])
        return out

    def missing_value(self, question: Question, record: Record, best_sentence: str | None) -> str | None:
        """The reason this evidence cannot answer what the question asks for (its intent's evidence, an asked value,
        a needed figure or date), or None."""
        clause = self.index.clause_by_id.get(record.chunk_id, {})
        if record.kind == "header":  # a document card answers what the document is, not a figure, date or unit
            return None if question.kind in ("meta", "content") and not question.asks else "文件信息中没有所问的内容"
        if question.intent.needs_units and not (clause.get("lead_units") or clause.get("responsible_units")):
            if question.intent.name != "unit_tasks" and not self._names_a_body(record.text):
                return "相关条款没有写明牵头或责任单位"
        if record.kind == "table_row":
            return self._missing_table_value(question, clause, wants_number=bool(question.asks) or question.intent.name == "figure")
        body = record.text
        for value in question.asks:
            if value.name == "place":
                if not self._names_new_place(question, body):
                    return f"相关条款没有给出具体的{value.label}"
            elif value.name == "count":
                if not counted_value(question.text, self._value_text(record)):
                    return f"相关条款没有给出具体的{value.label}"
            elif value.name == "items":
                if not self._has_list(question, body):
                    return f"相关条款没有列出{value.label}"
            elif value.holds is not None and not value.holds.search(self._value_text(record)):
                return f"相关条款没有给出具体的{value.label}"
        needed = question.value_needed()
        if needed is not None:
            if question.intent.name == "deadline" and clause.get("deadline"):
                return None
            if not needed.search(self._value_text(record)):
                return "相关条款没有给出具体的" + ("时间" if needed is DATE_VALUE else "数字")
        return None

    @staticmethod
    def _missing_table_value(question: Question, clause: dict[str, Any], *, wants_number: bool) -> str | None:
        """An indicator row answers unless the period asked for is left blank ("—") in the table, or a question
        asking how much meets a row that states no number for any period."""
        cells = dict((clause.get("table") or {}).get("cells") or [])
        periods = [v for k, v in cells.items() if re.search(r"\d{4}", k)]
        if wants_number and periods and not any(re.search(r"\d", v) for v in periods):
            return "指标表没有给出具体数值"
        for year in question.years:
            value = next((v for k, v in cells.items() if str(year) in k), None)
            if value is not None and value.strip(" —-－") == "":
                return f"指标表没有给出{year}年的数值"
        return None

    def _names_a_body(self, text: str) -> bool:
        """Does a clause without a responsibility note still say who does it (a unit of the corpus, a 领导小组)?"""
        return any(u in text for u in self.corpus.units) or bool(re.search(r"领导小组|委员会|联席会议", text))

    def _value_text(self, record: Record) -> str:
        """Where a figure may stand: the clause without its item number ("16.") and its responsibility note."""
        rows = self.index.record_sentence_rows.get(self.index.record_by_id.get(record.chunk_id, -1), [])
        text = "".join(self.index.sentence_texts[r] for r in rows) or record.text
        return re.sub(r"^\s*(\d+[.．、]|[（(][一二三四五六七八九十\d]+[）)]|[一二三四五六七八九十]+、)", "", text)

    def _names_new_place(self, question: Question, text: str) -> bool:
        """Does text name a particular place the question does not (a county, a port), beyond the home city?"""
        home = self._home_places
        return any(
            len(w) >= 2 and w not in question.text and w[0] not in "各全本该" and not any(h in w for h in home)
            for w in place_words(text)
        )

    @staticmethod
    def _has_list(question: Question, text: str) -> bool:
        """Does text list the items asked for (as many as the question says, "哪四个方面"), in the sentence that
        holds the quoted term when the question quotes one?"""
        want = list_size(question.text) or 2
        sentences = [s for s in re.split(r"[。；]", text) if all(q in s for q in question.quoted)]
        for sentence in sentences:
            items = [p for p in re.split(r"[、，]", sentence) if p.strip()]
            if len(items) >= want and "、" in sentence:
                return True
        return any(re.search(r"一是.{2,}二是", s) for s in sentences)

    def unsupported_reason(self, question: Question, best: Hit | None, best_sentence: str | None) -> str | None:
        """The targeted checks: why the best evidence cannot answer the question, or None when none applies."""
        if best is None:
            return "没有检索到相关条款"
        missing = [d for d in question.doc_nos if d not in self.index.doc_by_no]
        if missing:
            return f"未收录文号为{missing[0]}的文件"
        record = self.index.records[best.record]
        scope = self._scope(record)
        place = self._missing_place(question, scope)
        if place:
            return f"已收录的文件中没有关于{place}的内容" if place not in self._corpus_text else f"相关条款没有提到{place}"
        code = next((c for c in question.codes if not _mentions(scope, c)), None)
        if code:
            return f"相关条款没有提到{code}"
        quoted = next((q for q in question.quoted if q not in scope), None)
        if quoted and record.kind != "header":
            return f"相关条款没有提到“{quoted}”"
        if record.kind == "header" and question.kind == "meta" and not question.doc_nos and record.doc_id not in self.named_documents(question):
            if self._title_coverage(question, self._titles.get(record.doc_id, "")) < self.policy.min_title_coverage:
                return "没有找到题目相符的文件"
        absent_years = [y for y in question.years if str(y) not in scope]
        if absent_years:
            return f"文件中没有{absent_years[0]}年的相关内容"
        return self.missing_value(question, record, best_sentence)

    def _missing_place(self, question: Question, scope: str) -> str | None:
        """A place the question names that the evidence does not: the question is about another place. A word jieba
        merely tags as a place ("河里") counts only when written with an administrative suffix, in the question or in
        the corpus."""
        for place in question.places:
            if place[0] in "各全本我该外省市县区" or place in self._home_places or place in scope:
                continue
            suffixed = re.compile(rf"{re.escape(place)}(市|省|县|区|州|镇|乡|村)")
            if suffixed.search(question.text) or self._corpus_place(place):
                return place
        return None

    def _corpus_place(self, place: str) -> bool:
        """Does the corpus write this word as a place, with its administrative suffix ("凌海市", not "城市区域")?"""
        for m in re.finditer(rf"{re.escape(place)}(市|省|县|区|州|镇|乡|村)", self._corpus_text):
            window = self._corpus_text[max(0, m.start() - 3) : m.end() + 3]
            if m.group(0) in place_words(window):
                return True
        return False

    def _title_coverage(self, question: Question, title: str) -> float:
        """Share of the question's own words (document-question words aside) found in a document's title."""
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

    def _holds(self, question: Question, hit: Hit, *, units: bool) -> bool:
        """Does this hit hold what the question needs: its years, the asked-for value, and (`units`) a responsibility note?"""
        record = self.index.records[hit.record]
        if question.years and record.kind != "header" and any(str(y) not in self._scope(record) for y in question.years):
            return False
        if units and question.intent.prefer in ("units", "lead") and not self._has_units[hit.record]:
            return False
        scope = self._scope(record)
        if any(not _mentions(scope, code) for code in question.codes) or any(q not in scope for q in question.quoted):
            return False
        return self.missing_value(question, record, None) is None

    def _choose(self, question: Question, hits: list[Hit]) -> Hit:
        """The hit to answer from: the best one, unless a close runner-up holds what the intent needs and it does not
        (a who-question first looks for a clause with a responsibility note)."""
        top = hits[0]
        gap = self.policy.choose_gap
        close = [h for h in hits[:5] if h is top or (h.score >= top.score - gap and h.coverage >= top.coverage - gap)]
        for units in (True, False):
            for hit in close:
                if self._holds(question, hit, units=units):
                    return hit
        return top

    def _titles_display(self, doc_id: str) -> str:
        document = self.index.doc_by_id[doc_id]
        return str(document.get("plan_title") or document.get("title"))

    # -- the ledger view ----------------------------------------------------------------------------------------------
    def unit_tasks(self, question: Question) -> list[dict[str, Any]]:
        """The named unit's tasks from the ledger (any alias), filtered by the role and the document the question names."""
        mentioned = self.index.ledger.mentions(question.text)
        if not mentioned:
            return []
        names_document = bool(question.doc_nos) or any(t in question.text for t in self.corpus.title_terms)
        named = self.named_documents(question) if names_document else []
        role = "lead" if _ROLE_LEAD.search(question.text) and not _ROLE_HELP.search(question.text) else None
        tasks = [t for t in self.index.ledger.tasks(mentioned[0].name, role=role) if not named or t.doc_id in named]
        if _ROLE_HELP.search(question.text) and not _ROLE_LEAD.search(question.text):
            tasks = [t for t in tasks if t.role != "lead"]
        return [{"title": t.title, "task": t.task, "role": t.role, "chunk_id": t.chunk_id, "unit": t.unit} for t in tasks]

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
            candidate_bonus=self._heading_bonus(query),
        )
        hits = result.hits

        def latency() -> float:
            return (time.perf_counter() - started) * 1000

        def not_found(reason: str, signals: Signals | None = None) -> Reply:
            citations = [h.citation(self.index) for h in hits[:3]]
            return Reply(not_found_reply(reason, citations), False, citations, analysed, session_id, latency(), reason=reason,
                         hits=hits, turn=previous, signals=signals)

        if analysed.intent.name == "doc_compare":
            named = self.named_documents(analysed, every=True)
            docs = [self.index.doc_by_id[d] for d in named] if len(named) >= 2 else self.index.documents
            fact = COMPOSERS["documents"](Evidence(analysed, "header", "", {}, {}, documents=docs))
            if fact is not None:
                return Reply(fact + "。", True, [h.citation(self.index) for h in hits[:top_k]], analysed, session_id, latency(), hits=hits)
        if analysed.intent.name == "gazette":
            fact = COMPOSERS["gazette"](Evidence(analysed, "header", "", {}, {}, documents=self.index.documents))
            if fact is None or analysed.asks or "期" not in analysed.text + fact:
                return not_found("公报只载明刊期和所收文件")
            return Reply(fact + "。", True, [h.citation(self.index) for h in hits[:top_k]], analysed, session_id, latency(), hits=hits)
        if analysed.intent.name == "unit_tasks":
            tasks = self.unit_tasks(analysed)
            if tasks:
                return self._answer_tasks(analysed, tasks, hits, session_id, top_k, latency)
            analysed = replace(analysed, intent=BY_NAME["content"], flags=analysed.flags | {"unit_in_text"})
        chosen = self._choose(analysed, hits) if hits else None
        ranked = self.rank_sentences(analysed, chosen, query_vector, result.terms) if chosen is not None else []
        best_sentence = ranked[0][1] if ranked else None
        reason = self.unsupported_reason(analysed, chosen, best_sentence)
        if reason is None and chosen is not None and "unit_in_text" in analysed.flags:
            # No responsibility note gives the unit a task: only a clause that itself names the unit can say what it does.
            unit = analysed.named_units[0]
            if unit not in self.index.records[chosen.record].text and re.sub(r"^(市委|市)", "", unit) not in self.index.records[chosen.record].text:
                reason = f"相关条款没有提到{unit}"
        if chosen is None or reason is not None:
            return not_found(reason or "没有检索到相关条款")
        record = self.index.records[chosen.record]
        signals = None
        if record.kind != "header":
            signals = self.signals(analysed, hits, chosen, ranked[0][0] if ranked else chosen.dense)
            supported = self.support_model.supports(signals) if self.policy.use_support_model else chosen.coverage >= self.policy.min_coverage
            if not supported:
                return not_found("找到的条款与问题关联不足", signals)
        evidence = Evidence(
            question=analysed,
            record_kind=record.kind,
            text=record.text,
            clause=self.index.clause_by_id.get(record.chunk_id, {}),
            document=self.index.doc_by_id[record.doc_id],
            ranked_sentences=[s for _, s in ranked],
            documents=self.index.documents,
        )
        fact = self._compose(analysed.intent, evidence)
        if fact is None:
            return not_found("相关条款没有给出所问的内容", signals)
        ordered = [chosen] + [h for h in hits if h is not chosen]
        citations = [h.citation(self.index) for h in ordered[:top_k]]
        answer = fact.rstrip("。；;，,") + "。" + citation_suffix(citations[0])
        turn = Turn(question=text, kind=analysed.intent.name, meta_field=analysed.meta_field, doc_id=chosen.doc_id, subject=analysed.subject)
        self.sessions.put(session_id, turn)
        return Reply(answer, True, citations, analysed, session_id, latency(), hits=ordered, turn=turn, signals=signals, sentence=best_sentence)

    @staticmethod
    def _compose(intent: Intent, evidence: Evidence) -> str | None:
        if evidence.record_kind == "table_row":  # an indicator row answers as a row, whatever the wording
            return COMPOSERS["table"](evidence)
        if evidence.record_kind == "header" and intent.kind != "meta":  # a document card answers what the document is
            return COMPOSERS["document"](evidence)
        fact = COMPOSERS[intent.compose](evidence)
        if fact is None and intent.compose == "who":
            # No responsibility note: a sentence that itself names who does it still answers.
            return COMPOSERS["sentence"](evidence) if evidence.ranked_sentences else None
        if fact is None and intent.compose in ("document", "basis") and evidence.record_kind != "header":
            return COMPOSERS["sentence"](evidence)
        return fact

    def _answer_tasks(self, question: Question, tasks: list[dict[str, Any]], hits: list[Hit], session_id: str, top_k: int,
                      latency: Callable[[], float]) -> Reply:
        evidence = Evidence(question, "ledger", "", {}, {}, tasks=tasks)
        fact = COMPOSERS["unit_tasks"](evidence) or ""
        by_id = {h.chunk_id: h for h in hits}
        cited = [by_id[t["chunk_id"]] for t in tasks if t["chunk_id"] in by_id]
        cited += [h for h in hits if h not in cited]
        citations = [h.citation(self.index) for h in cited[:top_k]]
        turn = Turn(question=question.text, kind=question.intent.name, meta_field=None, doc_id=cited[0].doc_id if cited else None, subject=question.subject)
        self.sessions.put(session_id, turn)
        return Reply(fact + "。", True, citations, question, session_id, latency(), hits=cited, turn=turn)

    def search(self, query: Any, *, top_k: int | None = None, filters: Filters | None = None) -> list[dict[str, Any]]:
        text = check_question(query, self.settings.max_question_chars)
        analysed, _, _ = self.understand(text)
        result = self.retriever.search(
            analysed.text, self._top_k(top_k), filters, bonus=self._bonus(analysed, None), candidate_bonus=self._heading_bonus(analysed.text)
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
