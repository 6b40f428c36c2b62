"""LLM-written replies (qa_bot.integrations.llm) with LangChain's fake chat models: never a network call."""

from __future__ import annotations

import itertools
import logging
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Any

import pytest

pytest.importorskip("langchain_core", reason="LLM generation needs langchain-core")

from fastapi.testclient import TestClient
from langchain_core.language_models.fake_chat_models import GenericFakeChatModel
from langchain_core.messages import AIMessage, BaseMessage
from langchain_core.outputs import ChatResult
from pydantic import ConfigDict, Field

from qa_bot.answer.compose import citation_suffix
from qa_bot.answer.engine import QaEngine, Reply
from qa_bot.integrations import llm
from qa_bot.integrations.llm import GeneratedReply, GeneratingEngine, build_chain, keep_cited, with_generation
from qa_bot.serve import create_app
from qa_bot.settings import Settings

QUESTION = "哪个单位牵头规范末端网点管理？"
LLM_TEXT = "规范末端网点管理由市邮政管理局牵头[1]，完成时限为2023年12月底前[1]。"
MODEL = "fake-qwen"
REPO = Path(__file__).resolve().parents[1]


class ScriptedChatModel(GenericFakeChatModel):
    """GenericFakeChatModel that records each prompt, and can fail or stall instead of answering."""

    model_config = ConfigDict(arbitrary_types_allowed=True)

    prompts: list[str] = Field(default_factory=list)
    error: Exception | None = None
    stall: threading.Event | None = None  # wait for it (10 s at most) before answering

    def _generate(
        self, messages: list[BaseMessage], stop: list[str] | None = None, run_manager: Any = None, **kwargs: Any
    ) -> ChatResult:
        self.prompts.append("\n".join(str(m.content) for m in messages))
        if self.stall is not None:
            self.stall.wait(10)
        if self.error is not None:
            raise self.error
        return super()._generate(messages, stop=stop, run_manager=run_manager, **kwargs)


def scripted(reply: str = LLM_TEXT, **kwargs: Any) -> ScriptedChatModel:
    return ScriptedChatModel(messages=itertools.repeat(AIMessage(content=reply)), **kwargs)


def generating(engine: QaEngine, model: Any, timeout_s: float = 10.0) -> GeneratingEngine:
    return GeneratingEngine(engine, build_chain(model), model_name=MODEL, timeout_s=timeout_s)


@pytest.fixture(scope="module")
def extractive(mini_engine: QaEngine) -> Reply:
    return mini_engine.ask(QUESTION)


# -- what is kept --------------------------------------------------------------------------------


def test_llm_answer_with_valid_citations_kept(mini_engine: QaEngine, extractive: Reply) -> None:
    model = GenericFakeChatModel(messages=iter([LLM_TEXT]))
    reply = generating(mini_engine, model).ask(QUESTION)
    assert isinstance(reply, GeneratedReply) and reply.found
    assert reply.answer == LLM_TEXT + citation_suffix(extractive.citations[0])
    assert reply.citations == [extractive.citations[0]]
    assert reply.body()["generated_by"] == MODEL and reply.body()["citations"] == [extractive.citations[0]]


def test_prompt_holds_numbered_clauses_and_question(mini_engine: QaEngine, extractive: Reply) -> None:
    model = scripted()
    generating(mini_engine, model).ask(QUESTION)
    (prompt,) = model.prompts
    assert QUESTION in prompt and "[1]" in prompt and "[2]" in prompt
    assert extractive.citations[0]["text"] in prompt and extractive.citations[0]["doc_no"] in prompt


def test_citations_renumbered_in_order_of_use(mini_engine: QaEngine, extractive: Reply) -> None:
    reply = generating(mini_engine, scripted("市邮政管理局牵头[3]，另见[1]。")).ask(QUESTION)
    assert reply.citations == [extractive.citations[2], extractive.citations[0]]
    assert reply.answer.startswith("市邮政管理局牵头[1]，另见[2]。")
    assert reply.answer.endswith(citation_suffix(extractive.citations[2]))


