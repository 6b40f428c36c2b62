"""Small ASGI middlewares: security headers on every response, the body read once (size cap, JSON check), a
last-resort 500."""

from __future__ import annotations

import logging

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from qa_bot.serve.errors import GENERIC_MESSAGE, InternalError, InvalidJson, PayloadTooLarge, error_response
from qa_bot.serve.jsonbody import STATE_KEY, is_json_content_type, parse_json_body

log = logging.getLogger("qa_bot.serve")

TOO_LARGE_MESSAGE = "请求体过大"
# The Swagger UI page at /docs (assets served locally, see docs.py) starts itself with an inline script.
_DOCS_PATHS = frozenset({"/docs"})
_DOCS_SOURCES = "'self' 'unsafe-inline'"


def content_security_policy(frame_ancestors: str, *, docs: bool = False) -> str:
    scripts = _DOCS_SOURCES if docs else "'self'"
    images = "'self' data:"
    ancestors = frame_ancestors.strip() or "'self'"
    return (
        f"default-src 'self'; script-src {scripts}; style-src {scripts}; img-src {images}; connect-src 'self';"
        f" frame-ancestors {ancestors}"
    )


class SecurityHeadersMiddleware:
    """Adds CSP, nosniff, no-referrer and (unless frame_ancestors allows framing) X-Frame-Options."""

    def __init__(self, app: ASGIApp, *, frame_ancestors: str = "") -> None:
        self.app = app
        self.frame_ancestors = frame_ancestors
        self._headers = self._build(docs=False)
        self._docs_headers = self._build(docs=True)

    def _build(self, *, docs: bool) -> list[tuple[bytes, bytes]]:
        headers = [
            (b"content-security-policy", content_security_policy(self.frame_ancestors, docs=docs).encode()),
            (b"x-content-type-options", b"nosniff"),
            (b"referrer-policy", b"no-referrer"),
        ]
        if not self.frame_ancestors.strip():
            headers.append((b"x-frame-options", b"SAMEORIGIN"))
        return headers

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        extra = self._docs_headers if scope["path"] in _DOCS_PATHS else self._headers

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                names = {name.lower() for name, _ in extra}
                kept = [(k, v) for k, v in message.get("headers", []) if k.lower() not in names]
                message = {**message, "headers": kept + extra}
            await send(message)

        await self.app(scope, receive, send_with_headers)


class BodyLimitMiddleware:
    """Reads the whole request body before the application runs: over max_bytes → 413 (by Content-Length or by
    counting a chunked body); declared JSON → parsed once by jsonbody.parse_json_body (400 if it is not JSON or is
    nested deeper than max_json_depth), the value kept in the request's state. The body is then replayed to the app.

    A client that goes away mid-body gets nothing (there is no one to answer); one that is too slow is dropped by
    the protocol's body deadline (protocol.py).
    """

    def __init__(
        self,
        app: ASGIApp,
        *,
        max_bytes: int,
        max_json_depth: int = 32,
        upload_paths: tuple[str, ...] = (),
        max_upload_bytes: int = 0,
    ) -> None:
        self.app = app
        self.max_bytes = max_bytes
        self.max_json_depth = max_json_depth
        self.upload_paths = upload_paths  # path prefixes that take file uploads, up to max_upload_bytes
        self.max_upload_bytes = max_upload_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] in ("GET", "HEAD", "OPTIONS"):
            await self.app(scope, receive, send)
            return
        limit = (
            self.max_upload_bytes if scope.get("path", "").startswith(self.upload_paths or ("\0",)) else self.max_bytes
        )
        headers = dict(scope.get("headers", []))
        declared = headers.get(b"content-length")
        if declared is not None and declared.isdigit() and int(declared) > limit:
            await error_response(PayloadTooLarge(TOO_LARGE_MESSAGE))(scope, receive, send)
            return
        buffered: list[Message] = []
        parts: list[bytes] = []
        size = 0
        while True:
            message = await receive()
            if message["type"] == "http.disconnect":
                return
            buffered.append(message)
            if message["type"] != "http.request":
                break
            parts.append(message.get("body", b""))
            size += len(parts[-1])
            if size > limit:
                await error_response(PayloadTooLarge(TOO_LARGE_MESSAGE))(scope, receive, send)
                return
            if not message.get("more_body", False):
                break
        body = b"".join(parts)
        if body.strip() and is_json_content_type(headers.get(b"content-type", b"").decode("latin-1")):
            try:
                scope.setdefault("state", {})[STATE_KEY] = parse_json_body(body, max_depth=self.max_json_depth)
            except InvalidJson as exc:
                await error_response(exc)(scope, receive, send)
                return

        async def replay() -> Message:
            return buffered.pop(0) if buffered else await receive()

        await self.app(scope, replay, send)


class CatchAllMiddleware:
    """Turns an unexpected exception into a 500 error body with a generic message; the traceback is logged."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = False

        async def tracking_send(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
            await send(message)

        try:
            await self.app(scope, receive, tracking_send)
        except Exception:
            log.exception("unexpected error on %s %s", scope.get("method"), scope.get("path"))
            if started:
                raise
            await error_response(InternalError(GENERIC_MESSAGE))(scope, receive, send)


__all__ = ["BodyLimitMiddleware", "CatchAllMiddleware", "SecurityHeadersMiddleware", "content_security_policy"]
