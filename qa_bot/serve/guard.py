"""Access control for /api and /v1: API keys from QA_BOT_API_KEYS (none set: open), per-client rate limits, the
admin key (QA_BOT_ADMIN_KEY; none set: admin routes are off) for /api/admin, and a lock-out for key guessing.

A client is its API key when keys are on, else its address — the TCP peer, or with QA_BOT_TRUSTED_PROXIES the
address the trusted proxy forwarded (app.py installs uvicorn's ProxyHeadersMiddleware, so `request.client` is it).
Wrong keys (API or admin) are counted per address in ServiceState.auth_failures: an address that spends that budget
gets 429 for every key until it refills, while the right key keeps working from any other address. Keys are
compared in constant time and never logged or stored.
"""

from __future__ import annotations

import hashlib
import hmac

from fastapi import Request

from qa_bot.serve.deps import ServiceDep, client_address
from qa_bot.serve.errors import Forbidden, RateLimited, Unauthorized
from qa_bot.serve.ratelimit import RateLimiter
from qa_bot.serve.state import ServiceState


def presented_key(request: Request) -> str | None:
    """The key a client sent: `Authorization: Bearer <key>` or `X-API-Key: <key>`."""
    authorization = request.headers.get("authorization", "")
    scheme, _, value = authorization.partition(" ")
    if scheme.lower() == "bearer" and value.strip():
        return value.strip()
    return request.headers.get("x-api-key") or None


def _address(request: Request) -> str:
    return client_address(request) or "?"


def _refuse_if_locked_out(request: Request, service: ServiceState) -> None:
    wait = service.auth_failures.blocked(_address(request))
    if wait:
        raise RateLimited(f"错误的密钥尝试过多，请 {wait} 秒后再试。", retry_after=wait)


def _count_failure(request: Request, service: ServiceState) -> None:
    service.auth_failures.acquire(_address(request))


def require_api_key(request: Request, service: ServiceDep) -> None:
    keys = service.settings.api_key_list()
    if not keys:
        return
    key = presented_key(request)
    if key is None:
        raise Unauthorized("需要有效的访问密钥（Authorization: Bearer <密钥>）。")
    _refuse_if_locked_out(request, service)
    if not any(hmac.compare_digest(key.encode(), known.encode()) for known in keys):
        _count_failure(request, service)
        raise Unauthorized("访问密钥无效。")


def _spend(limiter: RateLimiter, request: Request, service: ServiceState) -> None:
    """Counts the request against its client's budget: its (already checked) API key when keys are on, else its
    address."""
    if not limiter.enabled:
        return
    key = presented_key(request) if service.settings.api_key_list() else None  # unchecked keys would mint fresh budgets
    client = "key:" + hashlib.sha256(key.encode()).hexdigest()[:16] if key else "ip:" + _address(request)
    wait = limiter.acquire(client)
    if wait:
        raise RateLimited(f"请求过于频繁，请 {wait} 秒后再试。", retry_after=wait)


def rate_limit(request: Request, service: ServiceDep) -> None:
    """The QA_BOT_RATE_LIMIT budget: asking, searching, feedback, /v1."""
    _spend(service.limiter, request, service)


def read_rate_limit(request: Request, service: ServiceDep) -> None:
    """The larger budget of cheap reads (documents, units, examples): QA_BOT_RATE_LIMIT × QA_BOT_READ_LIMIT_FACTOR."""
    _spend(service.read_limiter, request, service)


def presented_admin_key(request: Request) -> str | None:
    """The admin key a client sent: `X-Admin-Key: <key>` or `Authorization: Bearer <key>`."""
    key = request.headers.get("x-admin-key", "").strip()
    if key:
        return key
    scheme, _, value = request.headers.get("authorization", "").partition(" ")
    return value.strip() if scheme.lower() == "bearer" and value.strip() else None


def require_admin_key(request: Request, service: ServiceDep) -> None:
    """Admin routes: 403 when no admin key is configured, 401 without a key, 403 with a wrong one (counted against
    the address; 429 once it has guessed too often)."""
    configured = service.settings.admin_key.strip()
    if not configured:
        raise Forbidden("未配置管理密钥（QA_BOT_ADMIN_KEY），管理接口不可用。")
    key = presented_admin_key(request)
    if key is None:
        raise Unauthorized("需要管理密钥（X-Admin-Key: <管理密钥>）。")
    _refuse_if_locked_out(request, service)
    if not hmac.compare_digest(key.encode(), configured.encode()):
        _count_failure(request, service)
        raise Forbidden("管理密钥无效。")


__all__ = [
    "presented_admin_key",
    "presented_key",
    "rate_limit",
    "read_rate_limit",
    "require_admin_key",
    "require_api_key",
]
