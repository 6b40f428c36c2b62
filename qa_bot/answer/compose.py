"""Compose a short reply from the chosen evidence; one composer per way of answering (intents name theirs).

A composer returns the reply's fact, or None when the evidence does not hold what its intent needs (the engine then
says not found, with the closest clauses).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field

from qa_bot.answer.intents import ROLE_CHOICE
from qa_bot.answer.question import EXPIRY_VALUE, IN_FORCE_VALUE, Question, counted_value
from qa_bot.ledger import Task
from qa_bot.parse.issuers import short_issuer
from qa_bot.parse.model import Clause, Document
from qa_bot.parse.numbering import match_decimal_heading, text_on_heading_line
from qa_bot.retrieve.citation import Citation
from qa_bot.text.normalize import normalize_text
from qa_bot.text.patterns import chinese_date, match_heading
from qa_bot.text.vocabulary import kind_marks

FACT_MAX = 110
MAX_LISTED_UNITS = 20  # a who-reply lists every unit up to this many ("等N个单位" hid the unit asked about)
MAX_LISTED_TASKS = 8
_COUNT_ASK = re.compile(r"几个|多少个|几家|多少家|有几|共几")
_DOCUMENTS_COUNTED = re.compile(r"(几|多少)(个|份|件)(文件|文)")
# A part asking who else has the task ("责任单位是谁？", "还有哪些单位？"): a reply of one task names them.
_ASKS_OTHERS = re.compile(r"(责任|配合|参与)单位(是|有)(谁|哪)|还有(谁|哪些|哪个|哪几)")
_TASKS_COUNTED = re.compile(r"(几|多少)(个|项|条|件)(?!文件|文|单位|部门|领导|[县区市])")


@dataclass
class Evidence:
    """What a composer works from: the question, the chosen record with its clause and document, and the sentences
    of the clause ranked for the question (best first)."""

    question: Question
    record_kind: str
    text: str
    clause: Clause | None  # None for a document card or the ledger
    document: Document | None  # None when the reply is about several documents or the ledger
    ranked_sentences: list[str] = field(default_factory=list)
    documents: list[Document] = field(default_factory=list)
    tasks: list[Task] = field(default_factory=list)  # for unit_tasks: every clause naming the unit
    shared_only: bool = False  # asked for the tasks no other unit shares, and every one of them is shared
    none_in_role: bool = False  # asked for the tasks it leads (or helps with), it has none: these are its others
    also: list[str] = field(default_factory=list)  # sentences holding the values the question's other parts ask
    # notes giving a document's following tasks to the unit: (document, heading of the task it stands under, words)
    standing: list[tuple[Document, str, str]] = field(default_factory=list)


def citation_suffix(citation: Citation, *, levels: int = 2) -> str:
    """'（《title》文号，section）' — the reference every reply ends with (a document whose copy lost its title: its
    文号 alone)."""
    section = citation.section or ""
    parts = section.split(" > ")
    short_section = " > ".join(parts[-levels:]) if parts else section
    return f"（{document_label(citation)}，{short_section}）"


def document_label(citation: Citation) -> str:
    """How a reply names a cited document: "《title》文号", its 文号 alone when the copy lost its title, and by its
    id when the copy printed neither."""
    if not citation.title:
        return _untitled(citation.doc_no, citation.doc_id)
    return f"《{citation.title}》" + (citation.doc_no or "")


def _untitled(doc_no: str | None, doc_id: str) -> str:
    """A document whose copy lost its title: by its 文号, else by its id (never an empty 《》)."""
    return doc_no or f"未标明标题的文件（{doc_id}）"


def list_units(units: list[str], limit: int = MAX_LISTED_UNITS) -> str:
    if len(units) <= limit:
        return "、".join(units)
    return "、".join(units[:limit]) + f"等{len(units)}个单位"


def _of_kind(units: list[str], kind: str) -> list[str]:
    marks = kind_marks(kind)
    return [u for u in units if any(m in u for m in marks)]


def who(ev: Evidence) -> str | None:
    """Who does it (_units_said), after the sentences answering the question's other parts ("下降多少？由谁负责？")."""
    units = _units_said(ev)
    if units is None or not ev.also:
        return units
    said = [shorten(_strip_heading(s), part) for s, part in zip(ev.also, ev.question.also, strict=False)]
    return "。".join(s.rstrip("。；;，,") for s in said) + "。" + units


