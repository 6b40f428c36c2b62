"""Optional LLM-written replies: a LangChain chain (prompt → chat model → text) rewrites an extractive answer.

Used only when QA_BOT_LLM_BASE_URL names an OpenAI-compatible chat server (a local Qwen, vLLM, llama.cpp …).
The chat model sees the clauses that retrieval found, numbered [1]..[n], and is asked to cite them. Only
citations it used *and* that were retrieved are kept, renumbered in order of use; a reply citing nothing, an error
or a timeout keeps the extractive reply. LangChain is imported only when generation is configured.
"""

from __future__ import annotations

import logging
import re
from concurrent.futures import ThreadPoolExecutor
from concurrent.futures import TimeoutError as FutureTimeout
from dataclasses import dataclass, fields
from typing import TYPE_CHECKING, Any, Protocol

from qa_bot.answer.compose import citation_suffix
from qa_bot.answer.engine import QaEngine, Reply
from qa_bot.answer.protocol import AnswerEngine
from qa_bot.settings import Settings

if TYPE_CHECKING:
    from langchain_core.language_models import BaseChatModel
    from langchain_core.runnables import Runnable

log = logging.getLogger("qa_bot.llm")

SYSTEM_PROMPT = (
    "你是政府公报问答助手。只依据用户给出的编号条款回答问题，不要使用条款以外的知识。"
    "用简洁的中文回答，一到三句话；每句话后用方括号标注所依据的条款编号，例如[1]或[1][2]。"
    "如果条款不能回答问题，只回答“条款中没有相关内容”，不要标注编号。"
)
HUMAN_PROMPT = "条款：\n{clauses}\n\n检索摘录（供参考）：{extract}\n\n问题：{question}"
# [1]  [1][2]  [1,2]  [1、2]  【1】: the ways models write clause numbers.
_MARKER = re.compile(r"[\[【]\s*(\d{1,3}(?:\s*[,，、]\s*\d{1,3})*)\s*[\]】]")
_NUMBER = re.compile(r"\d+")
MAX_WORKERS = 4
# Shared by every GeneratingEngine (a hot index swap makes a new one); threads start on first use. A call that
# timed out keeps its worker until the chat model's own timeout (the same setting) ends it.
_POOL = ThreadPoolExecutor(max_workers=MAX_WORKERS, thread_name_prefix="qa-bot-llm")


class TextChain(Protocol):
    """What GeneratingEngine needs from a chain: LangChain's Runnable.invoke, returning the reply text."""

    def invoke(self, input: dict[str, str], config: Any = None, **kwargs: Any) -> Any: ...


def build_chain(chat_model: BaseChatModel) -> Runnable[dict[str, str], str]:
    """prompt → chat model → plain text."""
    from langchain_core.output_parsers import StrOutputParser
    from langchain_core.prompts import ChatPromptTemplate

    prompt = ChatPromptTemplate.from_messages([("system", SYSTEM_PROMPT), ("human", HUMAN_PROMPT)])
    return prompt | chat_model | StrOutputParser()


def chat_model_from_settings(settings: Settings) -> BaseChatModel:
    """ChatOpenAI for the configured server (ImportError without langchain-openai). No request is made here."""
    from langchain_openai import ChatOpenAI
    from pydantic import SecretStr

    return ChatOpenAI(
        model=settings.llm_model,
        base_url=settings.llm_base_url,
        api_key=SecretStr(settings.llm_api_key or "not-needed"),  # local servers ignore it; the client wants one
        timeout=settings.llm_timeout_s,
        max_retries=0,
        temperature=0,
    )


def clause_block(citations: list[dict[str, Any]]) -> str:
    """The clauses as the model sees them: '[n] 《title》doc_no，section' and the clause text."""
    blocks = []
    for number, citation in enumerate(citations, start=1):
        source = f"《{citation.get('title') or ''}》{citation.get('doc_no') or ''}，{citation.get('section') or ''}"
        blocks.append(f"[{number}] {source}\n{citation.get('text') or ''}")
    return "\n\n".join(blocks)


