"""What chat clients show beside a reply, derived from the reply itself: the statement without its trailing source,
the short source line, each citation's quote (the sentence that answers) and questions to ask next.

The engine composes `answer` as statement + "（《title》文号，section）"; clients show the statement with a marker [1]
linked to the first card, keep the source line for copying, and preview each card at its quote instead of the
clause's opening:

    >>> split_source("市商务局牵头。（《方案》测政办发〔2023〕5号，二、重点任务 > （二）发展冷链寄递）",
    ...              [{"title": "方案", "doc_no": "测政办发〔2023〕5号",
    ...                "section": "二、重点任务 > （二）发展冷链寄递"}])
    ('市商务局牵头。', '《方案》测政办发〔2023〕5号，二、重点任务 > （二）发展冷链寄递')
    >>> quote("（二）完善收运体系。配置专用车辆。有害垃圾交由有资质的单位处置。", "有害垃圾交由有资质的单位处置")
    '有害垃圾交由有资质的单位处置。'
"""

from __future__ import annotations

import re
from typing import Any

from qa_bot.answer.compose import citation_suffix
from qa_bot.index.store import LoadedIndex
from qa_bot.serve.examples import follow_on_questions
from qa_bot.text.normalize import compact, split_sentences
from qa_bot.text.patterns import match_heading

MAX_SUGGESTIONS = 3
REPEATED_SHARE = 0.5  # a neighbouring sentence joins the quote when the reply repeats this share of its pairs
_NOT_CONTENT = re.compile(r"[\W_]+")  # punctuation and spaces: no evidence that a sentence answers


def split_source(answer: str, citations: list[dict[str, Any]]) -> tuple[str, str | None]:
    """(statement, source line) when the answer ends with its first citation's reference, else (answer, None)."""
    if citations:
        suffix = citation_suffix(citations[0])
        if answer.endswith(suffix) and len(answer) > len(suffix):
            return answer[: -len(suffix)], suffix[1:-1]
    return answer, None


def _pairs(text: str) -> set[str]:
    """The character pairs of text's letters and digits (text in the canonical form: clause texts are stored so)."""
    letters = _NOT_CONTENT.sub("", text)
    return {letters[i : i + 2] for i in range(len(letters) - 1)}


def _spans(text: str) -> list[tuple[int, int]]:
    """(start, end) of each sentence of text (qa_bot.text's sentence rule, line by line: a document card holds one
    fact a line), spaces trimmed."""
    spans, position = [], 0
    for line in text.split("\n"):
        for sentence in split_sentences(line):
            start = text.index(sentence, position)
            end = position = start + len(sentence)
            while start < end and text[start].isspace():
                start += 1
            while end > start and text[end - 1].isspace():
                end -= 1
            if start < end:
                spans.append((start, end))
    return spans


def quote(text: str, reply: str, question: str = "") -> str | None:
    """The sentence of `text` that answers, as it stands in `text`. Among the sentences the reply repeats, the one
    closest to the question (a reply may join two sentences of a clause); when it repeats none, the sentence closest to
    the reply. Neighbours the reply also repeats are joined to it (a responsibility note cut by its own 。). None when
    no sentence shares anything with the reply."""
    return _quote(text, _pairs(compact(reply)), _pairs(compact(question)))  # what people typed, normalised


def _quote(text: str, reply_pairs: set[str], question_pairs: set[str]) -> str | None:
    spans = _spans(text)
    pairs = [_pairs(text[a:b]) for a, b in spans]
    from_reply = [len(p & reply_pairs) for p in pairs]
    from_question = [len(p & question_pairs) for p in pairs]
    if not spans or max(from_reply) == 0:
        return None
    # An item's heading sentence ("（三）推进城镇绿色节能改造。") restates the question; the reply is never made of it.
    headings = [match_heading(text[a:b]) is not None for a, b in spans]
    repeated = [bool(p) and not headings[i] and from_reply[i] >= REPEATED_SHARE * len(p) for i, p in enumerate(pairs)]
    if any(repeated):
        best = max((i for i in range(len(spans)) if repeated[i]), key=lambda i: (from_question[i], from_reply[i], -i))
    else:  # a reply that sums up ("…等6个单位按职责分工负责"): the sentence it shares most with
        best = max(range(len(spans)), key=lambda i: (from_reply[i], from_question[i], -i))
    first, last = best, best
    while first > 0 and repeated[first - 1]:
        first -= 1
    while last < len(spans) - 1 and repeated[last + 1]:
        last += 1
    return text[spans[first][0] : spans[last][1]]


def suggestions(index: LoadedIndex, body: dict[str, Any], question: str) -> list[str]:
    """Other questions about the clause and document the reply rests on (none for a reply that found nothing)."""
    citations = body.get("citations") or []
    if not body.get("found") or not citations:
        return []
    first = citations[0]
    document = index.doc_by_id.get(str(first.get("doc_id")))
    if document is None:
        return []
    clause = index.clause_by_id.get(str(first.get("chunk_id")))
    found = follow_on_questions(document, clause, asked_kind=str(body.get("kind") or ""), asked=question)
    return found[:MAX_SUGGESTIONS]


def present(index: LoadedIndex, body: dict[str, Any], question: str) -> dict[str, Any]:
    """The ask body with `statement`, `source`, `suggestions` and, on each citation, `quote` added."""
    citations = body.get("citations") or []
    statement, source = split_source(str(body.get("answer", "")), citations)
    statement_pairs, question_pairs = _pairs(compact(statement)), _pairs(compact(question))
    quoted = []
    for position, citation in enumerate(citations):
        # The first card of an answer holds the sentence the reply was composed from; the others, and every card of a
        # reply that found nothing, are previewed where they come closest to the question.
        reply_pairs = statement_pairs if position == 0 and body.get("found") else question_pairs
        quoted.append({**citation, "quote": _quote(str(citation.get("text", "")), reply_pairs, question_pairs)})
    return {
        **body,
        "citations": quoted,
        "statement": statement,
        "source": source,
        "suggestions": suggestions(index, body, question),
    }


__all__ = ["MAX_SUGGESTIONS", "present", "quote", "split_source", "suggestions"]