def _units_said(ev: Evidence) -> str | None:
    """Lead and responsible units of the clause: the complete list, the units of an asked kind, the units besides
    the excluded ones, or whether a named unit is listed."""
    lead, responsible = (list(ev.clause.lead_units), list(ev.clause.responsible_units)) if ev.clause else ([], [])
    if not lead and not responsible:
        return None
    q = ev.question
    name = q.intent.name
    if name == "exclusion":
        excluded = set(q.named_units)
        lead_rest = [u for u in lead if u not in excluded]
        resp_rest = [u for u in responsible if u not in excluded]
        parts = []
        if lead_rest:
            parts.append(f"牵头单位还有{list_units(lead_rest)}")
        if resp_rest:
            parts.append(f"责任单位有{list_units(resp_rest)}（共{len(resp_rest)}个）")
        if not parts:
            return f"该条只列了{'、'.join(q.named_units)}，没有其他单位"
        return f"除{'、'.join(q.named_units)}外，" + "；".join(parts)
    if name == "unit_kind" and q.unit_kind:
        lead_k, resp_k = _of_kind(lead, q.unit_kind), _of_kind(responsible, q.unit_kind)
        if not lead_k and not resp_k:
            return f"该条没有列出{q.unit_kind}类单位（{_full(lead, responsible)}）"
        parts = ([f"{'、'.join(lead_k)}（牵头）"] if lead_k else []) + (
            [f"{'、'.join(resp_k)}（责任单位）"] if resp_k else []
        )
        return f"该条列出的{q.unit_kind}类单位：" + "，".join(parts)
    if name == "unit_check" and q.named_units:
        verdicts = []
        choice = re.search(ROLE_CHOICE, q.text) is not None  # 牵头还是配合: the role, not a yes
        for unit in q.named_units:
            if unit in lead:
                verdicts.append(f"{unit}是牵头单位" if choice else f"是，{unit}是牵头单位")
            elif unit in responsible:
                verdicts.append(f"{unit}是责任单位之一，不牵头" if choice else f"是，{unit}是责任单位之一")
            else:
                verdicts.append(f"该条未列{unit}")
        # a note giving the document's following tasks to the unit once for all answers for the clauses it stands over
        standing = [n for n in ev.standing if ev.document is not None and n[0].doc_id == ev.document.doc_id]
        return "；".join(verdicts) + "（" + _full(lead, responsible) + "）" + _standing(standing)
    count = ""
    if _COUNT_ASK.search(q.text):
        asked = lead if (name == "lead" and lead) else lead + responsible
        count = f"共{len(asked)}个："
    if name == "lead" and not lead:
        return count + f"该条未写明牵头单位，由{list_units(responsible)}按职责分工负责"
    return count + _full(lead, responsible)


def _full(lead: list[str], responsible: list[str]) -> str:
    if lead and responsible:
        return f"{'、'.join(lead)}牵头，{list_units(responsible)}按职责分工负责"
    if lead:
        return f"{'、'.join(lead)}牵头"
    return f"由{list_units(responsible)}负责"


def _document_ref(title: str, doc_no: str | None, doc_id: str) -> str:
    """A document as a reader names it: 《title》 and its 文号 (one without title as _untitled names it)."""
    if not title:
        return _untitled(doc_no, doc_id)
    return f"《{title}》" + (f"（{doc_no}）" if doc_no else "")


def _titled(task: Task) -> str:
    return _document_ref(task.title, task.doc_no, task.doc_id)


