"""GET|HEAD /healthz (the process lives) and GET|HEAD /readyz (the index is loaded; 503 with the error shape until
then). /readyz also reports the feedback store ("storage": {"backend", "ok", "error"}): a store that cannot be
written answers feedback with 503 but leaves questions answerable, so it does not make the replica unready."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter
from starlette.concurrency import run_in_threadpool

from qa_bot.serve.deps import ServiceDep
from qa_bot.serve.responses import HealthOut, ReadyOut, errors, ok

router = APIRouter(tags=["health"], responses=errors(500))


# HEAD too (kept out of the schema): load balancers that probe with HEAD would otherwise mark the server down.
@router.get(
    "/healthz",
    response_model=HealthOut,
    response_model_exclude_unset=True,
    responses=ok(HealthOut),
    summary="Liveness: 200 while the process runs",
)
@router.head("/healthz", include_in_schema=False)
async def healthz() -> dict[str, str]:
    return {"status": "ok"}


@router.get(
    "/readyz",
    response_model=ReadyOut,
    response_model_exclude_unset=True,
    responses={**ok(ReadyOut), **errors(503)},
    summary="Readiness: 200 once the index is loaded, else 503; the feedback store's state",
)
@router.head("/readyz", include_in_schema=False)
async def readyz(service: ServiceDep) -> dict[str, Any]:
    engine = service.ready_engine()
    index = engine.index
    return {
        "status": "ready",
        "build_id": index.build_id,
        "documents": len(index.documents),
        "clauses": len(index.clause_by_id),
        "store": engine.retriever.backend.label,
        "storage": await run_in_threadpool(service.storage.health),
    }
