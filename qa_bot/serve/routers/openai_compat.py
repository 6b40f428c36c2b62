"""OpenAI-compatible API: GET /v1/models and POST /v1/chat/completions (plain or streamed), for OpenAI clients.

The last user message is answered from the gazettes like /api/ask (logged the same way); earlier messages give
follow-ups their context (qa_bot.serve.conversation). API keys and rate limits are those of /api; errors take
OpenAI's shape (qa_bot.serve.openai_errors).
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import JSONResponse, StreamingResponse
from starlette.concurrency import run_in_threadpool

from qa_bot.answer.engine import check_question
from qa_bot.errors import BadQuestion
from qa_bot.serve.conversation import close_session, open_session
from qa_bot.serve.deps import ServiceDep, require_json
from qa_bot.serve.guard import rate_limit, require_api_key
from qa_bot.serve.jsonbody import json_body
from qa_bot.serve.openai_format import Completion, completion_events, model_card
from qa_bot.serve.openai_schemas import (
    ERROR_RESPONSES,
    MODEL_ID,
    ChatCompletionIn,
    Conversation,
    InvalidChatRequest,
    ModelNotFound,
    conversation_of,
    parse_chat_request,
)
from qa_bot.serve.routers.ask import answer
from qa_bot.serve.schemas import AskIn
from qa_bot.serve.state import ServiceState
from qa_bot.serve.streaming import SSE_HEADERS, SSE_MEDIA_TYPE

router = APIRouter(
    prefix="/v1",
    tags=["openai"],
    dependencies=[Depends(require_api_key), Depends(rate_limit)],
    responses=ERROR_RESPONSES,
)


@router.get("/models", summary="The one model, qa-bot (OpenAI list shape)")
def list_models() -> dict[str, Any]:
    return {"object": "list", "data": [model_card()]}


@router.get("/models/{model_id:path}", summary="One model (404 model_not_found unless qa-bot)")
def retrieve_model(model_id: str) -> dict[str, Any]:
    if model_id != MODEL_ID:
        raise ModelNotFound(model_id)
    return model_card()


def answer_chat(
    chat: ChatCompletionIn, conversation: Conversation, request: Request, service: ServiceState
) -> dict[str, Any]:
    """The /api/ask body for the conversation's last question, asked in a session that carries its context."""
    engine = service.ready_engine()
    try:
        question = check_question(conversation.question, service.settings.max_question_chars)
        session_id = open_session(engine, conversation)
        body = answer(AskIn(question=question, top_k=chat.top_k, session_id=session_id), request, service)
    except BadQuestion as exc:  # OpenAI clients expect 400 for a request they got wrong
        raise InvalidChatRequest(exc.message, code=exc.code) from exc
    close_session(engine, session_id, conversation)
    return body


@router.post(
    "/chat/completions",
    dependencies=[Depends(require_json)],
    response_model=None,
    summary="Answer the last user message (chat.completion, or chat.completion.chunk events when stream=true)",
)
async def chat_completions(request: Request, service: ServiceDep) -> JSONResponse | StreamingResponse:
    chat = parse_chat_request(await json_body(request))
    conversation = conversation_of(chat)
    body = await run_in_threadpool(answer_chat, chat, conversation, request, service)
    completion = Completion(body, conversation.prompt_chars)
    if not chat.stream:
        return JSONResponse(completion.body())
    include_usage = bool(chat.stream_options and chat.stream_options.include_usage)
    events = completion_events(
        completion, include_usage=include_usage, delay_seconds=service.settings.stream_delay_ms / 1000
    )
    return StreamingResponse(events, media_type=SSE_MEDIA_TYPE, headers=SSE_HEADERS)