def unit_tasks(ev: Evidence) -> str | None:
    """A unit's tasks across the documents: how many, as lead or not, grouped by document (the ledger's view)."""
    if not ev.tasks:
        return None
    units = list(dict.fromkeys(t.unit for t in ev.tasks))
    unit = "、".join(units)
    by_doc: dict[str, list[Task]] = {}
    for task in ev.tasks:
        by_doc.setdefault(_titled(task), []).append(task)
    leads = sum(1 for t in ev.tasks if t.role == "lead")
    dated = "有完成时限的" if "deadline" in ev.question.flags else ""
    counted = _DOCUMENTS_COUNTED.search(ev.question.text)  # "几个文件" is answered "4个文件", "几份" "4份"
    head = f"{unit}在{len(by_doc)}{counted.group(2) if counted else '份'}文件中有{len(ev.tasks)}项{dated}任务" + (
        f"（牵头{leads}项）" if leads else "（均为配合，不牵头）"
    )
    sole_lead = "sole_lead" in ev.question.flags
    if "absent" in ev.question.flags:  # the tasks whose notes leave the unit out
        listed = "。".join(f"{title}：{'；'.join(t.task for t in tasks)}" for title, tasks in by_doc.items())
        return f"没有列{unit}的任务共{len(ev.tasks)}项：{listed}"
    if ev.shared_only:
        alone = "单独牵头" if sole_lead else "单独承担"
        head = f"没有只由{unit}{alone}的任务：{head}，都与其他单位共同{'牵头' if sole_lead else '承担'}"
    elif sole_lead:
        head = f"只由{unit}一家牵头的任务{len(ev.tasks)}项"
    elif "sole_unit" in ev.question.flags:
        head = f"只由{unit}承担（没有其他单位）的任务{len(ev.tasks)}项"
    if ev.none_in_role:  # the role asked has no task: say so before the tasks it has
        head = f"没有{'牵头' if leads == 0 else '配合'}的任务。{head}"
    tally = _TASKS_COUNTED.search(ev.question.text)  # "牵头的有几个": the count first, in the question's measure
    if tally and not ev.shared_only and not ev.none_in_role:
        head = f"共{len(ev.tasks)}{tally.group(2)}。{head}"
    if len(ev.tasks) == 1:  # one task: what the clause says, not only its name
        task = ev.tasks[0]
        said = _strip_heading(task.text).removeprefix(task.task).lstrip("。；; ").split("。")[0]
        said = said if len(said) <= FACT_MAX else said[:FACT_MAX] + "……"
        role = "（牵头）" if task.role == "lead" else ""
        when = f"（{task.deadline}）" if dated and task.deadline else ""
        said += "".join(f"。{s.rstrip('。；;，,')}" for s in ev.also if s.rstrip("。；;，,") not in said)
        if _ASKS_OTHERS.search(ev.question.text) and (task.co_lead or task.co_responsible or task.references):
            said += "。" + _full([*task.co_lead], [*task.co_responsible, *task.references])
        reply = f"{head}：{_titled(task)}{task.section.rsplit(' > ', 1)[-1]}{role}{when}：{said}"
        return reply + _mentioned_in(ev.documents, unit) + _standing(ev.standing)
    items = []
    for title, tasks in by_doc.items():
        names = [
            t.task
            + ("（牵头）" if t.role == "lead" else "")
            + (f"（{t.unit}）" if len(units) > 1 else "")
            + (f"（{t.deadline}）" if dated and t.deadline else "")
            for t in tasks[:MAX_LISTED_TASKS]
        ]
        more = f"等{len(tasks)}项" if len(tasks) > MAX_LISTED_TASKS else ""
        items.append(f"{title}：{'；'.join(names)}{more}")
    return head + "：" + "。".join(items) + _mentioned_in(ev.documents, unit) + _standing(ev.standing)


def _standing(notes: list[tuple[Document, str, str]]) -> str:
    """Notes that give a document's following tasks to the unit once for all, its later notes not naming it."""
    said = []
    for document, heading, note in notes:
        where = f"在“{heading}”的分工中" if heading else ""
        named = _document_ref(document.display_title, document.doc_no, document.doc_id)
        said.append(f"。另外，{named}{where}写明“{note}”")
    return "".join(said)


def _mentioned_in(documents: list[Document], unit: str) -> str:
    """The documents that name the unit in their text without giving it a task in a note."""
    if not documents:
        return ""
    named = "、".join(_document_ref(d.display_title, d.doc_no, d.doc_id) for d in documents)
    return f"。另在{named}的正文中提到{unit}（未列为牵头或责任单位）"


# Units a table prints as symbols, said as a reader says them; a unit in Chinese measure words is said as printed.
_UNIT_SYMBOLS = {
    "μg/m³": "微克/立方米", "mg/m³": "毫克/立方米", "mg/L": "毫克/升", "km": "公里", "km²": "平方公里", "m²": "平方米",
    "m³": "立方米", "t": "吨", "kWh": "千瓦时", "kW": "千瓦", "hm²": "公顷",
}
_MEASURE_UNIT = re.compile(
    r"^(万|亿|千|百)?(吨标准煤|吨|亩|公顷|公里|千米|平方公里|平方米|立方米|米|千瓦时|千瓦|元|人|户|个|座|辆|家|处|项|天|小时|分贝)$"
)


