"""GET /healthz (the process lives) and GET /readyz (the index is loaded; 503 with the error shape until then)."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter

from qa_bot.serve.deps import ServiceDep
from qa_bot.serve.responses import HealthOut, ReadyOut, errors, ok

router = APIRouter(tags=["health"], responses=errors(500))


@router.get("/healthz", response_model=None, responses=ok(HealthOut), summary="Liveness: 200 while the process runs")
async def healthz() -> dict[str, str]:
    return {"status": "ok"}


@router.get(
    "/readyz", response_model=None, responses={**ok(ReadyOut), **errors(503)}, summary="Readiness: 200 once the index is loaded, else 503"
)
async def readyz(service: ServiceDep) -> dict[str, Any]:
    engine = service.ready_engine()
    index = engine.index
    return {
        "status": "ready",
        "build_id": index.build_id,
        "documents": len(index.documents),
        "clauses": len(index.clause_by_id),
        "store": engine.retriever.store.label,
    }
