"""Shared fixtures: one pipeline per test session (building it compiles every rule once)."""

from __future__ import annotations

import pytest

from classifier.pipeline import build_nlp


@pytest.fixture(scope="session")
def nlp():
    return build_nlp()


def spans_of(doc, label: str) -> list:
    """Service/performer/device spans with this label, in text order."""
    return [s for key in ("pump", "pump_devices") if key in doc.spans for s in doc.spans[key] if s.label_ == label]
