"""The one JSON parser of request bodies: UTF-8 text, nested at most settings.max_json_depth deep, or InvalidJson.

BodyLimitMiddleware runs it on every JSON body before any route sees it, so no body reaches a parser that could
fail on it (Python's json recurses once per level: a 2 KB body 1,000 levels deep raised RecursionError). It keeps
what it parsed in the request's state; routes that read the body themselves (/v1) take it from there (`json_body`).

    >>> parse_json_body(b'{"question": "快递"}', max_depth=32)
    {'question': '快递'}
    >>> json_depth('{"a": [1, {"b": "[[["}]}')
    3
"""

from __future__ import annotations

import json
import re
from email.message import Message
from typing import Any

from starlette.requests import Request

from qa_bot.serve.errors import InvalidJson
from qa_bot.serve.validation import JSON_INVALID

STATE_KEY = "qa_bot.json_body"  # request.scope["state"][STATE_KEY]: the parsed body
_STRING = re.compile(r'"[^"\\]*(?:\\.[^"\\]*)*"', re.DOTALL)  # unrolled: one step per run of plain characters
_NOT_BRACKET = re.compile(r"[^\[\]{}]+")


def is_json_content_type(declared: str | None) -> bool:
    """application/json or application/*+json (parameters such as charset allowed)."""
    if not declared:
        return False
    parsed = Message()
    parsed["content-type"] = declared
    subtype = parsed.get_content_subtype()
    return parsed.get_content_maintype() == "application" and (subtype == "json" or subtype.endswith("+json"))


def json_depth(text: str) -> int:
    """The deepest nesting of arrays and objects (brackets inside strings do not count); never less than a parser
    sees."""
    depth = deepest = 0
    for bracket in _NOT_BRACKET.sub("", _STRING.sub("", text)):
        depth = depth + 1 if bracket in "[{" else depth - 1
        deepest = max(deepest, depth)
    return deepest


def parse_json_body(raw: bytes, *, max_depth: int) -> Any:
    """The body as a JSON value, or InvalidJson (400) with a readable message: not UTF-8, too deep, or not JSON."""
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise InvalidJson(JSON_INVALID) from None
    if json_depth(text) > max_depth:
        raise InvalidJson(f"{JSON_INVALID}：嵌套超过 {max_depth} 层")
    try:
        return json.loads(text)
    except (ValueError, RecursionError):  # ValueError: not JSON, or an integer of more than 4,300 digits
        raise InvalidJson(JSON_INVALID) from None


async def json_body(request: Request) -> Any:
    """The request's parsed JSON body (None when empty): as the middleware parsed it, or parsed here the same way."""
    state = request.scope.get("state") or {}
    if STATE_KEY in state:
        return state[STATE_KEY]
    raw = await request.body()
    if not raw.strip():
        return None
    return parse_json_body(raw, max_depth=request.app.state.service.settings.max_json_depth)


__all__ = ["STATE_KEY", "is_json_content_type", "json_body", "json_depth", "parse_json_body"]