def keep_cited(text: str, citations: list[dict[str, Any]]) -> tuple[str, list[dict[str, Any]]]:
    """The text with markers renumbered to the kept citations (invented numbers removed), and those citations."""
    order: list[int] = []  # original numbers (1-based) in order of first use

    def renumber(match: re.Match[str]) -> str:
        kept = []
        for number in (int(n) for n in _NUMBER.findall(match.group(1))):
            if not 1 <= number <= len(citations):
                continue  # cites a clause it was never shown
            if number not in order:
                order.append(number)
            new = order.index(number) + 1
            if new not in kept:
                kept.append(new)
        return "".join(f"[{n}]" for n in kept)

    rewritten = _MARKER.sub(renumber, text)
    return rewritten.strip(), [citations[n - 1] for n in order]


@dataclass
class GeneratedReply(Reply):
    """A Reply written by an LLM; its body says which model wrote it."""

    generated_by: str = ""

    def body(self) -> dict[str, Any]:
        return {**super().body(), "generated_by": self.generated_by}


class GeneratingEngine:
    """Answers like the QaEngine it wraps (everything but `ask` is delegated); found replies are rewritten by
    `chain`."""

    def __init__(
        self, base: QaEngine, chain: TextChain, *, model_name: str, timeout_s: float, max_clauses: int = 5
    ) -> None:
        self.base = base
        self.chain = chain
        self.model_name = model_name
        self.timeout_s = timeout_s
        self.max_clauses = max_clauses

    def __getattr__(self, name: str) -> Any:
        return getattr(self.base, name)

    def ask(self, question: Any, **kwargs: Any) -> Reply:
        reply = self.base.ask(question, **kwargs)
        if not reply.found or not reply.citations:
            return reply  # "not found" stays the honest extractive reply
        return self.generate(str(question).strip(), reply) or reply

    def generate(self, question: str, reply: Reply) -> GeneratedReply | None:
        """The LLM's version of a found reply, or None (logged) when it fails, times out or cites nothing."""
        shown = reply.citations[: self.max_clauses]
        inputs = {"clauses": clause_block(shown), "extract": reply.answer, "question": question}
        future = _POOL.submit(self.chain.invoke, inputs)
        try:
            output = future.result(timeout=self.timeout_s)
        except FutureTimeout:
            future.cancel()
            log.warning("LLM reply timed out after %.1f s; extractive reply kept", self.timeout_s)
            return None
        except Exception as exc:  # noqa: BLE001 - any failure of the model server costs only the rewrite
            log.warning("LLM reply failed (%s: %s); extractive reply kept", exc.__class__.__name__, exc)
            return None
        text = getattr(output, "content", output)
        if not isinstance(text, str):
            log.warning("LLM chain returned %s, not text; extractive reply kept", type(text).__name__)
            return None
        answer, cited = keep_cited(text, shown)
        if not cited or not _MARKER.sub("", answer).strip():
            log.info("LLM reply cites no retrieved clause; extractive reply kept")
            return None
        values = {f.name: getattr(reply, f.name) for f in fields(Reply)}
        values.update(answer=answer + citation_suffix(cited[0]), citations=cited)
        return GeneratedReply(**values, generated_by=self.model_name)


def with_generation(engine: QaEngine, settings: Settings) -> AnswerEngine:
    """The engine itself unless QA_BOT_LLM_BASE_URL is set; then a GeneratingEngine around it."""
    if not settings.llm_base_url.strip():
        return engine
    try:
        chain = build_chain(chat_model_from_settings(settings))
    except ImportError as exc:
        log.error(
            "QA_BOT_LLM_BASE_URL is set but %s is not installed (pip install 'qa-bot[llm]'); replies stay extractive",
            exc.name,
        )
        return engine
    log.info("replies written by %s at %s", settings.llm_model, settings.llm_base_url)
    return GeneratingEngine(
        engine,
        chain,
        model_name=settings.llm_model,
        timeout_s=settings.llm_timeout_s,
        max_clauses=settings.llm_max_clauses,
    )


__all__ = [
    "GeneratedReply",
    "GeneratingEngine",
    "TextChain",
    "build_chain",
    "chat_model_from_settings",
    "clause_block",
    "keep_cited",
    "with_generation",
]
