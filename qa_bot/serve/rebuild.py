"""Rebuilding the index from the admin page: one build at a time in a background thread, exactly as `qa-bot index`
does (a new build beside the current one, CURRENT switched atomically), then the service swaps it in while the old
index keeps answering. A change made during a build starts one more build when it ends.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from qa_bot.errors import QaBotError
from qa_bot.settings import Settings

log = logging.getLogger("qa_bot.serve")


@dataclass
class BuildStatus:
    """What the admin page shows: idle | building | done | failed, with the last build's id, time and error."""

    state: str = "idle"
    build_id: str | None = None
    started_at: float | None = None
    finished_at: float | None = None
    error: str | None = None
    reports: list[dict[str, Any]] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return {k: v for k, v in self.__dict__.items() if k != "reports"}


class Rebuilder:
    """Runs build_index in a thread; `swap` (the service's reload) is called with the new build once it exists."""

    def __init__(self, settings: Settings, swap: Callable[[], object], embedder: Callable[[], Any]) -> None:
        self.settings = settings
        self.swap = swap
        self.embedder = embedder  # the serving engine's embedder, so the model is not loaded twice
        self.status = BuildStatus()
        self._lock = threading.Lock()
        self._thread: threading.Thread | None = None
        self._running = False
        self._again = False

    @property
    def building(self) -> bool:
        return self._running

    def start(self) -> bool:
        """Start a build; when one is running, remember to build once more after it. True if a build started now."""
        with self._lock:
            if self._running:
                self._again = True
                return False
            self._running = True
            self.status = BuildStatus(state="building", started_at=time.time(), build_id=self.status.build_id)
            self._thread = threading.Thread(target=self._run, name="qa-bot-rebuild", daemon=True)
            self._thread.start()
            return True

    def wait(self, timeout: float | None = None) -> None:
        thread = self._thread
        if thread is not None:
            thread.join(timeout)

    def _run(self) -> None:
        from qa_bot.index.build import build_index
        from qa_bot.index.milvus import parse_store

        while True:
            try:
                settings = self.settings
                target = parse_store(settings.store, collection=settings.milvus_collection, token=settings.milvus_token)
                report = build_index(
                    settings.corpus_dir, settings.index_dir, settings.embedder, embedder=self.embedder(), target=target
                )
                self.swap()
                self.status = BuildStatus(
                    state="done",
                    build_id=report.build_id,
                    started_at=self.status.started_at,
                    finished_at=time.time(),
                    reports=[r.to_dict() for r in report.files],
                )
                log.info("admin rebuild %s done in %.1f s", report.build_id, report.seconds)
            except Exception as exc:  # the old index keeps serving; the page shows why
                message = exc.message if isinstance(exc, QaBotError) else f"构建失败（{exc.__class__.__name__}）"
                if not isinstance(exc, QaBotError):
                    log.exception("admin rebuild failed")
                self.status = BuildStatus(
                    state="failed",
                    build_id=self.status.build_id,
                    started_at=self.status.started_at,
                    finished_at=time.time(),
                    error=message,
                )
            with self._lock:
                if not self._again:
                    self._running = False
                    return
                self._again = False
                self.status = BuildStatus(state="building", started_at=time.time(), build_id=self.status.build_id)


__all__ = ["BuildStatus", "Rebuilder"]
