"""FastAPI dependencies shared by the routers: the service state, the loaded engine, JSON-only bodies, client
address."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request

from qa_bot.answer.context import ContextTokens
from qa_bot.answer.protocol import AnswerEngine
from qa_bot.serve.errors import UnsupportedMediaType
from qa_bot.serve.jsonbody import is_json_content_type
from qa_bot.serve.state import ServiceState


def get_service(request: Request) -> ServiceState:
    service: ServiceState = request.app.state.service
    return service


ServiceDep = Annotated[ServiceState, Depends(get_service)]


def get_engine(service: ServiceDep) -> AnswerEngine:
    return service.ready_engine()


EngineDep = Annotated[AnswerEngine, Depends(get_engine)]


def get_context_tokens(request: Request) -> ContextTokens:
    tokens: ContextTokens = request.app.state.context_tokens
    return tokens


def require_json(request: Request) -> None:
    """Request bodies must be declared as JSON (application/json or application/*+json)."""
    if is_json_content_type(request.headers.get("content-type")):
        return
    raise UnsupportedMediaType("请求体必须是 JSON，请设置请求头 Content-Type: application/json")


def client_address(request: Request) -> str | None:
    """The client's address: the TCP peer, or what a trusted proxy forwarded (ProxyHeadersMiddleware, see app.py)."""
    return request.client.host if request.client else None


__all__ = [
    "EngineDep",
    "ServiceDep",
    "client_address",
    "get_context_tokens",
    "get_engine",
    "get_service",
    "require_json",
]
