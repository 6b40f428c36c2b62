"""The chat page as a civil servant meets it on a desktop and a 390×844 phone: where a finished reply leaves the view,
conversations that survive a reload (with their follow-up context), citation markers and card previews at the
sentence that answers, the question limit, retry, suggestions, editing, changing feedback, and axe-core's verdict."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from browser_helpers import (
    Page,
    Server,
    axe_violations,
    no_horizontal_scroll,
    screenshot,
    serve,
    skip_without_browser,
)

skip_without_browser()

pytestmark = pytest.mark.browser

LEAD = "哪个单位牵头完善县乡村三级物流体系？"
FOLLOW_UP = "那冷链寄递呢？"
DELIVERY = "测政办发〔2023〕5号"
# Its answer stands late in a long clause of tests/fixtures/extra-gazette.txt.
LATE_QUESTION = "有害垃圾收运后如何处置？"
LATE_SENTENCE = "有害垃圾收运后暂存于专用贮存场所，定期交由具备危险废物经营许可证的单位处置。"
EMOJI = re.compile("[\U0001f300-\U0001faff\u2600-\u27bf]")


@pytest.fixture(scope="module")
def server(long_clause_index: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    """A real server over the mini gazette and the extra one (a long clause whose answer comes late)."""
    with serve(long_clause_index, tmp_path_factory.mktemp("round-two")) as running:
        yield running


@pytest.fixture(params=["desktop", "phone"])
def any_page(request: pytest.FixtureRequest) -> Page:
    return request.getfixturevalue(request.param)


def visible_in(page: Any, selector: str, container: str = "#chat-scroller") -> bool:
    """Is the element's first line inside the visible part of the container (and of the window)?"""
    return page.evaluate(
        """([selector, container]) => {
          const el = document.querySelectorAll(selector); const target = el[el.length - 1];
          const box = document.querySelector(container).getBoundingClientRect();
          const r = target.getBoundingClientRect(); const line = parseFloat(getComputedStyle(target).lineHeight) || 24;
          return r.top >= box.top - 1 && r.top + line <= Math.min(box.bottom, window.innerHeight) + 1;
        }""",
        [selector, container],
    )


# -- scrolling ------------------------------------------------------------------------------------------------------


# Desktop and the 390×844 phone, and two screens where a reply is taller than the view (a short laptop window, a phone
# held sideways): there the old page jumped past the reply's start to its last card.
SCREENS = {
    "desktop": ({"width": 1280, "height": 860}, False),
    "phone": ({"width": 390, "height": 844}, True),
    "laptop-short": ({"width": 1280, "height": 560}, False),
    "phone-landscape": ({"width": 844, "height": 390}, True),
}


@pytest.mark.parametrize("screen", list(SCREENS))
def test_reply_first_line_stays_in_view_when_streaming_ends(browser: Any, server: Server, screen: str) -> None:
    viewport, mobile = SCREENS[screen]
    context = browser.new_context(viewport=viewport, is_mobile=mobile, has_touch=mobile, locale="zh-CN")
    page = Page(context.new_page())
    try:
        page.page.goto(server.url + "/")
        page.ask(LEAD)
        page.ask(LATE_QUESTION)  # a long reply with three cards after an earlier exchange
        assert visible_in(page.page, ".msg-bot .answer-text"), screen
        no_horizontal_scroll(page.page)
        assert not page.problems, page.problems
    finally:
        context.close()


def test_cards_are_one_line_on_a_phone_and_expand(phone: Page) -> None:
    page = phone.page
    reply = phone.ask(LATE_QUESTION)
    cards = reply.locator(".citation-card")
    assert cards.count() >= 3  # as many as the server's default top_k gives
    for i in range(cards.count()):
        toggle = cards.nth(i).locator(".cite-toggle")
        assert toggle.get_attribute("aria-expanded") == "false"
        assert cards.nth(i).bounding_box()["height"] < 56  # one line
        assert not cards.nth(i).locator(".cite-details").is_visible()
    cards.nth(1).locator(".cite-toggle").click()
    assert cards.nth(1).locator(".cite-toggle").get_attribute("aria-expanded") == "true"
    assert cards.nth(1).locator(".cite-section").is_visible()
    reply.locator(".cite-marker").first.click()  # the marker [1] opens the first card
    assert cards.first.locator(".cite-quote").is_visible()
    screenshot(page, "phone-chat.png")


