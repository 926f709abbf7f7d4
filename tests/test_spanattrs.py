"""Context values written straight to doc.user_data are what span._ reads."""

from __future__ import annotations

import pytest
from spacy.tokens import Span

from classifier import spanattrs


def test_key_is_where_underscore_stores_span_values(nlp):
    doc = nlp("Pump refilled today. No reprogramming.")
    span = doc[0:2]
    assert span._._get_key("negated") == spanattrs.key("negated", span.start_char, span.end_char)
    doc.user_data[spanattrs.key("negated", span.start_char, span.end_char)] = True
    assert span._.negated is True and spanattrs.get(span, "negated", False) is True
    assert spanattrs.get(doc[3:5], "negated", False) is False


def test_context_reads_match_span_extensions(nlp):
    doc = nlp("PAST HISTORY: pump implanted 2019.\nPLAN: refill next month. Pump not reprogrammed today.")
    for key in ("pump", "pump_devices"):
        for span in doc.spans[key]:
            for name, default in (("negated", False), ("historical", False), ("hypothetical", False),
                                  ("family", False), ("purpose", False), ("section", "none"), ("modifiers", ())):
                assert spanattrs.get(span, name, default) == getattr(span._, name)


def test_an_extension_with_a_getter_is_refused():
    Span.set_extension("pump_test_getter", getter=lambda s: True, force=True)
    try:
        with pytest.raises(TypeError):
            spanattrs.check_plain("negated", "pump_test_getter")
    finally:
        Span.remove_extension("pump_test_getter")
