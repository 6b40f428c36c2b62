"""POST /api/ask (one JSON body) and POST /api/ask/stream (the same answer as Server-Sent Events); both log the
question."""

from __future__ import annotations

import logging
from typing import Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import StreamingResponse

from qa_bot.serve.clarify import clarification, needs_conversation
from qa_bot.serve.deps import ServiceDep, client_address, get_context_tokens, require_json
from qa_bot.serve.guard import rate_limit, require_api_key
from qa_bot.serve.presentation import present
from qa_bot.serve.responses import COMMON, JSON_BODY, AskOut, errors, ok
from qa_bot.serve.schemas import AskIn
from qa_bot.serve.state import ServiceState
from qa_bot.serve.storage import StorageError
from qa_bot.serve.streaming import SSE_HEADERS, SSE_MEDIA_TYPE, answer_events

log = logging.getLogger("qa_bot.serve")

router = APIRouter(
    prefix="/api",
    tags=["ask"],
    dependencies=[Depends(require_api_key), Depends(rate_limit)],
    responses=errors(*COMMON, *JSON_BODY, 429, 503),
)

# Open API before 3.2: the `schema` of text/event-stream describes each event.
SSE_EVENT = {
    "type": "object",
    "required": ["event", "data"],
    "properties": {
        "event": {"type": "string", "enum": ["delta", "done", "error"]},
        "data": {
            "type": "string",
            "contentMediaType": "application/json",
            "description": (
                'JSON: delta {"text": piece}; done: the /api/ask body; error: {"error": {"code", "message"}}'
            ),
        },
    },
}
SSE_RESPONSE: dict[int | str, dict[str, Any]] = {
    200: {
        "description": (
            'event: delta {"text"} …, then event: done with the /api/ask body (event: error if it fails mid-way)'
        ),
        "content": {"text/event-stream": {"schema": SSE_EVENT}},
    }
}


def answer(payload: AskIn, request: Request, service: ServiceState) -> dict[str, Any]:
    """Ask the engine (in the caller's worker thread), log the question, and return the contract body.

    A good `context` token (signed by any replica with the same secret) gives a follow-up its previous turn; a bad
    one is ignored, as if none had been sent. The body's `context` carries the turn on to the next question. A
    follow-up with no turn behind it is asked back (qa_bot.serve.clarify); a reply gets what clients show beside it
    (qa_bot.serve.presentation: statement, source line, quotes, suggestions)."""
    engine = service.ready_engine()
    filters = payload.filters.to_filters() if payload.filters else None
    tokens = get_context_tokens(request)
    previous, refused = tokens.check(payload.context) if payload.context else (None, "")
    if refused:
        log.info("context token ignored (%s): question answered without it", refused)
    if previous is None and needs_conversation(engine, payload.question, payload.session_id):
        body = clarification(payload.question, payload.session_id, engine.settings.max_question_chars)
    else:
        reply = engine.ask(
            payload.question, top_k=payload.top_k, session_id=payload.session_id, filters=filters, context=previous
        )
        body = {**reply.body(), "context": tokens.issue(reply.turn) if reply.turn is not None else None}
        body = present(engine.index, body, payload.question.strip())
    try:
        question_id: int | None = service.storage.log_question(
            question=payload.question.strip(),
            answer=body["answer"],
            found=body["found"],
            latency_ms=body["latency_ms"],
            session_id=body["session_id"],
            client=client_address(request),
            kind=body["kind"],
            chunk_ids=[c.get("chunk_id", "") for c in body["citations"]],
        )
    except StorageError as exc:  # an unwritable log must not cost the user the answer
        log.error("question log not written: %s", exc.message)
        question_id = None
    except Exception:
        log.exception("question log not written")
        question_id = None
    return {**body, "question_id": question_id}


@router.post(
    "/ask",
    dependencies=[Depends(require_json)],
    response_model=None,
    responses=ok(AskOut),
    summary="Answer a question with citations",
)
def ask(payload: AskIn, request: Request, service: ServiceDep) -> dict[str, Any]:
    return answer(payload, request, service)


@router.post(
    "/ask/stream",
    dependencies=[Depends(require_json)],
    response_class=StreamingResponse,
    response_model=None,
    responses=SSE_RESPONSE,
    summary="Answer a question as Server-Sent Events: delta {text}…, then done {ask body}",
)
def ask_stream(payload: AskIn, request: Request, service: ServiceDep) -> StreamingResponse:
    body = answer(payload, request, service)  # errors here are still plain 4xx/5xx JSON
    delay = service.settings.stream_delay_ms / 1000
    return StreamingResponse(answer_events(body, delay), media_type=SSE_MEDIA_TYPE, headers=SSE_HEADERS)