# -- markers and previews -------------------------------------------------------------------------------------------


def test_card_previews_the_sentence_that_answers(any_page: Page) -> None:
    reply = any_page.ask(LATE_QUESTION)
    answer = reply.locator(".answer-text")
    assert "（《" not in answer.inner_text()  # the long bracketed source is not repeated under card 1
    assert answer.locator(".cite-marker").all_inner_texts() == ["[1]"]
    first = reply.locator(".citation-card").first
    if first.locator(".cite-toggle").get_attribute("aria-expanded") == "false":
        first.locator(".cite-toggle").click()
    quote = first.locator(".cite-quote")
    assert LATE_SENTENCE in quote.inner_text() and quote.is_visible()
    assert LATE_SENTENCE in first.locator(".cite-excerpt").inner_text()


def test_copy_keeps_the_short_source_line(desktop: Page) -> None:
    page = desktop.page
    page.context.grant_permissions(["clipboard-read", "clipboard-write"])
    reply = desktop.ask(LEAD)
    reply.locator(".copy-btn").click()
    copied = page.evaluate("() => navigator.clipboard.readText()")
    assert copied.startswith("市邮政管理局牵头") and f"出处：《测试市快递进村实施方案》{DELIVERY}" in copied


# -- conversations kept in the browser -------------------------------------------------------------------------------


def test_reload_restores_the_conversation_and_its_follow_up(any_page: Page) -> None:
    page = any_page.page
    any_page.ask(LEAD)
    page.reload()
    page.locator(".msg-bot[data-state=done]").first.wait_for()
    assert page.locator(".msg-user .bubble").all_inner_texts() == [LEAD]
    assert page.locator(".msg-bot .answer-text").first.inner_text().startswith("市邮政管理局牵头")
    assert page.locator("#empty-state").is_hidden()
    follow = any_page.ask(FOLLOW_UP)
    assert follow.locator(".answer-text").inner_text().startswith("市商务局牵头")
    assert page.locator(".history-item").count() == 1


def test_new_conversation_asks_back_and_the_list_reopens_the_old_one(desktop: Page) -> None:
    page = desktop.page
    desktop.ask(LEAD)
    page.click("#new-chat")
    assert page.locator(".example-chip").first.is_visible()  # the examples are back in an empty conversation
    asked_back = desktop.ask(FOLLOW_UP)
    assert asked_back.locator(".answer-text").inner_text().startswith("请问您指的是哪项工作？")
    assert asked_back.locator(".citation-card").count() == 0
    items = page.locator(".history-item")
    assert items.count() == 2
    items.filter(has_text=LEAD).click()
    assert page.locator(".msg-user .bubble").all_inner_texts() == [LEAD]
    assert desktop.ask(FOLLOW_UP).locator(".answer-text").inner_text().startswith("市商务局牵头")
    screenshot(page, "desktop-history.png")


def test_clear_all_forgets_every_conversation(phone: Page) -> None:
    page = phone.page
    phone.ask(LEAD)
    page.click("#history-toggle")
    assert page.locator("#history-panel").is_visible() and page.locator(".history-item").count() == 1
    screenshot(page, "phone-history.png")
    page.click("#history-clear")
    assert "确认" in page.locator("#history-clear").inner_text()  # a second press confirms
    page.click("#history-clear")
    assert page.locator(".msg-bot").count() == 0 and page.locator(".example-chip").first.is_visible()
    assert (
        page.evaluate(
            "() => JSON.parse(localStorage.getItem('qa-bot.conversations') || '[]').filter(c => c.turns.length)"
        )
        == []
    )
    page.reload()
    page.locator(".example-chip").first.wait_for()
    assert page.locator(".msg-bot").count() == 0