def test_invented_citation_dropped(mini_engine: QaEngine, extractive: Reply) -> None:
    reply = generating(mini_engine, scripted("市邮政管理局牵头[1][9]，见【12】。")).ask(QUESTION)
    assert reply.citations == [extractive.citations[0]]
    assert "[9]" not in reply.answer and "12" not in reply.answer
    assert reply.answer.startswith("市邮政管理局牵头[1]，见。")


@pytest.mark.parametrize(
    ("text", "expected_text", "kept"),
    [
        ("甲[1][2]。", "甲[1][2]。", [0, 1]),
        ("甲[2,1]乙[2]。", "甲[1][2]乙[1]。", [1, 0]),
        ("甲【2】乙[1、3]。", "甲[1]乙[2][3]。", [1, 0, 2]),
        ("甲[0]乙[4]。", "甲乙。", []),
        ("甲[ 1 ]。", "甲[1]。", [0]),
        ("没有编号。", "没有编号。", []),
    ],
)
def test_keep_cited(text: str, expected_text: str, kept: list[int]) -> None:
    citations = [{"chunk_id": f"c{n}"} for n in range(3)]
    assert keep_cited(text, citations) == (expected_text, [citations[n] for n in kept])


# -- when the extractive reply stays -----------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        pytest.param("市邮政管理局牵头[7]。", id="only-invented"),
        pytest.param("条款中没有相关内容", id="cites-nothing"),
        pytest.param("   ", id="blank"),
        pytest.param("[1]", id="only-a-marker"),
    ],
)
def test_reply_citing_nothing_falls_back(mini_engine: QaEngine, extractive: Reply, text: str) -> None:
    reply = generating(mini_engine, scripted(text)).ask(QUESTION)
    assert not isinstance(reply, GeneratedReply)
    assert reply.answer == extractive.answer and reply.citations == extractive.citations


def test_exception_falls_back(mini_engine: QaEngine, extractive: Reply, caplog: pytest.LogCaptureFixture) -> None:
    model = scripted(error=ConnectionError("connection refused"))
    with caplog.at_level(logging.WARNING, logger="qa_bot.llm"):
        reply = generating(mini_engine, model).ask(QUESTION)
    assert model.prompts and reply.answer == extractive.answer and not isinstance(reply, GeneratedReply)
    assert "ConnectionError" in caplog.text


def test_timeout_falls_back(mini_engine: QaEngine, extractive: Reply, caplog: pytest.LogCaptureFixture) -> None:
    stall = threading.Event()
    engine = generating(mini_engine, scripted(stall=stall), timeout_s=0.3)
    try:
        started = time.monotonic()
        with caplog.at_level(logging.WARNING, logger="qa_bot.llm"):
            reply = engine.ask(QUESTION)
        llm_wait = time.monotonic() - started
    finally:
        stall.set()  # frees the worker the stalled call holds
    assert reply.answer == extractive.answer and not isinstance(reply, GeneratedReply)
    assert llm_wait < 0.3 + 5  # the extractive ask itself, plus the 0.3 s the model was given
    assert "timed out" in caplog.text


def test_not_found_is_not_rewritten(mini_engine: QaEngine) -> None:
    model = scripted()
    reply = generating(mini_engine, model).ask("今天天气怎么样")
    assert not reply.found and model.prompts == []


# -- configuration -------------------------------------------------------------------------------------


def test_not_configured_changes_nothing(mini_engine: QaEngine, mini_index: Path, tmp_path: Path) -> None:
    settings = Settings(index_dir=mini_index, data_dir=tmp_path / "data")
    assert settings.llm_base_url == ""
    assert with_generation(mini_engine, settings) is mini_engine
    assert create_app(settings, engine=mini_engine).state.service.engine is mini_engine


