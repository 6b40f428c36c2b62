"""Response shapes of the JSON API, for the OpenAPI schema at /openapi.json.

They document what the routers return (plain dicts, not validated again at run time); tests/test_fuzz.py checks
with schemathesis that every response conforms. Objects allow extra keys: fields may be added, never renamed.
Every error is ErrorBody; ERRORS[status] is the OpenAPI entry for it and `errors(...)` picks a route's set.
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict


class _Open(BaseModel):
    model_config = ConfigDict(extra="allow")


class ErrorDetail(BaseModel):
    model_config = ConfigDict(extra="forbid")

    code: str
    message: str
    closest: list[str] | None = None  # unknown_unit: the nearest known unit names


class ErrorBody(BaseModel):
    """Every 4xx/5xx answer: {"error": {"code", "message"}}, the message in readable Chinese."""

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [{"error": {"code": "bad_question", "message": "问题不能为空，请输入要查询的内容"}}]
        },
    )

    error: ErrorDetail


class Citation(_Open):
    """One cited clause; the first citation of an answer supports it."""

    doc_id: str
    doc_no: str | None
    title: str | None
    section: str
    text: str
    chunk_id: str
    score: float
    kind: str | None = None
    lead_units: list[str] | None = None
    responsible_units: list[str] | None = None
    issuer: str | None = None
    date: str | None = None
    quote: str | None = None  # /api/ask: the sentence of this clause that answers (card previews show it highlighted)


class AskOut(_Open):
    answer: str
    found: bool
    citations: list[Citation]
    latency_ms: float
    session_id: str
    kind: str | None
    question_id: int | None
    context: str | None = None  # signed follow-up context: send it back with the next question of the conversation
    statement: str | None = None  # the answer without its trailing source (clients show a marker [1] instead)
    source: str | None = None  # the short source line of the first citation, for copying
    suggestions: list[str] = []  # questions to ask next about the same clause and document
    clarify: bool = False  # true: a follow-up with no conversation behind it, asked back ("请问您指的是哪项工作？")


class SearchOut(_Open):
    hits: list[Citation]


class DocumentSummary(_Open):
    doc_id: str
    doc_no: str | None
    title: str
    issuer: str | None
    date: str | None
    issue: str | None
    clause_count: int
    year: int | None = None  # of the 成文日期, else of the issue, else of the 文号
    plan_title: str | None = None
    issuers: list[str] | None = None
    gazette: str | None = None
    category: str | None = None
    page: int | None = None
    publicity: str | None = None
    addressees: str | None = None


class ParseWarningOut(_Open):
    path: str
    line: int | None = None
    code: str
    message: str


class FileReportOut(_Open):
    """What the parser understood of one corpus file (the build's parse report)."""

    path: str
    format: str | None = None
    documents: int = 0
    clauses: int = 0
    notes: int = 0
    tables: int = 0
    doc_nos: list[str] = []
    warnings: list[ParseWarningOut] = []
    error: str | None = None


class DocumentList(_Open):
    documents: list[DocumentSummary]
    files: list[FileReportOut] = []


class TableRowOut(_Open):
    table_title: str
    group: str
    cells: list[list[str]]


class ClauseOut(_Open):
    chunk_id: str
    section: str
    section_path: list[str]
    text: str
    kind: str
    lead_units: list[str]
    responsible_units: list[str]
    deadline: str | None
    table: TableRowOut | None


class SectionNode(_Open):
    section_id: str | None
    label: str | None
    title: str | None
    depth: int
    path: list[str]
    children: list[SectionNode]


class DocumentDetail(DocumentSummary):
    clauses: list[ClauseOut]
    sections: list[SectionNode]


class UnitOut(_Open):
    name: str
    aliases: list[str]
    kind: str
    lead: int
    responsible: int
    spellings: list[str] | None = None
    kind_key: str | None = None
    documents: int | None = None


class UnitList(_Open):
    """Units grouped by kind; `references` are generic phrases of the notes (各有关部门) with their clause counts."""

    units: list[UnitOut]
    references: dict[str, int] | None = None


class TaskOut(_Open):
    doc_no: str | None
    title: str
    section: str
    chunk_id: str
    task: str
    role: str  # lead | responsible
    co_units: list[str]
    deadline: str | None
    text: str
    doc_id: str | None = None
    date: str | None = None
    issue: str | None = None
    co_lead: list[str] | None = None
    co_responsible: list[str] | None = None
    references: list[str] | None = None


class TaskList(_Open):
    unit: str
    tasks: list[TaskOut]


class ExamplesOut(_Open):
    examples: list[str]
    max_question_chars: int  # a longer question is refused (422 bad_question)


class FeedbackOut(_Open):
    id: int
    stored: bool
    replaces: int | None = None  # the earlier feedback on the same answer (question_id and session) this one supersedes


class HealthOut(_Open):
    status: str


class StorageHealthOut(BaseModel):
    """The feedback/question store: ok false (with why, in Chinese) while feedback would get 503."""

    backend: str  # "sqlite" or "postgresql"
    ok: bool
    error: str | None


class ReadyOut(_Open):
    status: str
    build_id: str
    documents: int
    clauses: int
    store: str  # "local" or "milvus:<uri>#<collection>" (the password never shown)
    storage: StorageHealthOut


class ReloadOut(_Open):
    """status: started | already_running (202), reloaded (200, with ?wait=true)."""

    status: str
    serving_build_id: str | None
    current_build_id: str | None


_DESCRIPTIONS = {
    400: "请求体不是合法的 JSON",
    401: "缺少或错误的访问密钥",
    403: "管理密钥错误或未配置",
    404: "地址或文件不存在",
    409: "语料中已有同名文件",
    413: "请求体过大",
    415: "请求体不是 JSON（Content-Type）",
    422: "字段类型或取值不合法",
    429: "请求过于频繁（Retry-After 给出等待秒数）",
    500: "服务器内部错误",
    503: "索引未就绪（加载中、缺失或损坏）",
}
ERRORS: dict[int, dict[str, Any]] = {
    status: {"model": ErrorBody, "description": text} for status, text in _DESCRIPTIONS.items()
}
ERRORS[429]["headers"] = {
    "Retry-After": {"description": "seconds to wait", "schema": {"type": "string", "pattern": "^[0-9]+$"}}
}

# What any /api route can answer whatever it does: keys, unexpected errors.
COMMON = (401, 500)
# A route that reads a JSON body adds these.
JSON_BODY = (400, 413, 415, 422)


def errors(*statuses: int) -> dict[int | str, dict[str, Any]]:
    """The OpenAPI `responses` entries for these error statuses."""
    return {status: dict(ERRORS[status]) for status in sorted(set(statuses))}


def ok(model: type[BaseModel], description: str = "成功", status: int = 200) -> dict[int | str, dict[str, Any]]:
    return {status: {"model": model, "description": description}}


__all__ = [
    "COMMON",
    "ERRORS",
    "JSON_BODY",
    "AskOut",
    "Citation",
    "ClauseOut",
    "DocumentDetail",
    "DocumentList",
    "DocumentSummary",
    "ErrorBody",
    "ExamplesOut",
    "FeedbackOut",
    "HealthOut",
    "ReadyOut",
    "ReloadOut",
    "SearchOut",
    "TaskList",
    "TaskOut",
    "UnitList",
    "UnitOut",
    "errors",
    "ok",
]
