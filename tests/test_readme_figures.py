"""The README's figures and thresholds that mirror code constants say what the code does (they cannot drift)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from qa_bot.index.vectors import EXACT_SEARCH_MAX
from qa_bot.retrieve.fusion import RRF_K
from qa_bot.settings import DENSE_WEIGHT, Settings

ROOT = Path(__file__).resolve().parents[1]
READMES = [ROOT / "README.md", ROOT / "benchmarks" / "README.md"]


def _number(text: str) -> float:
    return float(text.replace(",", ""))


def _mentions(pattern: str) -> list[tuple[str, float]]:
    found = []
    for readme in READMES:
        for match in re.finditer(pattern, readme.read_text(encoding="utf-8")):
            found.append((f"{readme.name}: {match.group(0)}", _number(match.group("n"))))
    return found


@pytest.mark.parametrize(
    ("what", "pattern", "value"),
    [
        ("HNSW switch", r"HNSW (?:takes over )?above (?P<n>[\d,]+)", EXACT_SEARCH_MAX),
        ("HNSW switch", r"`EXACT_SEARCH_MAX` = (?P<n>[\d,]+)", EXACT_SEARCH_MAX),
        ("RRF k", r"RRF with k = (?P<n>\d+)", RRF_K),
        ("fusion weight", r"dense weight (?P<n>0\.\d+)", DENSE_WEIGHT),
    ],
)
def test_readme_states_the_constant_the_code_uses(what: str, pattern: str, value: float) -> None:
    mentions = _mentions(pattern)
    assert mentions, f"the README no longer states the {what}; say it, or drop this check"
    wrong = [text for text, number in mentions if number != value]
    assert not wrong, f"README says {wrong}, the code uses {value}"


def test_readme_environment_defaults_are_the_settings_defaults() -> None:
    """Each row of the README's environment table whose default is a plain value matches Settings."""
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    table = text.split("### Environment", 1)[1].split("###", 1)[0]
    defaults = Settings.model_fields
    checked = 0
    for row in re.finditer(r"^\| `QA_BOT_([A-Z_]+)` \| `([^`]*)` \|", table, flags=re.MULTILINE):
        field = row.group(1).lower()
        default = defaults[field].default if field in defaults else None
        if default is None or default == "":  # not a setting, or an empty default the README explains in words
            continue
        stated = row.group(2)
        if isinstance(default, Path):
            assert stated.rstrip("/") == str(default), f"QA_BOT_{row.group(1)}: README `{stated}`, Settings {default}"
        elif isinstance(default, (int, float)):
            assert _number(stated) == default, f"QA_BOT_{row.group(1)}: README `{stated}`, Settings {default}"
        else:
            assert stated == str(default), f"QA_BOT_{row.group(1)}: README `{stated}`, Settings {default!r}"
        checked += 1
    assert checked >= 5
