"""The FastAPI application: wires routers, error handlers, middleware and the chat page; `run` serves it with
uvicorn."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI
from fastapi.middleware.cors import CORSMiddleware
from uvicorn.middleware.proxy_headers import ProxyHeadersMiddleware

import qa_bot
from qa_bot.answer.context import ContextTokens, process_secret
from qa_bot.answer.engine import QaEngine
from qa_bot.serve.docs import install_docs
from qa_bot.serve.errors import install_error_handlers
from qa_bot.serve.middleware import (
    BodyLimitMiddleware,
    CatchAllMiddleware,
    SecurityHeadersMiddleware,
)
from qa_bot.serve.openai_errors import OpenAIErrorMiddleware
from qa_bot.serve.protocol import deadline_protocol
from qa_bot.serve.redact import install_redaction, uvicorn_log_config
from qa_bot.serve.routers import ROUTERS
from qa_bot.serve.state import ServiceState
from qa_bot.serve.static import default_web_dir, web_mount
from qa_bot.serve.uploads import UPLOAD_OVERHEAD_BYTES, UPLOAD_PATH
from qa_bot.settings import Settings, get_settings

log = logging.getLogger("qa_bot.serve")

DESCRIPTION = '政府公报问答：回答附条款出处。错误统一为 {"error": {"code", "message"}}。'


@asynccontextmanager
async def lifespan(app: FastAPI) -> AsyncIterator[None]:
    service: ServiceState = app.state.service
    service.start_loading()  # background thread: /healthz answers at once, /readyz once loaded
    try:
        yield
    finally:
        service.close()


def context_tokens(settings: Settings) -> ContextTokens:
    """Signs the follow-up context handed to clients: with QA_BOT_CONTEXT_SECRET, shared by every replica that has it;
    without, a random secret of this process (logged once as a warning)."""
    if settings.context_secret.strip():
        return ContextTokens(settings.context_secret, ttl_seconds=settings.session_ttl_seconds)
    log.warning(
        "QA_BOT_CONTEXT_SECRET is not set: follow-up context is signed with a random secret of this process, so "
        "follow-ups only work on the replica that answered the previous question (set the same secret on every replica)"
    )
    return ContextTokens(process_secret(), ttl_seconds=settings.session_ttl_seconds)


def create_app(settings: Settings | None = None, engine: QaEngine | None = None) -> FastAPI:
    """The service. Without `engine`, the index in settings.index_dir is loaded at start-up in a worker thread."""
    settings = settings or get_settings()
    app = FastAPI(
        title="qa-bot",
        version=qa_bot.__version__,
        description=DESCRIPTION,
        lifespan=lifespan,
        docs_url=None,
        redoc_url=None,
    )
    app.state.service = ServiceState(settings, engine)
    app.state.context_tokens = context_tokens(settings)
    for router in ROUTERS:
        app.include_router(router)
    install_error_handlers(app)
    install_docs(app)

    web_dir = settings.web_dir or default_web_dir()
    if web_dir.is_dir():
        app.router.routes.append(web_mount(web_dir, app.routes))
    else:
        log.warning("chat page not served: %s is not a folder", web_dir)

    # add_middleware wraps: the last added runs first.
    app.add_middleware(CatchAllMiddleware)
    app.add_middleware(
        BodyLimitMiddleware,
        max_bytes=settings.max_body_bytes,
        max_json_depth=settings.max_json_depth,
        upload_paths=(UPLOAD_PATH,),
        max_upload_bytes=settings.max_upload_bytes + UPLOAD_OVERHEAD_BYTES,
    )
    app.add_middleware(OpenAIErrorMiddleware)  # /v1 errors in OpenAI's shape, 413s included
    origins = [o.strip() for o in settings.cors_origins.split(",") if o.strip()]
    if origins:
        app.add_middleware(
            CORSMiddleware,
            allow_origins=origins,
            allow_methods=["GET", "POST"],
            allow_headers=["Content-Type", "Authorization", "X-API-Key"],
        )
    app.add_middleware(SecurityHeadersMiddleware, frame_ancestors=settings.frame_ancestors)
    # Outermost: every layer (rate limits, key lock-out, question log, access log) sees the client a trusted proxy
    # forwarded — the rightmost untrusted X-Forwarded-For hop — and with no trusted proxy the TCP peer, whatever
    # the request says. (uvicorn's own proxy handling, which trusts loopback, is off: see run.)
    app.add_middleware(ProxyHeadersMiddleware, trusted_hosts=settings.trusted_proxy_list())
    return app


def run(settings: Settings) -> None:
    """Load the index (IndexNotReady if missing or corrupt, before any port is opened), then serve until stopped."""
    import uvicorn

    redactor = install_redaction(settings.secrets())
    engine = QaEngine.load(settings)
    app = create_app(settings, engine=engine)
    log.info("serving on http://%s:%d/", settings.host, settings.port)
    uvicorn.run(
        app,
        host=settings.host,
        port=settings.port,
        log_level=settings.log_level.lower(),
        log_config=uvicorn_log_config(redactor),
        timeout_graceful_shutdown=5,
        proxy_headers=False,  # create_app's ProxyHeadersMiddleware, with QA_BOT_TRUSTED_PROXIES only
        http=deadline_protocol(settings),
        limit_concurrency=settings.max_connections,
    )


__all__ = ["context_tokens", "create_app", "run"]