def _unit_said(printed: str) -> str:
    """The unit a value of the row is said with: "%" as printed, "μg/m³" as 微克/立方米, "万吨" as printed; nothing
    for a bracket that is no unit ("累计")."""
    if printed in ("%", "％", "‰"):
        return printed
    printed = printed.replace(" ", "")
    return _UNIT_SYMBOLS.get(printed) or (printed if _MEASURE_UNIT.match(printed) else "")


_ASKS_PAGE = re.compile(r"网上|网站|网页|官网|网络上")  # a date asked of the page that published the document


def table(ev: Evidence) -> str | None:
    """An indicator row: its name, each period's value with the row's unit, and the indicator's category."""
    cells = ev.clause.table.cells if ev.clause and ev.clause.table else ()
    if not cells:
        return sentence(ev)
    key, _, values = ev.text.partition("：")
    unit = re.search(r"[（(]([%‰％]|[^（）()]{1,8})[）)]\s*$", key)
    suffix = _unit_said(unit.group(1)) if unit else ""
    parts = []
    for part in (p.strip() for p in values.split("；") if p.strip()):
        if suffix and re.search(r"\d$", part):
            part += suffix
        parts.append(part)
    return f"{key}：" + "，".join(parts)


def document(ev: Evidence) -> str | None:
    """A fact about the document itself: its 文号, date, issuer, addressees, publicity or what it is."""
    d = ev.document
    if d is None:
        return None
    title = d.display_title
    named = _document_ref(title, d.doc_no, d.doc_id)
    date = chinese_date(d.date)
    field_ = ev.question.meta_field
    if field_ == "doc_no":
        # a document that prints no 文号 does not answer "文号是多少": not found, rather than "（无文号）"
        return f"{_document_ref(title, None, d.doc_id)}的文号是{d.doc_no}" if d.doc_no else None
    if field_ == "date":
        if d.published and _ASKS_PAGE.search(ev.question.text):  # "在网上是哪天发布的": the page's date
            own = f"（成文日期{date}）" if d.date else "（文件未载成文日期）"
            return f"{named}的网页发布日期为{chinese_date(d.published)}{own}"
        if not d.date and d.published:  # the page that carried it is dated: say so, and that the document is not
            return f"{named}未载成文日期；刊载它的网页发布日期为{chinese_date(d.published)}"
        if not d.date:
            return None  # the document states no date: not found, rather than "（未注明）"
        return f"{named}的成文日期是{date}" + (f"，由{d.issuer}印发" if d.issuer else "")
    if field_ == "signer":
        signers = d.signers
        return f"{named}由{'、'.join(signers)}签署" if signers else None
    if field_ == "issuer":
        if not d.issuer:
            return None
        return f"{named}由{d.issuer}印发" + (f"，成文日期{date}" if d.date else "")
    if field_ == "publicity":
        return f"{named}标注“{d.publicity or '未标注公开属性'}”"
    if field_ == "addressees":
        return f"{named}主送：{d.addressees}" if d.addressees else None
    issued = f"由{d.issuer}" if d.issuer else ""
    issued += f"于{date}" if d.date else ""
    said = f"{d.doc_no}是《{title}》" if d.doc_no and title else _document_ref(title, d.doc_no, d.doc_id)
    return said + (f"，{issued}印发" if issued else "")


def in_force(ev: Evidence) -> str | None:
    """When the document takes effect (or ceases to): its record's date, else the sentence of its text that says so."""
    d = ev.document
    if d is None:
        return None
    expires = ev.question.meta_field == "expires"
    date = d.expires if expires else d.in_force
    named = f"《{d.display_title}》" + (f"（{d.doc_no}）" if d.doc_no else "")
    if date:
        return f"{named}的" + ("废止日期" if expires else "施行日期") + f"是{chinese_date(date)}"
    said = next((s for s in ev.ranked_sentences if (EXPIRY_VALUE if expires else IN_FORCE_VALUE).search(s)), None)
    return _strip_heading(said) if said else None


_LEVELS = ("国务院办公厅", "国务院", "国家", "省人民政府办公厅", "省政府办公厅", "省人民政府", "省政府", "省")


