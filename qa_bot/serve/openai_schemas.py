"""Requests of the OpenAI-compatible API (/v1): parsing and checking a chat completion body, with Chinese messages.

Errors here join the tree of qa_bot.errors / qa_bot.serve.errors:

    BadInput
    └── InvalidChatRequest   the body is JSON, but not a chat request qa-bot can answer    400
    NotFound
    └── ModelNotFound        a model other than "qa-bot"                                  404
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, StrictBool, StrictInt, StrictStr, ValidationError

from qa_bot.errors import BadInput, NotFound
from qa_bot.serve.validation import describe_error
from qa_bot.text.normalize import has_control_characters

MODEL_ID = "qa-bot"
MAX_USER_CHARS = 256


class InvalidChatRequest(BadInput):
    code = "invalid_value"
    http_status = 400

    def __init__(self, message: str, *, code: str | None = None) -> None:
        super().__init__(message)
        if code:
            self.code = code


class ModelNotFound(NotFound):
    code = "model_not_found"

    def __init__(self, model: str) -> None:
        super().__init__(f"模型 {model} 不存在，可用的模型：{MODEL_ID}")
        self.model = model


class StreamOptionsIn(BaseModel):
    model_config = ConfigDict(extra="ignore")

    include_usage: StrictBool = False


class ChatMessageIn(BaseModel):
    """One message; content is a string or a list of {"type": "text", "text": ...} parts (checked by `text`)."""

    model_config = ConfigDict(extra="ignore")

    role: Literal["system", "developer", "user", "assistant", "tool", "function"]
    content: Any = None

    def text(self, position: int) -> str | None:
        """The message's text (parts joined by newlines), None without content; InvalidChatRequest for non-text."""
        where = f"messages[{position}].content"
        if isinstance(self.content, str) and has_control_characters(self.content):
            raise InvalidChatRequest(f"字段 {where} 含有无法识别的控制字符，请删除后重试")
        if self.content is None or isinstance(self.content, str):
            return self.content
        if not isinstance(self.content, list):
            raise InvalidChatRequest(f"字段 {where} 必须是字符串或内容数组")
        texts = []
        for index, part in enumerate(self.content):
            if not isinstance(part, dict) or part.get("type") != "text":
                raise InvalidChatRequest(f"字段 {where}[{index}] 不受支持：只能回答文字消息（type 为 text 的内容）")
            if not isinstance(part.get("text"), str):
                raise InvalidChatRequest(f"字段 {where}[{index}].text 必须是字符串")
            if has_control_characters(part["text"]):
                raise InvalidChatRequest(f"字段 {where}[{index}].text 含有无法识别的控制字符，请删除后重试")
            texts.append(part["text"])
        return "\n".join(texts)


class ChatCompletionIn(BaseModel):
    """POST /v1/chat/completions. Sampling options (temperature, max_tokens …) are accepted and ignored."""

    model_config = ConfigDict(extra="ignore")

    model: StrictStr
    messages: list[ChatMessageIn]
    stream: StrictBool | None = False
    stream_options: StreamOptionsIn | None = None
    n: StrictInt | None = None
    user: StrictStr | None = Field(default=None, max_length=MAX_USER_CHARS)
    top_k: StrictInt | None = None  # qa-bot's own: how many clauses to cite


class OpenAIErrorDetail(BaseModel):
    message: str
    type: str
    param: str | None = None
    code: str | None = None


class OpenAIErrorOut(BaseModel):
    """Every /v1 error body (qa_bot.serve.openai_errors); `message` is readable Chinese."""

    error: OpenAIErrorDetail


ERROR_RESPONSES: dict[int | str, dict[str, Any]] = {
    status: {"model": OpenAIErrorOut, "description": description}
    for status, description in [
        (400, "invalid request (not JSON, wrong shape, empty or over-long question)"),
        (401, "missing or wrong API key (when QA_BOT_API_KEYS is set)"),
        (404, "unknown model or path"),
        (413, "request body too large"),
        (415, "body not declared as application/json"),
        (429, "rate limited (Retry-After)"),
        (503, "index not loaded yet"),
    ]
}


@dataclass(frozen=True)
class Conversation:
    """What qa-bot answers from a chat request: the last user message, after the earlier user messages."""

    question: str
    earlier: tuple[str, ...]
    user: str | None
    prompt_chars: int  # every message's text, for `usage`


def parse_chat_request(data: Any) -> ChatCompletionIn:
    """The parsed request body (qa_bot.serve.jsonbody) as a chat request, or InvalidChatRequest / ModelNotFound."""
    if not isinstance(data, dict):
        raise InvalidChatRequest("请求体必须是一个 JSON 对象，例如 {\"model\": \"qa-bot\", \"messages\": [...]}")
    try:
        chat = ChatCompletionIn.model_validate(data)
    except ValidationError as exc:
        raise InvalidChatRequest(describe_error(dict(exc.errors()[0]))) from exc
    if chat.user is not None and has_control_characters(chat.user):
        raise InvalidChatRequest("字段 user 含有无法识别的控制字符，请删除后重试")
    if chat.model != MODEL_ID:
        raise ModelNotFound(chat.model)
    if chat.n not in (None, 1):
        raise InvalidChatRequest("字段 n 只支持 1：每次请求生成一个回答")
    return chat


def _lenient_text(message: ChatMessageIn, position: int) -> str | None:
    """An earlier message's text; one qa-bot cannot read (an image, a tool result) just gives no context."""
    try:
        return message.text(position)
    except InvalidChatRequest:
        return None


def conversation_of(chat: ChatCompletionIn) -> Conversation:
    """The question to answer (the last message, which must be the user's) and the user's earlier questions."""
    if not chat.messages:
        raise InvalidChatRequest("字段 messages 不能为空：至少需要一条用户（user）消息")
    last = chat.messages[-1]
    if last.role != "user":
        raise InvalidChatRequest(f"最后一条消息必须是用户（user）的提问，而不是 {last.role}")
    texts = [_lenient_text(message, position) for position, message in enumerate(chat.messages[:-1])]
    question = last.text(len(chat.messages) - 1)
    texts.append(question)
    if question is None:
        raise InvalidChatRequest("最后一条用户消息没有内容（content），请输入要查询的问题")
    earlier = tuple(
        text
        for message, text in zip(chat.messages[:-1], texts[:-1], strict=True)
        if message.role == "user" and text and text.strip()
    )
    prompt_chars = sum(len(text) for text in texts if text)
    return Conversation(question=question, earlier=earlier, user=chat.user, prompt_chars=prompt_chars)


__all__ = [
    "ERROR_RESPONSES",
    "MODEL_ID",
    "ChatCompletionIn",
    "ChatMessageIn",
    "Conversation",
    "InvalidChatRequest",
    "ModelNotFound",
    "OpenAIErrorDetail",
    "OpenAIErrorOut",
    "StreamOptionsIn",
    "conversation_of",
    "parse_chat_request",
]
