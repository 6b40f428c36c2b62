"""The admin page's API (admin key): list the corpus files with their parse reports, upload a gazette file,
remove one, rebuild the index in the background and follow the build."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, File, Query, UploadFile

from qa_bot.errors import CorpusError
from qa_bot.parse import parse_corpus
from qa_bot.serve.deps import ServiceDep
from qa_bot.serve.errors import BadUpload
from qa_bot.serve.guard import require_admin_key
from qa_bot.serve.rebuild import Rebuilder
from qa_bot.serve.responses import errors
from qa_bot.serve.state import ServiceState
from qa_bot.serve.uploads import (
    UPLOAD_PATH,
    check_content,
    check_name,
    list_files,
    remove_file,
    save_file,
)

router = APIRouter(
    prefix=UPLOAD_PATH,
    tags=["admin"],
    dependencies=[Depends(require_admin_key)],
    responses=errors(401, 403, 429, 500),
)


def rebuilder(service: ServiceState) -> Rebuilder:
    """One rebuilder per service; it reuses the serving engine's embedder and swaps the new build in when done."""
    if service.rebuilder is None:

        def embedder() -> Any:
            engine = service.engine
            return engine.embedder if engine is not None else None

        service.rebuilder = Rebuilder(service.settings, swap=lambda: service.reload(wait=300.0), embedder=embedder)
    return service.rebuilder


def _state(service: ServiceState) -> dict[str, Any]:
    return {**rebuilder(service).status.to_dict(), "serving_build_id": service.serving_build_id}


@router.get("", summary="Corpus files with their parse reports, and the state of the last rebuild")
def corpus_files(service: ServiceDep) -> dict[str, Any]:
    settings = service.settings
    sizes = {f.name: f.bytes for f in list_files(settings.corpus_dir)}
    try:
        reports = parse_corpus(settings.corpus_dir).reports
    except CorpusError:  # no corpus folder yet
        reports = []
    files = [{**r.to_dict(), "bytes": sizes.get(r.path), "removable": r.path in sizes} for r in reports]
    return {"files": files, "build": _state(service), "max_upload_bytes": settings.max_upload_bytes}


@router.post(
    "",
    status_code=201,
    summary="Upload one gazette file (.txt, .pdf, .docx, .html): checked, parsed, saved, then the index is rebuilt",
    responses=errors(400, 409, 413, 415, 422),
)
async def upload(
    service: ServiceDep,
    file: Annotated[UploadFile, File(description="the gazette file")],
    replace: Annotated[bool, Query(description="replace a file of the same name")] = False,
    rebuild: Annotated[bool, Query(description="rebuild the index in the background afterwards")] = True,
) -> dict[str, Any]:
    settings = service.settings
    name = check_name(file.filename or "")
    data = await file.read(settings.max_upload_bytes + 1)
    if not data and file.size:
        raise BadUpload("文件内容没有收到，请重试。")
    report = check_content(name, data, settings.max_upload_bytes)
    save_file(settings.corpus_dir, name, data, replace=replace)
    if rebuild:
        rebuilder(service).start()
    return {"file": report.to_dict(), "build": _state(service)}


@router.delete(
    "/{name}", summary="Remove one gazette file from the corpus, then rebuild", responses=errors(400, 404, 415)
)
def delete(name: str, service: ServiceDep, rebuild: Annotated[bool, Query()] = True) -> dict[str, Any]:
    remove_file(service.settings.corpus_dir, name)
    if rebuild:
        rebuilder(service).start()
    return {"removed": name, "build": _state(service)}


@router.post("/rebuild", status_code=202, summary="Rebuild the index from the corpus in the background")
def start_rebuild(service: ServiceDep) -> dict[str, Any]:
    rebuilder(service).start()
    return {"build": _state(service)}


@router.get("/build", summary="The state of the last rebuild (idle, building, done, failed)")
def build_state(service: ServiceDep) -> dict[str, Any]:
    return {"build": _state(service)}


__all__ = ["router"]
