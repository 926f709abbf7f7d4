"""Access to the package's data files (rules, catalog): one loader so every module reads the same copy."""

from __future__ import annotations

import json
import re
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

import srsly
from spacy.tokens import Doc


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


class RuleFilesMixin:
    """spaCy's ``to_disk``/``from_disk`` for components whose whole state is their rule files.

    A component names its files in ``rule_files``, returns their data from ``rule_data`` and
    rebuilds itself in ``set_rules`` (called with one dict per file, in order).
    """

    rule_files: tuple[str, ...] = ()

    def rule_data(self) -> tuple[dict[str, Any], ...]:
        raise NotImplementedError

    def set_rules(self, *data: dict[str, Any]) -> None:
        raise NotImplementedError

    def load_default_rules(self) -> None:
        self.set_rules(*(load_json(name) for name in self.rule_files))

    def to_disk(self, path: str | Path, *, exclude: tuple = ()) -> None:
        path = Path(path)
        path.mkdir(parents=True, exist_ok=True)
        for name, data in zip(self.rule_files, self.rule_data(), strict=True):
            srsly.write_json(path / name, data)

    def from_disk(self, path: str | Path, *, exclude: tuple = ()) -> RuleFilesMixin:
        self.set_rules(*(srsly.read_json(Path(path) / name) for name in self.rule_files))
        return self


TEXT_KEY = "pump_coder.text"


def doc_text(doc: Doc) -> str:
    """``doc.text``, computed once per Doc: spaCy rebuilds it from every token on each access.

    The cached copy lives in ``doc.user_data`` (so it survives ``nlp.pipe`` across processes) and is
    checked against the last token's end, so a Doc whose tokens changed gets its text rebuilt.
    """
    cached = doc.user_data.get(TEXT_KEY)
    if cached is None or (len(doc) and doc[-1].idx + len(doc[-1].text_with_ws) != len(cached)):
        cached = doc.text
        doc.user_data[TEXT_KEY] = cached
    return cached