def test_stored_conversations_are_bounded(browser: Any, server: Server) -> None:
    """At most 20 conversations are kept: a new one pushes the oldest out (and the list shows what is kept)."""
    old = [
        {"id": f"old-{i}", "title": f"旧问题{i}", "updated": 1_700_000_000_000 - i, "session_id": f"s-{i}",
         "context": None,
         "turns": [{"question": f"旧问题{i}", "sent_context": None, "feedback": None,
                    "reply": {"answer": "旧回答。", "statement": "旧回答。", "found": True, "citations": []}}]}
        for i in range(25)
    ]  # fmt: skip
    context = browser.new_context(viewport={"width": 1280, "height": 860}, locale="zh-CN")
    stored = json.dumps(json.dumps(old, ensure_ascii=False))
    context.add_init_script(
        f"localStorage.getItem('qa-bot.conversations') || localStorage.setItem('qa-bot.conversations', {stored})"
    )
    page = Page(context.new_page())
    try:
        page.page.goto(server.url + "/")
        page.ask(LEAD)
        stored = page.page.evaluate("() => JSON.parse(localStorage.getItem('qa-bot.conversations'))")
        assert len(stored) == 20 and stored[0]["title"] == LEAD
        assert [c["id"] for c in stored[1:]] == [f"old-{i}" for i in range(19)]  # the six oldest went
        assert page.page.locator(".history-item").count() == 20
        assert not page.problems, page.problems
    finally:
        context.close()


def test_edit_and_ask_again_replaces_the_rest(desktop: Page) -> None:
    page = desktop.page
    desktop.ask(LEAD)
    desktop.ask(FOLLOW_UP)
    page.locator(".msg-user .edit-btn").first.click()
    assert page.input_value("#question") == LEAD and page.locator("#edit-banner").is_visible()
    page.fill("#question", "哪个单位牵头规范末端网点管理？")
    page.click("#send")
    reply = page.locator(".msg-bot").last
    reply.and_(page.locator("[data-state=done]")).wait_for(timeout=20_000)
    assert page.locator(".msg-user .bubble").all_inner_texts() == ["哪个单位牵头规范末端网点管理？"]
    assert reply.locator(".answer-text").inner_text().startswith("市邮政管理局牵头")
    page.reload()
    page.locator(".msg-bot[data-state=done]").first.wait_for()
    assert page.locator(".msg-user .bubble").all_inner_texts() == ["哪个单位牵头规范末端网点管理？"]


# -- the question limit and errors -------------------------------------------------------------------------------------


