"""Responses of the OpenAI-compatible API: the model card, chat.completion bodies and chat.completion.chunk streams.

qa-bot's additions ride along as extra fields, which OpenAI clients keep: `references` (the citations, in the
/api/ask shape) on the message — in a stream, on the last chunk's delta — plus `found` and `question_id`.
`usage` counts characters, not tokens: qa-bot has no tokenizer.
"""

from __future__ import annotations

import json
import logging
import time
import uuid
from collections.abc import AsyncIterator
from typing import Any

import anyio

from qa_bot.serve.errors import GENERIC_MESSAGE, InternalError, error_body
from qa_bot.serve.openai_schemas import MODEL_ID
from qa_bot.serve.streaming import pieces

log = logging.getLogger("qa_bot.serve")

MODEL_CREATED = int(time.time())  # when this process started serving the model
DONE = b"data: [DONE]\n\n"


def model_card() -> dict[str, Any]:
    return {"id": MODEL_ID, "object": "model", "created": MODEL_CREATED, "owned_by": "qa-bot"}


class Completion:
    """One answered request, rendered whole (`body`) or as stream chunks (`chunks`)."""

    def __init__(self, answer_body: dict[str, Any], prompt_chars: int) -> None:
        self.id = "chatcmpl-" + uuid.uuid4().hex
        self.created = int(time.time())
        self.answer = str(answer_body.get("answer", ""))
        self.references = list(answer_body.get("citations") or [])
        self.extra = {"found": answer_body.get("found"), "question_id": answer_body.get("question_id")}
        self.usage = {
            "prompt_tokens": prompt_chars,
            "completion_tokens": len(self.answer),
            "total_tokens": prompt_chars + len(self.answer),
        }

    def _envelope(self, kind: str) -> dict[str, Any]:
        return {"id": self.id, "object": kind, "created": self.created, "model": MODEL_ID, "system_fingerprint": None}

    def body(self) -> dict[str, Any]:
        message = {"role": "assistant", "content": self.answer, "refusal": None, "references": self.references}
        choice = {"index": 0, "message": message, "finish_reason": "stop", "logprobs": None}
        return {**self._envelope("chat.completion"), "choices": [choice], "usage": self.usage, **self.extra}

    def chunk(self, delta: dict[str, Any], finish_reason: str | None = None) -> dict[str, Any]:
        choice = {"index": 0, "delta": delta, "finish_reason": finish_reason, "logprobs": None}
        return {**self._envelope("chat.completion.chunk"), "choices": [choice]}

    def chunks(self) -> list[dict[str, Any]]:
        """Role first, the answer in short pieces, then an empty-content delta with the references and "stop"."""
        out = [self.chunk({"role": "assistant", "content": ""})]
        out += [self.chunk({"content": piece}) for piece in pieces(self.answer)]
        out.append({**self.chunk({"references": self.references}, finish_reason="stop"), **self.extra})
        return out

    def usage_chunk(self) -> dict[str, Any]:
        return {**self._envelope("chat.completion.chunk"), "choices": [], "usage": self.usage}


def sse_data(payload: dict[str, Any]) -> bytes:
    return b"data: " + json.dumps(payload, ensure_ascii=False, separators=(",", ":")).encode() + b"\n\n"


async def completion_events(
    completion: Completion, *, include_usage: bool, delay_seconds: float = 0.0
) -> AsyncIterator[bytes]:
    """The stream OpenAI clients read: data: {chunk} … data: [DONE]; a failure mid-way is a data: {"error"} event."""
    try:
        for chunk in completion.chunks():
            yield sse_data(chunk)
            if delay_seconds:
                await anyio.sleep(delay_seconds)
        if include_usage:
            yield sse_data(completion.usage_chunk())
    except Exception:
        log.exception("chat completion stream failed after it started")
        error = error_body(InternalError(GENERIC_MESSAGE))["error"]
        yield sse_data(
            {"error": {"message": error["message"], "type": "server_error", "param": None, "code": error["code"]}}
        )
        return
    yield DONE


__all__ = ["DONE", "MODEL_CREATED", "Completion", "completion_events", "model_card", "sse_data"]
