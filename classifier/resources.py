"""Access to the package's data files (rules, catalog): one loader so every module reads the same copy."""

from __future__ import annotations

import json
import re
from functools import cache
from importlib import resources
from typing import Any


@cache
def load_json(name: str) -> dict[str, Any]:
    """Parse ``classifier/data/<name>`` once per process."""
    with resources.files("classifier").joinpath("data", name).open("r", encoding="utf-8") as fh:
        return json.load(fh)


def compile_rule(pattern: str, case_sensitive: bool = False) -> re.Pattern[str]:
    """Compile a rule regex the way every component does (Unicode, case-insensitive by default)."""
    return re.compile(pattern, 0 if case_sensitive else re.IGNORECASE)


def compile_union(patterns: list[str], case_sensitive: bool = False) -> re.Pattern[str]:
    """One alternation for many rules: a single C-level pass over the text instead of one per rule."""
    return compile_rule("|".join(f"(?:{p})" for p in patterns), case_sensitive)
