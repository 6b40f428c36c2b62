"""Errors under /v1 in OpenAI's shape: {"error": {"message", "type", "param", "code"}} instead of {"code", "message"}.

An ASGI middleware, so every error of those paths is covered — API key and rate limit (dependencies), unknown
routes, body size (BodyLimitMiddleware), validation and the last-resort 500 — without a second set of handlers.
"""

from __future__ import annotations

import json
from typing import Any

from starlette.types import ASGIApp, Message, Receive, Scope, Send

OPENAI_PREFIX = "/v1"
_TYPES = {401: "authentication_error", 403: "permission_error", 429: "rate_limit_error"}


def error_type(status: int) -> str:
    """OpenAI's error `type` for a status: client errors are invalid_request_error unless more specific."""
    if status in _TYPES:
        return _TYPES[status]
    return "invalid_request_error" if status < 500 else "server_error"


def openai_error_body(payload: bytes, status: int) -> bytes:
    """Our {"error": {"code", "message"}} rewritten for OpenAI clients; any other body is returned unchanged."""
    try:
        data: Any = json.loads(payload)
    except ValueError:
        return payload
    error = data.get("error") if isinstance(data, dict) else None
    if not isinstance(error, dict) or "message" not in error:
        return payload
    shaped = {
        "message": error["message"],
        "type": error_type(status),
        "param": error.get("param"),
        "code": error.get("code"),
    }
    return json.dumps({"error": shaped}, ensure_ascii=False).encode()


def _is_json(message: Message) -> bool:
    headers: dict[bytes, bytes] = dict(message.get("headers", []))
    return headers.get(b"content-type", b"").split(b";")[0].strip() == b"application/json"


class OpenAIErrorMiddleware:
    """Reshapes JSON error responses (status >= 400) of paths under `prefix`; other responses pass untouched."""

    def __init__(self, app: ASGIApp, *, prefix: str = OPENAI_PREFIX) -> None:
        self.app = app
        self.prefix = prefix.rstrip("/")

    def _applies(self, scope: Scope) -> bool:
        path = str(scope.get("path", ""))
        return scope["type"] == "http" and (path == self.prefix or path.startswith(self.prefix + "/"))

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if not self._applies(scope):
            await self.app(scope, receive, send)
            return
        held: Message | None = None  # the start of an error response, sent once its body is rewritten
        parts: list[bytes] = []

        async def reshaping_send(message: Message) -> None:
            nonlocal held
            if message["type"] == "http.response.start" and message["status"] >= 400 and _is_json(message):
                held = message
                return
            if held is None or message["type"] != "http.response.body":
                await send(message)
                return
            parts.append(message.get("body", b""))
            if message.get("more_body", False):
                return
            body = openai_error_body(b"".join(parts), held["status"])
            headers = [(k, v) for k, v in held.get("headers", []) if k.lower() != b"content-length"]
            headers.append((b"content-length", str(len(body)).encode()))
            await send({**held, "headers": headers})
            await send({"type": "http.response.body", "body": body})

        await self.app(scope, receive, reshaping_send)


__all__ = ["OPENAI_PREFIX", "OpenAIErrorMiddleware", "error_type", "openai_error_body"]
