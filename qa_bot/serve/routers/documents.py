"""GET /api/documents (summaries) and GET /api/documents/{doc_id} (one document by doc_id or 文号, URL-encoded)."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends

from qa_bot.serve.deps import EngineDep
from qa_bot.serve.documents import detail, find_document, summary
from qa_bot.serve.guard import read_rate_limit, require_api_key
from qa_bot.serve.responses import COMMON, DocumentDetail, DocumentList, errors, ok

router = APIRouter(
    prefix="/api",
    tags=["documents"],
    dependencies=[Depends(require_api_key), Depends(read_rate_limit)],
    responses=errors(*COMMON, 429, 503),
)


@router.get(
    "/documents",
    response_model=DocumentList,
    response_model_exclude_unset=True,
    responses=ok(DocumentList),
    summary="All documents, without their text",
)
def list_documents(engine: EngineDep) -> dict[str, Any]:
    """The documents, and the parse report of the build (per corpus file: counts, warnings with file and line)."""
    report = engine.index.manifest.data.get("corpus", {}).get("report", [])
    return {"documents": [summary(d) for d in engine.index.documents], "files": report}


# `:path` so that an id with "/" in it gets the same readable 404 as any other unknown id.
@router.get(
    "/documents/{doc_id:path}",
    response_model=DocumentDetail,
    response_model_exclude_unset=True,
    responses={**ok(DocumentDetail), **errors(404, 422)},
    summary="One document: clauses in order and its section tree",
)
def get_document(doc_id: str, engine: EngineDep) -> dict[str, Any]:
    return detail(find_document(engine.index, doc_id))
