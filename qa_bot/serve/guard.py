"""Access control for /api: API keys from QA_BOT_API_KEYS (none set: open) and per-client rate limiting."""

from __future__ import annotations

import hashlib
import hmac

from fastapi import Request

from qa_bot.serve.deps import ServiceDep, client_address
from qa_bot.serve.errors import RateLimited, Unauthorized


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


__all__ = ["presented_key", "rate_limit", "require_api_key"]
