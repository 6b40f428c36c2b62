"""Conversation sessions for follow-up questions: bounded in memory, expiring after a quiet period."""

from __future__ import annotations

import threading
import time
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass

# A turn travels in a context token (qa_bot.answer.context): its two texts are cut to this many characters there, which
# keeps a token under 2 KB. Follow-ups use only kind, meta_field and doc_id; the texts are for people and logs.
TURN_TEXT_CHARS = 200


@dataclass(frozen=True)
class Turn:
    """What a follow-up needs from the previous question: its kind, its document and its wording."""

    question: str
    kind: str
    meta_field: str | None
    doc_id: str | None
    subject: str

    def to_fields(self) -> list[str | None]:
        """The turn as a short JSON-ready list (question and subject cut to TURN_TEXT_CHARS)."""
        return [
            self.question[:TURN_TEXT_CHARS],
            self.kind,
            self.meta_field,
            self.doc_id,
            self.subject[:TURN_TEXT_CHARS],
        ]

    @classmethod
    def from_fields(cls, values: object) -> Turn | None:
        """The turn that to_fields wrote, or None for anything else (wrong length or types)."""
        if not isinstance(values, list) or len(values) != 5:
            return None
        question, kind, meta_field, doc_id, subject = values
        if not (isinstance(question, str) and isinstance(kind, str) and kind and isinstance(subject, str)):
            return None
        if not all(v is None or isinstance(v, str) for v in (meta_field, doc_id)):
            return None
        return cls(question=question, kind=kind, meta_field=meta_field, doc_id=doc_id, subject=subject)


class SessionStore:
    """Least-recently-used sessions with a time-to-live; safe to share between request threads."""

    def __init__(
        self, *, ttl_seconds: float = 1800, max_sessions: int = 10_000, clock: Callable[[], float] = time.monotonic
    ) -> None:
        self.ttl = ttl_seconds
        self.max_sessions = max_sessions
        self._clock = clock
        self._lock = threading.Lock()
        self._turns: OrderedDict[str, tuple[float, Turn]] = OrderedDict()

    def get(self, session_id: str) -> Turn | None:
        with self._lock:
            entry = self._turns.get(session_id)
            if entry is None:
                return None
            stamp, turn = entry
            if self._clock() - stamp > self.ttl:
                del self._turns[session_id]
                return None
            self._turns.move_to_end(session_id)
            return turn

    def put(self, session_id: str, turn: Turn) -> None:
        with self._lock:
            self._turns[session_id] = (self._clock(), turn)
            self._turns.move_to_end(session_id)
            now = self._clock()
            while self._turns:
                oldest_id, (stamp, _) = next(iter(self._turns.items()))
                if len(self._turns) > self.max_sessions or now - stamp > self.ttl:
                    del self._turns[oldest_id]
                else:
                    break

    def __len__(self) -> int:
        with self._lock:
            return len(self._turns)


__all__ = ["TURN_TEXT_CHARS", "SessionStore", "Turn"]
