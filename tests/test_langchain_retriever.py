"""QaBotRetriever: LangChain's standard retriever suite (langchain-tests) plus the metadata qa-bot promises."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

pytest.importorskip("langchain_core", reason="the LangChain retriever needs langchain-core")
retriever_tests = pytest.importorskip("langchain_tests.integration_tests", reason="needs langchain-tests")

from langchain_core.documents import Document
from langchain_core.runnables import RunnableLambda

from qa_bot.answer.engine import QaEngine
from qa_bot.errors import BadQuestion, IndexNotReady
from qa_bot.integrations.langchain import METADATA_KEYS, QaBotRetriever

QUESTION = "哪个单位牵头规范末端网点管理？"
DOC_NO = "测政办发〔2023〕5号"

# Async tests (the suite's ainvoke test and ours) run under anyio's pytest plugin; sync tests ignore the mark.
pytestmark = pytest.mark.anyio


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


class TestQaBotRetrieverStandard(retriever_tests.RetrieversIntegrationTests):
    """The suite every LangChain retriever integration runs (k as `top_k`, invoke and ainvoke)."""

    engine: QaEngine

    @pytest.fixture(autouse=True)
    def _mini_engine(self, mini_engine: QaEngine) -> None:
        self.engine = mini_engine

    @property
    def retriever_constructor(self) -> type[QaBotRetriever]:
        return QaBotRetriever

    @property
    def retriever_constructor_params(self) -> dict[str, Any]:
        return {"engine": self.engine}

    @property
    def retriever_query_example(self) -> str:
        return QUESTION

    @property
    def num_results_arg_name(self) -> str:
        return "top_k"


@pytest.fixture
def retriever(mini_engine: QaEngine) -> QaBotRetriever:
    return QaBotRetriever(engine=mini_engine, top_k=3)


def test_documents_carry_the_clause_and_its_source(retriever: QaBotRetriever, mini_engine: QaEngine) -> None:
    documents = retriever.invoke(QUESTION)
    hits = mini_engine.search(QUESTION, top_k=3)
    assert [d.page_content for d in documents] == [h.text for h in hits]
    first = documents[0]
    assert set(first.metadata) == set(METADATA_KEYS)
    assert first.metadata["doc_no"] == DOC_NO and first.metadata["chunk_id"] == "测政办发-2023-5/2.3"
    assert first.metadata["lead_units"] == ["市邮政管理局"] and first.metadata["responsible_units"] == ["各区人民政府"]
    assert first.metadata["title"] == "测试市快递进村实施方案" and "规范末端网点管理" in first.metadata["section"]
    assert isinstance(first.metadata["score"], float) and first.id == first.metadata["chunk_id"]


async def test_async_matches_sync(retriever: QaBotRetriever) -> None:
    synchronous = retriever.invoke(QUESTION, top_k=2)
    asynchronous = await retriever.ainvoke(QUESTION, top_k=2)
    assert asynchronous == synchronous and len(asynchronous) == 2


def test_in_a_chain(retriever: QaBotRetriever) -> None:
    chain = retriever | RunnableLambda(lambda docs: [d.metadata["doc_no"] for d in docs])
    assert chain.invoke(QUESTION)[0] == DOC_NO


def test_from_index_dir(mini_index: Path) -> None:
    loaded = QaBotRetriever.from_index_dir(mini_index, top_k=2)
    documents = loaded.invoke(QUESTION)
    assert len(documents) == 2 and all(isinstance(d, Document) for d in documents)
    assert documents[0].metadata["chunk_id"] == "测政办发-2023-5/2.3"


def test_from_missing_index_dir(tmp_path: Path) -> None:
    with pytest.raises(IndexNotReady, match="qa-bot index"):
        QaBotRetriever.from_index_dir(tmp_path / "no-index")


def test_blank_query_is_refused(retriever: QaBotRetriever) -> None:
    with pytest.raises(BadQuestion):
        retriever.invoke("   ")


def test_top_k_must_be_positive(mini_engine: QaEngine) -> None:
    with pytest.raises(ValueError):
        QaBotRetriever(engine=mini_engine, top_k=0)
