"""The OpenAI-compatible API (/v1) driven by the official `openai` client against a real uvicorn server on loopback."""

from __future__ import annotations

import json
import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import httpx
import pytest
import uvicorn

from qa_bot.answer.engine import QaEngine
from qa_bot.serve import create_app
from qa_bot.settings import Settings

openai = pytest.importorskip("openai", reason="the OpenAI tests need the openai client (pip install openai)")

QUESTION = "哪个单位牵头规范末端网点管理？"
FIRST = "哪个单位牵头完善县乡村三级物流体系？"
FOLLOW_UP = "那冷链寄递呢？"
DOC_NO = "测政办发〔2023〕5号"
ASKED_BACK = "请问您指的是哪项工作？"  # a follow-up with no conversation behind it
KEY = "right-key"
ERROR_KEYS = {"message", "type", "param", "code"}


# -- a real server on 127.0.0.1 ------------------------------------------------------------------------


@contextmanager
def serve(settings: Settings, engine: QaEngine) -> Iterator[str]:
    """The app under uvicorn in a background thread, on a port the OS picked; yields its /v1 base URL."""
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    server = uvicorn.Server(
        uvicorn.Config(create_app(settings, engine=engine), log_level="warning", timeout_graceful_shutdown=2)
    )
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, name=f"uvicorn-{port}", daemon=True)
    thread.start()
    try:
        deadline = time.monotonic() + 30
        while not server.started:
            if not thread.is_alive() or time.monotonic() > deadline:
                pytest.fail("uvicorn did not start")
            time.sleep(0.05)
        yield f"http://127.0.0.1:{port}/v1"
    finally:
        server.should_exit = True
        thread.join(10)
        sock.close()


def make_settings(mini_index: Path, data_dir: Path, **overrides: Any) -> Settings:
    values: dict[str, Any] = {"index_dir": mini_index, "data_dir": data_dir, "rate_limit": "0", "stream_delay_ms": 0}
    return Settings(**{**values, **overrides})


