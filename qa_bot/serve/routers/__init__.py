"""One APIRouter per concern; app.py includes them in ROUTERS order."""

from qa_bot.serve.routers import ask, documents, examples, feedback, health, search

ROUTERS = [health.router, ask.router, search.router, documents.router, examples.router, feedback.router]

__all__ = ["ROUTERS"]
