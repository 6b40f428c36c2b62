"""One APIRouter per concern; app.py includes them in ROUTERS order."""

from qa_bot.serve.routers import (
    admin,
    ask,
    corpus,
    documents,
    examples,
    feedback,
    health,
    openai_compat,
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
    openai_compat.router,
    admin.router,
    corpus.router,
]

__all__ = ["ROUTERS"]
