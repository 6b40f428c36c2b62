"""Fixtures of the browser tests: one Chromium per module (Debian's, through Playwright), a desktop page and a phone
page on the module's `server` (each test module starts its own)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from browser_helpers import Page, Server, browser_fixture  # noqa: F401 (registers the "browser" fixture here)


@pytest.fixture
def desktop(browser: Any, server: Server) -> Iterator[Page]:
    context = browser.new_context(viewport={"width": 1280, "height": 860}, locale="zh-CN")
    page = Page(context.new_page())
    page.page.goto(server.url + "/")
    yield page
    context.close()
    assert not page.problems, page.problems


@pytest.fixture
def phone(browser: Any, server: Server) -> Iterator[Page]:
    context = browser.new_context(
        viewport={"width": 390, "height": 844}, device_scale_factor=2, is_mobile=True, has_touch=True, locale="zh-CN"
    )
    page = Page(context.new_page())
    page.page.goto(server.url + "/")
    yield page
    context.close()
    assert not page.problems, page.problems
