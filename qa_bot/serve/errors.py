"""HTTP-only errors of the service and the one place that turns every error into {"error": {"code", "message"}}.

QaBotError (qa_bot.errors)
├── BadInput
│   ├── InvalidJson            body is not JSON                       400
│   ├── InvalidField           a field has the wrong type or value    422
│   ├── UnsupportedMediaType   body is not application/json           415
│   ├── PayloadTooLarge        body over settings.max_body_bytes      413
│   ├── RequestTimeout         body not sent within body_timeout_s    408
│   ├── MethodNotAllowed       route exists, method does not          405
│   ├── BadUpload              an uploaded file's name or content     400/415/422
│   └── FileExists             an upload would replace a corpus file  409
├── NotFound                   unknown route or document              404
│   └── UnknownUnit            unknown unit (+ "closest" names)       404
├── Unauthorized               missing or wrong API key               401
├── Forbidden                  admin route: wrong or unconfigured key 403
├── RateLimited                too many requests (Retry-After)        429
├── InternalError              anything unexpected (logged)           500
└── IndexNotReady
    └── IndexLoading           the index is still being loaded        503
"""

from __future__ import annotations

import logging
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

from qa_bot.errors import BadInput, IndexNotReady, NotFound, QaBotError
from qa_bot.serve.validation import JSON_INVALID, describe_validation_error

log = logging.getLogger("qa_bot.serve")


class InvalidJson(BadInput):
    code = "invalid_json"
    http_status = 400


class InvalidField(BadInput):
    code = "invalid_field"
    http_status = 422


class UnsupportedMediaType(BadInput):
    code = "unsupported_media_type"
    http_status = 415


class PayloadTooLarge(BadInput):
    code = "payload_too_large"
    http_status = 413


class RequestTimeout(BadInput):
    code = "request_timeout"
    http_status = 408


class MethodNotAllowed(BadInput):
    code = "method_not_allowed"
    http_status = 405


class BadUpload(BadInput):
    """An uploaded gazette file that is refused: bad name (400), not a supported format (415), not parseable (422)."""

    code = "bad_upload"

    def __init__(self, message: str, *, status: int = 400) -> None:
        super().__init__(message)
        self.http_status = status


class FileExists(BadInput):
    code = "file_exists"
    http_status = 409


class Unauthorized(QaBotError):
    code = "unauthorized"
    http_status = 401


class Forbidden(QaBotError):
    code = "forbidden"
    http_status = 403


class RateLimited(QaBotError):
    code = "rate_limited"
    http_status = 429

    def __init__(self, message: str, *, retry_after: int) -> None:
        super().__init__(message)
        self.retry_after = retry_after


class InternalError(QaBotError):
    code = "internal_error"
    http_status = 500


class IndexLoading(IndexNotReady):
    code = "index_loading"


GENERIC_MESSAGE = "服务器内部错误，请稍后重试。"


def error_body(exc: QaBotError) -> dict[str, dict[str, Any]]:
    return {"error": {"code": exc.code, "message": exc.message, **exc.extra}}


def error_response(exc: QaBotError, headers: dict[str, str] | None = None) -> JSONResponse:
    """The JSON response for one of our errors, with the headers its status calls for."""
    extra = dict(headers or {})
    if isinstance(exc, RateLimited):
        extra["Retry-After"] = str(exc.retry_after)
    if isinstance(exc, Unauthorized):
        extra["WWW-Authenticate"] = "Bearer"
    return JSONResponse(error_body(exc), status_code=exc.http_status, headers=extra)


def _from_http_exception(exc: StarletteHTTPException, method: str) -> QaBotError:
    if exc.status_code == 404:
        return NotFound("请求的地址不存在。")
    if exc.status_code == 405:
        return MethodNotAllowed(f"该地址不支持 {method} 请求。")
    if exc.status_code == 401:
        return Unauthorized("没有访问权限。")
    if exc.status_code == 403:
        return Forbidden("没有执行此操作的权限。")
    if exc.status_code == 400:  # FastAPI's "error parsing the body" (e.g. bytes that are not UTF-8)
        return InvalidJson(JSON_INVALID)
    if exc.status_code == 413:
        return PayloadTooLarge("请求体过大。")
    if 400 <= exc.status_code < 500:
        error = BadInput("请求无效。")
        error.http_status = exc.status_code
        return error
    return InternalError(GENERIC_MESSAGE)


async def _qa_bot_error(request: Request, exc: Exception) -> JSONResponse:
    if not isinstance(exc, QaBotError):  # registered for this class only
        raise exc
    return error_response(exc)


async def _validation_error(request: Request, exc: Exception) -> JSONResponse:
    if not isinstance(exc, RequestValidationError):  # registered for this class only
        raise exc
    is_json_error, message = describe_validation_error(exc.errors())
    return error_response(InvalidJson(message) if is_json_error else InvalidField(message))


async def _http_error(request: Request, exc: Exception) -> JSONResponse:
    if not isinstance(exc, StarletteHTTPException):  # registered for this class only
        raise exc
    headers = {"Allow": exc.headers["Allow"]} if exc.headers and "Allow" in exc.headers else None
    return error_response(_from_http_exception(exc, request.method), headers)


def install_error_handlers(app: FastAPI) -> None:
    """Map every error class once; unexpected exceptions are caught by middleware.CatchAllMiddleware."""
    app.add_exception_handler(QaBotError, _qa_bot_error)
    app.add_exception_handler(RequestValidationError, _validation_error)
    app.add_exception_handler(StarletteHTTPException, _http_error)


__all__ = [
    "GENERIC_MESSAGE",
    "Forbidden",
    "IndexLoading",
    "InternalError",
    "InvalidField",
    "InvalidJson",
    "MethodNotAllowed",
    "PayloadTooLarge",
    "RateLimited",
    "RequestTimeout",
    "Unauthorized",
    "UnsupportedMediaType",
    "error_body",
    "error_response",
    "install_error_handlers",
]
