"""What the running service holds: settings, the engine (loaded in a worker thread), storage, rate limiters.

The engine is swapped whole when a new index build is loaded (POST /api/admin/reload, or the watcher that reads
index_dir/CURRENT every settings.reload_check_seconds): the new one is built beside the old, then one attribute
assignment makes new requests use it; a request that already holds the old engine finishes on it.
"""

from __future__ import annotations

import logging
import threading
import time
from typing import TYPE_CHECKING, Any

from qa_bot.answer.engine import QaEngine
from qa_bot.answer.protocol import AnswerEngine
from qa_bot.errors import IndexNotReady, QaBotError
from qa_bot.index.embedders import make_embedder
from qa_bot.index.manifest import CURRENT
from qa_bot.index.store import load_index
from qa_bot.integrations.llm import with_generation
from qa_bot.serve.errors import IndexLoading
from qa_bot.serve.ratelimit import RateLimiter
from qa_bot.serve.storage import Storage, open_storage
from qa_bot.settings import Settings

if TYPE_CHECKING:
    from qa_bot.serve.rebuild import Rebuilder

log = logging.getLogger("qa_bot.serve")


class ServiceState:
    """Shared by all requests through app.state.service."""

    def __init__(self, settings: Settings, engine: QaEngine | None = None) -> None:
        self.settings = settings
        # settings.database_url checked now (DatabaseConfigError, exit code 2); connected on first use.
        self.storage: Storage = open_storage(settings)
        self.limiter = RateLimiter.parse(settings.rate_limit)
        self.read_limiter = RateLimiter.parse(settings.rate_limit, factor=settings.read_limit_factor)
        self.auth_failures = RateLimiter.parse(settings.auth_failure_limit, setting="QA_BOT_AUTH_FAILURE_LIMIT")
        self._engine = with_generation(engine, settings) if engine is not None else None  # LLM replies if configured
        self._error: QaBotError | None = None
        self._thread: threading.Thread | None = None
        self.cache: dict[str, Any] = {}  # values derived from the loaded index (examples)
        # Hot swap: one load at a time; the watcher skips a build that failed until CURRENT is rewritten.
        self._swap_lock = threading.Lock()
        self._reload_thread: threading.Thread | None = None
        self._watch_thread: threading.Thread | None = None
        self._stop = threading.Event()
        self._failed_pointer: tuple[str, int] | None = None
        self.last_reload: dict[str, Any] = {}
        self.rebuilder: Rebuilder | None = None  # made by the admin page's first use

    @property
    def engine(self) -> AnswerEngine | None:
        return self._engine

    @property
    def load_error(self) -> QaBotError | None:
        return self._error

    def start_loading(self) -> None:
        """Load the engine in a background thread, unless it was given or is already loading; and start watching
        index_dir/CURRENT for new builds (settings.reload_check_seconds, 0 = off)."""
        self._start_watching()
        if self._engine is not None or self._thread is not None:
            return
        self._thread = threading.Thread(target=self._load, name="qa-bot-load-index", daemon=True)
        self._thread.start()

    def wait_loaded(self, timeout: float | None = None) -> bool:
        if self._thread is not None:
            self._thread.join(timeout)
        return self._engine is not None

    def _load(self) -> None:
        with self._swap_lock:
            pointer = self._pointer()
            try:
                engine = with_generation(QaEngine.load(self.settings), self.settings)
            except QaBotError as exc:
                log.error("index not loaded: %s", exc.message)
                self._error = exc
                self._failed_pointer = pointer
            except Exception as exc:  # a broken index must not kill the process: /readyz reports it
                log.exception("index not loaded")
                self._error = IndexNotReady(f"索引加载失败（{exc.__class__.__name__}）。请运行：qa-bot index")
                self._failed_pointer = pointer
            else:
                log.info("index %s loaded: %d documents", engine.index.build_id, len(engine.index.documents))
                self._engine = engine

    def ready_engine(self) -> AnswerEngine:
        """The loaded engine, or IndexNotReady (503) while loading or after a failed load."""
        if self._engine is not None:
            return self._engine
        if self._error is not None:
            raise self._error
        raise IndexLoading("索引正在加载，请稍后再试。")

    # -- hot swap of a new index build -------------------------------------------------------------------------
    @property
    def serving_build_id(self) -> str | None:
        engine = self._engine
        return engine.index.build_id if engine is not None else None

    def _pointer(self) -> tuple[str, int] | None:
        """(build id, mtime) of index_dir/CURRENT, or None when there is none: one stat and a tiny read."""
        path = self.settings.index_dir / CURRENT
        try:
            mtime = path.stat().st_mtime_ns
            build_id = path.read_text(encoding="utf-8").strip()
        except (OSError, UnicodeDecodeError):
            return None
        return (build_id, mtime) if build_id else None

    def current_build_id(self) -> str | None:
        pointer = self._pointer()
        return pointer[0] if pointer else None

    @property
    def reloading(self) -> bool:
        return self._swap_lock.locked()

    def reload(self, *, wait: float | None = None) -> bool:
        """Load index_dir's current build in a background thread and swap it in; False if a load is already
        running. With `wait`, also wait up to that many seconds for the load to finish."""
        if not self._swap_lock.acquire(blocking=False):
            if wait:
                self._join_reload(wait)
            return False
        try:
            thread = threading.Thread(target=self._reload, name="qa-bot-reload-index", daemon=True)
            self._reload_thread = thread
            thread.start()
        except BaseException:
            self._swap_lock.release()
            raise
        if wait:
            self._join_reload(wait)
        return True

    def _join_reload(self, timeout: float) -> None:
        thread = self._reload_thread or self._thread
        if thread is not None:
            thread.join(timeout)

    def _reload(self) -> None:
        """Runs with _swap_lock held (taken by reload); never raises: a failed load leaves the old engine serving."""
        try:
            pointer = self._pointer()
            old = self._engine
            started = time.monotonic()
            try:
                engine = self._new_engine(old)
            except Exception as exc:  # a corrupt or half-removed build: keep serving what we have
                message = (
                    exc.message
                    if isinstance(exc, QaBotError)
                    else f"索引加载失败（{exc.__class__.__name__}）。请运行：qa-bot index"
                )
                if not isinstance(exc, QaBotError):
                    log.exception("index reload failed")
                log.error(
                    "index %s not loaded, still serving %s: %s",
                    pointer[0] if pointer else None,
                    self.serving_build_id,
                    message,
                )
                self._failed_pointer = pointer
                self.last_reload = {"ok": False, "build_id": pointer[0] if pointer else None, "error": message}
                if old is None:
                    self._error = exc if isinstance(exc, QaBotError) else IndexNotReady(message)
                return
            self._engine = engine  # the swap: new requests get the new engine from here on
            self._error = None
            self._failed_pointer = None
            build_id = engine.index.build_id
            for key in [k for k in self.cache if not k.endswith(":" + build_id)]:
                self.cache.pop(key, None)
            self.last_reload = {"ok": True, "build_id": build_id, "error": None}
            log.info(
                "index %s loaded in %.1f s (was %s): %d documents",
                build_id,
                time.monotonic() - started,
                old.index.build_id if old is not None else None,
                len(engine.index.documents),
            )
        finally:
            self._swap_lock.release()

    def _new_engine(self, old: AnswerEngine | None) -> AnswerEngine:
        """An engine over the current build: the old engine's embedder is reused when the model is the same, and
        its conversation sessions carry over so that follow-ups survive the swap."""
        index = load_index(self.settings.index_dir)
        spec = index.manifest.embedder_spec
        if old is not None and old.index.manifest.embedder_spec == spec:
            embedder = old.embedder
        else:
            embedder = make_embedder(spec)
        engine = QaEngine(self.settings, index, embedder)
        if old is not None:
            engine.sessions = old.sessions
        return with_generation(engine, self.settings)

    def _start_watching(self) -> None:
        interval = self.settings.reload_check_seconds
        if interval <= 0 or self._watch_thread is not None:
            return
        self._stop.clear()
        self._watch_thread = threading.Thread(
            target=self._watch, args=(interval,), name="qa-bot-watch-index", daemon=True
        )
        self._watch_thread.start()

    def _watch(self, interval: float) -> None:
        while not self._stop.wait(interval):
            try:
                self.check_for_new_build()
            except Exception:  # the watcher must outlive any surprise
                log.exception("index watch failed")

    def check_for_new_build(self) -> bool:
        """Start a reload when CURRENT names another build than the one served (and not one that already failed)."""
        pointer = self._pointer()
        if pointer is None or pointer == self._failed_pointer or self.reloading:
            return False
        if self._thread is not None and self._thread.is_alive():  # the first load is still running
            return False
        if pointer[0] == self.serving_build_id:
            return False
        log.info("new index build %s (serving %s): loading it", pointer[0], self.serving_build_id)
        return self.reload()

    def close(self) -> None:
        self._stop.set()
        watcher = self._watch_thread
        if watcher is not None:
            watcher.join(5)
            self._watch_thread = None
        self.storage.close()


__all__ = ["ServiceState"]