def basis(ev: Evidence) -> str | None:
    """The upper-level documents the document says it implements, with their 文号 where the text gives them."""
    items = list(ev.document.basis) if ev.document else []
    if not ev.document or not items:
        return None
    text = ev.question.text
    asked = [b for b in items if any(level in text and level in (b.issuer or "") + b.title for level in _LEVELS)]
    chosen = asked or items
    if "文号" in text and not any(b.doc_no for b in chosen):
        return None
    cited = "、".join(f"《{b.title}》" + (f"（{b.doc_no}）" if b.doc_no else "") for b in chosen)
    return f"《{ev.document.display_title}》依据{cited}制定"


# A month or a day a which-documents question picks its documents by ("哪几份是2022年12月9日印发的").
_ASKED_MONTH = re.compile(r"(\d{4})\s*年\s*(\d{1,2})\s*月(?:\s*(\d{1,2})\s*[日号])?")


def _named_issuers(text: str, issuers: set[str]) -> list[str]:
    """The issuers a question names, in full or from its place's 市/县/区 on (市政府办公室 for X市人民政府办公室); of
    names inside one another ("市政府" in "市政府办公室") only the longest counts."""
    text = short_issuer(text)
    said: dict[str, int] = {}
    for issuer in issuers:
        full = short_issuer(issuer)
        starts = [0] + [k for k, ch in enumerate(full) if ch in "省市县区州旗盟" and k + 1 < len(full)]
        length = max((len(full) - k for k in starts if len(full) - k >= 3 and full[k:] in text), default=0)
        if length:
            said[issuer] = length
    longest = max(said.values(), default=0)
    return [i for i, n in said.items() if n == longest]


def _picked(docs: list[Document], question: Question) -> tuple[list[Document], str] | None:
    """The documents a question picks by the month or day they were made or by who issued them, and how it picked
    them; None when it picks by neither."""
    m = _ASKED_MONTH.search(question.text)
    if m:
        year, month, day = m.group(1), int(m.group(2)), m.group(3)
        prefix = f"{year}-{month:02d}" + (f"-{int(day):02d}" if day else "")
        said = f"{year}年{month}月" + (f"{int(day)}日" if day else "")
        return [d for d in docs if (d.date or "").startswith(prefix)], f"成文日期为{said}"
    if re.search(r"而非|不是|还是", question.text):  # "由市政府而非市政府办公室印发": a contrast, answered side by side
        return None
    named = _named_issuers(question.text, {i for d in docs for i in d.issuing_bodies})
    if named:
        chosen = [d for d in docs if set(named) & set(d.issuing_bodies)]
        return chosen, f"由{'、'.join(named)}印发"
    return None


def documents(ev: Evidence) -> str | None:
    """Several documents side by side (the ones the question names, else all): the ones it picks by date or issuer,
    the latest or earliest by date, or each one's 文号, issuer, date and basis."""
    docs = [d for d in ev.documents if d.date]
    if not docs:
        return None
    text = ev.question.text

    def label(d: Document) -> str:
        return f"《{d.display_title}》（{d.doc_no or '无文号'}）"

    picked = _picked(docs, ev.question)
    if picked is not None:
        these, how = picked
        if not these:
            return f"收录的文件中没有{how}的"
        listed = "；".join(f"{label(d)}，{d.issuer}，{chinese_date(d.date)}" for d in these)
        return f"{how}的文件共{len(these)}份：{listed}"

    for words, pick in (("最晚|最新|最近", max), ("最早", min)):
        if re.search(words, text):
            chosen = pick(docs, key=lambda d: d.date or "")
            return f"{label(chosen)}成文日期{'最晚' if pick is max else '最早'}，为{chinese_date(chosen.date)}"
    with_basis = bool(re.search(r"援引|依据|根据|贯彻|落实", text))
    parts = []
    for d in docs:
        part = f"{label(d)}由{d.issuer}于{chinese_date(d.date)}印发"
        if with_basis:
            cited = "、".join(f"《{b.title}》" for b in d.basis)
            part += f"，依据{cited}" if cited else "，未列出依据文件"
        parts.append(part)
    return "；".join(parts)


def gazette(ev: Evidence) -> str | None:
    """Which issue of which gazette the documents come from."""
    issues = sorted({(d.gazette or "", d.issue or "") for d in ev.documents if d.issue})
    if not issues:
        return None
    return "；".join(f"{g}{i}" for g, i in issues) + f"，收录{len(ev.documents)}份文件"


