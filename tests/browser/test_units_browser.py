"""按单位查看 in Debian's Chromium against a real `qa-bot serve` over the real gazette: find a unit, its tasks grouped
by document with role badges and deadlines, the role filter, the Excel export, a row opening the clause; desktop
and phone (screenshots in eval/screenshots/)."""

from __future__ import annotations

import io
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from test_chat_browser import Page, Server, _no_horizontal_scroll, _screenshot, _serve

pytestmark = pytest.mark.browser

POSTAL = "市邮政管理局"
BANK = "中国人民银行锦州市中心支行"


@pytest.fixture(scope="module")
def real_server(real_index: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    with _serve(real_index, tmp_path_factory.mktemp("units-server")) as running:
        yield running


def _open(browser: Any, server: Server, path: str, **context: Any) -> Page:
    page = Page(browser.new_context(locale="zh-CN", accept_downloads=True, **context).new_page())
    page.page.goto(server.url + path)
    return page


@pytest.fixture
def desktop(browser: Any, real_server: Server) -> Iterator[Page]:
    page = _open(browser, real_server, "/", viewport={"width": 1280, "height": 900})
    yield page
    page.page.context.close()
    assert not page.problems, page.problems


@pytest.fixture
def phone(browser: Any, real_server: Server) -> Iterator[Page]:
    page = _open(
        browser,
        real_server,
        "/",
        viewport={"width": 375, "height": 667},
        device_scale_factor=2,
        is_mobile=True,
        has_touch=True,
    )
    yield page
    page.page.context.close()
    assert not page.problems, page.problems


def _rows(page: Any) -> list[dict[str, str]]:
    return page.evaluate(
        """() => Array.from(document.querySelectorAll('.task-row')).map((r) => ({
             chunk: r.dataset.chunkId, role: r.querySelector('.role-badge').textContent,
             doc: r.closest('tbody').querySelector('.task-doc-title').textContent }))"""
    )


def test_search_a_unit_and_see_its_tasks_by_document(desktop: Page) -> None:
    page = desktop.page
    page.click("#nav-units")
    page.locator(".unit-row").first.wait_for()
    kinds = page.locator(".unit-kind").all_inner_texts()
    assert [k.split()[0] for k in kinds][:4] == ["市直部门", "县区政府", "中直/驻锦单位", "企业"]
    _screenshot(page, "desktop-units.png")
    page.fill("#unit-search", "邮政管理")
    assert page.locator(".unit-row:visible").all_inner_texts()[0].startswith(POSTAL)
    page.press("#unit-search", "Enter")  # the only match
    page.locator(".task-row").first.wait_for()
    assert page.locator(".unit-title").inner_text() == POSTAL
    rows = _rows(page)
    assert len(rows) == 9 and sum(r["role"] == "牵头" for r in rows) == 5
    assert page.locator(".task-doc").count() == 2  # grouped by document
    assert "9 项" in page.locator(".unit-summary").inner_text()
    _screenshot(page, "desktop-unit-tasks.png")

    page.click(".role-btn[data-role=lead]")
    page.wait_for_function("() => document.querySelectorAll('.task-row').length === 5")
    assert {r["role"] for r in _rows(page)} == {"牵头"}
    assert "role=lead" in page.get_attribute("#unit-export", "href")


def test_an_alias_finds_the_unit_and_an_unknown_name_gets_suggestions(desktop: Page) -> None:
    page = desktop.page
    page.goto(desktop.page.url.split("#")[0] + "#/units/" + "人民银行锦州市中心支行")
    page.locator(".task-row").first.wait_for()
    assert page.locator(".unit-title").inner_text() == BANK and page.locator(".task-row").count() == 4
    page.fill("#unit-search", "市邮政局管理")
    page.press("#unit-search", "Enter")
    suggestion = page.locator(".unit-suggest .unit-chip", has_text=POSTAL)
    suggestion.wait_for()
    assert "没有找到单位" in page.locator(".error-message").inner_text()
    expected = [p for p in desktop.problems if "status of 404" in p]  # Chromium logs the answered 404 itself
    assert len(expected) == 1
    desktop.problems.remove(expected[0])
    suggestion.click()
    page.wait_for_function("() => document.querySelectorAll('.task-row').length === 9")


def test_export_downloads_a_spreadsheet(desktop: Page) -> None:
    from openpyxl import load_workbook

    page = desktop.page
    page.goto(page.url.split("#")[0] + "#/units/" + POSTAL + "?role=lead")
    page.locator(".task-row").first.wait_for()
    with page.expect_download() as caught:
        page.click("#unit-export")
    download = caught.value
    assert download.suggested_filename.startswith(f"{POSTAL}-任务台账-") and download.suggested_filename.endswith(
        ".xlsx"
    )
    sheet = load_workbook(io.BytesIO(Path(download.path()).read_bytes())).active
    assert sheet.max_row == 1 + 5 and {sheet.cell(row=r, column=7).value for r in range(2, 7)} == {"牵头"}


def test_a_row_opens_the_clause_and_back_returns(desktop: Page) -> None:
    page = desktop.page
    page.goto(page.url.split("#")[0] + "#/units/" + POSTAL)
    first = page.locator(".task-row").first
    first.wait_for()
    chunk = first.get_attribute("data-chunk-id")
    first.locator(".co-cell").click()  # anywhere on the row
    highlighted = page.locator(".clause.highlight")
    highlighted.wait_for()
    assert highlighted.get_attribute("data-chunk-id") == chunk
    assert POSTAL in highlighted.inner_text()
    assert page.locator("#doc-back-label").inner_text() == "返回单位任务"
    page.click("#doc-back")
    page.locator(".task-row").first.wait_for()
    assert page.locator(".unit-title").inner_text() == POSTAL


def test_phone_units_view(phone: Page) -> None:
    page = phone.page
    page.click("#nav-units")
    page.locator(".unit-row").first.wait_for()
    _no_horizontal_scroll(page)
    _screenshot(page, "phone-units.png")
    page.locator(".unit-row", has_text=POSTAL).click()
    page.locator(".task-row").first.wait_for()
    _no_horizontal_scroll(page)
    assert page.locator(".task-table thead").is_hidden()  # rows become cards
    assert page.locator(".task-row").first.locator(".role-badge").is_visible()
    _screenshot(page, "phone-unit-tasks.png")
    page.locator(".task-link").first.tap()
    page.locator(".clause.highlight").wait_for()
