"""The chat page on the one JS client (web/js/qabot.js, shared with the mini-program) in Debian's Chromium: what it asks
the server, the fallback when the stream route is missing, a stream cut short, and the screenshot of a reply."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from browser_helpers import Page, Server, screenshot, serve, skip_without_browser

skip_without_browser()

pytestmark = pytest.mark.browser

LEAD = "哪个单位牵头完善县乡村三级物流体系？"


@pytest.fixture(scope="module")
def server(mini_index: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    with serve(mini_index, tmp_path_factory.mktemp("client-server")) as running:
        yield running


def test_the_page_leaves_top_k_to_the_server(desktop: Page, server: Server) -> None:
    page = desktop.page
    sent: list[dict[str, Any]] = []
    page.on(
        "request",
        lambda r: sent.append(json.loads(r.post_data or "{}")) if r.url.endswith("/api/ask/stream") else None,
    )
    reply = desktop.ask(LEAD)
    assert reply.locator(".answer-text").inner_text().startswith("市邮政管理局牵头")
    assert sent and "top_k" not in sent[0] and sent[0]["question"] == LEAD
    # The server's default (QA_BOT_DEFAULT_TOP_K) decides how many clauses the reply cites: as many as /api/ask gives.
    plain = page.evaluate(
        """(q) => fetch('/api/ask', {method: 'POST', headers: {'Content-Type': 'application/json'},
                                     body: JSON.stringify({question: q})}).then(r => r.json())""",
        LEAD,
    )
    assert reply.locator(".citation-card").count() == len(plain["citations"])
    screenshot(page, "desktop-client-reply.png")


def test_a_missing_stream_route_is_answered_by_the_plain_one(desktop: Page) -> None:
    page = desktop.page
    asked: list[str] = []
    page.on("request", lambda r: asked.append(r.url.rsplit("/", 2)[-1]) if "/api/ask" in r.url else None)
    page.route("**/api/ask/stream", lambda route: route.fulfill(status=404, json={"detail": "Not Found"}))
    reply = desktop.ask(LEAD)
    assert asked == ["stream", "ask"]
    assert reply.locator(".answer-text").inner_text().startswith("市邮政管理局牵头")
    assert reply.locator(".citation-card").count() >= 1 and reply.locator(".error-box").count() == 0
    desktop.problems[:] = [p for p in desktop.problems if "404" not in p]  # the faked missing route, expected


def test_a_stream_cut_short_keeps_its_text_marked_incomplete(desktop: Page) -> None:
    page = desktop.page
    cut = "event: delta\ndata: " + json.dumps({"text": "市邮政管理局牵头"}, ensure_ascii=False) + "\n\n"
    page.route(
        "**/api/ask/stream",
        lambda route: route.fulfill(status=200, headers={"Content-Type": "text/event-stream; charset=utf-8"}, body=cut),
    )
    reply = desktop.ask(LEAD)
    assert reply.locator(".answer-text").inner_text() == "市邮政管理局牵头"
    assert "回答可能不完整" in reply.inner_text()
    assert reply.locator(".error-box").count() == 0
