"""`python -m qa_bot` runs the qa-bot command line."""

from qa_bot.cli import main

main()
