"""Follow-up context for the stateless chat API: every request carries the whole conversation, the engine keeps one
previous turn per session id.

Each request is answered in a fresh session seeded with the conversation's previous turn, found under a key derived
from the `user` field and the earlier user messages; afterwards the new turn is stored under the key the next request
of that conversation will look for. When the turn is gone (restart, expiry, another worker or replica) the earlier
questions are replayed, so a follow-up such as "那冷链寄递呢？" gets the same answer either way. A request with no
earlier messages but a `user` continues that user's last turn (for clients that send only the newest message).
"""

from __future__ import annotations

import hashlib
import json
import uuid
from collections.abc import Sequence

from qa_bot.answer.engine import looks_like_follow_up
from qa_bot.answer.protocol import AnswerEngine
from qa_bot.errors import QaBotError
from qa_bot.integrations.llm import GeneratingEngine
from qa_bot.serve.openai_schemas import Conversation
from qa_bot.text.normalize import normalize_text

# At most this many earlier questions are replayed. A chain of follow-ups ("那冷链寄递呢？", "那末端网点呢？", …) needs
# all of them back to the question it started from; replay starts there, so it usually asks only one or two.
MAX_REPLAY = 6
KEY_PREFIX = "openai-"


def _digest(value: object) -> str:
    return hashlib.sha256(json.dumps(value, ensure_ascii=False).encode()).hexdigest()[:32]


def conversation_key(user: str | None, questions: Sequence[str]) -> str:
    """Where the turn after `questions` (the user's messages so far, oldest first) is kept."""
    return KEY_PREFIX + "c-" + _digest([user or "", list(questions)])


def user_key(user: str) -> str:
    """Where a `user`'s last turn is kept."""
    return KEY_PREFIX + "u-" + _digest(user)


def previous_key(conversation: Conversation) -> str | None:
    if conversation.earlier:
        return conversation_key(conversation.user, conversation.earlier)
    return user_key(conversation.user) if conversation.user else None


def next_keys(conversation: Conversation) -> list[str]:
    keys = [conversation_key(conversation.user, (*conversation.earlier, conversation.question))]
    if conversation.user:
        keys.append(user_key(conversation.user))
    return keys


def open_session(engine: AnswerEngine, conversation: Conversation) -> str:
    """A fresh session id that holds this conversation's previous turn, if it has one."""
    session_id = KEY_PREFIX + uuid.uuid4().hex
    sessions = getattr(engine, "sessions", None)
    key = previous_key(conversation)
    if sessions is None or key is None:
        return session_id
    turn = sessions.get(key)
    if turn is not None:
        sessions.put(session_id, turn)
    elif conversation.earlier:
        replay(engine, session_id, conversation.earlier[-MAX_REPLAY:])
    return session_id


def replay(engine: AnswerEngine, session_id: str, questions: Sequence[str]) -> None:
    """Ask earlier questions again, extractively and unlogged, only for the context they leave in the session.

    The turn a conversation ends on depends only on the questions from its last answered one that is not worded as a
    follow-up: such a question is answered the same whatever came before, and an unanswered one leaves the turn as it
    was. So that question is found from the end (each candidate asked once, in the still empty session) and only the
    questions after it are replayed on top of its turn: the same turn as in the process that saw them all."""
    extractive = engine.base if isinstance(engine, GeneratingEngine) else engine
    start = 0
    for position in range(len(questions) - 1, -1, -1):
        if looks_like_follow_up(normalize_text(questions[position].strip())):
            continue
        if _ask(extractive, session_id, questions[position]):
            start = position + 1
            break
    for question in questions[start:]:
        _ask(extractive, session_id, question)


def _ask(engine: AnswerEngine, session_id: str, question: str) -> bool:
    """Was the question answered (and its turn kept in the session)?"""
    try:
        return engine.ask(question, session_id=session_id).found
    except QaBotError:
        return False  # an earlier message that is no question leaves no context


def close_session(engine: AnswerEngine, session_id: str, conversation: Conversation) -> None:
    """Hand the turn this request left over to the next request of the conversation."""
    sessions = getattr(engine, "sessions", None)
    turn = sessions.get(session_id) if sessions is not None else None
    if sessions is None or turn is None:
        return
    for key in next_keys(conversation):
        sessions.put(key, turn)


__all__ = ["MAX_REPLAY", "close_session", "conversation_key", "open_session", "replay", "user_key"]