def test_too_long_question_keeps_its_text_and_shows_no_code(any_page: Page, request: pytest.FixtureRequest) -> None:
    page = any_page.page
    page.locator(".example-chip").first.wait_for()
    limit = json.loads(page.evaluate("() => fetch('/api/examples').then(r => r.text())"))["max_question_chars"]
    too_long = "冷链寄递" * (limit // 4 + 1)
    page.fill("#question", too_long)
    counter = page.locator("#char-count")
    assert counter.inner_text() == f"{len(too_long)} / {limit}" and "over" in (counter.get_attribute("class") or "")
    page.click("#send")
    assert page.input_value("#question") == too_long and page.locator(".msg-bot").count() == 0
    assert str(limit) in page.locator("#composer-note").inner_text()
    # A page that does not know the limit is refused by the server: same text kept, a message for people, no code.
    page.route("**/api/examples", lambda route: route.fulfill(json={"examples": ["哪个单位牵头规范末端网点管理？"]}))
    page.reload()
    page.locator(".example-chip").first.wait_for()
    reply = any_page.ask(too_long)
    message = reply.locator(".error-message").inner_text()
    assert str(limit) in message and "bad_question" not in page.locator("body").inner_text()
    assert "代码" not in page.locator("body").inner_text()
    assert reply.locator(".retry-btn").count() == 0  # asking the same again would be refused again
    assert page.input_value("#question") == too_long
    screenshot(page, ("phone" if "phone" in request.node.name else "desktop") + "-too-long.png")
    any_page.problems[:] = [p for p in any_page.problems if "422" not in p]  # the server's refusal, expected


def test_retry_is_offered_when_asking_again_can_help(desktop: Page) -> None:
    page = desktop.page
    busy = {"error": {"code": "index_loading", "message": "索引正在加载，请稍后再试"}}
    page.route("**/api/ask/stream", lambda route: route.fulfill(status=503, json=busy))
    reply = desktop.ask(LEAD)
    assert reply.locator(".error-message").inner_text() == "索引正在加载，请稍后再试"
    assert page.input_value("#question") == LEAD  # kept in the box
    page.unroute("**/api/ask/stream")
    reply.locator(".retry-btn").click()
    done = page.locator(".msg-bot[data-state=done]").last
    done.locator(".citation-card").first.wait_for()
    assert done.locator(".answer-text").inner_text().startswith("市邮政管理局牵头")
    assert page.input_value("#question") == ""
    desktop.problems[:] = [p for p in desktop.problems if "503" not in p]  # the faked outage, expected


# -- suggestions, feedback -------------------------------------------------------------------------------------------


def test_suggested_next_questions_are_answered(any_page: Page) -> None:
    page = any_page.page
    reply = any_page.ask("哪个单位牵头规范末端网点管理？")
    chips = reply.locator(".suggestion-chip")
    assert chips.count() >= 2
    texts = chips.all_inner_texts()
    assert any("完成时限" in t for t in texts) and any(DELIVERY in t for t in texts)
    chips.filter(has_text="完成时限").click()
    answered = page.locator(".msg-bot").nth(1)
    answered.and_(page.locator("[data-state=done]")).wait_for(timeout=20_000)
    assert "2023年12月底前" in answered.locator(".answer-text").inner_text()
    assert reply.locator(".suggestions").is_hidden()  # only the newest reply offers next questions


def test_feedback_can_be_changed_and_the_latest_counts(desktop: Page, server: Server) -> None:
    page = desktop.page
    reply = desktop.ask("哪个单位牵头规范末端网点管理？")
    reply.locator(".fb-up").click()
    reply.locator(".fb-done").wait_for()
    reply.locator(".fb-down").click()
    reply.locator(".fb-comment").fill("要写完成时限")
    reply.locator(".fb-submit").click()
    page.locator(".fb-done", has_text="已更新").wait_for()
    assert reply.locator(".fb-down").get_attribute("aria-pressed") == "true"
    assert reply.locator(".fb-up").get_attribute("aria-pressed") == "false"
    question_id = server.rows("SELECT question_id FROM feedback WHERE comment = ?", "要写完成时限")[0]["question_id"]
    ratings = [
        row["rating"]
        for row in server.rows("SELECT rating FROM feedback WHERE question_id = ? ORDER BY id", question_id)
    ]
    assert ratings == ["up", "down"]
    page.reload()  # the choice is kept with the conversation and can still be changed
    restored = page.locator(".msg-bot[data-state=done]").first
    restored.wait_for()
    assert restored.locator(".fb-down").get_attribute("aria-pressed") == "true"
    restored.locator(".fb-up").click()
    page.locator(".fb-done", has_text="已更新").wait_for()
    ratings = [
        row["rating"]
        for row in server.rows("SELECT rating FROM feedback WHERE question_id = ? ORDER BY id", question_id)
    ]
    assert ratings == ["up", "down", "up"]


# -- accessibility and screenshots -----------------------------------------------------------------------------------


def test_axe_finds_no_serious_violation_on_any_view(any_page: Page, request: pytest.FixtureRequest) -> None:
    page = any_page.page
    device = "phone" if "phone" in request.node.name else "desktop"
    page.locator(".example-chip").first.wait_for()
    found: dict[str, list[str]] = {"welcome": axe_violations(page)}
    screenshot(page, f"{device}-welcome.png")
    reply = any_page.ask("哪个单位牵头规范末端网点管理？")
    reply.locator(".fb-down").click()  # the comment form open as well
    found["chat"] = axe_violations(page)
    page.keyboard.press("Escape")
    if device == "desktop":
        screenshot(page, "desktop-chat.png")
    labels = page.evaluate(
        "() => [...document.querySelectorAll('[aria-label]')].map(e => e.getAttribute('aria-label'))"
    )
    assert labels and not [label for label in labels if EMOJI.search(label)]
    if device == "phone":
        page.click("#history-toggle")
        found["history"] = axe_violations(page)
        page.click("#history-close")
    open_source = reply.locator(".cite-open").first
    if not open_source.is_visible():
        reply.locator(".cite-toggle").first.click()
    open_source.click()
    page.locator(".clause.highlight").wait_for()
    page.wait_for_timeout(400)
    found["source"] = axe_violations(page)
    screenshot(page, f"{device}-document.png")
    page.click("#doc-back")
    page.click("#nav-docs")
    page.locator("#doc-list .doc-row").first.wait_for()
    found["documents"] = axe_violations(page)
    screenshot(page, f"{device}-documents.png")
    assert {view: v for view, v in found.items() if v} == {}