@pytest.fixture(scope="module")
def base_url(mini_index: Path, mini_engine: QaEngine, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    with serve(make_settings(mini_index, tmp_path_factory.mktemp("v1-open")), mini_engine) as url:
        yield url


@pytest.fixture(scope="module")
def keyed_url(mini_index: Path, mini_engine: QaEngine, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("QA_BOT_API_KEYS", f"other-key, {KEY}")
        settings = make_settings(mini_index, tmp_path_factory.mktemp("v1-keyed"))
    assert settings.api_key_list() == ["other-key", KEY]
    with serve(settings, mini_engine) as url:
        yield url


@pytest.fixture
def client(base_url: str) -> Iterator[Any]:
    with openai.OpenAI(base_url=base_url, api_key="unused", max_retries=0, timeout=60) as openai_client:
        yield openai_client


def references(message_or_delta: Any) -> list[dict[str, Any]]:
    """qa-bot's `references` extra field, as the client keeps it."""
    extra = message_or_delta.model_extra or {}
    return list(extra.get("references") or [])


def ask(client: Any, *messages: tuple[str, str], **kwargs: Any) -> Any:
    return client.chat.completions.create(
        model="qa-bot", messages=[{"role": r, "content": c} for r, c in messages], **kwargs
    )


# -- models ----------------------------------------------------------------------------------------


def test_models_list(client: Any) -> None:
    models = list(client.models.list())
    assert [m.id for m in models] == ["qa-bot"]
    assert models[0].object == "model" and models[0].owned_by == "qa-bot" and isinstance(models[0].created, int)
    assert client.models.retrieve("qa-bot").id == "qa-bot"


def test_models_retrieve_unknown(client: Any) -> None:
    with pytest.raises(openai.NotFoundError) as caught:
        client.models.retrieve("gpt-4o")
    assert caught.value.code == "model_not_found"


# -- chat completions ---------------------------------------------------------------------------


def test_chat_completion(client: Any, mini_engine: QaEngine) -> None:
    completion = ask(client, ("system", "你是助手"), ("user", QUESTION))
    assert (
        completion.object == "chat.completion"
        and completion.model == "qa-bot"
        and completion.id.startswith("chatcmpl-")
    )
    choice = completion.choices[0]
    assert choice.finish_reason == "stop" and choice.message.role == "assistant"
    content = choice.message.content
    assert content == mini_engine.ask(QUESTION).answer  # the same reply as /api/ask
    assert "市邮政管理局" in content and content.endswith("二、重点任务 > （三）规范末端网点管理）")
    cited = references(choice.message)
    assert cited[0]["doc_no"] == DOC_NO and cited[0]["chunk_id"] == "测政办发-2023-5/2.3"
    assert cited[0]["lead_units"] == ["市邮政管理局"] and "全面实现网上备案" in cited[0]["text"]
    assert completion.usage is not None
    assert completion.usage.prompt_tokens == len("你是助手") + len(QUESTION)  # characters, not tokens
    assert completion.usage.completion_tokens == len(content)
    assert completion.usage.total_tokens == completion.usage.prompt_tokens + completion.usage.completion_tokens
    assert (completion.model_extra or {}).get("found") is True


def test_chat_completion_text_parts_and_top_k(client: Any) -> None:
    completion = client.chat.completions.create(
        model="qa-bot",
        messages=[
            {
                "role": "user",
                "content": [{"type": "text", "text": "哪个单位牵头"}, {"type": "text", "text": "规范末端网点管理？"}],
            }
        ],
        extra_body={"top_k": 2},
    )
    assert "市邮政管理局" in completion.choices[0].message.content
    assert len(references(completion.choices[0].message)) == 2


def test_chat_completion_stream(client: Any) -> None:
    whole = ask(client, ("user", QUESTION)).choices[0].message.content
    stream = ask(client, ("user", QUESTION), stream=True, stream_options={"include_usage": True})
    chunks = list(stream)
    assert all(c.object == "chat.completion.chunk" and c.model == "qa-bot" for c in chunks)
    assert len({c.id for c in chunks}) == 1
    usage_chunk = chunks.pop()
    assert usage_chunk.choices == [] and usage_chunk.usage.completion_tokens == len(whole)
    pieces = [c.choices[0].delta.content for c in chunks if c.choices[0].delta.content]
    assert len(pieces) > 3 and "".join(pieces) == whole
    assert chunks[0].choices[0].delta.role == "assistant"
    last = chunks[-1].choices[0]
    assert last.finish_reason == "stop"
    assert references(last.delta)[0]["chunk_id"] == "测政办发-2023-5/2.3"
    assert all(c.choices[0].finish_reason is None for c in chunks[:-1])


def test_stream_wire_format(base_url: str) -> None:
    """The bytes themselves: data: {chunk} blocks, ending with data: [DONE]."""
    body = {"model": "qa-bot", "stream": True, "messages": [{"role": "user", "content": QUESTION}]}
    with httpx.stream("POST", base_url + "/chat/completions", json=body, timeout=60) as response:
        assert response.status_code == 200
        assert response.headers["content-type"].startswith("text/event-stream")
        text = response.read().decode()
    blocks = text.split("\n\n")
    assert blocks[-1] == "" and blocks[-2] == "data: [DONE]"
    chunks = [json.loads(b.removeprefix("data: ")) for b in blocks[:-2]]
    assert all(b.startswith("data: ") for b in blocks[:-1])
    assert chunks[-1]["choices"][0]["finish_reason"] == "stop" and chunks[-1]["choices"][0]["delta"]["references"]


def test_follow_up_conversation(client: Any) -> None:
    first = ask(client, ("user", FIRST)).choices[0].message.content
    assert first.startswith("市邮政管理局牵头")
    alone = ask(client, ("user", FOLLOW_UP)).choices[0].message.content
    assert alone.startswith(ASKED_BACK)  # without the first question, "那冷链寄递呢？" is asked back
    follow = ask(client, ("user", FIRST), ("assistant", first), ("user", FOLLOW_UP)).choices[0].message
    assert follow.content.startswith("市商务局牵头")
    assert references(follow)[0]["section"].endswith("（二）发展冷链寄递")


def test_follow_up_the_server_never_saw(client: Any) -> None:
    """History the server has no turn for (another worker, a restart) is replayed: same reply, streamed too."""
    history = [("user", FIRST), ("assistant", "（另一个服务答的）"), ("user", FOLLOW_UP)]
    completion = ask(client, *history, user="never-seen-user")
    assert completion.choices[0].message.content.startswith("市商务局牵头")
    streamed = "".join(
        c.choices[0].delta.content or "" for c in ask(client, *history, user="another-user", stream=True) if c.choices
    )
    assert streamed == completion.choices[0].message.content


def test_earlier_messages_qa_bot_cannot_read_are_skipped(client: Any) -> None:
    messages = [
        {"role": "user", "content": [{"type": "image_url", "image_url": {"url": "data:image/png;base64,AAAA"}}]},
        {"role": "assistant", "content": None},
        {"role": "user", "content": QUESTION},
    ]
    assert (
        "市邮政管理局" in client.chat.completions.create(model="qa-bot", messages=messages).choices[0].message.content
    )


def test_follow_up_by_user_field(client: Any) -> None:
    """A client that sends only the newest message keeps its context through `user`."""
    ask(client, ("user", FIRST), user="wechat-openid-1")
    follow = ask(client, ("user", FOLLOW_UP), user="wechat-openid-1").choices[0].message.content
    assert follow.startswith("市商务局牵头")
    assert ask(client, ("user", FOLLOW_UP), user="wechat-openid-2").choices[0].message.content.startswith(ASKED_BACK)


def test_wrong_model(client: Any) -> None:
    with pytest.raises(openai.NotFoundError) as caught:
        client.chat.completions.create(model="gpt-4o", messages=[{"role": "user", "content": QUESTION}])
    error = caught.value
    assert error.status_code == 404 and error.code == "model_not_found" and error.type == "invalid_request_error"
    assert "gpt-4o" in error.message and "qa-bot" in error.message and "不存在" in error.message


@pytest.mark.parametrize(
    ("messages", "message_part"),
    [
        pytest.param([{"role": "user", "content": ""}], "问题不能为空", id="empty"),
        pytest.param([{"role": "user", "content": "   "}], "问题不能为空", id="blank"),
        pytest.param([{"role": "user", "content": "问" * 501}], "问题过长", id="too-long"),
        pytest.param([], "messages 不能为空", id="no-messages"),
        pytest.param(
            [{"role": "user", "content": QUESTION}, {"role": "assistant", "content": "答"}],
            "最后一条消息必须是用户",
            id="last-not-user",
        ),
        pytest.param([{"role": "user", "content": None}], "没有内容", id="null-content"),
        pytest.param(
            [{"role": "user", "content": [{"type": "image_url", "image_url": {"url": "x"}}]}],
            "只能回答文字消息",
            id="image",
        ),
        pytest.param([{"role": "robot", "content": QUESTION}], "messages[0].role", id="bad-role"),
    ],
)
def test_bad_messages(client: Any, messages: list[dict[str, Any]], message_part: str) -> None:
    with pytest.raises(openai.BadRequestError) as caught:
        client.chat.completions.create(model="qa-bot", messages=messages)
    assert caught.value.status_code == 400 and caught.value.type == "invalid_request_error"
    assert message_part in caught.value.message


@pytest.mark.parametrize(
    ("content", "headers", "status", "message_part"),
    [
        pytest.param(b"{not json", {"content-type": "application/json"}, 400, "不是合法的 JSON", id="not-json"),
        pytest.param(b"\xff\xfe", {"content-type": "application/json"}, 400, "不是合法的 JSON", id="not-utf8"),
        pytest.param(b"[]", {"content-type": "application/json"}, 400, "JSON 对象", id="array"),
        pytest.param(b'{"messages": []}', {"content-type": "application/json"}, 400, "缺少字段 model", id="no-model"),
        pytest.param(
            b'{"model": "qa-bot", "messages": {}}',
            {"content-type": "application/json"},
            400,
            "messages 必须是数组",
            id="messages-object",
        ),
        pytest.param(
            b'{"model": "qa-bot", "stream": "yes", "messages": []}',
            {"content-type": "application/json"},
            400,
            "stream",
            id="stream-type",
        ),
        pytest.param(
            b'{"model": "qa-bot", "n": 2, "messages": []}',
            {"content-type": "application/json"},
            400,
            "n 只支持 1",
            id="n",
        ),
        pytest.param(
            b'{"model": "qa-bot", "top_k": 0, "messages": [{"role": "user", "content": "x"}]}',
            {"content-type": "application/json"},
            400,
            "top_k",
            id="top-k",
        ),
        pytest.param(b"model=qa-bot", {"content-type": "application/x-www-form-urlencoded"}, 415, "JSON", id="form"),
        pytest.param(
            b"{" + b" " * 70_000 + b"}", {"content-type": "application/json"}, 413, "请求体过大", id="too-large"
        ),
    ],
)
def test_bad_bodies_get_openai_errors(
    base_url: str, content: bytes, headers: dict[str, str], status: int, message_part: str
) -> None:
    response = httpx.post(base_url + "/chat/completions", content=content, headers=headers, timeout=60)
    assert response.status_code == status
    body = response.json()
    assert set(body) == {"error"} and set(body["error"]) == ERROR_KEYS
    assert message_part in body["error"]["message"] and body["error"]["type"] == "invalid_request_error"


def test_unknown_path_and_method(base_url: str) -> None:
    missing = httpx.get(base_url + "/embeddings", timeout=10)
    assert missing.status_code == 404 and set(missing.json()["error"]) == ERROR_KEYS
    wrong_method = httpx.get(base_url + "/chat/completions", timeout=10)
    assert wrong_method.status_code == 405 and wrong_method.json()["error"]["code"] == "method_not_allowed"


def test_api_errors_keep_their_shape(base_url: str) -> None:
    """Only /v1 speaks OpenAI's error dialect; /api keeps the contract's {"code", "message"}."""
    response = httpx.post(base_url.removesuffix("/v1") + "/api/ask", json={"question": ""}, timeout=30)
    assert response.status_code == 422 and set(response.json()["error"]) == {"code", "message"}


# -- API keys and rate limits: the rules of /api --------------------------------------------------------


def test_keys_missing_or_wrong(keyed_url: str) -> None:
    with openai.OpenAI(base_url=keyed_url, api_key="wrong-key", max_retries=0) as wrong:
        with pytest.raises(openai.AuthenticationError) as caught:
            ask(wrong, ("user", QUESTION))
        assert "密钥无效" in caught.value.message and caught.value.type == "authentication_error"
        with pytest.raises(openai.AuthenticationError):
            wrong.models.list()
        # No Authorization header at all.
        with pytest.raises(openai.AuthenticationError) as missing:
            ask(wrong, ("user", QUESTION), extra_headers={"Authorization": openai.omit})
        assert "需要有效的访问密钥" in missing.value.message
    plain = httpx.post(keyed_url + "/chat/completions", json={"model": "qa-bot", "messages": []}, timeout=10)
    assert plain.status_code == 401 and plain.headers["www-authenticate"] == "Bearer"


def test_keys_right(keyed_url: str) -> None:
    with openai.OpenAI(base_url=keyed_url, api_key=KEY, max_retries=0) as right:
        assert [m.id for m in right.models.list()] == ["qa-bot"]
        assert "市邮政管理局" in ask(right, ("user", QUESTION)).choices[0].message.content
        streamed = "".join(c.choices[0].delta.content or "" for c in ask(right, ("user", QUESTION), stream=True))
        assert "市邮政管理局" in streamed


def test_rate_limit(mini_index: Path, mini_engine: QaEngine, tmp_path: Path) -> None:
    settings = make_settings(mini_index, tmp_path / "data", rate_limit="2/minute")
    with serve(settings, mini_engine) as url, openai.OpenAI(base_url=url, api_key="unused", max_retries=0) as limited:
        limited.models.list()
        limited.models.list()
        with pytest.raises(openai.RateLimitError) as caught:
            limited.models.list()
    assert caught.value.type == "rate_limit_error" and "请求过于频繁" in caught.value.message
    assert int(caught.value.response.headers["retry-after"]) >= 1
