"""The spaCy components: registered factories, to_disk/from_disk round trip, batch == single."""

from __future__ import annotations

import spacy

from classifier.pipeline import COMPONENTS

TEXT = ("PAST SURGICAL HISTORY: SynchroMed II placed 2019.\nPROCEDURE:, Pump interrogated., Refilled with 20 mL "
        "baclofen; dose increased from 150 to 175 mcg/day. Will refill in 3 months.\n-- J. Park, RN")


def signature(doc):
    return [(s.label_, s.start_char, s.end_char, s._.negated, s._.historical, s._.hypothetical, s._.section)
            for key in ("pump", "pump_devices") for s in doc.spans[key]]


def test_pipeline_components(nlp):
    assert tuple(nlp.pipe_names) == COMPONENTS


def test_round_trip_through_disk(nlp, tmp_path):
    nlp.to_disk(tmp_path / "pipe")
    loaded = spacy.load(tmp_path / "pipe")
    assert tuple(loaded.pipe_names) == COMPONENTS
    assert signature(loaded(TEXT)) == signature(nlp(TEXT))
    assert [t.text for t in loaded(TEXT)] == [t.text for t in nlp(TEXT)]


def test_pipe_matches_single_calls(nlp):
    texts = [TEXT, "No refill today.", TEXT.upper(), "x"]
    assert [signature(d) for d in nlp.pipe(texts, batch_size=2)] == [signature(nlp(t)) for t in texts]
