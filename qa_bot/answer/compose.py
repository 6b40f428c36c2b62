"""Compose a short reply from the best clause: units for who-questions, the figure's sentence, document facts."""

from __future__ import annotations

import re
from typing import Any

from qa_bot.answer.question import Question
from qa_bot.text.normalize import normalize_text, split_sentences
from qa_bot.text.patterns import match_heading
from qa_bot.text.units import find_note_span

MAX_LISTED_UNITS = 3
FACT_MAX = 110
_NUMBERISH = re.compile(r"\d|[一二三四五六七八九十百千万]+(个|项|家|座|条|批)|%|％")
_DATEISH = re.compile(r"\d{4}年|\d{1,2}月|底前|年底|月底|之前|以前|前完成|持续推进")


def citation_suffix(citation: dict[str, Any], *, levels: int = 2) -> str:
    """'（《title》文号，section）' — the reference every reply ends with."""
    section = citation.get("section") or ""
    parts = section.split(" > ")
    short_section = " > ".join(parts[-levels:]) if parts else section
    doc_no = citation.get("doc_no") or ""
    return f"（《{citation.get('title')}》{doc_no}，{short_section}）"


def list_units(units: list[str], limit: int = MAX_LISTED_UNITS) -> str:
    if len(units) <= limit + 1:
        return "、".join(units)
    return "、".join(units[:limit]) + f"等{len(units)}个单位"


def who_fact(clause: dict[str, Any], kind: str, named: list[str] | None = None) -> str | None:
    """'市邮政管理局牵头，市发展改革委、市财政局等7个单位按职责分工负责' from a clause's structured units.

    When the question names units ("市妇联有责任吗"), the reply says whether each is listed, and how.
    """
    lead, responsible = clause.get("lead_units") or [], clause.get("responsible_units") or []
    if not lead and not responsible:
        return None
    if named:
        verdicts = []
        for unit in named:
            if unit in lead:
                verdicts.append(f"是，{unit}是牵头单位")
            elif unit in responsible:
                verdicts.append(f"是，{unit}是责任单位之一" + (f"（{'、'.join(lead)}牵头）" if lead else ""))
            else:
                verdicts.append(f"该条未列{unit}")
        listed = [u for u in named if u in lead or u in responsible]
        if listed or len(lead) + len(responsible) <= MAX_LISTED_UNITS:
            return "；".join(verdicts)
        return "；".join(verdicts) + "；" + (f"{'、'.join(lead)}牵头，" if lead else "") + f"{list_units(responsible)}负责"
    if lead and responsible:
        return f"{'、'.join(lead)}牵头，{list_units(responsible)}按职责分工负责"
    if lead:
        return f"{'、'.join(lead)}牵头"
    if kind == "lead" and len(responsible) > 1:
        return f"该条未写明牵头单位，由{list_units(responsible)}按职责分工负责（{responsible[0]}列于首位）"
    return f"由{list_units(responsible)}负责"


def table_fact(clause: dict[str, Any]) -> str:
    table = clause.get("table") or {}
    cells = table.get("cells") or []
    text = clause["text"]
    if not cells:
        return text
    key, _, values = text.partition("：")
    parts = [p.strip() for p in values.split("；") if p.strip()]
    return f"{key}：" + "，".join(parts)


def meta_fact(document: dict[str, Any], field: str | None) -> str:
    title = document.get("plan_title") or document.get("title")
    doc_no = document.get("doc_no") or "（无文号）"
    date = _chinese_date(document.get("date"))
    issuer = document.get("issuer") or "（未注明）"
    if field == "doc_no":
        return f"《{title}》的文号是{doc_no}"
    if field == "date":
        return f"《{title}》（{doc_no}）的成文日期是{date}，由{issuer}印发"
    if field == "issuer":
        return f"《{title}》（{doc_no}）由{issuer}印发，成文日期{date}"
    if field == "publicity":
        return f"《{title}》（{doc_no}）标注“{document.get('publicity') or '未标注公开属性'}”"
    if field == "addressees":
        return f"《{title}》（{doc_no}）主送：{document.get('addressees') or '（未注明）'}"
    return f"{doc_no}是《{title}》，由{issuer}于{date}印发"


