"""ConText: negation scope, history (by trigger and by section), plans, other people, purpose."""

from __future__ import annotations

import pytest
from conftest import spans_of

from classifier.context import is_asserted


def only(doc, label):
    found = spans_of(doc, label)
    assert len(found) == 1, [s.text for s in found]
    return found[0]


def test_negation_forward(nlp):
    assert only(nlp("Pump not reprogrammed."), "REPROGRAM")._.negated


def test_negation_backward_flowsheet(nlp):
    assert only(nlp("Refill: not done (pt ill)"), "REFILL")._.negated
    assert only(nlp("Reprogramming: none"), "REPROGRAM")._.negated


def test_negation_stops_at_sentence_end(nlp):
    doc = nlp("No complaints. Pump refilled with 20 mL.")
    assert is_asserted(only(doc, "REFILL"))


def test_pseudo_negation_does_not_negate(nlp):
    doc = nlp("Pump refilled without difficulty and dose increased to 175 mcg/day.")
    assert is_asserted(only(doc, "REFILL"))
    assert all(is_asserted(s) for s in spans_of(doc, "REPROGRAM"))


def test_negation_scope_stops_at_terminator(nlp):
    doc = nlp("No dose change was planned but the pump was refilled")
    assert is_asserted(only(doc, "REFILL"))


def test_dose_unchanged_negates_only_reprogramming(nlp):
    doc = nlp("Electronic analysis performed, dose unchanged.")
    assert is_asserted(only(doc, "ANALYSIS"))


def test_history_trigger_and_section(nlp):
    assert only(nlp("Pump was refilled 3 months ago."), "REFILL")._.historical
    doc = nlp("PAST SURGICAL HISTORY:\nIntrathecal pump refill\nPLAN:\nok")
    assert only(doc, "REFILL")._.historical
    assert only(doc, "REFILL")._.section == "past_history"


def test_plans_and_hypotheticals(nlp):
    assert only(nlp("Will refill in 3 months."), "REFILL")._.hypothetical
    assert only(nlp("If spasms worsen we may increase the dose."), "REPROGRAM")._.hypothetical
    assert only(nlp("Reservoir 22 mL (next refill 8/2)."), "REFILL")._.hypothetical
    assert only(nlp("Pain clinic to refill in AM."), "REFILL")._.hypothetical


def test_other_person(nlp):
    assert only(nlp("Her mother had her pump refilled last week."), "REFILL")._.family


def test_purpose_only(nlp):
    assert only(nlp("Patient presents for pump refill."), "REFILL")._.purpose


def test_today_is_asserted(nlp):
    doc = nlp("Pump interrogated today. Dose increased from 150 to 175 mcg/day.")
    assert is_asserted(only(doc, "ANALYSIS"))
    assert all(is_asserted(s) for s in spans_of(doc, "REPROGRAM"))


def test_attempted_not_completed_and_failed_access(nlp):
    doc = nlp("IT pump refill - ATTEMPTED, NOT COMPLETED\nTwo attempts with a 22g Huber did not reach the reservoir.")
    assert all(s._.negated for s in spans_of(doc, "REFILL")), [s.text for s in spans_of(doc, "REFILL")]


def test_modifier_prefix_does_not_end_a_plan(nlp):
    doc = nlp("Pt sent home; referring clinic to arrange pump emptying and post-MRI refill.")
    assert only(doc, "REFILL")._.hypothetical


def test_dated_implant_and_service_elsewhere_are_historical(nlp):
    assert only(nlp("Pt: 19 M, SynchroMed II implanted 12/20.\nDose increased 260 -> 285 mcg/day."),
                "IMPLANT")._.historical
    assert only(nlp("Low reservoir alarm last week (refilled next day at his neurologist)."), "REFILL")._.historical
    assert only(nlp("Catheter retained after outside pump explant."), "EXPLANT")._.historical


