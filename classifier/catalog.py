"""The code catalog (``data/catalog.json``): descriptors, elements, documentation, neighbours.

The single place the codes' wording lives; explanations and the CLI quote it from here.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from .resources import load_json


@dataclass(frozen=True)
class Catalog:
    targets: tuple[str, ...]
    families: dict[str, str]
    codes: dict[str, dict[str, Any]]
    neighbours: dict[str, dict[str, Any]]
    against: tuple[dict[str, Any], ...]

    def family(self, code: str | None) -> str | None:
        """'62362', '62368', '95990-95991' for the three; 'neighbour' for others; None for no code."""
        if code is None or code == "none":
            return None
        return self.families.get(code, "neighbour")

    def descriptor(self, code: str) -> str:
        entry = self.codes.get(code) or self.neighbours.get(code) or {}
        return entry.get("descriptor", "")


@lru_cache(maxsize=1)
def get_catalog() -> Catalog:
    raw = load_json("catalog.json")
    return Catalog(
        targets=tuple(raw["targets"]),
        families=dict(raw["families"]),
        codes=raw["codes"],
        neighbours=raw["neighbours"],
        against=tuple(raw["against"]),
    )
