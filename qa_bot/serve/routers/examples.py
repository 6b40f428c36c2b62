"""GET /api/examples: example questions made from the loaded corpus (computed once per index build), and the limit a
question must keep (`max_question_chars`, so clients count against the server's own setting)."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends

from qa_bot.answer.examples import example_questions
from qa_bot.serve.deps import ServiceDep
from qa_bot.serve.guard import read_rate_limit, require_api_key
from qa_bot.serve.responses import COMMON, ExamplesOut, errors, ok

router = APIRouter(
    prefix="/api",
    tags=["examples"],
    dependencies=[Depends(require_api_key), Depends(read_rate_limit)],
    responses=errors(*COMMON, 429, 503),
)


@router.get(
    "/examples",
    response_model=ExamplesOut,
    response_model_exclude_unset=True,
    responses=ok(ExamplesOut),
    summary="Example questions for the chat page",
)
def examples(service: ServiceDep) -> dict[str, Any]:
    index = service.ready_engine().index
    key = f"examples:{index.build_id}"
    if key not in service.cache:
        service.cache[key] = example_questions(index.documents)
    return {"examples": list(service.cache[key]), "max_question_chars": service.settings.max_question_chars}
