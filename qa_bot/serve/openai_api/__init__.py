"""The OpenAI-compatible API under /v1, in one place: its requests, responses, errors, conversations and router.

    requests.py      chat completion bodies parsed and checked (Chinese messages), MODEL_ID
    conversation.py  the follow-up context a stateless chat request carries
    responses.py     the model card, chat.completion bodies and chat.completion.chunk streams
    errors.py        errors under /v1 in OpenAI's shape (a middleware)
    router.py        GET /v1/models, POST /v1/chat/completions
"""

from qa_bot.serve.openai_api.errors import OPENAI_PREFIX, OpenAIErrorMiddleware
from qa_bot.serve.openai_api.router import router

__all__ = ["OPENAI_PREFIX", "OpenAIErrorMiddleware", "router"]
