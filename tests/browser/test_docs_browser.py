"""The OpenAPI page /docs in Debian's Chromium against a real `qa-bot serve`: Swagger UI (served from local files)
renders the spec FastAPI writes, and a route's response shows the real citation fields (screenshot in
eval/screenshots/)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from browser_helpers import Server, screenshot, serve, skip_without_browser

skip_without_browser()

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def server(mini_index: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    with serve(mini_index, tmp_path_factory.mktemp("docs-server")) as running:
        yield running


def test_docs_page_shows_every_route_and_the_citation_shape(browser: Any, server: Server) -> None:
    context = browser.new_context(viewport={"width": 1280, "height": 1300}, locale="zh-CN")
    page = context.new_page()
    page.goto(server.url + "/docs")
    page.wait_for_selector(".opblock-summary", timeout=30_000)
    assert "Unable to render" not in page.content()
    paths = {p.replace("\u200b", "") for p in page.locator(".opblock-summary-path").all_inner_texts()}
    assert {"/api/ask", "/api/search", "/api/documents", "/v1/chat/completions"} <= paths
    page.locator(".opblock-summary-path", has_text="/api/search").first.click()
    example = page.locator("#operations-search-search_api_search_get .responses-wrapper .example").first
    example.wait_for(timeout=10_000)
    shown = example.inner_text()
    for field in ("doc_no", "title", "section", "text", "chunk_id", "score", "lead_units"):
        assert f'"{field}"' in shown, field
    screenshot(page, "docs-search.png")
    context.close()
