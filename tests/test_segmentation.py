"""Tokenizer, sentence and section segmentation on the shapes real notes take."""

from __future__ import annotations

import pytest


def sents(nlp, text):
    return [s.text.strip() for s in nlp(text).sents]


def test_tokenizer_splits_arrows_and_transcription_commas(nlp):
    toks = [t.text for t in nlp.make_doc("dose 2.0->2.3 mg/d q3mo. PROCEDURE:,Refill")]
    assert "->" in toks and "2.0" in toks and "2.3" in toks
    assert "PROCEDURE" in toks and "Refill" in toks


def test_units_stay_readable(nlp):
    toks = [t.text for t in nlp.make_doc("150 mcg/day and 2000 mcg/mL")]
    assert "150" in toks and "2000" in toks


def test_all_caps_headers_start_sentences_and_sections(nlp):
    doc = nlp("HISTORY OF PRESENT ILLNESS\nPt doing well\nPROCEDURE\nPump refilled with 20 mL.")
    assert [s.label_ for s in doc.spans["sections"]] == ["hpi", "procedure"]
    assert "Pump refilled with 20 mL." in [s.text.strip() for s in doc.sents]


def test_transcription_style_inline_headers(nlp):
    text = "PROCEDURE:, Intrathecal pump refill.,  FINDINGS:, Pump interrogated., PLAN:, Return in 3 months."
    doc = nlp(text)
    assert [s.label_ for s in doc.spans["sections"]] == ["procedure", "procedure", "plan"]
    assert any(s.text.startswith("FINDINGS") for s in doc.sents)


def test_bullets_and_flowsheet_lines_are_sentences(nlp):
    text = "Plan:\n- refill in 3 months\n- continue baclofen\nResidual vol: 2.1 mL | Vol added: 18 mL"
    out = sents(nlp, text)
    assert "- refill in 3 months" in out and "- continue baclofen" in out


def test_wrapped_line_continues_sentence(nlp):
    out = sents(nlp, "The pump was refilled with twenty mL of\nbaclofen without difficulty.")
    assert len(out) == 1


@pytest.mark.parametrize("abbrev", ["Dr. Smith", "pt. tolerated", "approx. 3 mL"])
def test_abbreviations_do_not_end_sentences(nlp, abbrev):
    assert len(sents(nlp, f"Seen by {abbrev} today.")) == 1


def test_key_value_lines_are_not_headers(nlp):
    doc = nlp("Residual vol: 2.1 mL\nNew reservoir volume: 20 mL")
    assert not len(doc.spans["sections"])


def test_past_surgical_history_section(nlp):
    doc = nlp("Past Surgical History: SynchroMed II placed 2019\nAssessment: stable")
    assert [s.label_ for s in doc.spans["sections"]] == ["past_history", "assessment_plan"]


def test_unit_at_sentence_end_ends_the_sentence(nlp):
    doc = nlp("After aspirating 2.7 mL, I refilled the reservoir with 39 mL. Pump not reprogrammed.")
    assert [s.text for s in doc.sents] == ["After aspirating 2.7 mL, I refilled the reservoir with 39 mL.",
                                           "Pump not reprogrammed."]


def test_banner_lines_open_and_close_a_copied_block(nlp):
    doc = nlp("NOTE\n--- Interval history (carried forward from 03/24 note) ---\nDose increased.\n"
              "--- end carried forward ---\nToday: refilled.\n-----\nok")
    labels = [s.label_ for s in doc.spans["sections"]]
    assert labels[1:3] == ["past_history", "other"]  # the closing banner ends the history block
    assert "-----" not in {s.text.strip() for s in doc.spans["sections"]}  # a bare rule is no header


def test_headers_inside_a_closed_copied_block_stay_past_history(nlp):
    doc = nlp("REFILL\n=== carried forward from 07/17 visit ===\nIT HISTORY:\n- 03/04 dose increased\n"
              "PLAN: titrate\n=== end carried forward ===\nTODAY: refilled.")
    pairs = [(s.text.split("\n")[0].strip("= "), s.label_) for s in doc.spans["sections"]]
    assert pairs[1:] == [("carried forward from 07/17 visit", "past_history"), ("IT HISTORY:", "past_history"),
                         ("PLAN: titrate", "past_history"), ("end carried forward", "other"),
                         ("TODAY: refilled.", "procedure")]


def test_an_unclosed_copied_banner_does_not_swallow_later_headers(nlp):
    doc = nlp("=== copied from prior note ===\nDose increased.\nTODAY: refilled.")
    assert [s.label_ for s in doc.spans["sections"]] == ["past_history", "procedure"]


def test_dot_leaders_do_not_split_a_flowsheet_row(nlp):
    doc = nlp("Dose change .............. NO\nSite ......... clean")
    assert [s.text.strip() for s in doc.sents] == ["Dose change .............. NO", "Site ......... clean"]


def test_a_history_written_on_its_header_line_ends_at_the_blank_line(nlp):
    doc = nlp("Hx: pump placed 2019, refills failed twice.\n\nPump interrogated today.\nPMH:\n- hypertension\n\n"
              "- pump refilled 2023")
    assert [s.label_ for s in doc.spans["sections"]] == ["past_history", "none", "past_history"]  # header alone: all


def test_a_known_header_may_carry_a_parenthetical(nlp):
    doc = nlp("Procedure (04/06/2024 21:30, ED bay 14) - refill.\nHPI (copied from 08/02 note): dose increased.")
    assert [s.label_ for s in doc.spans["sections"]] == ["procedure", "past_history"]


def test_an_inline_bracketed_copy_marker_opens_and_closes_a_copied_block(nlp):
    doc = nlp('Note. [copied from 6/2 clinic note] "dose increased." [end copied]\nToday: refilled.')
    assert [s.label_ for s in doc.spans["sections"]] == ["past_history", "other", "procedure"]
