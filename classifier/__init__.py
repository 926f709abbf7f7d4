"""pump-coder: explainable CPT suggestions for intrathecal/epidural drug pump notes.

``classifier.suggest(text)`` and ``classifier.suggest_batch(texts)`` use the shipped model; build a
:class:`classifier.api.Coder` for another model directory.
"""

from __future__ import annotations

from typing import Any

__version__ = "0.1.0"
__all__ = ["suggest", "suggest_batch", "__version__"]


def suggest(text: str, model_dir: str | None = None) -> dict[str, Any]:
    """Ranked codes with explanations for one note (imports the NLP stack on first use)."""
    from .api import suggest as _suggest

    return _suggest(text, model_dir)


def suggest_batch(texts: Any, model_dir: str | None = None, batch_size: int = 64,
                  n_process: int = 1) -> list[dict[str, Any]]:
    """:func:`suggest` for many notes, in order; a bad note gives ``{"error": ...}`` in its place."""
    from .api import suggest_batch as _suggest_batch

    return _suggest_batch(texts, model_dir, batch_size=batch_size, n_process=n_process)
