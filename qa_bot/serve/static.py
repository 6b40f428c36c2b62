"""The chat page: web/ served at "/" with exact MIME types, never web/miniprogram/, web/test/, web/tools/ or dotfiles,
never over API paths."""

from __future__ import annotations

import os
from collections.abc import Iterable
from pathlib import Path

from starlette.responses import Response
from starlette.routing import BaseRoute, Match, Mount
from starlette.staticfiles import StaticFiles
from starlette.types import Scope

import qa_bot

# Module scripts are refused by browsers under any other type; the platform's mimetypes table varies.
MEDIA_TYPES = {
    ".html": "text/html",
    ".js": "text/javascript",
    ".mjs": "text/javascript",
    ".css": "text/css",
    ".svg": "image/svg+xml",
    ".json": "application/json",
    ".txt": "text/plain",
    ".png": "image/png",
    ".ico": "image/x-icon",
    ".webmanifest": "application/manifest+json",
}
HIDDEN_FOLDERS = frozenset({"miniprogram", "test", "tools"})  # the mini-program, the Node tests, the copy script


def default_web_dir() -> Path:
    """The repository's web/ folder, next to the qa_bot package."""
    return Path(qa_bot.__file__).resolve().parent.parent / "web"


class WebFiles(StaticFiles):
    """StaticFiles that hides the mini-program sources and dotfiles and names MIME types itself."""

    def lookup_path(self, path: str) -> tuple[str, os.stat_result | None]:
        parts = Path(path).parts
        if parts and (parts[0] in HIDDEN_FOLDERS or any(p.startswith(".") for p in parts)):
            return "", None
        return super().lookup_path(path)

    def file_response(
        self, full_path: str | os.PathLike[str], stat_result: os.stat_result, scope: Scope, status_code: int = 200
    ) -> Response:
        response = super().file_response(full_path, stat_result, scope, status_code)
        media_type = MEDIA_TYPES.get(Path(full_path).suffix.lower())
        if media_type and status_code != 304 and "content-type" in response.headers:
            charset = "; charset=utf-8" if media_type.startswith("text/") or media_type.endswith("json") else ""
            response.headers["content-type"] = media_type + charset
        return response


class WebMount(Mount):
    """A mount at "/" that stands aside for the application's own routes, so they keep their 404/405 answers."""

    def __init__(
        self, app: WebFiles, reserved_paths: Iterable[str], reserved_prefixes: tuple[str, ...] = ("/api/", "/v1/")
    ) -> None:
        super().__init__("/", app=app, name="web")
        self.reserved_paths = frozenset(reserved_paths)
        self.reserved_prefixes = reserved_prefixes

    def matches(self, scope: Scope) -> tuple[Match, Scope]:
        path = scope.get("path", "")
        if path in self.reserved_paths or path in ("/api", "/v1") or path.startswith(self.reserved_prefixes):
            return Match.NONE, {}
        return super().matches(scope)


def web_mount(web_dir: Path, routes: Iterable[BaseRoute]) -> WebMount:
    reserved = {getattr(route, "path", "") for route in routes}
    return WebMount(WebFiles(directory=web_dir, html=True), reserved_paths={p for p in reserved if p and "{" not in p})


__all__ = ["MEDIA_TYPES", "WebFiles", "WebMount", "default_web_dir", "web_mount"]
