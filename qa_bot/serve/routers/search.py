"""GET /api/search: ranked clauses for a query, in the citation shape, without composing an answer."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query

from qa_bot.serve.deps import EngineDep
from qa_bot.serve.guard import rate_limit, require_api_key
from qa_bot.serve.responses import COMMON, SearchOut, errors, ok
from qa_bot.serve.schemas import MAX_FILTER_CHARS, TOP_K_SCHEMA, IsoDate, make_filters

router = APIRouter(
    prefix="/api",
    tags=["search"],
    dependencies=[Depends(require_api_key), Depends(rate_limit)],
    responses=errors(*COMMON, 422, 429, 503),
)


@router.get("/search", response_model=None, responses=ok(SearchOut), summary="Ranked clauses for a query")
def search(
    engine: EngineDep,
    q: Annotated[str, Query(min_length=1, description="the query")],
    top_k: Annotated[int | None, Query(description="number of hits", json_schema_extra=TOP_K_SCHEMA)] = None,
    doc: Annotated[str | None, Query(max_length=MAX_FILTER_CHARS, description="doc_id or 文号")] = None,
    issuer: Annotated[str | None, Query(max_length=MAX_FILTER_CHARS)] = None,
    date_from: Annotated[IsoDate | None, Query(description="YYYY-MM-DD")] = None,
    date_to: Annotated[IsoDate | None, Query(description="YYYY-MM-DD")] = None,
    issue: Annotated[
        str | None, Query(max_length=MAX_FILTER_CHARS, description="gazette issue, e.g. 2022年第4期")
    ] = None,
    year: Annotated[int | None, Query(ge=1949, le=2100, description="year of the document's 成文日期")] = None,
) -> dict[str, Any]:
    hits = engine.search(q, top_k=top_k, filters=make_filters(doc, issuer, date_from, date_to, issue=issue, year=year))
    return {"hits": hits}
