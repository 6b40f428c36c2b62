"""The quality gate: evaluation figures must stay at or above thresholds kept in one file."""

from __future__ import annotations

import json
from pathlib import Path

from qa_bot.errors import BadGoldFile
from qa_bot.evaluation.run import EvalResult

GATED = ("hit_at_1", "hit_at_5", "answer_accuracy", "answered_rate", "refusal_accuracy")


def check_thresholds(result: EvalResult, path: Path) -> list[str]:
    """Lines describing every figure below its threshold and every question newly missed; empty when all pass.

    The thresholds file is JSON: {"thresholds": {"hit_at_1": 0.95, ...}, "passed": ["q001", ...]} where
    "passed" lists the questions that passed when the thresholds were set.
    """
    try:
        config = json.loads(path.read_text(encoding="utf-8"))
        thresholds = config["thresholds"]
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise BadGoldFile(f"无法读取质量门槛文件 {path}：{exc}") from None
    metrics = result.metrics()
    failures = []
    for name, minimum in thresholds.items():
        value = metrics.get(name)
        if value is None or value < minimum:
            failures.append(f"质量门槛未达到：{name} = {value}，门槛 {minimum}")
    if failures:
        before = set(config.get("passed", []))
        now = set(result.passed_ids())
        newly_missed = sorted(before - now)
        by_id = {o.id: o for o in result.outcomes}
        for qid in newly_missed:
            o = by_id.get(qid)
            if o is not None:
                failures.append(f"  新增未通过：{qid} {o.question} → {o.answer[:80]}")
    return failures


def write_baseline(result: EvalResult, path: Path) -> None:
    """Record which questions pass now, keeping the thresholds: later drops are reported against this list."""
    try:
        config = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise BadGoldFile(f"无法读取质量门槛文件 {path}：{exc}") from None
    config["passed"] = result.passed_ids()
    path.write_text(json.dumps(config, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")


__all__ = ["GATED", "check_thresholds", "write_baseline"]
