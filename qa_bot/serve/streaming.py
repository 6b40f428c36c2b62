"""Server-Sent Events for /api/ask/stream: the answer cut into short pieces (`delta`), then the whole body (`done`)."""

from __future__ import annotations

import json
import logging
import unicodedata
from collections.abc import AsyncIterator, Iterator
from typing import Any

import anyio

from qa_bot.serve.errors import GENERIC_MESSAGE, InternalError, error_body

log = logging.getLogger("qa_bot.serve")

PIECE_MIN = 6
PIECE_MAX = 12
PIECE_TARGET = 8
# A piece may end early, after one of these, once it is PIECE_MIN long.
_BREAKS = set("，。；：！？、）》」』”,.;:!?) \n")
_JOINERS = {"\u200d", "\ufe0e", "\ufe0f"}


def _glued(char: str) -> bool:
    """True for a character that belongs to the one before it (combining mark, joiner, variation selector, low
    surrogate)."""
    return char in _JOINERS or unicodedata.combining(char) > 0 or "\udc00" <= char <= "\udfff"


def pieces(text: str, low: int = PIECE_MIN, high: int = PIECE_MAX, target: int = PIECE_TARGET) -> Iterator[str]:
    """Cut text into pieces of low..high characters, preferring punctuation, never inside a character cluster."""
    start = 0
    while start < len(text):
        end = min(start + target, len(text))
        window = text[start + low : start + high]
        for offset in range(len(window) - 1, -1, -1):
            if window[offset] in _BREAKS:
                end = start + low + offset + 1
                break
        end = min(end, len(text))
        while end < len(text) and _glued(text[end]):
            end += 1
        yield text[start:end]
        start = end


def sse_event(event: str, data: Any) -> bytes:
    """One event, terminated by the blank line that dispatches it."""
    payload = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    return f"event: {event}\ndata: {payload}\n\n".encode()


def answer_parts(body: dict[str, Any]) -> list[tuple[str, str | None]]:
    """(text, part) of the answer in order: the statement, then its trailing source marked "source" (clients that show
    the source apart, as a marker [1], leave those pieces out while streaming). Together they are the answer."""
    answer = str(body.get("answer", ""))
    statement = body.get("statement")
    if isinstance(statement, str) and statement and answer.startswith(statement) and answer != statement:
        return [(statement, None), (answer[len(statement) :], "source")]
    return [(answer, None)]


async def answer_events(body: dict[str, Any], delay_seconds: float = 0.0) -> AsyncIterator[bytes]:
    """delta events carrying the answer (the source's pieces with "part": "source"), then done with the full body; a
    failure mid-way becomes an error event."""
    try:
        for text, part in answer_parts(body):
            for piece in pieces(text):
                yield sse_event("delta", {"text": piece} if part is None else {"text": piece, "part": part})
                if delay_seconds:
                    await anyio.sleep(delay_seconds)
        yield sse_event("done", body)
    except Exception:
        log.exception("answer stream failed after it started")
        yield sse_event("error", error_body(InternalError(GENERIC_MESSAGE)))


SSE_HEADERS = {"Cache-Control": "no-cache", "X-Accel-Buffering": "no"}
SSE_MEDIA_TYPE = "text/event-stream; charset=utf-8"

__all__ = ["SSE_HEADERS", "SSE_MEDIA_TYPE", "answer_events", "answer_parts", "pieces", "sse_event"]
