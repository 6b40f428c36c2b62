"""Shared by the browser tests: a real `python -m qa_bot serve` on a free loopback port, Debian's Chromium through
Playwright, a page wrapper that records what went wrong on it, screenshots and the axe-core accessibility check."""

from __future__ import annotations

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
AXE_SCRIPT = REPO / "node_modules" / "axe-core" / "axe.min.js"

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
}).observe(document, {
  subtree: true, childList: true, characterData: true, attributes: true, attributeFilter: ["data-state"],
});
"""


# -- the server ------------------------------------------------------------------------------------


def skip_without_browser() -> None:
    """Skip the calling test module (at import) when Chromium or Playwright is missing, saying what to install."""
    if not CHROMIUM.exists():
        pytest.skip(
            f"browser tests need Debian's Chromium at {CHROMIUM} (apt-get install -y chromium)", allow_module_level=True
        )
    pytest.importorskip(
        "playwright.sync_api", reason="browser tests need Playwright's Python API (pip install playwright)"
    )


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


@contextmanager
def serve(index_dir: Path, folder: Path) -> Iterator[Server]:
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
                pytest.fail(
                    f"server did not become ready (exit {process.poll()}):\n{log_path.read_text(errors='replace')}"
                )
            time.sleep(0.2)
        yield Server(url, folder / "data", process, log_path)
    finally:
        process.terminate()
        try:
            process.wait(15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(5)


@pytest.fixture(scope="module", name="browser")
def browser_fixture() -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
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


# -- the page -----------------------------------------------------------------------------------


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


def screenshot(page: Any, name: str) -> None:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / name))


def no_horizontal_scroll(page: Any) -> None:
    widths = page.evaluate(
        "() => [document.documentElement.scrollWidth, document.documentElement.clientWidth, document.body.scrollWidth]"
    )
    assert widths[0] <= widths[1] and widths[2] <= widths[1], widths


def axe_violations(page: Any, impacts: tuple[str, ...] = ("serious", "critical")) -> list[str]:
    """Run axe-core (the npm package, injected into the page) on what the page shows now; the violations of these
    impacts, one line each with the elements concerned."""
    if not AXE_SCRIPT.exists():
        pytest.fail(f"axe-core is missing at {AXE_SCRIPT}: run `make web-deps` (npm ci)")
    # Evaluated through the debugging protocol: an inline <script> would be refused by the page's CSP.
    if not page.evaluate("() => typeof window.axe === 'object'"):
        page.evaluate(AXE_SCRIPT.read_text(encoding="utf-8"))
    result = page.evaluate("async () => await axe.run(document, { resultTypes: ['violations'] })")
    return [
        f"{v['id']} ({v['impact']}): {v['help']} — "
        + "; ".join(json.dumps(n["target"], ensure_ascii=False) for n in v["nodes"][:5])
        for v in result["violations"]
        if v.get("impact") in impacts
    ]
