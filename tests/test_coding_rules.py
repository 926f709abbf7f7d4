"""Rules 1-8 of shared/domain/coding-rules.md, each on short notes, through pipeline + rules."""

from __future__ import annotations

import pytest

from classifier.coding_rules import apply_rules
from classifier.facts import extract_facts

CASES = [
    # rule 1: refill + reprogramming -> 62369 (staff) / 62370 (physician)
    (1, "Pump interrogated. Reservoir refilled with 20 mL baclofen. Dose increased from 150 to 175 mcg/day. "
        "Refilled by J. Park, RN", "62369"),
    (1, "I refilled the pump (18 mL) and increased the daily dose by 10%. -- A. Shah, MD", "62370"),
    # rule 2: refill without reprogramming -> 95990 / 95991; analysis included
    (2, "ITB pump interrogated, no alarms. Residual 2 mL aspirated, 20 mL instilled. No dose change. "
        "Performed by K. Lee, LPN", "95990"),
    (2, "Procedure: intrathecal pump refill performed by Dr. Gomez. 40 mL Infumorph instilled.", "95991"),
    # rule 3: analysis + reprogramming, no refill -> 62368; analysis alone -> 62367
    (3, "SynchroMed II interrogated. Daily dose decreased from 400 to 350 mcg/day for weakness. No refill today.",
        "62368"),
    (3, "Pump interrogated with clinician programmer: reservoir 15 mL, no alarms. No changes made.", "62367"),
    # rule 4: implant/replacement -> 62362 (programming included); non-programmable -> 62361; explant -> 62365
    (4, "OPERATIVE NOTE\nProcedure: Implantation of SynchroMed II programmable intrathecal pump.\n"
        "The pump was warmed and filled with baclofen, then programmed to 100 mcg/day.", "62362"),
    (4, "Procedure: replacement of intrathecal pump at ERI. Old pump removed, new SynchroMed II placed in the "
        "same pocket and programmed.", "62362"),
    (4, "Procedure: implantation of Codman 3000 constant flow intrathecal pump.", "62361"),
    (4, "Procedure: removal of infected intrathecal pump. Catheter tied off and left in place. No new device placed.",
        "62365"),
    # rule 5: updating reservoir volume / alarm date after a refill is part of the refill
    (5, "Pump refilled with 20 mL. Pump reprogrammed with new reservoir volume and alarm date. Daily dose same. "
        "-- M. Cruz RN", "95990"),
    # rule 6: only this encounter counts
    (6, "PAST SURGICAL HISTORY: intrathecal pump implanted 2019.\nASSESSMENT: knee pain, refer to ortho.", "none"),
    (6, "Refill deferred today, patient febrile. Will refill next week.", "none"),
    (6, "If spasms worsen we may increase the pump dose at the next visit.", "none"),
    (6, "Her mother has a baclofen pump that was refilled yesterday.", "none"),
    # rule 7: look-alike devices
    (7, "Spinal cord stimulator interrogated and reprogrammed; amplitude increased.", "95970-95972"),
    (7, "Insulin pump basal rate changed from 0.8 to 0.7 units/h.", "none"),
    (7, "Hepatic artery infusion pump accessed and refilled with 30 mL FUDR.", "96521-96523"),
    # rule 8: intraventricular (brain) pump refills are 95990/95991
    (8, "Intraventricular morphine pump refilled with 20 mL by the clinic RN.", "95990"),
]


@pytest.mark.parametrize("rule,text,expected", CASES, ids=[f"rule{r}-{i}" for i, (r, _, _) in enumerate(CASES)])
def test_rule(nlp, rule, text, expected):
    verdict = apply_rules(extract_facts(nlp(text)))
    assert verdict.code == expected, verdict


def test_refill_and_reprogramming_never_gives_62368_or_refill_codes(nlp):
    facts = extract_facts(nlp("Pump refilled. Dose increased to 200 mcg/day."))
    assert apply_rules(facts).code in ("62369", "62370")


def test_catheter_only_work(nlp):
    facts = extract_facts(nlp("Procedure: revision of intrathecal catheter; pump left in place, not replaced."))
    assert apply_rules(facts).code == "62350"
    facts = extract_facts(nlp("Procedure: removal of intrathecal catheter."))
    assert apply_rules(facts).code == "62355"
    facts = extract_facts(nlp("Procedure: T11-12 hemilaminectomy, removal of entrapped intrathecal catheter and "
                              "placement of new intrathecal catheter under direct vision. Pump not replaced."))
    assert apply_rules(facts).code == "62351"  # a revision via laminectomy, not a removal


def test_implant_named_as_system_implantation(nlp):
    facts = extract_facts(nlp("PROCEDURE: Intrathecal drug delivery system implantation: programmable pump "
                              "(SynchroMed II) and tunneled catheter.\nPUMP PREP: filled with 40 mL fentanyl.\n"
                              "PROGRAMMING: priming bolus, then 50 mcg/day; PTM bolus enabled."))
    assert apply_rules(facts).code == "62362"  # filling and programming at implant are part of it (rule 4)


def _code(nlp, text):
    return apply_rules(extract_facts(nlp(text))).code


def test_aborted_refill_is_no_refill(nlp):
    assert _code(nlp, "IT PUMP REFILL FLOWSHEET\nProgrammer telemetry: FAILED - communication error\n"
                      "Pump read: not obtained\nAccess: attempted x2 w/ 22g Huber, needle could not enter septum\n"
                      "Volume instilled: none\nRefill status: NOT DONE - aborted\nRN: H. Grant, RN") == "none"
    assert _code(nlp, "Pump interrogation performed: reservoir 3.8 mL, no alarms.\nRefill attempt: 3 attempts with "
                      "22g Huber. Attempt stopped. No drug instilled.\nPlan: fluoroscopy-guided refill Thursday "
                      "with Dr. Liang. Pump settings unchanged.\nE. Brandt PA-C") == "62367"


def test_cosigner_who_reviewed_is_not_the_performer(nlp):
    text = ("Pump refill note\nAccessed w/ 22 ga Huber needle. Instilled 20 mL baclofen. Dose unchanged.\n"
            "A/P: refill completed.\nMaria Delgado, LPN\n\nCo-signature: I have reviewed the LPN's documentation "
            "above and did not perform the refill. -- Steven Hartwell, MD")
    assert _code(nlp, text) == "95990"
    performed = text.replace("and did not perform the refill", "and I personally performed the refill")
    assert _code(nlp, performed) == "95991"


def test_another_drugs_dose_change_is_not_reprogramming(nlp):
    assert _code(nlp, "IT pump since 2022, pocket intact. Pump not interrogated today.\n"
                      "A/P: pancrelipase dose increased with meals.") == "none"


def test_port_based_system_is_62360(nlp):
    assert _code(nlp, "Procedure: Placement of tunneled intrathecal catheter with implanted subcutaneous reservoir "
                      "(intrathecal access port).\nPort accessed with 22g Huber.\nNo pump implanted.") == "62360"


def test_refill_then_not_reprogrammed(nlp):
    assert _code(nlp, "I refilled the reservoir with 39 mL. Pump not reprogrammed. Done by B. Osei, NP.") == "95991"


def test_manufacturer_rep_alone_is_not_the_practices_service(nlp):
    alone = ("Ward RN note\nMedtronic rep (S. Delgado) came to bedside. Rep interrogated the pump on her own tablet: "
             "reservoir 14 mL, no alarms. Rep made no changes. No physician present; I did not operate the programmer.")
    assert _code(nlp, alone) == "none"
    directed = ("Flowonix rep was in clinic and operated the programmer under my direction while I examined pt; "
                "I reviewed the printout with the rep: reservoir 13.1 mL, no alarms. No pump changes today.\n"
                "B. Oyelaran, MD")
    assert _code(nlp, directed) == "62367"


def test_constant_flow_implant_named_with_commas(nlp):
    assert _code(nlp, "PROCEDURE: Implantation of constant-flow, non-programmable intrathecal infusion pump "
                      "(Codman 3000, 30 mL) with placement of tunneled intrathecal catheter.\nThe pump was filled "
                      "with 30 mL of morphine.") == "62361"


def test_orders_and_chaperones_are_not_performers(nlp):
    hospice = ("Hospice SN visit / IT pump refill\nIDT reviewed yesterday; hospice MD (Dr. Mahlangu) order: refill + "
               "increase IT hydromorphone 15%.\nRefill: template, non-coring needle. 20 mL in.\n"
               "Dose changed 2.0 -> 2.3 mg/day per order.\nR. Castellanos RN")
    assert _code(nlp, hospice) == "62369"
    physician = ("Present: Dr. Aoki (performing), MA chaperone.\nInterrogation reviewed by me: 6.0 mg/day.\n"
                 "Refill by me: template, Huber, 20 mL morphine 25 mg/mL instilled.\n"
                 "Decision: dose decreased 20% -> 4.8 mg/day.")
    assert _code(nlp, physician) == "62370"


def test_catheter_placed_by_another_service_on_a_date_is_history(nlp):
    doc = nlp("HAI pump refill (hepatic arterial infusion)\nCodman 3000 constant-flow pump, catheter placed in "
              "the hepatic artery (GDA) by surgical oncology 1/12. Cycle 3 FUDR via HAI.\nPump accessed w/ 22g "
              "non-coring needle; instilled FUDR, total 30 mL.\nN. Obi, RN")
    assert [s._.historical for s in doc.spans["pump"] if s.label_ == "CATHETER_WORK"] == [True]
    assert apply_rules(extract_facts(doc)).code == "96521-96523"


