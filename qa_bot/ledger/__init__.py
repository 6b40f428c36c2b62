"""The task ledger (任务分工台账): every unit's lead and responsible tasks across all documents, built at index time.

    from qa_bot.ledger import Ledger
    ledger = engine.index.ledger                 # loaded with the index
    ledger.resolve_unit("人民银行某某市中心支行")  # Resolution(name="中国人民银行某某市中心支行", closest=())
    ledger.tasks("市邮政管理局", role="lead")     # [Task(...), ...] in document order
    ledger.units()                               # [Unit(...), ...] grouped by kind
    ledger.mentions("海事局要负责什么？")           # [Unit(name="某某海事局", ...)]
"""

from qa_bot.ledger.build import build_ledger
from qa_bot.ledger.export import HEADERS, clause_url, export_filename, tasks_csv, tasks_xlsx
from qa_bot.ledger.model import LEDGER_VERSION, ROLE_LABELS, ROLES, Ledger, Resolution, Role, Task, Unit
from qa_bot.ledger.store import LEDGER_FILE, load_ledger, read_current_ledger, save_ledger

__all__ = [
    "HEADERS",
    "LEDGER_FILE",
    "LEDGER_VERSION",
    "ROLES",
    "ROLE_LABELS",
    "Ledger",
    "Resolution",
    "Role",
    "Task",
    "Unit",
    "build_ledger",
    "clause_url",
    "export_filename",
    "load_ledger",
    "read_current_ledger",
    "save_ledger",
    "tasks_csv",
    "tasks_xlsx",
]
