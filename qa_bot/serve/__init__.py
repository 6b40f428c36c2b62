"""The HTTP service: JSON API, answer streaming, feedback and question log, and the static chat page."""

from qa_bot.serve.app import create_app, run

__all__ = ["create_app", "run"]
