"""Signed conversation context: the previous turn travels with the client, so any replica can answer a follow-up.

A token is ``c1.<payload>.<signature>``, both parts base64url without padding:

* payload: UTF-8 JSON ``[1, issued_at, question, kind, meta_field, doc_id, subject]`` (Turn.to_fields, texts cut to
  TURN_TEXT_CHARS), issued_at in whole seconds of wall-clock time (replicas share the clock, not the process);
* signature: HMAC-SHA256 over ``"qa-bot/context/c1:" + payload`` with the shared secret (QA_BOT_CONTEXT_SECRET).

A token is good for `ttl_seconds` after it was issued (the session time-to-live). Reading never raises: a token that
is not text, too long, malformed, signed with another secret, tampered with or expired reads as None, and the
question is then answered without it. Only the standard library is used.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import json
import re
import secrets
import threading
import time
from collections.abc import Callable

from qa_bot.answer.session import Turn

PREFIX = "c1"
VERSION = 1
MAX_TOKEN_CHARS = 4096  # longer is not ours (ours stay under 2 KB): refused before any work
CLOCK_SKEW_SECONDS = 60  # a token "issued" this far in the future is still taken (replica clocks differ a little)
_DOMAIN = b"qa-bot/context/c1:"
_B64URL = re.compile(r"[A-Za-z0-9_-]+")

_process_secret: bytes | None = None
_process_lock = threading.Lock()


def process_secret() -> bytes:
    """A random secret made once per process: what signs tokens when no shared secret is configured."""
    global _process_secret
    with _process_lock:
        if _process_secret is None:
            _process_secret = secrets.token_bytes(32)
        return _process_secret


def _encode(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def _decode(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


class ContextTokens:
    """Issues and reads context tokens with one secret. Thread-safe (holds no mutable state)."""

    def __init__(self, secret: str | bytes, *, ttl_seconds: float, clock: Callable[[], float] = time.time) -> None:
        key = secret.encode("utf-8") if isinstance(secret, str) else bytes(secret)
        if not key:
            raise ValueError("context secret must not be empty")
        self._key = key
        self.ttl = ttl_seconds
        self._clock = clock

    def _sign(self, payload: str) -> str:
        return _encode(hmac.new(self._key, _DOMAIN + payload.encode("ascii"), hashlib.sha256).digest())

    def issue(self, turn: Turn) -> str:
        """A token carrying `turn`, issued now."""
        fields = [VERSION, int(self._clock()), *turn.to_fields()]
        payload = _encode(json.dumps(fields, ensure_ascii=False, separators=(",", ":")).encode("utf-8"))
        return f"{PREFIX}.{payload}.{self._sign(payload)}"

    def check(self, token: object) -> tuple[Turn | None, str]:
        """(the turn, "") for a good token, else (None, why it was refused)."""
        if not isinstance(token, str) or not token:
            return None, "not a token"
        if len(token) > MAX_TOKEN_CHARS:
            return None, "too long"
        parts = token.split(".")
        if len(parts) != 3 or parts[0] != PREFIX or not all(_B64URL.fullmatch(p) for p in parts[1:]):
            return None, "malformed"
        payload, signature = parts[1], parts[2]
        if not hmac.compare_digest(self._sign(payload), signature):
            return None, "bad signature"
        try:
            fields = json.loads(_decode(payload).decode("utf-8"))
        except (binascii.Error, ValueError):  # UnicodeDecodeError and JSONDecodeError are ValueErrors
            return None, "malformed payload"
        if not isinstance(fields, list) or len(fields) != 7 or fields[0] != VERSION:
            return None, "malformed payload"
        issued = fields[1]
        if isinstance(issued, bool) or not isinstance(issued, int):
            return None, "malformed payload"
        age = self._clock() - issued
        if age > self.ttl:
            return None, "expired"
        if age < -CLOCK_SKEW_SECONDS:
            return None, "issued in the future"
        turn = Turn.from_fields(fields[2:])
        return (turn, "") if turn is not None else (None, "malformed payload")

    def read(self, token: object) -> Turn | None:
        """The turn in a good token, None for anything else."""
        return self.check(token)[0]


__all__ = ["CLOCK_SKEW_SECONDS", "MAX_TOKEN_CHARS", "ContextTokens", "process_secret"]