def sentence(ev: Evidence) -> str | None:
    """The clause's sentence that best answers the question (ranked by the engine), shortened around what it asks."""
    ranked = ev.ranked_sentences or [ev.text]
    first = shorten(_strip_heading(ranked[0]), ev.question)
    if ev.also:  # the sentences answering the question's parts ("……要到多少？……呢？"), in their order, each once
        said: list[str] = []
        for s, part in zip(ev.also, ev.question.also, strict=False):
            more = shorten(_strip_heading(s), part).rstrip("。；")
            if not any(more in t or t in more for t in said):
                said.append(more)
        best = first.rstrip("。；")
        if not any(best in t or t in best for t in said):
            said.insert(0, best)
        return "。".join(said) + "。"
    if ev.question.intent.name == "content" and len(ranked) > 1:
        second = _strip_heading(ranked[1]).rstrip("。；")
        if len(first) + len(second) + 1 <= FACT_MAX and second:
            return first.rstrip("。；") + "。" + second
    return first


def deadline(ev: Evidence) -> str | None:
    """The clause's own 完成时限 when its note states one, else the sentence that holds a date."""
    if ev.clause and ev.clause.deadline:
        return f"完成时限：{ev.clause.deadline}"
    return sentence(ev)


COMPOSERS: dict[str, Callable[[Evidence], str | None]] = {
    "who": who,
    "unit_tasks": unit_tasks,
    "table": table,
    "document": document,
    "basis": basis,
    "gazette": gazette,
    "documents": documents,
    "deadline": deadline,
    "sentence": sentence,
    "in_force": in_force,
}


def _strip_heading(text: str) -> str:
    first, _, below = text.partition("\n")  # "1.1 编制目的" over its text, or "1.2 编制依据 依据《…》…" on one line
    if below.strip() and match_decimal_heading(first) is not None:
        return below.strip()
    start = text_on_heading_line(text)
    if start is not None:
        return text[start:]
    m = match_heading(text)
    return m.rest.strip() if m and m.rest.strip() else text


_HOLDS_ASKED = 100.0  # a piece holding the asked value is where a shortened sentence is cut around, however few words
# of the question it shares


def shorten(text: str, question: Question) -> str:
    """Cut a long sentence down to the comma-separated pieces around the piece that shares most with the question."""
    text = text.strip().rstrip("。；;")
    if len(text) <= FACT_MAX:
        return text
    pieces = re.split(r"(?<=[，,、：])", text)
    asked = normalize_text(question.subject or question.text)
    bigrams = {asked[i : i + 2] for i in range(len(asked) - 1)}
    precise = question.precise_when()  # "从哪天开始": the piece with the day ("自2022年5月10日起…")

    def piece_score(piece: str) -> float:
        score = float(sum(1 for i in range(len(piece) - 1) if piece[i : i + 2] in bigrams))
        if any(v.holds is not None and v.holds.search(piece) for v in question.asks) or (
            any(v.name == "count" for v in question.asks) and counted_value(question.text, piece)
        ) or (precise is not None and precise.search(piece)):
            score += _HOLDS_ASKED  # "一共命名了几个": the piece with the count ("…等14个县"), not the names before
        return score

    scores = [piece_score(p) for p in pieces]
    best = max(range(len(pieces)), key=lambda i: (scores[i], -i))
    lo, hi = best, best + 1
    length = len(pieces[best])
    while True:  # grow towards the better neighbour while it fits
        left = scores[lo - 1] if lo > 0 else -1.0
        right = scores[hi] if hi < len(pieces) else -1.0
        if left < 0 and right < 0:
            break
        k = lo - 1 if left > right else hi
        if length + len(pieces[k]) > FACT_MAX:
            break
        length += len(pieces[k])
        lo, hi = min(lo, k), max(hi, k + 1)
    out = "".join(pieces[lo:hi]).rstrip("，,、：")
    return ("……" if lo > 0 else "") + out + ("……" if hi < len(pieces) else "")


def not_found_reply(reason: str, suggestions: list[Citation]) -> str:
    text = "已收录的政府公报中没有找到能回答这个问题的内容"
    if reason:
        text += f"（{reason}）"
    text += "。"
    if suggestions:
        docs = []
        for s in suggestions:
            label = document_label(s)
            if label not in docs:
                docs.append(label)
        text += "最接近的文件：" + "；".join(docs[:3]) + "。"
    return text


__all__ = [
    "COMPOSERS",
    "FACT_MAX",
    "Evidence",
    "chinese_date",
    "citation_suffix",
    "document_label",
    "list_units",
    "not_found_reply",
    "shorten",
]
