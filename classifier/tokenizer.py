"""A tokenizer for clinical notes: spaCy's English rules plus the splits transcription systems need.

Notes glue punctuation to words ("PROCEDURE:,", "2.0->2.3", "mcg/day|") and spaCy's English
infixes leave those as one token, which blurs sentence and scope boundaries. We add infixes for
``->``, ``|``, ``:``/``,``/``;`` runs and ``/`` between letters, keeping numbers like ``2.5`` and
units like ``mcg/mL`` readable.
"""

from __future__ import annotations

from collections.abc import Callable

from spacy.lang.en import English
from spacy.language import Language
from spacy.tokenizer import Tokenizer
from spacy.tokens import Doc
from spacy.util import compile_infix_regex, compile_prefix_regex, compile_suffix_regex, registry

from .resources import TEXT_KEY

EXTRA_INFIXES = [
    r"(?:->|-->|=>|\u2192)",      # 2.0->2.3
    r"[|]",                       # flowsheet separators
    r"(?<=[A-Za-z0-9)])[:;,]+(?=[A-Za-z(])",  # FINDINGS:,Pump / dose:150
    r"(?<=[A-Za-z])/(?=[A-Za-z])",  # mcg/day, s/p stays readable as s / p
]
EXTRA_PREFIXES = [r"[\u2022\u25cf\u25aa\u2023*#>]", r"[-=]{2,}"]
EXTRA_SUFFIXES = [r"[:;,]+", r"[-=]{2,}"]


class ClinicalTokenizer(Tokenizer):
    """spaCy's Tokenizer that also keeps the note's text on the Doc.

    ``Doc.text`` is rebuilt from every token on each access (over a millisecond for a long note);
    the components read the copy kept here through :func:`classifier.resources.doc_text`.
    """

    def __call__(self, text: str) -> Doc:
        doc = super().__call__(text)
        doc.user_data[TEXT_KEY] = text
        return doc


def clinical_tokenizer(nlp: Language) -> Tokenizer:
    """Build the clinical tokenizer for ``nlp`` (English defaults plus note-specific splits)."""
    defaults = English.Defaults
    infixes = list(defaults.infixes) + EXTRA_INFIXES
    prefixes = list(defaults.prefixes) + EXTRA_PREFIXES
    suffixes = list(defaults.suffixes) + EXTRA_SUFFIXES
    return ClinicalTokenizer(
        nlp.vocab,
        rules=dict(defaults.tokenizer_exceptions),
        prefix_search=compile_prefix_regex(prefixes).search,
        suffix_search=compile_suffix_regex(suffixes).search,
        infix_finditer=compile_infix_regex(infixes).finditer,
        url_match=None,
    )


@registry.tokenizers("pump_coder.clinical_tokenizer.v1")
def create_clinical_tokenizer() -> Callable[[Language], Tokenizer]:
    """Config entry point so a saved pipeline's config can rebuild the tokenizer."""
    return clinical_tokenizer
