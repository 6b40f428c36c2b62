"""Keeps secrets out of every log line: values of secret-looking query parameters, and every configured key.

A client can put a key where it does not belong — `?api_key=…` in the URL, which uvicorn's access log writes
verbatim — and the service's own keys (API keys, admin key, tokens) must never be printed wherever they turn up.
`install_redaction` puts one RedactSecrets filter on the root logger's handlers; `uvicorn_log_config` on
uvicorn's (the access log included). The feedback store masks the configured secrets in what it stores, too: a
key pasted into a question or a comment is not kept (qa_bot.feedback.open_storage).

    >>> RedactSecrets(["s3cret-key"]).redact("/api/search?q=快递&api_key=abc123&x=s3cret-key")
    '/api/search?q=快递&api_key=***&x=***'
"""

from __future__ import annotations

import copy
import logging
import re
from collections.abc import Iterable
from typing import Any

MASK = "***"
MIN_SECRET_CHARS = 6  # shorter "secrets" would blank out ordinary words
# A query parameter whose name says it carries a credential: its value is never logged, right or wrong.
_SECRET_PARAMETER = re.compile(
    r"(?i)(?P<name>[?&;][^=&;#\s]*(?:key|token|secret|passw|pwd|auth|signature|credential)[^=&;#\s]*=)[^&;#\s\"]*"
)


class RedactSecrets(logging.Filter):
    """Rewrites a record's message, arguments and traceback with secrets masked; never drops a record."""

    def __init__(self, secrets: Iterable[str] = ()) -> None:
        super().__init__()
        self.secrets = sorted({s for s in secrets if len(s) >= MIN_SECRET_CHARS}, key=len, reverse=True)

    def redact(self, text: str) -> str:
        """A log line: secret query parameters and configured secrets masked."""
        return self.mask_secrets(_SECRET_PARAMETER.sub(lambda m: m.group("name") + MASK, text))

    def mask_secrets(self, text: str) -> str:
        """Any text (a stored question or comment): the configured secrets masked, nothing else touched."""
        for secret in self.secrets:
            text = text.replace(secret, MASK)
        return text

    def _value(self, value: Any) -> Any:
        return self.redact(value) if isinstance(value, str) else value

    def filter(self, record: logging.LogRecord) -> bool:
        if isinstance(record.msg, str):
            record.msg = self.redact(record.msg)
        if isinstance(record.args, tuple):
            record.args = tuple(self._value(a) for a in record.args)
        elif isinstance(record.args, dict):
            record.args = {k: self._value(v) for k, v in record.args.items()}
        if record.exc_info and not record.exc_text:
            record.exc_text = self.redact(logging.Formatter().formatException(record.exc_info))
        return True


def install_redaction(secrets: Iterable[str]) -> RedactSecrets:
    """Adds the filter to every handler of the root logger (where qa_bot's loggers write)."""
    redactor = RedactSecrets(secrets)
    for handler in logging.getLogger().handlers:
        handler.addFilter(redactor)
    return redactor


def uvicorn_log_config(redactor: RedactSecrets) -> dict[str, Any]:
    """uvicorn's default logging configuration with `redactor` on each of its handlers."""
    from uvicorn.config import LOGGING_CONFIG

    config = copy.deepcopy(LOGGING_CONFIG)
    config.setdefault("filters", {})["redact_secrets"] = {"()": lambda: redactor}
    for handler in config["handlers"].values():
        handler["filters"] = [*handler.get("filters", []), "redact_secrets"]
    return config


__all__ = ["MASK", "RedactSecrets", "install_redaction", "uvicorn_log_config"]
