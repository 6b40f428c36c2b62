"""POST /api/admin/reload: load the index build that index_dir/CURRENT names and swap it in (admin key only).

The load runs in the background; requests keep being answered by the old index until the new one is ready, then
new requests use the new one while those already running finish on the old. `?wait=true` answers once it is done.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Response

from qa_bot.errors import IndexNotReady
from qa_bot.serve.deps import ServiceDep
from qa_bot.serve.guard import require_admin_key
from qa_bot.serve.responses import ReloadOut, errors, ok

WAIT_SECONDS = 300.0

router = APIRouter(
    prefix="/api/admin",
    tags=["admin"],
    dependencies=[Depends(require_admin_key)],
    responses=errors(401, 403, 413, 422, 429, 500),
)


class ReloadFailed(IndexNotReady):
    code = "reload_failed"


@router.post(
    "/reload",
    status_code=202,
    response_model=None,
    responses={
        **ok(ReloadOut, "已开始在后台加载（或已在加载中）", 202),
        **ok(ReloadOut, "已加载完成（wait=true）"),
        **errors(503),
    },
    summary="Load the current index build and swap it in (X-Admin-Key)",
)
def reload_index(
    service: ServiceDep,
    response: Response,
    wait: Annotated[bool, Query(description="answer only once the load has finished (200), or failed (503)")] = False,
) -> dict[str, Any]:
    started = service.reload(wait=WAIT_SECONDS if wait else None)
    status = "started" if started else "already_running"
    if wait and not service.reloading:
        last = service.last_reload
        if last and not last.get("ok"):
            raise ReloadFailed(f"新索引未加载，仍在使用 {service.serving_build_id or '（无）'}：{last.get('error')}")
        status = "reloaded"
        response.status_code = 200
    return {
        "status": status,
        "serving_build_id": service.serving_build_id,
        "current_build_id": service.current_build_id(),
    }


__all__ = ["router"]
