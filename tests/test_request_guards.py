"""The pieces of the hardening, each on its own: the JSON body parser, the log redaction, the rate limiter's
lock-out check, the trusted-proxy setting, the request deadlines' protocol class. tests/test_hostile.py drives them
all through real servers."""

from __future__ import annotations

import json
import logging
from typing import Any

import pytest
from server_helpers import run_cli

from qa_bot.redact import MASK, RedactSecrets
from qa_bot.serve.errors import InvalidJson
from qa_bot.serve.jsonbody import json_depth, parse_json_body
from qa_bot.serve.protocol import deadline_protocol
from qa_bot.serve.ratelimit import RateLimiter
from qa_bot.settings import Settings

# -- one JSON parser ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "depth"),
    [
        ("1", 0),
        ("[]", 1),
        ('{"a": [1, {"b": 2}]}', 3),
        ('{"a": "[[[[{{{{"}', 1),  # brackets inside strings do not count
        ('{"a": "\\"[[[["}', 1),  # nor after an escaped quote
        ("[" * 50 + "]" * 50, 50),
    ],
)
def test_json_depth(text: str, depth: int) -> None:
    assert json_depth(text) == depth


@pytest.mark.parametrize("depth", [1, 31, 32])
def test_bodies_up_to_the_limit_are_parsed(depth: int) -> None:
    body = ('{"a":' * depth + "1" + "}" * depth).encode()
    assert parse_json_body(body, max_depth=32) == json.loads(body)


@pytest.mark.parametrize(
    ("body", "says"),
    [
        (b"[" * 33 + b"]" * 33, "嵌套超过 32 层"),
        (b"[" * 100_000, "嵌套超过 32 层"),  # what made Python's json raise RecursionError
        (b'{"a": "' + b"[" * 60_000 + b'"}', None),  # long strings are fine …
        (b"\xff\xfe{}", "不是合法的 JSON"),
        (b'{"a": 1,}', "不是合法的 JSON"),
        (b"9" * 5000, "不是合法的 JSON"),  # an integer past Python's 4,300-digit limit
    ],
)
def test_what_the_parser_refuses(body: bytes, says: str | None) -> None:
    if says is None:
        assert parse_json_body(body, max_depth=32) == {"a": "[" * 60_000}
        return
    with pytest.raises(InvalidJson) as caught:
        parse_json_body(body, max_depth=32)
    assert says in caught.value.message and caught.value.http_status == 400


# -- secrets out of log lines ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("line", "hidden"),
    [
        ("GET /api/search?q=快递&api_key=abc123 HTTP/1.1", "abc123"),
        ("GET /api/search?access_token=t0k3n&q=x", "t0k3n"),
        ("GET /x?X-Admin-Key=adm1n;q=1", "adm1n"),
        ("GET /api/documents/configured-key-123", "configured-key-123"),  # a configured key anywhere
    ],
)
def test_redaction_masks_secret_parameters_and_configured_keys(line: str, hidden: str) -> None:
    redacted = RedactSecrets(["configured-key-123"]).redact(line)
    assert hidden not in redacted and MASK in redacted


def test_redaction_keeps_ordinary_lines_and_short_values() -> None:
    redactor = RedactSecrets(["abc"])  # too short to be a secret worth blanking out everywhere
    for line in ("GET /api/search?q=monkey&top_k=5", "POST /api/ask abc 200"):
        assert redactor.redact(line) == line


def test_the_filter_rewrites_the_arguments_uvicorn_formats() -> None:
    logger = logging.getLogger("test.redact")
    handler = logging.Handler()
    records: list[logging.LogRecord] = []
    handler.emit = records.append  # type: ignore[method-assign]
    handler.addFilter(RedactSecrets(["key-for-the-log-test"]))
    logger.addHandler(handler)
    try:
        args: Any = ("127.0.0.1:5000", "GET", "/api/search?key=key-for-the-log-test", "1.1", 401)
        logger.warning('%s - "%s %s HTTP/%s" %d', *args)
    finally:
        logger.removeHandler(handler)
    (record,) = records
    assert record.args is not None and len(record.args) == 5  # uvicorn's AccessFormatter unpacks five
    assert "key-for-the-log-test" not in record.getMessage()


# -- the lock-out check, the settings ------------------------------------------------------------------


def test_blocked_checks_without_spending() -> None:
    now = [0.0]
    limiter = RateLimiter(3, 60.0, clock=lambda: now[0])
    assert [limiter.blocked("a") for _ in range(10)] == [0] * 10
    assert [limiter.acquire("a") for _ in range(3)] == [0, 0, 0]
    assert limiter.blocked("a") == 20 and limiter.blocked("b") == 0
    now[0] = 20.0
    assert limiter.blocked("a") == 0


def test_cheap_reads_get_a_multiple_of_the_budget() -> None:
    assert RateLimiter.parse("20/minute", factor=5).limit == 100
    assert not RateLimiter.parse("0", factor=5).enabled


def test_trusted_proxies_are_networks() -> None:
    settings = Settings(trusted_proxies=" 10.0.0.5, 192.168.0.0/24 ,::1,")
    assert settings.trusted_proxy_list() == ["10.0.0.5/32", "192.168.0.0/24", "::1/128"]
    assert Settings().trusted_proxy_list() == []  # unset: none, loopback included


def test_a_bad_trusted_proxy_stops_serve_with_exit_2() -> None:
    result = run_cli(["serve"], timeout=60, QA_BOT_TRUSTED_PROXIES="10.0.0.5,nginx")
    assert result.returncode == 2, result.stderr
    assert "QA_BOT_TRUSTED_PROXIES" in result.stderr and "'nginx'" in result.stderr and "Traceback" not in result.stderr


def test_the_protocol_class_carries_the_timeouts() -> None:
    protocol = deadline_protocol(Settings(header_timeout_s=1.5, body_timeout_s=4))
    assert (protocol.header_timeout_s, protocol.body_timeout_s) == (1.5, 4.0)


# -- every /api route is rate limited ------------------------------------------------------------------


def test_every_api_route_is_rate_limited() -> None:
    """A new route under /api or /v1 cannot slip past the limits: each depends on a budget (admin routes on the
    key-guessing lock-out of require_admin_key). Checked on the routers the app includes (qa_bot.serve.routers)."""
    from qa_bot.serve.guard import rate_limit, read_rate_limit, require_admin_key
    from qa_bot.serve.routers import ROUTERS

    def calls(dependant: Any) -> set[Any]:
        found = {dependant.call}
        for sub in dependant.dependencies:
            found |= calls(sub)
        return found

    routes = [route for router in ROUTERS for route in router.routes if route.path.startswith(("/api/", "/v1/"))]
    assert len(routes) >= 12
    unguarded = [r.path for r in routes if not calls(r.dependant) & {rate_limit, read_rate_limit, require_admin_key}]
    assert not unguarded, unguarded
