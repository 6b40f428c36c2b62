"""What the running service holds: settings, the engine (loaded once, in a worker thread), storage, limiter."""

from __future__ import annotations

import logging
import threading
from typing import Any

from qa_bot.answer.engine import QaEngine
from qa_bot.errors import IndexNotReady, QaBotError
from qa_bot.serve.errors import IndexLoading
from qa_bot.serve.ratelimit import RateLimiter
from qa_bot.serve.storage import Storage
from qa_bot.settings import Settings

log = logging.getLogger("qa_bot.serve")


class ServiceState:
    """Shared by all requests through app.state.service."""

    def __init__(self, settings: Settings, engine: QaEngine | None = None) -> None:
        self.settings = settings
        self.storage = Storage(settings.data_dir)
        self.limiter = RateLimiter.parse(settings.rate_limit)
        self._engine = engine
        self._error: QaBotError | None = None
        self._thread: threading.Thread | None = None
        self.cache: dict[str, Any] = {}  # values derived from the loaded index (examples)

    @property
    def engine(self) -> QaEngine | None:
        return self._engine

    @property
    def load_error(self) -> QaBotError | None:
        return self._error

    def start_loading(self) -> None:
        """Load the engine in a background thread, unless it was given or is already loading."""
        if self._engine is not None or self._thread is not None:
            return
        self._thread = threading.Thread(target=self._load, name="qa-bot-load-index", daemon=True)
        self._thread.start()

    def wait_loaded(self, timeout: float | None = None) -> bool:
        if self._thread is not None:
            self._thread.join(timeout)
        return self._engine is not None

    def _load(self) -> None:
        try:
            engine = QaEngine.load(self.settings)
        except QaBotError as exc:
            log.error("index not loaded: %s", exc.message)
            self._error = exc
        except Exception as exc:  # a broken index must not kill the process: /readyz reports it
            log.exception("index not loaded")
            self._error = IndexNotReady(f"索引加载失败（{exc.__class__.__name__}）。请运行：qa-bot index")
        else:
            log.info("index %s loaded: %d documents", engine.index.build_id, len(engine.index.documents))
            self._engine = engine

    def ready_engine(self) -> QaEngine:
        """The loaded engine, or IndexNotReady (503) while loading or after a failed load."""
        if self._engine is not None:
            return self._engine
        if self._error is not None:
            raise self._error
        raise IndexLoading("索引正在加载，请稍后再试。")

    def close(self) -> None:
        self.storage.close()


__all__ = ["ServiceState"]
