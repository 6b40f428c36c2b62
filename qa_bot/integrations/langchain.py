"""QaBotRetriever: qa-bot's hybrid clause retrieval as a LangChain retriever (one Document per cited clause)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from langchain_core.callbacks import AsyncCallbackManagerForRetrieverRun, CallbackManagerForRetrieverRun
from langchain_core.documents import Document
from langchain_core.retrievers import BaseRetriever
from langchain_core.runnables.config import run_in_executor
from pydantic import ConfigDict, Field

from qa_bot.answer.engine import QaEngine
from qa_bot.settings import Settings

METADATA_KEYS = ("doc_no", "doc_id", "title", "section", "chunk_id", "score", "lead_units", "responsible_units")


def to_document(citation: dict[str, Any]) -> Document:
    """A citation dict as a Document: the clause text as page_content, where it comes from as metadata."""
    metadata = {key: citation.get(key) for key in METADATA_KEYS}
    return Document(page_content=str(citation.get("text") or ""), metadata=metadata, id=citation.get("chunk_id"))


class QaBotRetriever(BaseRetriever):
    """Ranked gazette clauses for a query. `top_k` may also be passed per call: `retriever.invoke(q, top_k=3)`."""

    model_config = ConfigDict(arbitrary_types_allowed=True)

    engine: QaEngine
    top_k: int = Field(default=5, ge=1)

    @classmethod
    def from_index_dir(cls, index_dir: str | Path, *, top_k: int = 5, **settings: Any) -> QaBotRetriever:
        """Load the index built by `qa-bot index` in index_dir (IndexNotReady if missing); extra settings as
        keywords."""
        engine = QaEngine.load(Settings(index_dir=Path(index_dir), **settings))
        return cls(engine=engine, top_k=top_k)

    def _get_relevant_documents(
        self, query: str, *, run_manager: CallbackManagerForRetrieverRun, top_k: int | None = None
    ) -> list[Document]:
        hits = self.engine.search(query, top_k=top_k or self.top_k)
        return [to_document(hit) for hit in hits]

    async def _aget_relevant_documents(
        self, query: str, *, run_manager: AsyncCallbackManagerForRetrieverRun, top_k: int | None = None
    ) -> list[Document]:
        # The engine is synchronous (CPU-bound numpy/FAISS work); keep the event loop free.
        hits = await run_in_executor(None, self.engine.search, query, top_k=top_k or self.top_k)
        return [to_document(hit) for hit in hits]


__all__ = ["METADATA_KEYS", "QaBotRetriever", "to_document"]