def test_not_configured_imports_no_llm_library(tmp_path: Path) -> None:
    code = (
        "import sys; from qa_bot.serve import create_app; from qa_bot.settings import Settings; "
        f"create_app(Settings(index_dir={str(tmp_path / 'none')!r}, data_dir={str(tmp_path / 'data')!r})); "
        "loaded = [m for m in ('langchain_openai', 'langchain_core', 'openai') if m in sys.modules]; "
        "assert not loaded, loaded"
    )
    env = {"PATH": "/usr/bin:/bin", "HOME": str(tmp_path)}
    result = subprocess.run(
        [sys.executable, "-c", code], check=False, cwd=REPO, env=env, capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, result.stderr


def test_configured_builds_chat_openai_without_calling_it() -> None:
    pytest.importorskip("langchain_openai", reason="needs langchain-openai")
    settings = Settings(llm_base_url="http://127.0.0.1:9/v1", llm_model="qwen-test", llm_timeout_s=7)
    model = llm.chat_model_from_settings(settings)
    assert type(model).__name__ == "ChatOpenAI"
    assert model.model_name == "qwen-test" and model.openai_api_base == "http://127.0.0.1:9/v1"
    assert model.request_timeout == 7 and model.max_retries == 0


def test_configured_without_langchain_openai_stays_extractive(
    mini_engine: QaEngine, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    def missing(settings: Settings) -> Any:
        raise ImportError("No module named 'langchain_openai'", name="langchain_openai")

    monkeypatch.setattr(llm, "chat_model_from_settings", missing)
    with caplog.at_level(logging.ERROR, logger="qa_bot.llm"):
        assert with_generation(mini_engine, Settings(llm_base_url="http://127.0.0.1:9/v1")) is mini_engine
    assert "langchain_openai" in caplog.text


# -- the service --------------------------------------------------------------------------------------


@pytest.fixture
def service_model(monkeypatch: pytest.MonkeyPatch) -> ScriptedChatModel:
    model = scripted()
    monkeypatch.setattr(llm, "chat_model_from_settings", lambda settings: model)
    return model


@pytest.fixture
def llm_client(service_model: ScriptedChatModel, mini_engine: QaEngine, mini_index: Path, tmp_path: Path) -> Any:
    settings = Settings(
        index_dir=mini_index,
        data_dir=tmp_path / "data",
        rate_limit="0",
        stream_delay_ms=0,
        llm_base_url="http://127.0.0.1:9/v1",
        llm_model=MODEL,
    )
    app = create_app(settings, engine=mini_engine)
    assert isinstance(app.state.service.engine, GeneratingEngine)
    with TestClient(app) as client:
        yield client


def test_service_uses_generation_when_configured(llm_client: TestClient, extractive: Reply) -> None:
    body = llm_client.post("/api/ask", json={"question": QUESTION}).json()
    assert body["answer"].startswith(LLM_TEXT) and body["generated_by"] == MODEL
    # The API adds each citation's `quote` (the sentence a card previews) to what the engine cited.
    assert [{k: v for k, v in c.items() if k != "quote"} for c in body["citations"]] == [extractive.citations[0]]
    completion = llm_client.post(
        "/v1/chat/completions", json={"model": "qa-bot", "messages": [{"role": "user", "content": QUESTION}]}
    ).json()
    message = completion["choices"][0]["message"]
    assert message["content"] == body["answer"] and message["references"] == body["citations"]


def test_replayed_history_does_not_call_the_model(llm_client: TestClient, service_model: ScriptedChatModel) -> None:
    messages = [
        {"role": "user", "content": "哪个单位牵头完善县乡村三级物流体系？"},
        {"role": "assistant", "content": "……"},
        {"role": "user", "content": "那冷链寄递呢？"},
    ]
    response = llm_client.post(
        "/v1/chat/completions", json={"model": "qa-bot", "messages": messages, "user": "history-only"}
    )
    assert response.status_code == 200
    assert len(service_model.prompts) == 1 and "那冷链寄递呢？" in service_model.prompts[0]
    assert "发展冷链寄递" in service_model.prompts[0]  # the follow-up retrieved the right clause for the model
