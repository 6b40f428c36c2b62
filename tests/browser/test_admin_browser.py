"""The admin page in Debian's Chromium against a real `python -m qa_bot serve`: upload a Word gazette, read its parse
report, see the background rebuild finish while searches keep being answered, then ask the chat page a question
answered from the new file; a bad upload is refused on the page and changes nothing."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from format_helpers import text_to_docx
from server_helpers import Server, copy_index, serving

CHROMIUM = Path("/usr/bin/chromium")
REPO = Path(__file__).resolve().parents[2]
FIXTURES = REPO / "tests" / "fixtures"
SCREENSHOTS = REPO / "eval" / "screenshots"
ADMIN_KEY = "admin-secret"

pytestmark = [pytest.mark.browser, pytest.mark.integration]

if not CHROMIUM.exists():
    pytest.skip(
        f"browser tests need Debian's Chromium at {CHROMIUM} (apt-get install -y chromium)", allow_module_level=True
    )
sync_api = pytest.importorskip(
    "playwright.sync_api", reason="browser tests need Playwright's Python API (pip install playwright)"
)


@pytest.fixture
def server(mini_index: Path, embed_cache_dir: Path, tmp_path: Path) -> Iterator[tuple[Server, Path]]:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "mini-gazette.txt").write_bytes((FIXTURES / "mini-gazette.txt").read_bytes())
    index_dir = copy_index(mini_index, tmp_path / "index", cache=embed_cache_dir)
    env = {"QA_BOT_CORPUS_DIR": corpus, "QA_BOT_ADMIN_KEY": ADMIN_KEY, "QA_BOT_MAX_UPLOAD_BYTES": 300 * 1024}
    with serving(index_dir, tmp_path / "server", **env) as running:
        yield running, corpus


@pytest.fixture
def page(server: tuple[Server, Path]) -> Iterator[Any]:
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=["--no-sandbox", "--disable-gpu"]
        )
        context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="zh-CN")
        page = context.new_page()
        problems: list[str] = []
        page.on(
            "console",
            lambda m: (
                problems.append(m.text) if m.type == "error" and "Failed to load resource" not in m.text else None
            ),
        )
        page.on("pageerror", lambda e: problems.append(str(e)))
        page.on("dialog", lambda d: d.accept())
        page.goto(server[0].url + "/admin.html")
        page.fill("#admin-key", ADMIN_KEY)
        page.click("#key-form button[type=submit]")
        page.locator("#files tbody tr[data-file='mini-gazette.txt']").wait_for()
        yield page
        context.close()
        browser.close()
        assert not problems, problems


class Searcher(threading.Thread):
    """Asks the server's search API in a loop and counts replies that were not 200."""

    def __init__(self, server: Server) -> None:
        super().__init__(daemon=True)
        self.server = server
        self.stop = threading.Event()
        self.replies = 0
        self.failures: list[int] = []

    def run(self) -> None:
        client = self.server.client()
        while not self.stop.is_set():
            status = client.get("/api/search?q=%E7%89%B5%E5%A4%B4&top_k=3").status
            self.replies += 1
            if status != 200:
                self.failures.append(status)


def test_upload_report_rebuild_and_answer(page: Any, server: tuple[Server, Path], tmp_path: Path) -> None:
    running, corpus = server
    docx = text_to_docx(
        (FIXTURES / "cities" / "caidian-2023-1.txt").read_text(encoding="utf-8"), tmp_path / "蔡甸区目标任务分解.docx"
    )
    searcher = Searcher(running)
    searcher.start()
    page.set_input_files("#file", str(docx))
    page.click("#upload")
    result = page.locator("#upload-results li").first
    result.wait_for()
    assert "已添加，1 份文件，7 条条款，3 条含责任单位" in result.inner_text()
    page.locator("#build-state[data-state=done]").wait_for(timeout=180_000)
    searcher.stop.set()
    searcher.join(30)
    assert searcher.replies > 0 and searcher.failures == []
    row = page.locator(f"#files tbody tr[data-file='{docx.name}']")
    assert row.locator("td").nth(1).inner_text() == "Word" and row.locator("td").nth(3).inner_text() == "7"
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / "admin-desktop.png"), full_page=True)

    page.goto(running.url + "/")
    page.fill("#question", "规上工业增加值增长12%以上由哪个单位负责？")
    page.click("#send")
    reply = page.locator(".msg-bot[data-state=done]").first
    reply.wait_for(timeout=30_000)
    assert "区科技和经信局" in reply.inner_text() and "蔡政办〔2023〕1号" in reply.inner_text()
    assert (corpus / docx.name).is_file()


def test_bad_upload_is_refused_on_the_page(page: Any, server: tuple[Server, Path]) -> None:
    _, corpus = server
    before = sorted(p.name for p in corpus.iterdir())
    page.set_input_files(
        "#file",
        files=[{"name": "scan.pdf", "mimeType": "application/pdf", "buffer": b"\x89PNG\r\n\x1a\n" + b"\x00" * 64}],
    )
    page.click("#upload")
    refused = page.locator("#upload-results li.bad").first
    refused.wait_for()
    assert "scan.pdf：" in refused.inner_text() and "不是可识别的公报文件" in refused.inner_text()
    assert page.locator("#build-state").get_attribute("data-state") == "idle"
    assert sorted(p.name for p in corpus.iterdir()) == before
    assert page.locator("#files tbody tr").count() == 1


def test_wrong_key_is_refused(server: tuple[Server, Path]) -> None:
    running, _ = server
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=["--no-sandbox", "--disable-gpu"]
        )
        page = browser.new_page()
        page.goto(running.url + "/admin.html")
        page.fill("#admin-key", "not-the-key")
        page.click("#key-form button[type=submit]")
        page.locator("#error:not([hidden])").wait_for()
        assert "管理密钥无效" in page.inner_text("#error")
        assert page.locator("#admin").is_hidden()
        browser.close()
