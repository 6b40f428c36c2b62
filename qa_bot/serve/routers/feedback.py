"""POST /api/feedback: a 👍/👎 rating of an answer with an optional comment, stored durably before the 201
(503 storage_unavailable when the database of QA_BOT_DATABASE_URL cannot be reached: nothing was stored).

A user may change a rating: a new feedback on the same answer (question_id, same session_id) supersedes the earlier
one (`replaces` names it; Storage.current_feedback() holds the latest of each). Earlier rows are kept as history."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends, Request

from qa_bot.serve.deps import ServiceDep, client_address, require_json
from qa_bot.serve.guard import rate_limit, require_api_key
from qa_bot.serve.responses import COMMON, ERRORS, JSON_BODY, FeedbackOut, errors, ok
from qa_bot.serve.schemas import FeedbackIn

router = APIRouter(
    prefix="/api",
    tags=["feedback"],
    dependencies=[Depends(require_api_key), Depends(rate_limit)],
    responses={
        **errors(*COMMON, *JSON_BODY, 429),
        503: {**ERRORS[503], "description": "反馈数据库暂时不可用（未存储）"},
    },
)


@router.post(
    "/feedback",
    status_code=201,
    dependencies=[Depends(require_json)],
    response_model=None,
    responses=ok(FeedbackOut, "已存储（写入磁盘后才应答）", 201),
    summary="Rate an answer",
)
def feedback(payload: FeedbackIn, request: Request, service: ServiceDep) -> dict[str, Any]:
    replaces = service.storage.latest_feedback_id(payload.question_id, payload.session_id)
    feedback_id = service.storage.add_feedback(
        question=payload.question,
        answer=payload.answer,
        rating=payload.rating,
        comment=payload.comment or "",
        question_id=payload.question_id,
        session_id=payload.session_id,
        client=client_address(request),
        chunk_ids=payload.chunk_ids or [],
    )
    return {"id": feedback_id, "stored": True, "replaces": replaces}
