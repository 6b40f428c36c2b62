"""A follow-up with no conversation behind it ("那完成时限呢？" as the first question, or after 新对话) gets a short
question back instead of an answer guessed from whichever clause the bare words match.

"No conversation behind it": no valid `context` token came with the question and the process keeps no turn under its
`session_id`. Worded as a follow-up: the engine's own rule (qa_bot.answer.engine.looks_like_follow_up), so the
questions asked back are exactly those the engine would otherwise have continued from a previous turn.
"""

from __future__ import annotations

import time
import uuid
from typing import Any

from qa_bot.answer.engine import check_question, looks_like_follow_up
from qa_bot.answer.protocol import AnswerEngine
from qa_bot.text.normalize import normalize_text

CLARIFY_MESSAGE = "请问您指的是哪项工作？请把工作名称一起说出来，例如“某项工作由哪个单位牵头？”"


def needs_conversation(engine: AnswerEngine, question: Any, session_id: str | None) -> bool:
    """Is this a follow-up (by its wording) that has no previous turn to follow? Bad questions answer False: the
    engine refuses them with its own message."""
    if not isinstance(question, str) or not looks_like_follow_up(normalize_text(question.strip())):
        return False
    sessions = getattr(engine, "sessions", None)
    return not (session_id and sessions is not None and sessions.get(session_id) is not None)


def clarification(question: str, session_id: str | None, max_chars: int) -> dict[str, Any]:
    """The ask body of a question asked back: not found, no citations, `clarify` true, nothing to follow up on."""
    started = time.perf_counter()
    check_question(question, max_chars)  # the same refusals as any question
    return {
        "answer": CLARIFY_MESSAGE,
        "found": False,
        "clarify": True,
        "citations": [],
        "latency_ms": round((time.perf_counter() - started) * 1000, 1),
        "session_id": session_id or uuid.uuid4().hex,
        "kind": None,
        "context": None,
        "statement": CLARIFY_MESSAGE,
        "source": None,
        "suggestions": [],
    }


__all__ = ["CLARIFY_MESSAGE", "clarification", "needs_conversation"]
