"""uvicorn's HTTP/1.1 (h11) protocol with deadlines, so that slow clients cannot hold connections open for ever.

uvicorn closes an idle keep-alive connection after timeout_keep_alive, but only while nothing arrives: one byte
of a request head, or a body that never ends, keeps a connection (and its file) open with no end. Here every
connection always has a deadline for what it is waiting for:

    waiting for a request head (new connection, or after a response)   header_timeout_s   then closed
    waiting for the rest of a request body                            body_timeout_s     then 408 and closed

`run` in app.py serves with `deadline_protocol(settings)`, and with uvicorn's limit_concurrency for the cap on
open connections (settings.max_connections: requests beyond it get 503).
"""

from __future__ import annotations

import asyncio
import json
import logging
from typing import Any

import h11
from uvicorn.protocols.http.h11_impl import H11Protocol

from qa_bot.serve.errors import RequestTimeout, error_body
from qa_bot.settings import Settings

log = logging.getLogger("qa_bot.serve")


class DeadlineH11Protocol(H11Protocol):
    """H11Protocol whose connections never wait longer than header_timeout_s for a head or body_timeout_s for a body."""

    header_timeout_s: float = 10.0
    body_timeout_s: float = 30.0

    # Overrides uvicorn's, which narrows asyncio.Protocol's BaseTransport to a Transport (mypy flags both)
    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        self._deadline: asyncio.TimerHandle | None = None
        self._waiting_for: object = None  # h11.IDLE, h11.SEND_BODY or None
        super().connection_made(transport)
        self._follow()

    def data_received(self, data: bytes) -> None:
        super().data_received(data)
        self._follow()

    def on_response_complete(self) -> None:
        super().on_response_complete()
        self._follow()

    def connection_lost(self, exc: Exception | None) -> None:
        self._cancel()
        super().connection_lost(exc)

    def _cancel(self) -> None:
        if self._deadline is not None:
            self._deadline.cancel()
            self._deadline = None

    def _follow(self) -> None:
        """Arms the deadline of what the connection now waits for, when that changed (a new head, a new body)."""
        if self.transport.is_closing():
            self._cancel()
            return
        state = self.conn.their_state
        waiting = state if state in (h11.IDLE, h11.SEND_BODY) else None
        if waiting is self._waiting_for:
            return
        self._cancel()
        self._waiting_for = waiting
        if waiting is h11.IDLE:
            self._deadline = self.loop.call_later(self.header_timeout_s, self._expire)
        elif waiting is h11.SEND_BODY:
            self._deadline = self.loop.call_later(self.body_timeout_s, self._expire)

    def _expire(self) -> None:
        self._deadline = None
        if self.transport.is_closing():
            return
        client = f"{self.client[0]}:{self.client[1]}" if self.client else "?"
        if self._waiting_for is h11.SEND_BODY:
            log.info("slow client %s dropped: request body not complete within %g s", client, self.body_timeout_s)
            if self.cycle is not None and not self.cycle.response_started:
                self._send_timeout_response()
        else:
            log.info("slow client %s dropped: no complete request head within %g s", client, self.header_timeout_s)
        self.transport.close()

    def _send_timeout_response(self) -> None:
        """408 with the error body; the application still reading the body then sees the client disconnect."""
        error = RequestTimeout(f"请求体未在 {self.body_timeout_s:g} 秒内发送完毕，连接已关闭。")
        body = json.dumps(error_body(error), ensure_ascii=False).encode()
        headers = [
            (b"content-type", b"application/json"),
            (b"content-length", str(len(body)).encode()),
            (b"connection", b"close"),
        ]
        try:
            for event in (h11.Response(status_code=408, headers=headers), h11.Data(data=body), h11.EndOfMessage()):
                self.transport.write(self.conn.send(event) or b"")
        except h11.LocalProtocolError:  # the connection is closed either way
            pass


def deadline_protocol(settings: Settings) -> type[DeadlineH11Protocol]:
    """The protocol class for uvicorn.run(http=...), with the timeouts of `settings`."""
    attributes: dict[str, Any] = {
        "header_timeout_s": settings.header_timeout_s,
        "body_timeout_s": settings.body_timeout_s,
    }
    return type("SettingsDeadlineH11Protocol", (DeadlineH11Protocol,), attributes)


__all__ = ["DeadlineH11Protocol", "deadline_protocol"]
