"""GET /api/units and GET /api/units/{name}/tasks: the task ledger, as JSON or as a .csv / .xlsx download."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any
from urllib.parse import quote

from fastapi import APIRouter, Depends, Query, Request, Response

from qa_bot.ledger import ROLES, export_filename, tasks_csv, tasks_xlsx
from qa_bot.serve.deps import EngineDep, ServiceDep
from qa_bot.serve.errors import InvalidField
from qa_bot.serve.guard import read_rate_limit, require_api_key
from qa_bot.serve.responses import COMMON, TaskList, UnitList, errors, ok
from qa_bot.serve.schemas import MAX_FILTER_CHARS

router = APIRouter(
    prefix="/api",
    tags=["units"],
    dependencies=[Depends(require_api_key), Depends(read_rate_limit)],
    responses=errors(*COMMON, 429, 503),
)

FORMATS = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


@router.get(
    "/units",
    response_model=UnitList,
    response_model_exclude_unset=True,
    responses=ok(UnitList),
    summary="Every unit of the task ledger, by kind",
)
def list_units(engine: EngineDep) -> dict[str, Any]:
    ledger = engine.index.ledger
    return {"units": [u.to_dict() for u in ledger.units()], "references": ledger.references}


# `:path` so that a name with "/" in it gets the same readable 404 as any other unknown unit.
@router.get(
    "/units/{name:path}/tasks",
    response_model=TaskList,  # format=csv|xlsx answers a file (a Response, sent as it is)
    response_model_exclude_unset=True,
    responses={
        **ok(TaskList, "JSON；format=csv|xlsx 时为以单位和日期命名的下载文件"),
        **errors(404, 422),
    },
    summary="A unit's tasks across all documents (any alias of the unit works)",
)
def unit_tasks(
    name: str,
    request: Request,
    engine: EngineDep,
    service: ServiceDep,
    role: Annotated[str | None, Query(max_length=20, description="lead | responsible (empty: both)")] = None,
    doc: Annotated[str | None, Query(max_length=MAX_FILTER_CHARS, description="doc_id or 文号")] = None,
    format: Annotated[str | None, Query(max_length=10, description="json (default) | csv | xlsx")] = None,
) -> Any:
    if role and role not in ROLES:
        raise InvalidField("参数 role 必须是 lead（牵头）或 responsible（负责）之一")
    if format and format != "json" and format not in FORMATS:
        raise InvalidField("参数 format 必须是 json、csv 或 xlsx 之一")
    ledger = engine.index.ledger
    tasks = ledger.tasks(name, role=role or None, doc=doc or None)
    unit = ledger.resolve_unit(name).name or name
    if not format or format == "json":
        return {"unit": unit, "tasks": [t.to_dict() for t in tasks]}
    page_url = service.settings.public_url.strip() or str(request.base_url)
    content = tasks_csv(tasks, page_url) if format == "csv" else tasks_xlsx(tasks, unit, page_url)
    today = date.today()
    disposition = attachment(export_filename(unit, format, today), f"tasks-{today.isoformat()}.{format}")
    return Response(content, media_type=FORMATS[format], headers={"Content-Disposition": disposition})


def attachment(filename: str, ascii_fallback: str) -> str:
    """Content-Disposition for a Chinese file name: an ASCII fallback and the UTF-8 name (RFC 6266 / 5987)."""
    return f"attachment; filename=\"{ascii_fallback}\"; filename*=UTF-8''{quote(filename, safe='')}"