def test_stimulator_implant_without_programming_is_no_pump_service(nlp):
    implant = ("Procedure: T9 laminotomy with implantation of spinal cord stimulator paddle lead. Placement of "
               "rechargeable implantable pulse generator. Programming was not performed in the operating room.")
    assert _code(nlp, implant) == "none"
    assert _code(nlp, "Spinal cord stimulator interrogated; amplitude increased from 2.1 to 2.6 mA, new program "
                      "saved.") == "95970-95972"


def test_a_general_statement_about_the_device_is_no_reprogramming(nlp):
    assert _code(nlp, "NURSING REFILL NOTE - Constant-flow intrathecal pump\nDevice: Codman 3000 constant flow "
                      "(non-programmable) pump.\nNo electronic interrogation possible. Dose is adjusted by "
                      "concentration only; concentration unchanged.\nInstilled 30 mL morphine 4 mg/mL.\n"
                      "Refill performed by: Lisa Abernathy, RN") == "95990"


# Notes from the hand-written challenge parts that once failed, each with the code the rules page gives.
HARD_NOTES = [
    # part O: terse notes, templates, addenda
    # copied-forward history under a bracketed header, today's interval note separate
    ("Pain Mgmt f/u 04/22\nHPI [copied from 02/11 visit]: IT morphine pump. Pump refilled today, 18 mL instilled, "
     "dose increased to 2.4 mg/day.\nInterval 04/22: seen today for oral medication review only. Pump NOT accessed, "
     "interrogated or reprogrammed at today's visit.", "none"),
    ("f/u ITP. interrogated - res 14.2 mL, no alarms, HM 2 mg/mL @ 1.2 mg/d. incr to 1.4 mg/d, simple cont. "
     "no refill today (due 6/3). -J. Park NP", "62368"),
    ("ITB refill. Accessed w/ 22g Huber, 20 mL instilled. Pump interrogated. Dose increased to 325 mcg/day per "
     "order.\nR. Santos, RN\n\nAddendum: Dose was NOT changed today; previous entry in error. R. Santos, RN", "95990"),
    ("The pump was interrogate with programmer, reservoir is 9.5 ml. So we make increase of morphine dose from "
     "1.5 mg/day to 1.7 mg/day. The refill is not make today, is planned for next month.\nDr. Dragana Petrovic",
     "62368"),
    ("Brief op note. Proc: implant Prometra II programmable IT pump (new) + IT cath L1-2. Programmed 0.5 mg/day.",
     "62362"),
    ("Billing message to Dr. Sato from coding: claim for DOS 04/29 (ITP refill + reprogramming by LPN) was denied. "
     "No visit today - chart message only.", "none"),
    ("Pt here for pump check. Clinician programmer would not power on (battery fault). Pump NOT interrogated and "
     "NOT reprogrammed today. No refill due. -G. Wen RN", "none"),
    ("IDDS CHECK\nInterrogation: done w/ N'Vision programmer\nReservoir: 17.2 mL   Alarms: none\n"
     "Refill performed: [ ] Yes [X] No\nReprogrammed: Yes / (No)   (circle)\nPerformed by: J. Park, NP", "62367"),
    ("Procedure: intrathecal pump refill, performed by Dr. Émilie Tremblay (staff anaesthesiologist). 20 mL "
     "hydromorphone 5 mg/mL instilled. Dose 0.9 mg/day unchanged.", "95991"),
    # part P: credentials, cancellations, added drugs, plans
    ("PROCEDURE: Intrathecal pump refill with analysis\nPerformed by: Alicia Brandt, AGNP-C\nSynchroMed II "
     "interrogated. 20 mL instilled. Continue current settings - no change to daily dose.", "95991"),
    ("PERIOPERATIVE NOTE - CASE CANCELLATION\nScheduled procedure: Replacement of intrathecal pump.\nCase cancelled "
     "prior to induction. No incision. Pump not accessed.\nPump at ERI per 6/1 interrogation.", "none"),
    ("ITDD refill - drug admixture change\nInterrogated: SynchroMed II, morphine 3.0 mg/day, reservoir 6.6 mL.\n"
     "Emptied pump and instilled 20 mL morphine 20 mg/mL + clonidine 100 mcg/mL.\nProgrammer: drug list updated; "
     "clonidine started at 30 mcg/day, morphine unchanged.\nTamsin Howell, RN", "62369"),
    ("APS rounding note POD#2\nT6-7 thoracic epidural catheter, bupivacaine via external infusion pump.\n"
     "Hold enoxaparin per ASRA before catheter removal, anticipate removal POD#4.", "none"),
    ("Neurosurgery consult - pump replacement planning\nIT hydromorphone via SynchroMed II. Plan replacement at ERI, "
     "tentative 10/2025.\nNo procedure today.", "none"),
    # part Q: long notes, plans, outside records
    ("Pre-refill interrogation: reservoir 12.9 mL, Rx morphine 1.8 mg/day.\nRefill: template, 22 g Huber needle, "
     "removed 12.6 mL, instilled 40 mL.\nRx not changed today. Reprogramming (new bolus schedule) is planned for "
     "next visit per Dr. Valdez.\nRefill completed by A. Petrakis, RN", "95990"),
    ("Tel enc - post refill check (RN)\nPt's pump refilled yesterday in clinic by Dr. Ahn. Refill site \"little "
     "sore\", no redness. No pump adjustment made by phone.\nS. Kowal, RN", "none"),
    ("Dr. Osterhout called back: decrease bupivacaine by 20% at her next refill on 12/03; if weakness progresses "
     "before then, come in same day for interrogation and dose reduction. No change to pump today.\n"
     "K. Ferreira, RN", "none"),
    ("HPI: Her pump was most recently refilled by an outside facility on June 2nd; the records reviewed today show "
     "the reservoir was filled with 20 mL of hydromorphone. We did not interrogate, refill or reprogram the pump "
     "today.\nDictated by Dr. W. Pemberton.", "none"),
    ("PROCEDURE NOTE - Intrathecal baclofen screening trial (bolus)\nInjected 50 mcg baclofen.\nResult: positive "
     "trial, >50% reduction in spasms. No pump or catheter was placed today. Plan implant of a programmable ITB "
     "pump with neurosurgery.\nF. Aldana, MD", "none"),
    # parts R and S: flowsheets, consent visits, headings with findings
    ("Refill request: oxycodone 5 mg #60, last filled 4/2. Pt has IT morphine pump. Rx sent per Dr. Raman. "
     "Pump follow-up 5/12 unchanged.", "none"),
    ("IT PUMP VISIT - FLOWSHEET\nNurse: B. Kowalski, RN\nAnalysis: reservoir 5.1 mL, no alarms, 6.0 mg/day\n"
     "Residual withdrawn: 4.9 mL\nInstilled: 40 mL morphine 20 mg/mL\nNew Rx programmed: 5.4 mg/day (from 6.0 "
     "mg/day)\nReservoir vol entered: 40 mL", "62369"),
    ("Pump interrogated with the clinician programmer: reservoir 11.8 mL, no alarms.\nP: Dose increased 10% from "
     "310 to 341 mcg/day. Reservoir not accessed today; programmer recalculated low-reservoir date, refill now due "
     "06/24.\nHelen Kwan, MD", "62368"),
    ("Neurosurgery clinic - preoperative consent visit\nWe reviewed the procedure: reopening of the incision, removal "
     "of the old pump, placement of a new programmable pump, and programming to his current dose. He signed consent."
     "\nNo pump interrogation or refill was performed today.", "none"),
    ("Assessment: Medically optimized for pump replacement under general anesthesia. Pump was not interrogated at "
     "this visit.", "none"),
    ("A/P: Doing well after pump exchange yesterday. No pump interrogation today. Discharge home, refill per new pump "
     "date with RN clinic.\nJ. Ruiz, NP", "none"),
    ("S: intrathecal ziconotide started 3 weeks ago after pump implant.\nInterrogation (SynchroMed II): 1.2 mcg/day, "
     "reservoir 16.9 mL.\nA/P: Daily dose increased from 1.2 mcg/day to 1.5 mcg/day. No refill today.", "62368"),
    ("Pump interrogation at bedside: baclofen 2000 mcg/mL, 720 mcg/day, reservoir 15.8 mL, no alarms.\nAssessment: "
     "no evidence of pump malfunction by interrogation.\nPlan: No changes were made to the pump program and the "
     "reservoir was not accessed.\nPriyanka Sethi, MD", "62367"),
    # parts T and U: scanned forms, no-shows, dictated letters
    ("[SCANNED DOCUMENT - OCR TEXT]\nPump: Synchr0Med II\nlnterrogation printout attached: [X] yes\n"
     "Residua1 withdrawn: 3.2 mL\nVo1ume instilled: 2O mL    New reservoir vo1ume entered: 2O.O mL\n"
     "Dose changed: [ ] yes [X] no\nRefi11ed by: T. Nguyen, RN", "95990"),
    ("IT PUMP REFILL RECORD\nPt arrived: [ ] yes [X] no - N0 SH0W\nDose changed: ____\nComments: Called pt x2. "
     "Refill rescheduled 08/19.\nStaff: R. Lowe, RN", "none"),
    ("Dear Dr Chen,\nI interrogated the pump with the tablet programmer. There were no alarms. I have increased the "
     "daily dose from three hundred to three hundred and thirty micrograms per day, and the programmer has "
     "recalculated his refill date accordingly. The reservoir was not accessed today.\nDr M. Adeyemi, Consultant",
     "62368"),
    ("Of note, he has an intrathecal morphine pump, which was refilled at the community pain clinic the week before "
     "this admission. The pump was not interrogated, refilled or reprogrammed during this admission.\nFollow up: "
     "Pain clinic refill as already arranged.", "none"),
    # part V: cancellations, informants, other days, single boluses
    ("Sched note: pt cx'd 9/18 ITB refill d/t transportation, rebooked 9/21 w/ RN pump clinic. /jm", "none"),
    ("Telemetry: 180 mcg/day, reservoir 2.6 mL.\nRefill: Huber 22g, withdrew 2.5 mL, instilled 20 mL baclofen.\n"
     "Per Dr. Abara's verbal order (mom reports worse night spasms), daily dose increased to 198 mcg/day.\n"
     "Performed by: Janelle Ortiz, RN", "62369"),
    ("Phone - compounding pharmacy called re: pt's IT hydromorphone for 11/6 refill. Confirmed 10 mg/mL, order "
     "faxed.", "none"),
    ("MDM: No programmer available in ED - pump not interrogated. Pump team paged; plan interrogation and refill by "
     "pump team in AM after admission.", "none"),
    # parts W-Z: missed and weighed services, dispositions, flowsheets, other days, other lines
    ("ED: 40M, ITB pump, rebound spasms after a missed refill. Pump not interrogated here. Dispo: transfer to "
     "University ED for pump refill/eval.", "none"),
    ("RN: sent by Dr. Lee's office for a refill. Pump interrogated: reservoir 15 mL, no alarms. Refill not done - "
     "reservoir adequate; refilling now would waste drug. Rx unchanged.\nA. Cole, RN", "62367"),
    ("Pain clinic. Pump interrogated: reservoir as expected, no alarms. I did not change the dose; dose escalation "
     "would not be appropriate until the catheter is studied.\nB. Ray, MD", "62367"),
    ("Hospice case manager: IT pump refilled by M. Caine APRN in the home, 40 mL, morphine 4 mg/day. No hands-on "
     "visit today - chart work only.\nD. Poe, RN", "none"),
    ("IT PUMP REFILL\nChange ........ evening bolus (2200) discontinued per Dr. Raman order\nVol withdrawn: 2.9 mL\n"
     "Vol added: 20 mL\nPerformed by: L. Chen, RN", "62369"),
    ("Refill record\nInterrogation ...... Y\nResidual removed ... 3.3\nAmount instilled ... 20\n"
     "Dose change ........ NO\nRefill RN: A. Kowal", "95990"),
    ("ITB refill 10/14 - baclofen 2000 mcg/mL. Interrogated, no alarms. 3.3 mL out / 20 mL in. Rx same.\n"
     "-- J. Whit, RN", "95990"),
    ("IT PUMP REFILL FLOWSHEET\nPerformed by: [x] RN  [ ] MD/DO  [ ] NP/PA   Name: T. Greer, RN\n"
     "Pump interrogated: [x] yes\nVolume instilled: 40 mL\nRx change: [ ] yes [x] no\n"
     "Supervising MD on site: Dr. L. Castaneda", "95990"),
    ("Home visit: PICC care, dressing changed, each lumen flushed 10 mL NS. Also has IT pump, last refilled 11/20; "
     "not accessed today.\nM. Ochoa RN", "none"),
    ("Floor RN: ON-Q pain pump (elastomeric ball, adductor canal catheter) empty; catheter removed intact. "
     "Intrathecal baclofen pump not touched, next refill in May.\nS. Bea, RN", "none"),
    ("Hospice RN: CADD pump cassette changed (new 100 mL hydromorphone cassette). PICC flushed, dressing intact.\n"
     "R. Jay, RN", "96521-96523"),
    ("OP NOTE (scanned)\nPR0CEDURE: lmplantation of intrathecal drug delivery system. Prometra II filled with 20 mL. "
     "Catheter tunneled and connected. Pump sutured to fascia. Pump programmed 1.2 mcg/day.\nH. Vance MD", "62362"),
    ("Clinic: dx s/p ITB pump placement 2016. Gets pump refilled at PM&R q3mo. Here for gait training only.\n"
     "M. Dela, PT", "none"),
    ("LETTER OF MEDICAL NECESSITY\nI am requesting authorization for replacement of his intrathecal pump (62362); "
     "it reached its replacement indicator at his refill visit on 04/02/2024.\nP. Raman, MD", "none"),
    # parts AA-AD: blank form fields, habits and permissions, exported records, remote encounters, stimulators
    ("REFILL RECORD\nPRE-REFILL TELEMETRY [X] done  Alarms: none\nVolume withdrawn: 4.5 mL  Volume instilled: 40 mL\n"
     "PROGRAM CHANGES?   [X] No   [ ] Yes  -> new dose: ______\nPerformed by (print/sign): R. Castillo, LPN\n"
     "Reviewed: E. Haldane DO", "95990"),
    ("PROCEDURE NOTE - intrathecal pump refill\nPhysician: O. Haddad, MD\nPre-refill pump read: 1.2 mg/day, PTM "
     "disabled, no alarms.\nAspirated 3.6 mL residual. Injected 20 mL hydromorphone. Dose unchanged.\nO. Haddad, MD",
     "95991"),
    ("FLOWSHEET - IT PUMP REFILL\nPerformed by......... C. Diaz, LPN\nResidual aspirated... 2.4 mL\nVolume instilled..."
     ".. 20.0 mL\nComments: pt asked abt increasing dose for flares - Dr H will address at June visit; no changes "
     "made today.", "95990"),
    ("OBX|5|TX|ANALYSIS||interrogated pre-refill; alarms none\nOBX|6|NM|RESIDUAL_ML||6.0\nOBX|7|NM|INSTILLED_ML||40\n"
     "OBX|9|TX|PROGRAMMING||no change to daily dose\nOBX|11|TX|PERFORMED_BY||Hannah Sato, RN\n"
     "OBX|12|TX|ORDERING||Marcus Feld, MD", "95990"),
    ("DBS Programming Visit\nDevice check: impedances within range. Programming: amplitude increased L 3.0 -> 3.4 V. "
     "ITB pump was not interrogated at this visit.\nT. Achebe MD", "95970-95972"),
    ("PAIN FOLLOW UP\n** Pump procedure history (auto-populated from last procedure note): **\n  03/11 - IT pump "
     "refill, instilled 20 mL; performed by G. Tolliver RN.\n  12/17 - IT pump analysis & reprogramming "
     "(2.4 -> 2.6 mg/day).\nA/P: pump not interrogated or adjusted today.\nM. Feld, MD", "none"),
    ("SPASTICITY NP NOTE  DOS 05/05/2025\n--- Interval history (carried forward from 03/24/25 note) ---\nDose "
     "increased 300 -> 330 mcg/day. Refilled 3/24.\n--- end carried forward ---\nTelemetry: 330 mcg/day, no alarms."
     "\nRefill: performed by me. 6.0 mL removed, 20 mL baclofen added. No programming changes today.\n"
     "Y. Hart, APRN, CNP", "95991"),
    ("Dictation - facility rounds\nHer refill was done by our nurse on March 4. I interrogated the pump with the "
     "programmer and changed her to a multiple-rate program, new total 2.2 mg/day. She did not need a refill today."
     "\nK. Beau, MD", "62368"),
    ("TELEPHONE ENCOUNTER\nDaughter states pump alarming. Reviewed w/ Dr. Haddad - OK to move refill up. Scheduled "
     "for refill tomorrow.\nM. Cas, RN", "none"),
    ("NURSE TRIAGE LINE - call record\nCaller believes refill was \"supposed to be around now\". Advised to call the "
     "pain clinic in AM for a refill appointment.\n-- T. Lind RN", "none"),
    ("Telehealth Pain Follow-up (audio+video)\nPO oxycodone taper: down from 30 mg/day to 20 mg/day. IT pump: no "
     "alarms, last refill 4/2 per pt. No pump changes made today.\nO. Bel, PA-C", "none"),
    ("Hospice physician procedure: tunneled epidural catheter (placed 11/2024 by IR, external CADD) infected. CADD "
     "disconnected, cuff freed. Catheter withdrawn w/ gentle steady traction, removed completely, tip intact.\n"
     "Dr. Okon, MD", "62355"),
    ("DISCHARGE SUMMARY\nProcedures this admission: revision of VP shunt, proximal catheter replacement.\nITB: "
     "intrathecal pump left untouched; next refill due 11/30.", "none"),
    # parts AE-AH: first-person actions, equal before/after values, other drugs, spinal needles, portals, UK English
    ("Transcribed clinic note. Interrogation of the pump was performed with the clinician programmer. We discussed "
     "options and I increased the dose by 10% to 1.76 milligrams per day. She was not refilled today.\n"
     "A. Raman MD", "62368"),
    ("IT PUMP REFILL FLOWSHEET\nDaily dose (pre) ....... 6.0 mg/day\nDaily dose (post) ...... 6.0 mg/day\n"
     "Volume instilled ....... 40 mL\nPerformed by ........... L. Brennan, LPN", "95990"),
    ("Brief Op Note\nProcedure: 1) IT catheter placement; 2) implant programmable IT pump - SynchroMed II 20 mL\n"
     "Programming: priming bolus then 0.8 mg/day.\nDispo: oral methadone reduced 30->15 mg/day.\nA. Bel MD",
     "62362"),
    ("MyChart message - From patient: my pump refill is on the 12th, could I come the 5th instead?\nReply: we moved "
     "your refill to 11/5. -- Marisol, LPN", "none"),
    ("IT pump annual check. Refill done at home health? NO - refills here; last refill 5 wks ago.\nTelemetry: "
     "battery 14 months to ERI, no alarms. No reprogramming. No refill.\nP. Nat MD", "62367"),
    ("Procedure: lumbar puncture with intrathecal chemotherapy. 22g Quincke spinal needle L3-4, clear CSF. "
     "Methotrexate 12 mg in 6 mL instilled intrathecally. No reservoir/pump.\nS. Rah, MD", "none"),
    ("ITB screening trial. 22g Whitacre spinal needle L3-4, clear CSF. Baclofen 50 mcg in 1 mL injected over 1 min."
     "\nImpression: positive trial; refer for pump placement.\nL. Fer, MD", "none"),
    ("ITB clinic, consultant: pump interrogated, reservoir 3.2 ml. Accessed with 22G Huber by myself, 3.0 ml "
     "aspirated, topped up with 40 ml baclofen. Reservoir volume updated, nil change to prescription.\n"
     "H Marsh, Consultant", "95991"),
    ("Pre-op visit: at PM&R visit 9/12 the pump interrogation showed ERI (per Dr. Okafor's note). Plan: schedule "
     "replacement of programmable pump. No procedure today.\nT Brandt MD", "none"),
    ("** CORRECTED NOTE **\nReason for correction: the original note stated \"dose increased to 160 mcg/day.\" No "
     "change was made to the prescription at this visit.\nInterrogated, no alarms. Refill performed by me, 20 mL "
     "baclofen instilled. Dose remains 145 mcg/day.\nO. Mar, NP", "95991"),
    # parts AI-AL: copied-forward visits, options weighed, telemetry units, prescriptions, needles, stimulators
    ("ITB REFILL NOTE\nRefill performed by M. Oduya, RN.\nPrior visit copy forward:\n  \"10/15: dose increased from "
     "600 -> 660 mcg/day. Will reassess at refill.\"\nToday: mother reports dystonia improved.\nInterrogation: 660 "
     "mcg/day, no alarms.\nRefill: 5.5 mL residual withdrawn, 40 mL baclofen instilled. Prescription not changed "
     "today.\nM. Oduya, RN", "95990"),
    ("ITB REFILL (RN)\nCopy-forward from 07/10 (Dr. Whelan): \"Dose incr 250 -> 275 mcg/day.\"\n---\nTODAY 10/02:\n"
     "Pump interrog: 275 mcg/day, no alarms.\nRefill: 3.0 mL withdrawn, 20 mL baclofen placed.\nRx unchanged.\n"
     "H. Strand, RN", "95990"),
    ("IT opioid taper visit. Interrogation today: 1.2 mg/day, no alarms.\nA/P: dose reduced to 1.08 mg/day, "
     "programmed. No refill today. Discussed end goal: pump off -> explant vs leave at minimum rate; pt to decide "
     "later.\nK. Liu, NP", "62368"),
    ("ED NOTE\nPump interrogation NOT performed - no programmer in the ED. Oral baclofen given.\nDispo: admit SCI "
     "unit, telemetry.\nS. Kramer, MD", "none"),
    ("PAIN CLINIC F/U\nPump interrogated w/ clinician programmer: 300 mcg/day, reservoir 21 mL, no alarms. IT dose "
     "left unchanged.\n- Naloxone refilled.\n- Refill as scheduled 01/14/25.\nE. Naka, DO", "62367"),
    ("Procedure: right greater occipital nerve block. 25G needle, injected 3 mL 0.25% bupivacaine. Hx of ITB pump "
     "followed by rehab; pump not addressed today.\nE. Tran, MD", "none"),
    ("OUTPATIENT INFUSION NOTE\nIVIG via Alaris pump, rate titrated 0.5 -> 4 mg/kg/min per protocol. Note: pt has "
     "an intrathecal baclofen pump - not accessed here.\nR. Palm, RN", "none"),
    ("PAIN CLINIC NOTE\nHx: 69 yo F, IT morphine pump implanted 02/2018.\nInterrogation w/ clinician programmer:\n- "
     "ERI alarm active\n- Rx unchanged, no reprogramming performed\nPlan: schedule pump replacement.\n"
     "N. Greer, DO", "62367"),
    ("Pre-op H&P. Pump reached ERI per interrogation 4/22/2025 in pump clinic. Last refill 4/22. Plan replacement "
     "with a new SynchroMed II.\nO. Brandt, PA-C", "none"),
    ("DBS programming visit. Device (DBS): impedances normal. Programming: L GPi contact 1-/C+ 2.8 -> 3.2 mA, 60 "
     "us, 130 Hz. ITB pump not interrogated today.\nT. Ach, MD", "95970-95972"),
    # parts AM-AP: pharmacy records, orders, other disciplines, insurance talk, references to a later service
    ("CSP COMPOUNDING LOG\nProduct: morphine PF 20 mg/mL, intrathecal, QS 40 mL\nIntended use: IT pump refill kit\n"
     "Kit: 1 x 40 mL syringe, refill kit, 22g noncoring needle x2\nVerified by: A. Cast, PharmD", "none"),
    ("DELIVERY LOG Stop 6: ITB refill kit, cold chain tote. Rec'd by son. RN visit for refill tomorrow - kit left "
     "sealed.", "none"),
    ("Care Coordination Note\nReferral for home IT baclofen refills. Home refill covered under home infusion "
     "benefit? Submitted prior auth, pending.\n-- P. Venk, RN", "none"),
    ("SN VISIT -- IT refill + PTM adjustment\nOrders: (1) refill hydromorphone 20 mL -- Dr. Amanfo 7/1; (2) TO "
     "7/22 Dr. Amanfo via R. Delacroix NP: myPTM max activations 6 -> 8/day.\nInterrogated, no alarms.\nRefill: "
     "1.8 mL aspirated, 20 mL instilled.\nmyPTM max changed 6 -> 8 per day. Basal not changed.\nK. Asante, RN",
     "62369"),
    ("SW Psychosocial Assessment\nPt lives w/ husband and mother-in-law, who has a morphine pain pump that gets "
     "refilled at the pain clinic. Transportation application submitted.\nT. Oyel, LCSW", "none"),
    ("Cross-cover note\nConcern for ITB withdrawal. Clinician programmer on unit is locked in the office - could "
     "not interrogate pump tonight. Pump interrogation and XR pump series ordered for am.\nN. Kap, MD", "none"),
    ("NEUROSURGERY CONSULT - ED\nRecommendations: oral baclofen; pump to be interrogated in AM by the pump clinic "
     "team; possible CAP study after interrogation.\nN. Till, PA-C", "none"),
    ("Nurse note. ITB refill\nPump interrogated, no alarm. Withdrew 3.1 ml.\nrefill 20 ml baclofen.\nPump "
     "reprogrammed w/ new res volume 20 ml + new alarm date. daily dose same.\n-- B. Maier, RN", "95990"),
    ("MRI SAFETY SCREENING - Radiology RN\nImplants: SynchroMed II IT pump, MR conditional. Appointment made with "
     "the pain clinic same day for post-MRI interrogation.\nE. Now, RN", "none"),
    # parts AQ-AT: copied-forward lines, chief concerns, declined changes, corrected templates
    ("IT pump clinic\n[copied from 07/31/23]: Pump refilled today, 18 mL Infumorph instilled, residual 2.6 mL.\n"
     "Interrogation: 2.4 mg/day, no alarms.\nA/P: dose increased 2.4 -> 2.64 mg/day (10%), new settings confirmed. "
     "Refill appt made for 10/02.\nJ. Ray, FNP", "62368"),
    ("Pump interrogation\n - reservoir 22.6 mL (refilled 06/27/24), alarms: none\nA/P: changed to flexible dosing, "
     "programmed and verified. No refill today; next refill 09/24.\nK. Dunn, DO", "62368"),
    ("Clinic visit\nChief concerns (per pt): 1) heel wound 2) pump refill\nRefilled by me: 22 g Huber, 40 mL "
     "baclofen instilled. Spasticity - prescription unchanged. He declines dose increase today.\nO. Chau, MD",
     "95991"),
    ("Procedure: IT pump refill. Pump interrogated, reservoir refilled with 20 mL.\nA/P: IT pump - refilled today.\n"
     "ADDENDUM: the procedure section above was carried forward in error from the April template. The pump was "
     "NOT refilled at this visit and no interrogation was performed.\nH. Stein MD", "none"),
    # parts AU-BB: habits, other services' work, copied blocks, follow-up sections, prescription counts
    ("ED pain consult. Telemetry w/ our programmer: morphine 4.0 mg/day. Reservoir 20.1 mL, consistent w/ recent "
     "refill. No alarms.\nPump reprogrammed - morphine reduced 4.0 -> 3.0 mg/day.\nA. Rao, MD", "62368"),
    ("Portal msg. Pt: baclofen 10 mg tabs, #90, to CVS. Not on ITB.\nRefill sent, 90 tabs, 1 refill.\n"
     "K. Lee RN for M. Feld MD", "none"),
    ("Preop H&P. Scheduled: IT pump replacement (ERI). ERI alarm first noted 4/02/2025 at refill. Plan: proceed "
     "as scheduled.\nT. Ng, NP", "none"),
    ("ITB visit. Interrogation: reservoir 22 mL, no alarms.\nFlex schedule programmed and verified w/ printout: "
     "day 120 mcg/day, night 160 mcg/day.\nB. Cole PA-C", "62368"),
    ("Hospice admission. Devices: IT morphine pump - refilled and managed by Valley Pain. Hospice will not "
     "access the pump.\nM. Ruiz RN", "none"),
    ("Pump check. Pt had two dose increases in Jan/Feb without relief. Pump interrogated: 2.0 mg/day, reservoir "
     "14 mL, no alarms. No change to settings today; catheter study ordered.\nP. Iyer MD", "62367"),
    ("IT pump refill by physician. Interrogated, no alarms. Withdrew 3 mL, instilled 40 mL. Programming: enabled "
     "myPTM - 0.1 mg bolus, lockout 2 h.\nL. Chu MD", "62370"),
    ("Shunt clinic. VP shunt with programmable valve; also has an ITB pump.\nValve interrogated w/ Certas tool, "
     "setting 3; valve reprogrammed to setting 4.\nITB pump not assessed today.\nD. Kim, MD", "none"),
    ("Letter to school nurse: the pump is refilled in our clinic every few months; staff need not do anything "
     "with it.\nH. Cho, CPNP", "none"),
    ("Urgent pump check. Interrogated: ERI alarm active, reservoir 5 mL. Nothing reprogrammed. No refill today."
     "\nD. Park RN / H. Cho CPNP", "62367"),
    ("Wound care RN: NPWT dressing change to hip. IT pump pocket intact. Pump refill per pain clinic next wk.\n"
     "N. Hall RN", "none"),
    ("IT PUMP REFILL (NURSING)\n=== carried forward from 07/17 visit ===\nIT HISTORY:\n - 03/04 dose "
     "increased 1.0 -> 1.5 mg/day\n=== end carried forward ===\nTODAY: interrogated, no alarms. Residual 4 mL, "
     "20 mL instilled. Prescription not changed.\nR. Achebe, RN", "95990"),
    ("ITP refill - nursing. Pt question re: dose increase - message sent to Dr. O, no order to change dose today.\n"
     "Interrogated, res 6 mL. 40 mL instilled. Rx not changed.\nJ. Vega, LPN", "95990"),
    ("Post-op titration visit. Interrogated: 0.3 mg/day, res 18 mL. Dose increased to 0.4 mg/day. First refill "
     "anticipated ~6 wks.\nL. Ben, MD", "62368"),
    ("DISCHARGE SUMMARY\nHospital course: pneumonia, treated. Pump not accessed this admission.\nFollow up: "
     "PCP 1 wk; Atlantic Pain 03/17 for ITB refill.\nV. Ochoa MD", "none"),
    # parts BC-BF: parenthetical headers, status fields, checkbox rows, pain scores, order sets
    ("DISCHARGE SUMMARY\nHistory: CP w/ ITB pump, missed refill, withdrawal.\nProcedure (04/06/2024 21:30, ED) - "
     "IT pump refill and reprogramming by J. Lind, NP: 22g Huber, 0.3 mL residual, 20 mL baclofen instilled. "
     "Daily dose increased from 210 mcg/day to 240 mcg/day.\nB. Odu, MD", "62370"),
    ("Pain consult: pump check after MRI. Pump interrogated at bedside: motor resumed, reservoir 12 mL, no alarms."
     "\n - myPTM: enabled 0.25 mg bolus, max 4/day - unchanged\nNo reprogramming performed and no refill needed.\n"
     "K. Asa, MD", "62367"),
    ("IT PUMP REFILL + PROGRAMMING (RN)\nPump read - res 2.7 mL, no alarms.\nRefill - 2.5 mL withdrawn, 20 mL "
     "instilled.\nProgramming - flex schedule created: 2.0 mg/day basal + 0.1 mg bolus at 0700 and 1900.\n"
     "D. Oka RN", "62369"),
    ("Refill (me): pump read - res 2.4 mL, no alarm. Aspirated 2.2 mL, instilled 20 mL. Dose increase offered; "
     "pt declined -> daily dose left 3.5 mg/day.\nH. Bell, NP", "95991"),
    ("8/2/25 IPU. IT pump interrogated - res 10 mL, no alarms, 0.6 mg/d. Increased to 0.7 mg/day for pain 7/10. "
     "No refill. -D. Rask NP", "62368"),
    ("Hx: constant-flow pump placed 2019, no telemetry.\nProcedure: Exchange of intrathecal pump, non-programmable -> "
     "programmable. The constant-flow device was explanted and a new programmable pump "
     "(SynchroMed II 20 mL) was placed in the same pocket. Programmed 350 mcg/day.\nM. Ade, MD", "62362"),
    ("INTRATHECAL PUMP VISIT\nProvider: R. Cast, NP\nInterrogation:  [X] done  [ ] not done\nDose change:  "
     "[ ] increase  [ ] decrease  [X] no change\nRefill:  [X] yes  [ ] no\n   Volume added: 20 mL\n"
     "Performed by:  [ ] RN  [X] NP/PA  [ ] MD", "95991"),
    ("Flowsheet - Implanted Pump Maint\nTelemetry .............. done - alarms none\nVolume removed ......... "
     "4.0 mL\nVolume instilled ....... 40 mL\nPrescription change .... No\nPerformed by ........... J. Am LPN",
     "95990"),
    ("RN attempted refill: unable to access port. Refill aborted, nothing removed or added.\nMD note: interrogated "
     "pump, reservoir 4 mL. To prevent withdrawal before fluoro-guided refill can be done, reprogrammed daily dose "
     "525 -> 450 mcg/day.\nDr. F. Lopez", "62368"),
    ("Hospice NP visit attempt. IT morphine pump, planned today: refill + dose decrease. Pt refused both; pump "
     "NOT interrogated, NOT refilled, NOT reprogrammed.\nR. Acht NP", "none"),
    # parts BG-BJ: dictation, oncology devices, op templates, EHR exports
    ("Procedures today: IT pump analysis with reprogramming; trigger point injections x4.\nPump interrogated, "
     "reservoir 11 mL, no alarms. myPTM bolus increased from 10 mcg to 15 mcg.\nTrigger points: 1 mL of 0.25% "
     "bupivacaine injected into each of four bands.\nNo refill today.\nDr. Okafor", "62368"),
    ("INTERVAL HISTORY (carried forward from 02/12/2024 visit): at that visit the dose was increased from 180 "
     "mcg/day to 198 mcg/day.\n\nTODAY: interrogated, no alarms. Refill by J. Obi, RN: residual 3 mL, 20 mL "
     "instilled. No changes to prescription today.", "95990"),
    ("PROCEDURE: left L5-S1 epidural steroid injection. Pt has an IT morphine pump, managed elsewhere; pump not "
     "accessed or interrogated today. Tuohy needle, loss of resistance; 80 mg triamcinolone with 3 mL saline "
     "injected.\nDr. Iwu", "none"),
    ("Hx: 57F, IT morphine pump in a deep pocket; last 2 clinic refills failed.\n\nPump interrogated: 2.8 "
     "mg/day, reservoir 0.9 mL. Under fluoro: aspirated 0.8 mL residual, instilled 40 mL. Prescription "
     "unchanged.\nDr. R. Sokol (attending)", "95991"),
    ("NSGY POD#1 s/p IT pump implant. Doing well. IT morphine 0.5 mg/day as programmed in the OR - no changes.\n"
     "P: home today. Pump clinic 6 wks for titration/refill.\nP. Venk MD", "none"),
    ("Pre-op H&P. Pump interrogated in pain clinic on 4/30/25 by the pump RN, battery at end of service; "
     "reservoir refilled at that visit (20 mL).\nPlan: pump replacement 5/21.\nA. Whit MD", "none"),
    ("Flowsheet - IT pump refill\nPerformed by ......... C. Ruiz, LPN\nResidual withdrawn ... 3.0 mL\n"
     "Volume instilled ..... 20 mL\nDose change .......... N", "95990"),
    ("MEDICATION ADMINISTRATION RECORD\n05/14/2025 1025 Waste 4.1 mL IT pump reservoir G. Tell RN\n"
     "05/14/2025 1027 Administered 20 mL IT pump reservoir G. Tell RN\nPump telemetry (G. Tell RN): no alarms; "
     "dose unchanged.", "95990"),
    ("PROCEDURE TEMPLATE - IMPLANTABLE DRUG DELIVERY SYSTEM\nSurgeon: O. Whit, MD\nProcedure type:  [X] New "
     "implant  [ ] Replacement  [ ] Explant\nPump:  [X] programmable - Prometra II  [ ] fixed-rate\n"
     "Catheter: [X] new, tip T10", "62362"),
    ("Inpatient pain consult. Hydromorphone PCA started in ED; PCA demand 0.2 mg; PCA use high; continue PCA "
     "for now, PCA pump at bedside. Has IT morphine pump (SynchroMed II).\nPROCEDURE (bedside, 1/8 1420): "
     "Pump interrogated w/ clinician programmer. IT reservoir 22 mL.\n - Reprogrammed: IT morphine increased "
     "to 7.2 mg/day.\nDr. P. Venk", "62368"),
    ("HAI PUMP FILL - FUDR\nPump: hepatic arterial infusion pump, Codman 3000 constant-flow.\nAccessed w/ "
     "22g non-coring needle. Filled: FUDR + heparin in NS, total 30 mL.\nM. Olasz RN", "96521-96523"),
    # parts BK-BN: VA templates, lay wording, UK usage and decimal commas, peri-operative notes
    ("SCI PUMP REFILL NOTE\nPump interrogated, res 1.2 mL, low reservoir alarm. 40 mL baclofen 2000 mcg/mL "
     "instilled.\nProgrammed: bridge bolus per Medtronic protocol.\nAUTHOR: VANT,JEROME  RN", "62369"),
    ("Refill: 2.2 mL removed, 20 mL hydromorphone 10 mg/mL added.\nmyPTM turned ON - bolus 0.05 mg, lockout 4 h, "
     "max 4/day.\nA. Kowal RN", "62369"),
    ("Pain clinic: we interrogated the pump, reservoir 14 ml, no alarms. We changed the myPTM settings: bolus "
     "0,15 mg, lockout 3 h. The next filling is only on 08/10.\nDr M. Souza", "62368"),
    ("Refill 2,0ml out / 20ml in. PTM changed as per Dr Fonseca's prescription dated 02/10: bolus 0,15 mg, "
     "lockout 4 h.\nLina Sousa, RN", "62369"),
    ("APS note. PCA hydromorphone continued; PCA demand 0.2 mg; PCA use reviewed.\nIntrathecal pump "
     "interrogated at bedside, reservoir 14.2 mL, no alarms.\nA/P:\n1. PCA - continue.\n2. IT daily dose "
     "DECREASED 1.800 -> 1.500 mg/day, programmed and verified.\nDr. Ochoa", "62368"),
    ("IT PUMP RX CHANGE\nInterrogation ............ Y\nRx BEFORE .................. simple continuous 185 "
     "mcg/day\nRx AFTER ................... simple continuous 205 mcg/day\nRefill ................... N/A\n"
     "R. Lind, RN per order Dr. Ochoa", "62368"),
    ("Pre-op: res 14 mL; no alarms (interrogated 0655). Pump programmed to MINIMUM RATE mode (0.048 mL/day) "
     "effective 0705.\nDr. A. Nash (anesthesia)", "62368"),
    ("Hospice NP procedure. I emptied the reservoir (3.0 mL withdrawn) and filled with hydromorphone 10 mg/mL "
     "20 mL.\nReprogrammed: drug changed to hydromorphone; basal 1.6 mg/day, periodic boluses 0.1 mg.\n"
     "R. Vale, NP", "62370"),
    ("Office procedure: Codman 3000 constant-flow pump refill with concentration change. Pump emptied - 5.2 mL "
     "withdrawn. Refilled with 30 mL morphine 3.5 mg/mL = new dose 2.6 mg/day.\nDr. K. Hale", "95991"),
    ("Flowsheet\nStaff: EN A. Kowal, checked by RN C. Lim\nResidual removed: 5,8 mL\nAdded: 35 mL baclofen\n"
     "Dose change today: NO", "95990"),
    ("Neurology OPD. Letter received from St Mary's: pump refilled and dose increased from 180 to 200 mcg/day. "
     "Seen today for MS review only.\nDr P. Now", "none"),
    ("RN NOTE 0210: heparin gtt pump reprogrammed & double checked w/ charge RN. Pt also has IT baclofen pump, "
     "not touched.\nK. Voss RN", "none"),
    # parts BO-BR: teaching templates, pharmacy flowsheets, ED notes, rep-assisted visits
    ("[TEMPLATE] IT PUMP REFILL - APP\nProvider: K. Moss, NP\nInterrogation done, no alarms.\nVolume instilled: "
     "40 mL\nReprogramming: [x] Y - volume only (reservoir 40 mL, alarm date 07/01/25)\nDose change: [ ] increase"
     "  [ ] decrease  [x] none", "95991"),
    ("IT PUMP FLOWSHEET\nInterrogated ........ yes, no alarms\nVolume instilled .... 20 mL\nmyPTM bolus "
     "......... 0.10 mg -> 0.15 mg (Dr. Q phone order)\nPerformed by ........ T. Lee RN", "62369"),
    ("PM&R consult, ED. Interrogated: reservoir empty. Refill: 20 mL baclofen instilled by me. Because she's been "
     "without drug ~4-5 days, programmed a bridge bolus of 50 mcg over 1 hr.\nA. Oka MD", "62370"),
    ("Inpatient pain note. [copied from 6/2 clinic note] \"dose increased today from 3.0 to 3.3 mg/day, PTM bolus "
     "0.1 mg enabled.\" [end copied]\nToday: pump read, no alarms. Refill by me: 20 mL instilled. No changes.\n"
     "Dr. L. Ray", "95991"),
    ("Nursing note 2210: pt used her own handheld PTM (myPTM) for a pt-activated bolus - device showed dose "
     "delivered. Pain 4/10 at 2230. No RN/MD pump intervention.", "none"),
    ("PCP annual visit. Chronic pain on IT pump via Mercy Pain - states pump refilled and turned up a little "
     "there last Thurs; records requested.\nDr. O. Lee", "none"),
    ("URGENT PUMP VISIT. Interrogation: pump set to 500 mcg/mL. Outside refill records (faxed) show 20 mL of "
     "baclofen 1000 mcg/mL instilled. Action: Dr. H updated concentration to 1000 mcg/mL and set daily dose 240 "
     "mcg/day (reduced below prior 300 until tone returns).", "62368"),
    ("Pre-op H&P for ITB implant. ITB screening test 06/12/24: 50 mcg bolus w/ MAS reduction 4 -> 1 x 6 h.\n"
     "Plan: implant 7/15.\nDr. N. Ito", "none"),
    # parts BS-BV: present-tense teaching cases, addendum clarifications, multi-device MS clinics
    ("A registered nurse interrogates the pump (reservoir 16 mL, no alarms, 1.8 mg/day) and, because the patient "
     "reports 7/10 pain without sedation, increases the daily dose to 1.95 mg/day. The pump is not refilled.",
     "62368"),
    ("A 63-year-old man has an intraventricular morphine pump. Every four weeks the neurosurgeon refills it in "
     "clinic. Today Dr. Ames interrogates the device (residual 1.4 mL, no alarms), aspirates the residual, and "
     "instills 18 mL of morphine 1 mg/mL. The prescription stays at 0.35 mg/day.", "95991"),
    ("A man presents for a scheduled refill with the clinic LPN. The LPN interrogates the pump, removes the "
     "residual, and instills 40 mL of morphine. The physician replies that any dose change should wait until his "
     "visit next month. The LPN documents: no changes made to pump rx.", "95990"),
    ("A man whose intrathecal dose was increased twice over the past three months reports no benefit. She "
     "interrogates the pump: reservoir matches, no alarms. She makes no change to the settings.", "62367"),
    ("3.0 mL removed, 20 mL instilled. Refilled and reprogrammed. Tolerated well.\nD. Agu RN\n\nADDENDUM "
     "(D. Agu RN): Clarification re: \"reprogrammed\" above - I only entered the new reservoir volume. Infusion "
     "rate was NOT changed.", "95990"),
    ("Audit worksheet. Question for reviewer: does the record show a prescription change?\nPhysician note: "
     "\"ITB pump refilled by me. Removed 3.0 mL, instilled 40 mL. Daily dose unchanged.\"", "95991"),
    # parts BW-BZ: letters, nursing shorthand, scribe and abstraction formats
    ("Dear Dr. Lee, our nurse Bridget refilled her pump on 3 March, so she was not due for a refill today. I "
     "interrogated it: reservoir 14 mL, no alarms. Rather than put her total dose up, we changed her to a flexible "
     "schedule - 12 mcg/hour overnight, 8 mcg/hour by day.", "62368"),
    ("Colleen checked it with the programmer (no alarms) and refilled it, instilling 20 mL. With my agreement she "
     "also switched on patient-activated dosing on his myPTM: boluses of 0.02 mg.\nColleen Ward, RN", "62369"),
    ("Dear Dr. Ahmadi, I emptied the reservoir completely, rinsed it once with saline, and refilled it with 20 mL "
     "of hydromorphone 4 mg/mL. The pump was reprogrammed for the new drug at 1.2 mg/day.\nDr. A. Nwan", "62370"),
    ("ITB pump ck after fall. interrog: res 15.5, no alarm, 600 mcg/d. decr 10% to 540 mcg/d - Dr Fenn. no "
     "refill due", "62368"),
    ("TC w/ pt: pump refilled at St. Ann's pain ctr 4/10 while traveling, they also incr dose per pt. req "
     "records. next refill here 7/8", "none"),
    ("Patient is seen today for a 6-month pump review. The pump is interrogated: reservoir 5.8 mL, no alarms. "
     "The provider discusses increasing the dose by 10%; the patient prefers no change.\n- Dr. E. Vas",
     "62367"),
    ("Infusion Center - HAI pump refill. Pump: Codman 3000 constant-flow, with the catheter in the GDA.\n\nThe "
     "reservoir is accessed with a 22 g non-coring needle; residual 1.9 mL aspirated. The pump is filled with "
     "FUDR to 30 mL.\nPerformed by: I. Carv, RN", "96521-96523"),
    ("Home infusion visit: portable IV infusion pump (CADD) via PICC.\n- New 100 mL cassette (hydromorphone 2 "
     "mg/mL) attached and primed; pump settings unchanged.\nThe patient also has an intrathecal pump, refilled by "
     "the pain clinic two weeks ago.\nL. Beck, RN", "96521-96523"),
    # parts CA-CH: templates with dot leaders, addenda, telehealth spokes, ED and toxicology consults
    ("ITB titration visit. Pump interrogated.\n  current ....... 300 mcg/day\n  new ........... 320 mcg/day\n"
     "Refill ......... not today (next 2/02)\nIncreased as above, printout verified. M. Ode DO", "62368"),
    ("RN note. Pt came for her IT pump refill but declined needle access today; wants the refill under fluoro with "
     "the MD next week. Per pt's refill card the alarm date is 3/30.\nK. Lin RN", "none"),
    ("Procedure ....... Replacement, programmable intrathecal pump (ERI)\nOld device ...... removed\n"
     "New device ...... SynchroMed II 20 mL\nPhysician ....... A. Roe MD", "62362"),
    ("Pump refill by RN. Telemetry: 300 mcg/day, reservoir 3 mL, no alarms. 20 mL instilled. Dose change "
     "request - not an RN protocol item; prescription left at 300 mcg/day.\nB. Sal RN", "95990"),
    ("TELEHEALTH-ASSISTED PUMP REFILL - spoke clinic\nHub provider on video: Dr. Q. Ma\nHands-on: T. Ruiz RN\n"
     "Interrogation by RN: reservoir 3 mL, no alarms. Refill: 20 mL instilled. Dr. Ma observed technique via "
     "camera. Dose unchanged.", "95990"),
    ("IT PUMP REFILL - Dr. P. Oz\nInterrogated, res 2 mL. Refill performed by Dr. Oz, 20 mL in. Dose increased to "
     "1.5 mg/day.\nADDENDUM: Correction - the line \"Dose increased to 1.5 mg/day\" was carried over in error "
     "from a template. The prescription was NOT changed; dose remains 1.2 mg/day.", "95991"),
    ("Pump interrogated. Changes made today:\n- continuous rate 6.0 -> 5.4 mcg/hr\nNo refill performed.\n"
     "J. Tan NP", "62368"),
    ("CHIEF COMPLAINT: pump refill\n\nINTERVAL HX (copied from 03/01/2025 note, reviewed and updated): \"Pt seen "
     "for more pain. Pump interrogated. Dose increased from 2.0 to 2.2 mg/day.\" -- UPDATE 04/02/2025: pt reports "
     "the increase helped\n\nTODAY'S PROCEDURE - IT PUMP REFILL (performed by R. Dunn, FNP):\n Refill: residual 3 mL "
     "out, 20 mL instilled.\n Rate left at 2.2 mg/day - no changes made today.", "95991"),
    ("Pump: telemetry done, no alarms. Change: switched to FLEX dosing - basal 200 mcg/day unchanged + added "
     "periodic bolus 30 mcg at 06:00. No refill today.\nS. Bran PA-C", "62368"),
    ("ED note. IT pump refilled yesterday at an outside clinic; per pt the refill took a few tries. Pump site "
     "without swelling. Pump was NOT interrogated here.\nDr. K. Ali", "none"),
    ("Toxicology consult. Pt found unresponsive. Concern raised by EMS that pt accessed pump medication. Her "
     "grandmother has an intrathecal morphine pump.\nDr. N. Obi", "none"),
    ("COMMUNICATION NOTE\nTo: Dr. S via fax\nPt's intrathecal pump alarm date is 3/14. Requesting: order for home "
     "refill by agency RN; pharmacy for compounded refill.\nI. Brandt RN", "none"),
    ("Pump interrogation: reservoir 16 mL (consistent w/ 10/01 refill), no alarms. Procedure: pump reprogrammed, "
     "daily dose increased 4.0 -> 4.4 mg/day.\nL. Far DO", "62368"),
    # parts CI-CL: smart-phrase templates, CDI addenda, a pediatric spasticity program, a cancer-pain service
    ("Pump check\nService today: [x] interrogation  [x] reprogram  [ ] refill   <- smartphrase default\n"
     "Interrogation: 250 mcg/day, reservoir 11 mL, no alarms. NOT reprogrammed today; settings left unchanged.\n"
     "G. Tan, MD", "62367"),
    ("Post-MRI pump check - RN\nInterrogation: [x] done   Refill: [ ] done   Reprogram: [ ] done\nMotor resumed "
     "normal function, 245 mcg/day unchanged, reservoir 12 mL. No changes made.\n- A. Nwa, RN", "62367"),
    ("*** CORRECTED NOTE ***\nReason for correction: procedure section auto-populated from the refill "
     "smart-template; the refill did not occur.\nPt left before being roomed. The pump was not interrogated.\n"
     "[Struck from original: \"Pump refilled with ziconotide, 20 mL. Tolerated well.\"]\nL. Had, MD", "none"),
    ("Resident note. Interrogation: reservoir 3 mL, no alarms, 2.0 mg/day. Template, 22g Huber, aspirated 3 mL, "
     "instilled 20 mL.\nAddendum in response to query dated 06/27 (\"HPI states dose increased from 1.8 to 2.0 mg/day "
     "- was the dose changed at this encounter?\"): No. The dose increase was made at an earlier visit; no "
     "reprogramming today.\nR. Bhat, MD", "95991"),
    ("Office visit. We did not interrogate or access the pump today.\nPlan:\n- Schedule pump replacement at ERI.\n"
     "- Refill in our main clinic if surgery delayed.\nS. Lem, MD", "none"),
    ("PROCEDURE NOTE -- Intrathecal trial\nDOS 02/03/2025    Physician: D. Far, MD\n\nProcedure: single-shot "
     "intrathecal morphine trial (lumbar puncture), screening for implantable pump.\nL3-4, 25g spinal needle, clear "
     "CSF, 0.25 mg PF morphine injected. No catheter, no pump, no device placed.\nAssessment: positive trial. Plan: "
     "schedule implantation of programmable IT pump (SynchroMed II) - pending psych clearance and insurance auth.\n\n"
     "Attestation: I was present for the entire procedure. D. Far, MD", "none"),
    ("ITB PUMP VISIT\nInterrogation: res vol 19.8 mL | alarms: none\nPrescription on arrival: periodic bolus 60 mcg "
     "x4/day + basal 300 mcg/day (total 540 mcg/day)\nPrescription on departure: simple continuous 540 mcg/day\n"
     "Refill: no - not due\nPerformed by: J. Cas, PA-C", "62368"),
    ("ITB FLOWSHEET\nPerformer: T. Ngo RN\nPre-interrogation: res 1.9 mL | rx 300 mcg/day\nResidual out: 1.9 mL   "
     "Volume in: 20 mL\nDose: 300 -> 320 mcg/day per standing titration protocol (order set \"ITB titration - "
     "growth\", signed Dr. Feld)", "62369"),
    ("Pump: interrogated, no alarms. Plan: dose increased 1.6 -> 1.8 mg/day simple continuous. Reservoir fine; "
     "refill stays as scheduled (6 wk).\n--- K. Tan, NP", "62368"),
    ("OP REPORT - pump erosion. Staged approach: remove pump today, keep catheter, re-implant pump when nutrition "
     "allows.\nToday: eroded skin excised, pump explanted, capsule debrided. Catheter capped and left in situ.\n"
     "Dr. R. Oka", "62365"),
    ("Procedure: Removal of tunneled intrathecal trial catheter. 4-day externalized IT trial (morphine 0.3 -> 0.5 "
     "mg/day + bupi) via tunneled catheter placed 4/8, minimal benefit. Catheter removed at bedside, withdrawn "
     "intact.\nDr. A. Lind", "62355"),
    # part CN: unproofread voice-recognition dictation
    ("Pump follow up back pain same. Pump inter rogated with the clinician program her residual twelve mL no alarms "
     "morphine one point eight milligrams per day. Pump was re programmed scratch that pump was not re programmed "
     "settings unchanged no re fill today", "62367"),
    ("brief op note procedure today implantation of a Codman scratch that I mean a synchro med two forty mL "
     "programmable pump with a new intrathecal catheter good CSF flow pump filled with hydro morphine initial "
     "program zero point eight milligrams per day", "62362"),
    ("Pump visit. intrathecal back loafing pump placed twenty twenty one spasms at night Ashworth three. Pump tele "
     "metry read reservoir fourteen mL no alarms. After discussion dose was increased from two hundred fifty to two "
     "hundred seventy five mics per day. Did not re-fill today", "62368"),
    ("ITB follow up pro metra pump. Pro metra inter rogated reservoir nine mL no alarms two hundred mics per day flat "
     "rate I added a periodic flex dose of forty mics over one hour starting at ten PM. Her next refill is scheduled "
     "in three weeks not done today", "62368"),
    ("patient says her PTM is not giving her enough. Pump inter rogated with the tablet reservoir twenty one mL alarms "
     "none PTM log reviewed plan was discussed and the PTM bolus was changed from fifty mics to seventy five mics. "
     "Next re-fill is in five weeks not today", "62368"),
    # parts CM-CT: rehab, nursing homes, claims reviewers, neurosurgery, nurse refill clinics, hospitalists
    ("PM&R ATTENDING DAILY NOTE\nSubjective: per RN overnight, spasms w/ repositioning. Nursing: 1 episode of "
     "hypoglycemia.\nMeds: apixaban 2.5 BID, dose-reduced for age/Cr.\nProcedure: ITB refill - done by me at "
     "bedside. Interrogation: 190 mcg/day, low res alarm. 22g Huber; removed 1.4 mL; instilled 40 mL. Alarm date "
     "updated, no change in prescription.", "95991"),
    ("IT PUMP FLOWSHEET\nClinician: A. Rus, NP\nTelemetry performed: Y\nReprogram: Y -- daily dose decreased "
     "clonidine 100 -> 75 mcg/day\nRefill performed: N (not due)\nResidual withdrawn: --\nVolume instilled: --",
     "62368"),
    ("INTRATHECAL PUMP SERVICE RECORD\nStaff: D. Fair, RN\n[X] Interrogation   [X] Refill   [X] Reprogram\n"
     "Before: 265 mcg/day simple continuous\nAfter: flex -- basal 265 mcg/day + 30 mcg bolus 0500 daily\n"
     "Residual removed: 2.8 mL\nVolume instilled: 20 mL", "62369"),
    ("ITB refill\nPerformed by R. Quin, LPN\nTelemetry: 100 mcg/day, res 3.0 mL. Refill: 22g Huber, instilled 20 "
     "mL.\nAlso per Dr. Fitz order placed this AM: daily dose decreased to 90 mcg/day. Programmed and verified.",
     "62369"),
    ("IME ADDENDUM\nQuestion 3: Is the requested pump refill by a physician necessary? Answer: Routine refill can be "
     "performed by trained nursing staff.\nThis addendum is based on records only.", "none"),
    ("OPERATIVE REPORT\nPROCEDURE: Revision of tunneled intrathecal catheter (replacement of pump segment, splice "
     "at lumbar anchor), without laminectomy. Pump not replaced.\nThe pump was not refilled; no prescription "
     "change.", "62350"),
    ("Brief Operative Note\nProcedure: Removal of SynchroMed II programmable pump and conversion to constant-flow "
     "pump (non-programmable), R abdomen.\nOld pump removed. New constant-flow pump filled with baclofen.", "62361"),
    ("PRE-OPERATIVE H&P\nHPI: ITB pump, last refilled 1/30 by RN clinic. ERI noted at that refill. No recent dose "
     "changes.\nPlan: tomorrow - explant SynchroMed II and implant new SynchroMed II.", "none"),
    ("--- prior entries (copied fwd) ---\n5/20 refill, no change 1.8 mg/d\n8/12 refill + dose up 1.8 -> 2.0 mg/d by "
     "NP\n--- 11/4 ---\nLPN refill. Interrog: no alarms. 3.4 mL withdrawn, 20 mL in. Rx same 2.0 mg/d.\nT. Oka LPN",
     "95990"),
    ("IMPLANT \u2014 Prometra II, intrathecal\nProcedure (A. Naka MD): Tuohy L2-3, catheter advanced to T8, "
     "anchored. Tunneled to L abd pocket. Programmed: 5 mg/mL, 0.5 mg/day.", "62362"),
    ("Post-op dose restore - NP\nS/p lap chole; per pre-op plan pump was cut 50% by anesthesia (0.5 -> 0.25 mg/d).\n"
     "Interrogated: 0.25 mg/d, no alarms.\nRestored to 0.5 mg/d, verified on printout.\nRefill not due.\nJ. Alv NP",
     "62368"),
    ("OP NOTE\nProcedure: replacement - Codman 3000 explanted, SynchroMed II 20 mL placed same pocket.\nA. Naka MD",
     "62362"),
    ("OR brief op\nProc: IT catheter L1-2, CSF flow +; tunnel R abd\nPump: SynchroMed II 20 mL, prepped per IFU "
     "(warmed/ sterile water out/ filled 20 mL morphine)\nProg: 0.3 mg/d\nSurgeon: E. Obi MD", "62362"),
    ("HOSPITALIST PROGRESS NOTE - HD#3\nInterval: spasms less.\nHD1 (11/12): PM&R at bedside, pump interrogated, "
     "reservoir refilled w/ baclofen 20 mL; dose left at 410 mcg/day.\nA/P: withdrawal improving, no pump changes "
     "today.", "none"),
    ("PAIN CONSULT (ICU)\nQ: pt w/ IT pump found down - r/o pump malfunction / refill error (pocket fill)?\nPump "
     "interrogated (me): 7.5 mg/day, no programming changes. Prescription unchanged; reservoir not accessed.\n"
     "-- C. Naka, MD", "62367"),
    ("IT PUMP REFILL - RN\nInterrogation pre-refill: 2.5 mg/day, reservoir 2.0 mL. 22G noncoring needle, 20 mL "
     "instilled.\nPump \"reprogrammed\" with new reservoir volume (20.0 mL) and low reservoir alarm date only - "
     "daily dose unchanged.\nL. Mor, RN", "95990"),
    # parts CU-CX: a spine clinic, a border-region clinic, rural outreach, after-hours call
    ("Post-op visit, spine clinic. IT pump: SynchroMed II interrogated, no alarms. Per Dr. Hel (agrees) myPTM bolus "
     "changed to 0.03 mg, lockout 3 h.\nPlan: PT. Refill stays w/ pain svc (due ~6 wk).\nT. Lind PA-C", "62368"),
    ("Dear Dr. Hel,\nI interrogated his SynchroMed II pump today: 3.2 mg/day, reservoir 24 mL, no alarms.\nAs we had "
     "discussed, I converted him to flex dosing: 07:00-19:00 at 3.8 mg/day and 19:00-07:00 at 2.6 mg/day.\nI did "
     "not refill the pump.\nM. Cast, MD", "62368"),
    ("IMPLANT RECORD\nProcedure performed: REPLACEMENT -- intrathecal drug infusion pump, programmable\n"
     "Explanted: SynchroMed II, implanted 03/2016\nImplanted: SynchroMed II (new)\nSurgeon: Dr. R. Oka", "62362"),
    ("Refill visit (LPN)\nPump interrogated: no alarms. Accessed w/ 22 g non-coring needle, 40 mL baclofen "
     "instilled. Updated reservoir volume. Nothing else changed -- daily dose stays 612.\n-- D. Oli, LPN", "95990"),
    ("SAME-DAY VISIT\nInterrogation: low reservoir alarm; reservoir 2.4 mL. Refill cannot be done today -- no drug "
     "on hand.\n- Reprogrammed: daily dose decreased 600 -> 480 mcg/day to stretch the reservoir.\nJ. Gar, MD",
     "62368"),
    ("OP REPORT -- explant, eroded intrathecal pump\nProcedure: Explant of intrathecal pump. Pump removed from "
     "pocket.\nNew pump NOT placed today -- plan re-implant in 6-8 wks.\nH. Sal, MD", "62365"),
    ("ITB refill + programming -- L. Cav, NP\nPump interrogated: 280 mcg/day. Refill by me: 22g Huber, 20 mL "
     "instilled.\nProgramming: periodic bolus 40 mcg at 0500 daily added (continuous 280 unchanged; total 320 "
     "mcg/day).", "62370"),
    ("PRE-OP H&P\nPlanned procedure (9/19): replacement of SynchroMed II at ERI.\nHPI: ERI alarm first appeared "
     "at her 9/4 refill visit; pump was refilled then.\nPlan: pump replacement tomorrow.\nR. Oka, FNP-C", "none"),
    ("Night consult -- MICU\nInterrogated: reservoir 18 mL, 560 mcg/day, no alarms.\nReprogramming (bolus/increase) "
     "was considered but deferred to the day team -- no changes made. Refill not due.", "62367"),
]


@pytest.mark.parametrize(("text", "code"), HARD_NOTES)
def test_hard_notes_from_the_challenge_parts(nlp, text, code):
    assert _code(nlp, text) == code


@pytest.mark.parametrize("text", [
    "Records reviewed. Nothing performed here.",
    "Orders placed for interrogation after the MRI. Nothing done w/ pump today.",
    "No hands-on visit today - chart work only.",
    "LETTER OF MEDICAL NECESSITY",
])
def test_statements_that_no_service_happened_in_this_encounter(nlp, text):
    doc = nlp(text)
    assert {s.label_ for s in doc.spans["pump_attrs"]} & {"CANCELLED", "NON_VISIT"}
