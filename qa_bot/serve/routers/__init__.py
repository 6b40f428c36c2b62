"""One APIRouter per concern of /api and the probes; app.py includes them in ROUTERS order, then /v1
(serve.openai_api)."""

from qa_bot.serve.routers import (
    admin,
    ask,
    corpus,
    documents,
    examples,
    feedback,
    health,
    search,
    units,
)

ROUTERS = [
    health.router,
    ask.router,
    search.router,
    documents.router,
    units.router,
    examples.router,
    feedback.router,
    admin.router,
    corpus.router,
]

__all__ = ["ROUTERS"]
