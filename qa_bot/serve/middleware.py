"""Small ASGI middlewares: security headers on every response, a body-size cap before parsing, a last-resort 500."""

from __future__ import annotations

import logging

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from qa_bot.serve.errors import (
    GENERIC_MESSAGE,
    InternalError,
    PayloadTooLarge,
    error_response,
)

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
        f"default-src 'self'; script-src {scripts}; style-src {scripts}; img-src {images}; connect-src 'self'; frame-ancestors {ancestors}"
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
    """Refuses a request body over max_bytes with 413, by Content-Length or by counting a chunked body.

    The body (at most max_bytes) is read before the application runs and then replayed to it.
    """

    def __init__(self, app: ASGIApp, *, max_bytes: int, upload_paths: tuple[str, ...] = (), max_upload_bytes: int = 0) -> None:
        self.app = app
        self.max_bytes = max_bytes
        self.upload_paths = upload_paths  # path prefixes that take file uploads, up to max_upload_bytes
        self.max_upload_bytes = max_upload_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] in ("GET", "HEAD", "OPTIONS"):
            await self.app(scope, receive, send)
            return
        limit = self.max_upload_bytes if scope.get("path", "").startswith(self.upload_paths or ("\0",)) else self.max_bytes
        declared = dict(scope.get("headers", [])).get(b"content-length")
        if declared is not None and declared.isdigit() and int(declared) > limit:
            await error_response(PayloadTooLarge(TOO_LARGE_MESSAGE))(scope, receive, send)
            return
        buffered: list[Message] = []
        size = 0
        while True:
            message = await receive()
            buffered.append(message)
            if message["type"] != "http.request":
                break
            size += len(message.get("body", b""))
            if size > limit:
                await error_response(PayloadTooLarge(TOO_LARGE_MESSAGE))(scope, receive, send)
                return
            if not message.get("more_body", False):
                break

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
