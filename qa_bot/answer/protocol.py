"""What the service needs from an answer engine: QaEngine provides it, and so does the LLM-writing GeneratingEngine
(qa_bot.integrations.llm) that wraps one."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Protocol

if TYPE_CHECKING:
    from qa_bot.answer.engine import Reply
    from qa_bot.answer.session import SessionStore, Turn
    from qa_bot.index.embedders import Embedder
    from qa_bot.index.store import LoadedIndex
    from qa_bot.retrieve import Filters, Retriever
    from qa_bot.settings import Settings


class AnswerEngine(Protocol):
    """An engine the HTTP service can serve: answers, ranked clauses and the loaded index they come from."""

    @property
    def settings(self) -> Settings: ...

    @property
    def index(self) -> LoadedIndex: ...

    @property
    def embedder(self) -> Embedder: ...

    @property
    def retriever(self) -> Retriever: ...

    @property
    def sessions(self) -> SessionStore: ...

    def ask(
        self,
        question: Any,
        *,
        top_k: int | None = None,
        session_id: str | None = None,
        filters: Filters | None = None,
        context: Turn | None = None,
    ) -> Reply: ...

    def search(self, query: Any, *, top_k: int | None = None, filters: Filters | None = None) -> list[dict[str, Any]]: ...


__all__ = ["AnswerEngine"]
