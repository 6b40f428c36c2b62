"""Access control for /api: API keys from QA_BOT_API_KEYS (none set: open), per-client rate limiting, and the admin
key (QA_BOT_ADMIN_KEY; none set: admin routes are off) for /api/admin. Keys are compared in constant time and
never logged or stored."""

from __future__ import annotations

import hashlib
import hmac

from fastapi import Request

from qa_bot.serve.deps import ServiceDep, client_address
from qa_bot.serve.errors import Forbidden, RateLimited, Unauthorized


def presented_key(request: Request) -> str | None:
    """The key a client sent: `Authorization: Bearer <key>` or `X-API-Key: <key>`."""
    authorization = request.headers.get("authorization", "")
    scheme, _, value = authorization.partition(" ")
    if scheme.lower() == "bearer" and value.strip():
        return value.strip()
    return request.headers.get("x-api-key") or None


def require_api_key(request: Request, service: ServiceDep) -> None:
    keys = service.settings.api_key_list()
    if not keys:
        return
    key = presented_key(request)
    if key is None:
        raise Unauthorized("需要有效的访问密钥（Authorization: Bearer <密钥>）。")
    if not any(hmac.compare_digest(key.encode(), known.encode()) for known in keys):
        raise Unauthorized("访问密钥无效。")


def rate_limit(request: Request, service: ServiceDep) -> None:
    """Counts the request against its client's budget: its (already checked) API key when keys are on, else its address."""
    if not service.limiter.enabled:
        return
    key = presented_key(request) if service.settings.api_key_list() else None  # unchecked keys would mint fresh budgets
    client = "key:" + hashlib.sha256(key.encode()).hexdigest()[:16] if key else "ip:" + (client_address(request) or "?")
    wait = service.limiter.acquire(client)
    if wait:
        raise RateLimited(f"请求过于频繁，请 {wait} 秒后再试。", retry_after=wait)


def presented_admin_key(request: Request) -> str | None:
    """The admin key a client sent: `X-Admin-Key: <key>` or `Authorization: Bearer <key>`."""
    key = request.headers.get("x-admin-key", "").strip()
    if key:
        return key
    scheme, _, value = request.headers.get("authorization", "").partition(" ")
    return value.strip() if scheme.lower() == "bearer" and value.strip() else None


def require_admin_key(request: Request, service: ServiceDep) -> None:
    """Admin routes: 403 when no admin key is configured, 401 without a key, 403 with a wrong one.

    Every attempt counts against the client address' rate-limit budget first, so keys cannot be guessed quickly.
    """
    configured = service.settings.admin_key.strip()
    if not configured:
        raise Forbidden("未配置管理密钥（QA_BOT_ADMIN_KEY），管理接口不可用。")
    if service.limiter.enabled:
        wait = service.limiter.acquire("admin:" + (client_address(request) or "?"))
        if wait:
            raise RateLimited(f"请求过于频繁，请 {wait} 秒后再试。", retry_after=wait)
    key = presented_admin_key(request)
    if key is None:
        raise Unauthorized("需要管理密钥（X-Admin-Key: <管理密钥>）。")
    if not hmac.compare_digest(key.encode(), configured.encode()):
        raise Forbidden("管理密钥无效。")


__all__ = ["presented_admin_key", "presented_key", "rate_limit", "require_admin_key", "require_api_key"]
