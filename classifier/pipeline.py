"""The spaCy pipeline: blank English + clinical tokenizer + sentences, sections, entities, context."""

from __future__ import annotations

from functools import lru_cache

import spacy
from spacy.language import Language

from . import context, entities, sections, sentences  # noqa: F401  (registers the factories)
from .tokenizer import clinical_tokenizer

COMPONENTS = ("clinical_sentences", "sectionizer", "pump_entities", "pump_context")
MAX_CHARS = 1_000_000


def build_nlp() -> Language:
    """A fresh pipeline; no downloaded model, everything from rules shipped in ``classifier/data``."""
    nlp = spacy.blank("en")
    nlp.tokenizer = clinical_tokenizer(nlp)
    nlp.max_length = MAX_CHARS
    for name in COMPONENTS:
        nlp.add_pipe(name)
    return nlp


@lru_cache(maxsize=1)
def get_nlp() -> Language:
    """The process-wide pipeline (building it compiles the rules once)."""
    return build_nlp()