def test_unknown_direction_is_refused(nlp):
    import copy

    from classifier.resources import load_json

    ctx = nlp.get_pipe("pump_context")
    rules = copy.deepcopy(load_json("context_rules.json"))
    next(r for r in rules["rules"] if r["category"] == "HISTORICAL")["direction"] = "FOWARD"
    with pytest.raises(ValueError, match="direction"):
        ctx.set_rules(rules, load_json("section_rules.json"))


def test_a_parenthetical_aside_ends_at_its_closing_parenthesis(nlp):
    doc = nlp("Per Dr. Abara's verbal order (severe spasms since Sat, mom reports), daily dose increased to 198 "
              "mcg/day.")
    assert is_asserted(only(doc, "REPROGRAM"))
    doc = nlp("Spasticity despite two dose increases by PM&R (most recent 5 weeks ago).")
    assert only(doc, "REPROGRAM")._.historical  # the aside still qualifies what it follows


def test_the_notes_own_date_neither_dates_nor_plans_a_service(nlp):
    from classifier.context import encounter_dates

    assert encounter_dates("ITB refill 10/14 - SM II") == {(10, 14)}
    assert encounter_dates("CLINIC\nPt: X    Date: 10/03/2023\nrefill date 09/14 confirmed") == {(10, 3)}
    assert encounter_dates("Pt: 19 M, SynchroMed II implanted 12/20.") == set()  # not a title
    assert encounter_dates("Phone: pharmacy called re: the 11/6 refill") == set()
    assert is_asserted(only(nlp("ITB refill 10/14 - baclofen 2000 mcg/mL, no alarms."), "REFILL"))
    assert not is_asserted(only(nlp("ITB f/u 10/20. Pump refill 10/14 - baclofen 2000 mcg/mL."), "REFILL"))


@pytest.mark.parametrize(("text", "label"), [
    ("Rebound spasms in setting of missed refill.", "REFILL"),
    ("Catheter problem suspected; dose escalation would not be appropriate.", "REPROGRAM"),
    ("Reservoir adequate; refilling now would waste compounded drug.", "REFILL"),
    ("Dispo: transfer to University ED for pump refill.", "REFILL"),
    ("Admit to medicine w/ PM&R consult in AM for pump interrogation.", "ANALYSIS"),
    ("Gets pump refilled at PM&R q3mo.", "REFILL"),
    ("Prefer to let radiation work before increasing IT dose.", "REPROGRAM"),
    ("Orders placed: pump interrogation after MRI.", "ANALYSIS"),
    ("The pump is refilled in our clinic every few months.", "REFILL"),
    ("Reservoir 24 mL, consistent w/ recent refill.", "REFILL"),
    ("Two dose increases in Jan/Feb without relief.", "REPROGRAM"),
    ("Devices: ITB pump - refilled and managed by Ridgeview Pain.", "REFILL"),
    ("First refill anticipated ~6 wks.", "REFILL"),
    ("Pt question re: dose increase sent to Dr. O.", "REPROGRAM"),
    ("Nothing reprogrammed.", "REPROGRAM"),
    ("Follow up: PCP 1 wk; Atlantic Pain 03/17 for ITB refill.", "REFILL"),
])
def test_services_missed_weighed_sent_elsewhere_or_habitual_are_not_asserted(nlp, text, label):
    assert not is_asserted(only(nlp(text), label))


def test_one_date_dates_every_service_its_rules_cover(nlp):
    """Two rules matching the same date for different service types both apply ("interrogation 4/22/2025")."""
    doc = nlp("Pump reached ERI per interrogation 4/22/2025 in pump clinic; pump implanted 3/1/2019.")
    assert only(doc, "ANALYSIS")._.historical and only(doc, "IMPLANT")._.historical


def test_a_refill_under_plan_may_be_todays_but_under_follow_up_it_is_not(nlp):
    assert is_asserted(only(nlp("Plan: pump refilled today, 20 mL."), "REFILL"))
    assert only(nlp("FOLLOW-UP:\nPCP, one week.\nAtlantic Pain clinic - ITB refill."), "REFILL")._.hypothetical
