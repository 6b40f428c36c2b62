"""Evaluation against a gold question set: validation, scoring, reports and the quality gate."""

from qa_bot.evaluation.gate import check_thresholds
from qa_bot.evaluation.gold import GoldQuestion, load_gold
from qa_bot.evaluation.report import write_report
from qa_bot.evaluation.run import EvalResult, run_eval

__all__ = ["EvalResult", "GoldQuestion", "check_thresholds", "load_gold", "run_eval", "write_report"]