def _chinese_date(iso: str | None) -> str:
    if not iso:
        return "（未注明）"
    year, month, day = (int(x) for x in iso.split("-"))
    return f"{year}年{month}月{day}日"


def sentences(text: str) -> list[str]:
    """The sentences of a clause, its responsibility note left out (the note is answered from its fields)."""
    span = find_note_span(text)
    if span is not None:
        text = text[: span[0]] + text[span[1] :]
    return [s.strip() for s in split_sentences(text)]


def _strip_heading(sentence: str) -> str:
    m = match_heading(sentence)
    return m.rest.strip() if m else sentence


def _term_score(text: str, terms: dict[str, float], idf: Any) -> float:
    lowered = text.lower()
    return sum(w * idf(t) for t, w in terms.items() if t and t in lowered)


def best_sentences(
    text: str,
    terms: dict[str, float],
    idf: Any,
    question: Question,
    *,
    count: int = 1,
    needs: re.Pattern[str] | None = None,
) -> str:
    """The sentence of text that carries most of the question's terms (and what a figure/date question needs)."""
    candidates = sentences(text)
    if len(candidates) > 1 and match_heading(candidates[0]) is not None:
        candidates = candidates[1:]  # an item's heading sentence restates the question, not the answer
    if not candidates:
        return shorten(_strip_heading(text), terms, idf, needs)
    scored = []
    for position, sentence in enumerate(candidates):
        score = _term_score(sentence, terms, idf)
        if needs is not None and needs.search(sentence):
            score = score * 1.5 + 1.0
        for year in question.years:
            if str(year) in sentence:
                score *= 1.3
        scored.append((score, -position, sentence))
    scored.sort(reverse=True)
    first = shorten(_strip_heading(scored[0][2]), terms, idf, needs)
    if count > 1 and len(scored) > 1:
        second = _strip_heading(scored[1][2]).rstrip("。；")
        if scored[1][0] > 0 and len(first) + len(second) + 1 <= FACT_MAX:
            pair = [(scored[0][1], first), (scored[1][1], second)]
            pair.sort(reverse=True)  # document order
            return "。".join(p[1].rstrip("。；") for p in pair)
    return first


def shorten(sentence: str, terms: dict[str, float], idf: Any = None, needs: re.Pattern[str] | None = None) -> str:
    """Cut a long sentence down to the comma-separated pieces around the best-matching piece."""
    sentence = sentence.strip().rstrip("。；;")
    if len(sentence) <= FACT_MAX:
        return sentence
    pieces = re.split(r"(?<=[，,、：])", sentence)
    weigh = idf or (lambda _t: 1.0)

    def piece_score(piece: str) -> float:
        score = _term_score(piece, terms, weigh)
        if needs is not None and needs.search(piece):
            score += 2.0
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


def not_found_reply(reason: str, suggestions: list[dict[str, Any]]) -> str:
    text = "已收录的政府公报中没有找到能回答这个问题的内容"
    if reason:
        text += f"（{reason}）"
    text += "。"
    if suggestions:
        docs = []
        for s in suggestions:
            label = f"《{s['title']}》{s.get('doc_no') or ''}"
            if label not in docs:
                docs.append(label)
        text += "最接近的文件：" + "；".join(docs[:3]) + "。"
    return text


def normalise_reply(text: str) -> str:
    return normalize_text(text)


__all__ = [
    "FACT_MAX",
    "best_sentences",
    "citation_suffix",
    "list_units",
    "meta_fact",
    "not_found_reply",
    "sentences",
    "shorten",
    "table_fact",
    "who_fact",
]
