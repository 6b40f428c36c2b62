"""qa-bot: question answering over Chinese government gazettes with clause-level citations."""

__version__ = "0.1.0"
