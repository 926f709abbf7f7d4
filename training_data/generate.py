#!/usr/bin/env python3
"""Generate labelled synthetic clinical notes about implanted intrathecal/epidural/brain drug pumps.

Why this exists: the classifier needs thousands of diverse notes whose labels are right by
construction. Labels are therefore never read off the text: a *scenario* (what happened in THIS
encounter: services, device, drug, route, performer, note type) is sampled first, the decision,
`facts` and `rules` are derived from it with the rules page (shared/domain/coding-rules.md), and
only then is text composed from interchangeable phrasings, distractors that can not change the
label (history, plans, negations, hypotheticals, look-alike devices in other problems), and noise.

Evidence: deciding phrases are wrapped in invisible markers inside the templates. Noise (typos,
casing, whitespace, transcription commas) is applied to the marked text; the markers are stripped
last, so every `evidence` string is an exact substring of the final `text`.

Facts convention (SCHEMA.md leaves two points open, decided here):
- facts describe what was done in this encounter to the device that is the subject of the note; when
  that device is a look-alike (stimulator, insulin pump, hepatic pump, port ...) `lookalike` names it
  and `route` is null, so e.g. a hepatic pump refill has refill=true, lookalike="hepatic";
- programming at implant is part of the implant (rule 4): implant notes keep analysis/reprogramming
  false; `implant` is true for initial implants and replacements (a new pump was placed);
- `programmable` is only set when a pump is placed (SCHEMA: null when no device placed); a
  subcutaneous reservoir (62360) is not a pump, so implant=false, programmable=null there.

Reproducible: one `random.Random(seed)` drives everything; no clock, no set iteration.
Usage: python training_data/generate.py --n 6000 --seed 13 --out training_data/generated.jsonl
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import random
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TypeVar

T = TypeVar("T")

EV_OPEN = "\u27e6"  # evidence markers; never appear in real text, stripped before output
EV_CLOSE = "\u27e7"

# ---------------------------------------------------------------------------------------------
# Label distribution: ~45% the three ranked codes (4 values, balanced), ~55% everything else.
# ---------------------------------------------------------------------------------------------
DECISION_WEIGHTS: tuple[tuple[str | None, float], ...] = (
    ("62362", 11.25),
    ("62368", 11.25),
    ("95990", 11.25),
    ("95991", 11.25),
    ("62367", 6.0),
    ("62369", 5.5),
    ("62370", 5.5),
    ("62361", 3.0),
    ("62365", 3.0),
    ("62360", 2.0),
    ("62350", 2.5),
    ("62351", 1.5),
    ("62355", 2.0),
    ("95970-95972", 3.5),
    ("96521-96523", 3.5),
    (None, 17.0),
)

NOTE_TYPES: tuple[str, ...] = (
    "clinic_soap", "nursing_refill", "telephone", "op_report", "discharge", "h_and_p",
    "procedure_note", "flowsheet", "transcription", "consult", "other",
)

# Note types per scenario family, with weights (telephone only where nothing can be performed).
NT_REFILL = (("clinic_soap", 3.0), ("nursing_refill", 3.0), ("procedure_note", 2.5), ("flowsheet", 2.0),
             ("transcription", 1.2), ("consult", 0.8), ("discharge", 0.6), ("other", 0.9), ("h_and_p", 0.3))
NT_ANALYSIS = (("clinic_soap", 4.0), ("procedure_note", 2.0), ("flowsheet", 1.5), ("transcription", 1.0),
               ("consult", 1.2), ("discharge", 0.6), ("other", 0.8), ("h_and_p", 0.4), ("nursing_refill", 0.8))
NT_SURGERY = (("op_report", 5.0), ("procedure_note", 1.5), ("transcription", 1.8), ("discharge", 1.2))
NT_STIM = (("clinic_soap", 3.0), ("procedure_note", 2.0), ("consult", 0.6), ("flowsheet", 1.0),
           ("transcription", 0.7), ("other", 0.5))
NT_OTHER_ROUTE = (("nursing_refill", 2.5), ("flowsheet", 1.5), ("procedure_note", 1.5), ("clinic_soap", 1.5),
                  ("transcription", 0.5), ("other", 0.5))

NULL_FLAVOURS: tuple[tuple[str, float], ...] = (
    ("history_only", 3.0), ("planned", 2.0), ("deferred", 2.0), ("cancelled", 1.0), ("negated", 1.2),
    ("hypothetical", 1.0), ("other_person", 0.8), ("trial", 1.2), ("telephone", 1.5), ("site_check", 0.8),
    ("insulin", 1.0), ("pca", 0.8), ("iv", 0.5), ("wound_vac", 0.4), ("cardiac", 0.6), ("esi", 0.5),
)

# ---------------------------------------------------------------------------------------------
# Vocabulary
# ---------------------------------------------------------------------------------------------
FIRST_NAMES = (
    "Maria", "James", "Aisha", "Robert", "Linda", "Wei", "Carlos", "Priya", "Thomas", "Fatima", "Kevin",
    "Grace", "Daniel", "Olga", "Samuel", "Nina", "Jorge", "Emily", "Andre", "Hannah", "Tomasz", "Keisha",
    "Brian", "Mei", "Rachel", "Omar", "Sofia", "Paul", "Yolanda", "Derek", "Beth", "Luis", "Ingrid", "Raj",
)
LAST_NAMES = (
    "Alvarez", "Chen", "Okafor", "Smith", "Patel", "Nguyen", "Johnson", "Kowalski", "Garcia", "Brennan",
    "Haddad", "Lindqvist", "Moore", "Tanaka", "Rivera", "Schultz", "Ibrahim", "Walsh", "Dubois", "Kim",
    "Novak", "Osei", "Fischer", "Reyes", "Murphy", "Goldberg", "Singh", "Castillo", "Abernathy", "Yamamoto",
    "Petrov", "O'Neill", "Baptiste", "Lund", "Hernandez", "Whitfield",
)
# (role as written, weight); the class decides 95990 vs 95991 and 62369 vs 62370
STAFF_ROLES = (("RN", 10.0), ("RN, BSN", 2.0), ("BSN, RN", 2.0), ("LPN", 3.0), ("CMA", 0.8), ("clinic tech", 0.6))
QHP_ROLES = (("MD", 10.0), ("DO", 4.0), ("NP", 4.0), ("APRN", 1.0), ("FNP-C", 1.0), ("PA-C", 3.0), ("PA", 0.8))
DOCTOR_ROLES = ("MD", "DO")


@dataclass(frozen=True)
class DeviceSpec:
    """A pump model: names, whether it is programmable, its programmer and reservoir sizes."""

    key: str
    names: tuple[str, ...]
    programmable: bool
    programmers: tuple[str, ...]
    sizes: tuple[int, ...]
    maker: str


DEVICES: dict[str, DeviceSpec] = {
    "synchromed2": DeviceSpec(
        "synchromed2",
        ("SynchroMed II", "Medtronic SynchroMed II", "SynchroMed II pump", "Synchromed II", "SynchroMed 2",
         "SM II", "Medtronic SynchroMed II programmable pump"),
        True,
        ("clinician programmer", "Medtronic clinician programmer", "CT900 tablet programmer",
         "tablet programmer", "Medtronic tablet", "A810 clinician programmer app", "N'Vision programmer"),
        (20, 40), "Medtronic"),
    "synchromed": DeviceSpec(
        "synchromed", ("SynchroMed", "SynchroMed EL", "Medtronic SynchroMed"), True,
        ("N'Vision", "8840 N'Vision clinician programmer", "N'Vision programmer"), (18, 20), "Medtronic"),
    "prometra2": DeviceSpec(
        "prometra2", ("Prometra II", "Flowonix Prometra II", "Prometra II programmable pump", "Prometra 2"), True,
        ("Prometra programmer", "Flowonix clinician programmer", "Prometra tablet programmer",
         "Prometra II programmer"), (20, 40), "Flowonix"),
    "prometra": DeviceSpec(
        "prometra", ("Prometra", "Flowonix Prometra", "Prometra pump"), True,
        ("Prometra programmer", "Flowonix programmer"), (20,), "Flowonix"),
    "codman3000": DeviceSpec(
        "codman3000", ("Codman 3000", "Codman 3000 constant-flow pump", "Codman model 3000",
                       "Codman 3000 (constant flow)"), False, (), (16, 30, 50), "Codman"),
    "isomed": DeviceSpec(
        "isomed", ("IsoMed", "Medtronic IsoMed constant-flow pump", "IsoMed constant flow pump"), False, (),
        (20, 35), "Medtronic"),
}
PROGRAMMABLE_KEYS: tuple[tuple[str, float], ...] = (
    ("synchromed2", 7.0), ("synchromed", 1.0), ("prometra2", 2.0), ("prometra", 0.8))
FIXED_KEYS: tuple[tuple[str, float], ...] = (("codman3000", 2.0), ("isomed", 1.0))

PUMP_TERMS_IT = ("IT pump", "intrathecal pump", "IDDS", "ITDD", "intrathecal drug delivery system", "pump",
                 "pump", "intrathecal drug pump", "implanted pump", "TDD pump", "IT drug pump")
PUMP_TERMS_BACLOFEN = ("ITB pump", "baclofen pump", "intrathecal baclofen pump", "ITB pump", "ITB system")
PUMP_TERMS_PAIN = ("pain pump", "IT pain pump", "intrathecal pain pump", "pain pump")
PUMP_TERMS_EPIDURAL = ("epidural pump", "implanted epidural pump", "epidural drug pump", "pump", "epidural infusion pump")
PUMP_TERMS_ICV = ("intraventricular pump", "ICV pump", "intraventricular drug pump", "intraventricular pump", "pump")


@dataclass(frozen=True)
class DrugSpec:
    """An infused drug: names as written, unit, concentrations, typical daily dose range."""

    key: str
    names: tuple[str, ...]
    unit: str  # "mcg" or "mg"
    concs: tuple[float, ...]
    dose_lo: float
    dose_hi: float
    kind: str  # "spasticity" or "pain"


DRUGS: dict[str, DrugSpec] = {
    "baclofen": DrugSpec("baclofen", ("baclofen", "Lioresal", "Gablofen", "Lioresal Intrathecal", "PF baclofen",
                                      "baclofen"), "mcg", (500, 1000, 2000, 2000, 3000), 60, 900, "spasticity"),
    "morphine": DrugSpec("morphine", ("morphine", "Infumorph", "PF morphine", "preservative-free morphine",
                                      "morphine", "MSO4"), "mg", (10, 20, 25, 30), 0.5, 12, "pain"),
    "hydromorphone": DrugSpec("hydromorphone", ("hydromorphone", "Dilaudid", "PF hydromorphone", "hydromorphone",
                                                "HM"), "mg", (2, 5, 10, 15, 20), 0.2, 6, "pain"),
    "ziconotide": DrugSpec("ziconotide", ("ziconotide", "Prialt"), "mcg", (25, 100), 0.5, 10, "pain"),
    "fentanyl": DrugSpec("fentanyl", ("fentanyl", "PF fentanyl"), "mcg", (250, 500, 1000), 50, 600, "pain"),
    "sufentanil": DrugSpec("sufentanil", ("sufentanil",), "mcg", (25, 50, 100), 5, 150, "pain"),
    "bupivacaine": DrugSpec("bupivacaine", ("bupivacaine", "PF bupivacaine", "Marcaine"), "mg", (10, 15, 20, 30),
                            2, 30, "pain"),
    "clonidine": DrugSpec("clonidine", ("clonidine", "Duraclon"), "mcg", (100, 500, 1000), 20, 300, "pain"),
}
IT_DRUG_WEIGHTS = (("baclofen", 45.0), ("morphine", 18.0), ("hydromorphone", 15.0), ("ziconotide", 6.0),
                   ("fentanyl", 6.0), ("sufentanil", 3.0), ("bupivacaine", 2.0), ("clonidine", 1.5))
EPIDURAL_DRUG_WEIGHTS = (("morphine", 4.0), ("hydromorphone", 3.0), ("bupivacaine", 1.5), ("fentanyl", 1.5),
                         ("clonidine", 1.0))
ICV_DRUG_WEIGHTS = (("morphine", 3.0), ("baclofen", 2.0))
ADJUVANTS = ("bupivacaine 10 mg/mL", "bupivacaine 15 mg/mL", "clonidine 100 mcg/mL", "clonidine 200 mcg/mL",
             "bupivacaine 20 mg/mL")

INDICATIONS_SPASTICITY = (
    "spasticity due to multiple sclerosis", "MS-related spasticity", "spastic diplegia from cerebral palsy",
    "spastic quadriplegic CP", "spasticity after C6 SCI (ASIA B)", "T4 complete SCI with severe spasticity",
    "TBI-related spasticity", "post-stroke spasticity", "generalized dystonia", "stiff person syndrome",
    "hereditary spastic paraparesis", "severe lower-extremity spasticity (SPMS)",
)
INDICATIONS_PAIN = (
    "failed back surgery syndrome", "FBSS", "chronic low back pain with lumbar radiculopathy", "CRPS of the RLE",
    "metastatic pancreatic cancer pain", "cancer pain from metastatic breast ca to spine",
    "post-laminectomy syndrome", "chronic pancreatitis pain", "lumbar arachnoiditis", "intractable neuropathic pain",
    "cancer-related pain (metastatic prostate ca)", "chronic pain after multiple lumbar fusions",
)
INDICATIONS_ICV = ("intractable head and neck cancer pain", "refractory craniofacial cancer pain",
                   "generalized secondary dystonia")

COMORBIDITIES: tuple[tuple[str, tuple[str, ...], tuple[str, ...]], ...] = (
    ("Hypertension", ("HTN - BP {bp}, continue {med}", "Essential hypertension: controlled, continue {med}",
                      "Hypertension, BP {bp} today; no change to {med}"),
     ("lisinopril 10 mg daily", "amlodipine 5 mg daily", "losartan 50 mg daily", "HCTZ 25 mg daily")),
    ("Type 2 diabetes", ("DM2 - A1c {a1c}%, continue {med}", "Type 2 diabetes mellitus, A1c {a1c}; on {med}",
                         "DM2: fasting sugars 120s-150s per pt; {med}"),
     ("metformin 1000 mg BID", "glipizide 5 mg daily", "insulin glargine 22 units qHS", "semaglutide 1 mg weekly")),
    ("CKD", ("CKD stage 3a, Cr {cr}; avoid NSAIDs", "CKD 3b - stable, Cr {cr}", "Chronic kidney disease, eGFR 48"),
     ("no nephrotoxic meds",)),
    ("Depression", ("Depression - PHQ-9 {phq}, continue {med}", "MDD, stable on {med}", "Depression: mood fair, {med}"),
     ("sertraline 50 mg daily", "duloxetine 60 mg daily", "bupropion XL 150 mg daily", "escitalopram 10 mg daily")),
    ("Hypothyroidism", ("Hypothyroidism - TSH {tsh}, continue {med}", "Hypothyroid, on {med}"),
     ("levothyroxine 75 mcg daily", "levothyroxine 100 mcg daily")),
    ("OSA", ("OSA on CPAP, adherent", "Obstructive sleep apnea - uses CPAP nightly"), ("CPAP",)),
    ("GERD", ("GERD - controlled on {med}", "Reflux, continue {med}"), ("omeprazole 20 mg daily", "famotidine 20 mg BID")),
    ("Hyperlipidemia", ("HLD - continue {med}", "Hyperlipidemia, LDL {ldl}; {med}"),
     ("atorvastatin 40 mg daily", "rosuvastatin 10 mg daily")),
    ("Neurogenic bladder", ("Neurogenic bladder - intermittent cath QID", "Neurogenic bladder, on {med}"),
     ("oxybutynin 5 mg TID", "mirabegron 25 mg daily")),
    ("Constipation", ("Opioid-induced constipation - {med}", "Chronic constipation, continue {med}"),
     ("senna 8.6 mg BID", "docusate 100 mg BID", "polyethylene glycol 17 g daily")),
    ("Osteoporosis", ("Osteoporosis - on {med}", "Osteoporosis, DEXA due"), ("alendronate 70 mg weekly",)),
    ("Atrial fibrillation", ("AFib - rate controlled, on {med}", "Paroxysmal AF, anticoagulated with {med}"),
     ("apixaban 5 mg BID", "metoprolol succinate 50 mg daily")),
    ("COPD", ("COPD - stable, continue {med}", "COPD, no recent exacerbation; {med}"),
     ("tiotropium 18 mcg daily", "albuterol PRN")),
    ("Anxiety", ("Anxiety - stable on {med}", "GAD, {med}"), ("buspirone 10 mg BID", "sertraline 100 mg daily")),
)
GENERIC_MEDS = (
    "acetaminophen 650 mg q6h PRN", "gabapentin 300 mg TID", "oral baclofen 10 mg TID", "tizanidine 4 mg qHS",
    "pregabalin 75 mg BID", "vitamin D3 2000 IU daily", "aspirin 81 mg daily", "melatonin 3 mg qHS",
    "oxycodone 5 mg q6h PRN", "diazepam 2 mg qHS", "cetirizine 10 mg daily", "tamsulosin 0.4 mg daily",
    "ondansetron 4 mg PRN", "magnesium oxide 400 mg daily", "cyclobenzaprine 5 mg PRN", "dantrolene 25 mg BID",
)
ALLERGIES = ("NKDA", "PCN (rash)", "sulfa", "NKDA", "codeine (nausea)", "latex", "No known allergies", "morphine (itching)")

ROS_LINES = (
    "Constitutional: denies fever, chills, weight loss", "Eyes: no visual changes", "ENT: no sore throat",
    "CV: denies chest pain, palpitations", "Resp: no SOB or cough", "GI: denies N/V; +constipation",
    "GU: no dysuria", "MSK: + muscle spasms", "Skin: no rash, no drainage at pump site",
    "Neuro: no new weakness, no headache", "Psych: mood stable", "Heme: no easy bruising",
    "Endo: no polyuria", "All other systems reviewed and negative",
)

# Look-alike devices mentioned in another problem: history/status only, never a service in THIS note.
LOOKALIKE_MENTIONS = (
    "Also has a spinal cord stimulator (Nevro, {yr}) for back pain, followed by Dr. {doc}; not interrogated today",
    "SCS in place (Boston Scientific) - managed by rep, no changes today",
    "h/o SCS trial {yr}, not implanted",
    "DM1 on insulin pump (Omnipod 5), managed by endocrinology",
    "Insulin pump (Tandem t:slim X2) - basal rates per endo, not adjusted here",
    "R chest port-a-cath from prior chemo; flushed monthly at infusion center",
    "Port site clean, not accessed today",
    "Parkinson disease s/p DBS {yr}, programming per movement clinic",
    "Permanent pacemaker, last interrogated 3 months ago at device clinic",
    "Used a PCA after her last surgery; no issues",
    "VNS for epilepsy, settings unchanged, followed by neurology",
)
# Look-alike device serviced in another problem of the same note: not a drug-pump service (rule 7).
LOOKALIKE_ACTIVE = (
    "DM1 on insulin pump: overnight basal rate increased 0.8 -> 0.9 units/h today",
    "Insulin pump download reviewed; carb ratio changed to 1:10",
    "PICC flushed with 10 mL NS by nursing this visit",
    "Patient's SCS remote reviewed; advised to use program 3 at night",
)

OTHER_PERSON = (
    "Her mother also has a baclofen pump refilled at this clinic",
    "Husband has an intrathecal pain pump managed elsewhere",
    "His brother has a SynchroMed pump for MS spasticity",
    "Pt's daughter (also our patient) had her ITB pump refilled last week",
)

UNRELATED_VISITS: tuple[dict[str, tuple[str, ...]], ...] = (
    {"cc": ("Cough x 5 days", "Cough and congestion"),
     "hpi": ("Productive cough for 5 days, low-grade temp 99.8 at home, no SOB.",
             "URI symptoms since the weekend; sick contacts at home."),
     "exam": ("Lungs clear bilaterally, no wheeze. Oropharynx mildly erythematous.",),
     "assessment": ("Acute viral URI", "Acute bronchitis, likely viral"),
     "plan": ("Supportive care, fluids, honey; return if fever > 3 days", "Benzonatate 100 mg TID PRN cough")},
    {"cc": ("Dysuria", "Burning with urination"),
     "hpi": ("Dysuria and frequency x 2 days, no flank pain.", "Cloudy urine and urgency; hx of recurrent UTIs."),
     "exam": ("Mild suprapubic tenderness, no CVA tenderness.",),
     "assessment": ("Acute cystitis", "UTI, uncomplicated"),
     "plan": ("Nitrofurantoin 100 mg BID x 5 days", "UA/culture sent; cephalexin pending culture")},
    {"cc": ("HTN follow-up", "Blood pressure check"),
     "hpi": ("Home BPs 130s-140s/80s. Tolerating meds.", "Here for 3-month BP follow-up; no headaches or CP."),
     "exam": ("RRR, no murmur. No edema.",),
     "assessment": ("Essential hypertension, not at goal", "HTN, controlled"),
     "plan": ("Increase amlodipine to 10 mg daily", "BMP today; RTC 3 months")},
    {"cc": ("R knee pain", "Left knee pain after twisting"),
     "hpi": ("Knee pain x 3 weeks, worse with stairs. No trauma.", "Twisted knee getting out of wheelchair transfer."),
     "exam": ("Mild effusion, no ligamentous laxity, TTP medial joint line.",),
     "assessment": ("Knee osteoarthritis", "Knee sprain"),
     "plan": ("X-ray knee 3 views; ice, acetaminophen", "PT referral; topical diclofenac")},
    {"cc": ("Redness L lower leg",),
     "hpi": ("Erythema and warmth of L shin x 3 days, no drainage.",),
     "exam": ("10 x 8 cm area of erythema L anterior shin, warm, no fluctuance.",),
     "assessment": ("Cellulitis of left lower extremity",),
     "plan": ("Cephalexin 500 mg QID x 7 days; mark borders, return if spreading",)},
    {"cc": ("Fall at home", "Fall from wheelchair"),
     "hpi": ("Slid out of wheelchair during transfer, hit R shoulder; no LOC.", "Mechanical fall, no head strike."),
     "exam": ("R shoulder TTP, full ROM with pain. Neuro intact.",),
     "assessment": ("Contusion of right shoulder", "Mechanical fall without injury"),
     "plan": ("X-ray negative for fracture; sling PRN, acetaminophen", "Home safety eval, PT")},
    {"cc": ("Annual wellness visit", "Annual physical"),
     "hpi": ("Here for annual exam. No acute complaints.",),
     "exam": ("Well appearing. Heart RRR, lungs CTA. Abdomen soft, well-healed pump pocket scar LLQ.",),
     "assessment": ("Health maintenance", "Routine adult exam"),
     "plan": ("Flu shot given; colonoscopy referral; lipids, A1c", "Shingrix #2 due; mammogram ordered")},
    {"cc": ("Diabetes follow-up",),
     "hpi": ("A1c 7.8 last visit. Checking sugars BID.",),
     "exam": ("Monofilament intact bilaterally. No foot ulcers.",),
     "assessment": ("Type 2 diabetes mellitus with hyperglycemia",),
     "plan": ("Increase metformin to 1000 mg BID; A1c in 3 months",)},
    {"cc": ("Rash on back",),
     "hpi": ("Itchy rash on upper back x 1 week.",),
     "exam": ("Scattered erythematous papules upper back, no vesicles.",),
     "assessment": ("Contact dermatitis",),
     "plan": ("Triamcinolone 0.1% cream BID x 2 weeks",)},
    {"cc": ("Anxiety follow-up", "Depression follow-up"),
     "hpi": ("Mood better since sertraline increase, sleeping 6 h.",),
     "exam": ("Alert, good eye contact, affect euthymic.",),
     "assessment": ("Major depressive disorder, improving", "Generalized anxiety disorder"),
     "plan": ("Continue sertraline 100 mg; therapy referral", "RTC 6 weeks")},
)

HEADERS: dict[str, tuple[str, ...]] = {
    "cc": ("Chief Complaint", "CC", "Reason for Visit", "Reason for visit", "Chief complaint"),
    "hpi": ("History of Present Illness", "HPI", "Interval History", "History"),
    "subjective": ("S", "Subjective"),
    "objective": ("O", "Objective"),
    "assessment": ("A", "Assessment", "Impression"),
    "plan": ("P", "Plan"),
    "ap": ("Assessment and Plan", "Assessment/Plan", "A/P", "Impression and Plan", "A&P"),
    "pmh": ("Past Medical History", "PMH", "Medical History"),
    "psh": ("Past Surgical History", "PSH", "Surgical History"),
    "meds": ("Medications", "Current Medications", "Meds", "Home Medications"),
    "allergies": ("Allergies", "ALLERGIES"),
    "social": ("Social History", "SH", "Social"),
    "family": ("Family History", "FH"),
    "ros": ("Review of Systems", "ROS"),
    "vitals": ("Vitals", "Vital Signs", "VS"),
    "exam": ("Physical Exam", "Exam", "PE", "Physical Examination"),
    "device": ("Pump Information", "Device", "Current Pump Settings", "Pump Data", "Device Information"),
    "procedure": ("Procedure", "Procedure Note", "Pump Interrogation/Refill", "Intrathecal Pump", "Pump Management",
                  "Procedure Details"),
    "findings": ("Findings", "Interrogation Findings", "Results"),
    "indication": ("Indication", "Indications", "Reason for Procedure"),
    "consent": ("Consent", "Consent/Time-out"),
    "description": ("Description of Procedure", "Procedure Description", "Description", "Details of Procedure"),
    "complications": ("Complications",),
    "disposition": ("Disposition", "Dispo"),
    "performed_by": ("Performed By", "Provider", "Staff"),
    "recommendations": ("Recommendations", "Recs", "Plan/Recommendations"),
    "reason_consult": ("Reason for Consultation", "Reason for Consult", "Consult Question"),
    "hospital_course": ("Hospital Course", "Brief Hospital Course", "Summary of Hospital Course"),
    "discharge_dx": ("Discharge Diagnoses", "Diagnoses", "Final Diagnoses"),
    "procedures_done": ("Procedures This Admission", "Procedures Performed", "Procedures"),
    "discharge_meds": ("Discharge Medications", "Medications at Discharge"),
    "followup": ("Follow-up", "Follow Up", "Discharge Instructions"),
    "ed_course": ("ED Course", "Emergency Department Course", "Course in ED"),
    "mdm": ("Medical Decision Making", "MDM"),
    "preop": ("Preoperative Diagnosis", "Pre-op Diagnosis", "Preoperative Diagnoses"),
    "postop": ("Postoperative Diagnosis", "Post-op Diagnosis", "Postoperative Diagnoses"),
    "proc_title": ("Procedure", "Procedure Performed", "Operation", "Procedures Performed", "Name of Procedure"),
    "surgeon": ("Surgeon", "Attending Surgeon", "Primary Surgeon"),
    "assistant": ("Assistant", "Assistant Surgeon"),
    "anesthesia": ("Anesthesia", "Anesthesia Type"),
    "ebl": ("Estimated Blood Loss", "EBL"),
    "implants": ("Implants", "Devices Implanted", "Hardware"),
    "specimens": ("Specimens", "Specimen"),
    "postop_instr": ("Postoperative Plan", "Post-op Instructions", "Plan"),
    "data": ("Data", "D"),
    "action": ("Action", "A"),
    "response": ("Response", "R"),
    "caller": ("Caller", "Call From"),
    "message": ("Message", "Reason for Call", "Call Details"),
    "action_taken": ("Action Taken", "Advice Given", "Disposition", "Plan"),
    "signature": ("",),
}

HEADER_CASES = (("upper", 4.0), ("as_is", 4.0), ("lower", 0.4))
HEADER_SEPS = ((":", 8.0), ("", 1.5), (" -", 0.8), (":-", 0.3))
BULLETS = (("", 3.0), ("- ", 3.0), ("* ", 1.0), ("\u2022 ", 1.2), ("num", 1.5), ("num)", 0.5))

KEYWORD_TYPOS: dict[str, tuple[str, ...]] = {
    "refilled": ("refiled", "refillled", "reffilled"),
    "intrathecal": ("intratecal", "intrathecel", "intrathcal", "intrathekal"),
    "reprogrammed": ("reprogramed", "reprogrmmed", "re-programed"),
    "interrogated": ("interogated", "interrrogated", "interrogted"),
    "reservoir": ("resevoir", "reservior", "resevior"),
    "baclofen": ("baclofin", "bacolfen", "baclofan"),
    "aspirated": ("aspirted", "asperated"),
    "programmable": ("programable",),
    "catheter": ("cathter", "catheder", "cathether"),
    "increased": ("incresed", "inceased", "increaesd"),
    "decreased": ("decresed", "decreasd"),
    "replacement": ("replacment", "replacemnt"),
    "telemetry": ("telemtry", "telemetery"),
}

# ---------------------------------------------------------------------------------------------
# Small helpers
# ---------------------------------------------------------------------------------------------


def pick(rng: random.Random, seq: Sequence[T]) -> T:
    """Uniform choice through the single seeded generator (never the global one)."""
    return seq[rng.randrange(len(seq))]


def wpick(rng: random.Random, pairs: Sequence[tuple[T, float]]) -> T:
    """Weighted choice over (value, weight) pairs, deterministic in `rng`."""
    return rng.choices([p[0] for p in pairs], weights=[p[1] for p in pairs])[0]


def chance(rng: random.Random, p: float) -> bool:
    """True with probability p."""
    return rng.random() < p


def cap(s: str) -> str:
    """Capitalise the first letter only ("SynchroMed" must stay as is)."""
    return s[:1].upper() + s[1:]


def fmt_num(x: float) -> str:
    """Format a dose or volume the way notes do: no trailing zeros, at most 3 decimals."""
    if abs(x - round(x)) < 1e-9:
        return str(int(round(x)))
    return f"{x:.3f}".rstrip("0").rstrip(".")


def sentence(s: str) -> str:
    """End a line with a period unless it already ends with punctuation."""
    s = s.rstrip()
    if not s or s[-1] in ".:;!?" or s.endswith(EV_CLOSE + "."):
        return s
    return s + "."


class Ctx:
    """Mapping for str.format_map: fixed values plus keys re-drawn at every use (pump synonyms), so a
    note varies its wording within itself as real authors do."""

    def __init__(self, rng: random.Random, fixed: dict[str, str], dynamic: dict[str, tuple[str, ...]]):
        self.rng = rng
        self.fixed = fixed
        self.dynamic = dynamic

    def __getitem__(self, key: str) -> str:
        if key in self.dynamic:
            return pick(self.rng, self.dynamic[key])
        if key.startswith("C_"):  # capitalised variant of any key
            return cap(self[key[2:]])
        return self.fixed[key]


def fill(rng: random.Random, ctx: Ctx, templates: Sequence[str]) -> str:
    """Pick a template, fill it, turn [[...]] into evidence markers."""
    text = pick(rng, templates).format_map(ctx)
    return text.replace("[[", EV_OPEN).replace("]]", EV_CLOSE)


def mark(s: str) -> str:
    """Wrap a deciding phrase in evidence markers."""
    return f"{EV_OPEN}{s}{EV_CLOSE}"


def fmt_date(d: dt.date, style: int) -> str:
    """A date in one of the formats EHRs and transcriptionists use."""
    months = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
    if style == 0:
        return f"{d.month:02d}/{d.day:02d}/{d.year}"
    if style == 1:
        return f"{d.month}/{d.day}/{d.year % 100:02d}"
    if style == 2:
        return d.isoformat()
    if style == 3:
        return f"{months[d.month - 1]} {d.day}, {d.year}"
    return f"{d.day:02d}-{months[d.month - 1]}-{d.year}"


def short_date(d: dt.date, style: int) -> str:
    """Month/day only, as in 'alarm date 5/12'."""
    if style == 3:
        return f"{('Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec')[d.month - 1]} {d.day}"
    return f"{d.month}/{d.day}"


# ---------------------------------------------------------------------------------------------
# Scenario
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Person:
    """A clinician; `kind` ("staff"/"physician") is what decides 95990 vs 95991 and 62369 vs 62370."""

    first: str
    last: str
    role: str
    kind: str

    @property
    def full(self) -> str:
        return f"{self.first} {self.last}, {self.role}"

    @property
    def short(self) -> str:
        return f"{self.first[0]}. {self.last}, {self.role}"

    @property
    def doctor(self) -> bool:
        return self.role in DOCTOR_ROLES

    @property
    def called(self) -> str:
        """How colleagues name this person in running text."""
        if self.doctor:
            return f"Dr. {self.last}"
        return self.short


def make_person(rng: random.Random, kind: str, exclude: tuple[Person, ...] = ()) -> Person:
    """A random clinician of the given class, distinct by last name from `exclude`."""
    roles = STAFF_ROLES if kind == "staff" else QHP_ROLES
    while True:
        p = Person(pick(rng, FIRST_NAMES), pick(rng, LAST_NAMES), wpick(rng, roles), kind)
        if all(p.last != e.last for e in exclude):
            return p


@dataclass
class Scenario:
    """Everything that happened in THIS encounter; the label is derived from it, never from text."""

    decision: str | None
    family: str
    flavour: str
    note_type: str
    route: str | None = None
    device: DeviceSpec | None = None
    drug: DrugSpec | None = None
    analysis: bool = False
    reprog: bool = False
    reprog_kind: str = ""
    refill: bool = False
    implant: bool = False
    replacement: bool = False
    explant: bool = False
    catheter: bool = False
    laminectomy: bool = False
    lookalike: str | None = None
    performer: Person | None = None
    author: Person | None = None
    cosigner: Person | None = None
    extras: list[str] = field(default_factory=list)  # text features / distractors present
    rules: set[int] = field(default_factory=set)

    def has(self, name: str) -> bool:
        return name in self.extras


def sample_decisions(rng: random.Random, n: int) -> list[str | None]:
    """Exact per-decision counts (largest remainder), shuffled: balanced classes at any n."""
    total = sum(w for _, w in DECISION_WEIGHTS)
    raw = [(d, n * w / total) for d, w in DECISION_WEIGHTS]
    counts = [int(r) for _, r in raw]
    order = sorted(range(len(raw)), key=lambda i: (-(raw[i][1] - counts[i]), i))
    for i in order[: n - sum(counts)]:
        counts[i] += 1
    out: list[str | None] = []
    for (d, _), c in zip(raw, counts, strict=True):
        out.extend([d] * c)
    rng.shuffle(out)
    return out


def pick_route_drug(rng: random.Random, allow_icv: bool, epidural_p: float = 0.08) -> tuple[str, DrugSpec]:
    """Route first, then a drug that is plausible for it."""
    r = rng.random()
    if allow_icv and r < 0.09:
        return "intraventricular", DRUGS[wpick(rng, ICV_DRUG_WEIGHTS)]
    if r > 1 - epidural_p:
        return "epidural", DRUGS[wpick(rng, EPIDURAL_DRUG_WEIGHTS)]
    return "intrathecal", DRUGS[wpick(rng, IT_DRUG_WEIGHTS)]


MAINT_FLAGS: dict[str, tuple[bool, bool, str]] = {
    # decision: (refill, reprogramming, performer kind or "any")
    "95990": (True, False, "staff"),
    "95991": (True, False, "physician"),
    "62369": (True, True, "staff"),
    "62370": (True, True, "physician"),
    "62368": (False, True, "any"),
    "62367": (False, False, "any"),
}
REPROG_KINDS_NO_REFILL = (("inc", 6.0), ("dec", 2.5), ("bolus", 1.0), ("flex", 1.0), ("periodic", 0.8),
                          ("ptm", 1.2), ("mode", 0.7))
REPROG_KINDS_REFILL = REPROG_KINDS_NO_REFILL + (("conc", 1.5),)
SURGICAL_FAMILY = {"62362": "implant", "62361": "implant", "62365": "explant", "62360": "reservoir",
                   "62350": "catheter", "62351": "catheter", "62355": "catheter"}


def sample_scenario(rng: random.Random, decision: str | None) -> Scenario:
    """Sample what happened; set decision-determining flags first, then optional text features."""
    if decision in MAINT_FLAGS:
        return _sample_maint(rng, decision)
    if decision in SURGICAL_FAMILY:
        return _sample_surgical(rng, decision)
    if decision == "95970-95972":
        sc = Scenario(decision, "stim", wpick(rng, (("scs", 5.0), ("dbs", 2.0), ("vns", 1.5))), wpick(rng, NT_STIM))
        sc.lookalike = sc.flavour
        sc.analysis = True
        sc.reprog = chance(rng, 0.7)
        sc.performer = make_person(rng, "physician")
        sc.author = sc.performer
        sc.rules = {7}
        if chance(rng, 0.35):
            sc.extras.append("pump_mention")
            sc.rules.add(6)
        _common_extras(rng, sc)
        return sc
    if decision == "96521-96523":
        sc = Scenario(decision, "other_route", wpick(rng, (("hepatic", 4.0), ("port", 3.0), ("iv", 2.0))),
                      wpick(rng, NT_OTHER_ROUTE))
        sc.lookalike = sc.flavour
        sc.refill = sc.flavour != "port"
        sc.performer = make_person(rng, "staff" if chance(rng, 0.8) else "physician")
        sc.author = sc.performer if sc.note_type in ("nursing_refill", "flowsheet") or chance(rng, 0.5) else \
            make_person(rng, "physician", (sc.performer,))
        sc.rules = {7}
        _common_extras(rng, sc)
        return sc
    return _sample_null(rng)


def _sample_maint(rng: random.Random, decision: str) -> Scenario:
    """Refill / analysis / reprogramming visits of an already implanted pump."""
    refill, reprog, perf_kind = MAINT_FLAGS[decision]
    nt = wpick(rng, NT_REFILL if refill else NT_ANALYSIS)
    sc = Scenario(decision, "maint", "maint", nt, refill=refill, reprog=reprog)
    route, drug = pick_route_drug(rng, allow_icv=refill and not reprog, epidural_p=0.08)
    sc.route, sc.drug = route, drug
    fixed_ok = refill and not reprog and route != "intraventricular" and chance(rng, 0.13)
    sc.device = DEVICES[wpick(rng, FIXED_KEYS if fixed_ok else PROGRAMMABLE_KEYS)]
    if reprog:
        sc.analysis = True
        sc.reprog_kind = wpick(rng, REPROG_KINDS_REFILL if refill else REPROG_KINDS_NO_REFILL)
        if drug.kind != "pain" and sc.reprog_kind == "ptm":
            sc.reprog_kind = "inc"
    elif refill:
        sc.analysis = sc.device.programmable and chance(rng, 0.75)
    else:
        sc.analysis = True
    if perf_kind == "any":
        perf_kind = "physician" if chance(rng, 0.6) else "staff"
    sc.performer = make_person(rng, perf_kind)
    _choose_author(rng, sc)
    sc.rules = {1} if refill and reprog else {2} if refill else {3}
    if route == "intraventricular":
        sc.rules.add(8)
    if reprog:
        sc.rules.add(5)
    # optional text features; none may change the label
    ex = sc.extras
    for name, p, ok in (
        ("psh", 0.75, True),
        ("hist_dose", 0.25, sc.device.programmable),
        ("plan_refill", 0.45, True),
        ("plan_replace", 0.15, sc.device.programmable),
        ("plan_dose", 0.25, True),
        ("hypo", 0.25, True),
        ("neg_reprog", 0.6, not reprog and (refill or sc.analysis) and sc.device.programmable),
        ("neg_refill", 0.6, not refill),
        ("neg_analysis", 0.4, refill and not sc.analysis),
        ("vol_update", 0.45, refill and sc.device.programmable),
        ("vol_reprog_words", 0.12, refill and not reprog and sc.device.programmable),
        ("lookalike_mention", 0.18, True),
        ("lookalike_active", 0.05, True),
        ("other_person", 0.03, True),
        ("template_title", 0.1, not reprog and refill),
    ):
        if ok and chance(rng, p):
            ex.append(name)
    if "vol_reprog_words" in ex and "vol_update" not in ex:
        ex.append("vol_update")
    if "vol_update" in ex:
        sc.rules.add(5)
    if any(x in ex for x in ("psh", "hist_dose", "plan_refill", "plan_replace", "plan_dose", "hypo", "neg_reprog",
                             "neg_refill", "neg_analysis", "other_person")):
        sc.rules.add(6)
    if "lookalike_mention" in ex or "lookalike_active" in ex:
        sc.rules.add(7)
    _common_extras(rng, sc)
    return sc


def _choose_author(rng: random.Random, sc: Scenario) -> None:
    """Who writes the note vs who performed the service; cross cases teach that the performer decides."""
    perf = sc.performer
    assert perf is not None
    nt = sc.note_type
    if nt in ("nursing_refill", "flowsheet"):
        if perf.kind == "staff":
            sc.author = perf if chance(rng, 0.8) else make_person(rng, "staff", (perf,))
        else:
            sc.author = make_person(rng, "staff", (perf,))  # RN documents physician's refill
        if chance(rng, 0.3):
            sc.cosigner = make_person(rng, "physician", (perf, sc.author))
    elif nt in ("discharge", "h_and_p", "other"):
        sc.author = make_person(rng, "physician", (perf,)) if chance(rng, 0.7) or perf.kind == "staff" else perf
    else:
        if perf.kind == "physician":
            sc.author = perf if chance(rng, 0.8) else make_person(rng, "physician", (perf,))
        else:
            sc.author = make_person(rng, "physician", (perf,)) if chance(rng, 0.75) else perf


def _common_extras(rng: random.Random, sc: Scenario) -> None:
    """Length/noise features shared by all families."""
    if chance(rng, 0.35):
        sc.extras.append("multi_problem")
    if chance(rng, 0.18):
        sc.extras.append("long")


def _sample_surgical(rng: random.Random, decision: str) -> Scenario:
    """Implant, replacement, explant, reservoir and catheter operations."""
    family = SURGICAL_FAMILY[decision]
    sc = Scenario(decision, family, family, wpick(rng, NT_SURGERY))
    sc.performer = make_person(rng, "physician")
    while not sc.performer.doctor:
        sc.performer = make_person(rng, "physician")
    sc.author = sc.performer
    route, drug = pick_route_drug(rng, allow_icv=False, epidural_p=0.1)
    sc.route, sc.drug = route, drug
    ex = sc.extras
    if decision in ("62362", "62361"):
        sc.implant = True
        sc.replacement = chance(rng, 0.45)
        sc.device = DEVICES[wpick(rng, PROGRAMMABLE_KEYS if decision == "62362" else FIXED_KEYS)]
        sc.flavour = "replacement" if sc.replacement else "initial"
        sc.catheter = (not sc.replacement) or chance(rng, 0.15)
        sc.rules = {4}
        if sc.replacement:
            ex.append("old_pump_hist")
            if chance(rng, 0.2):
                ex.append("old_fixed" if decision == "62362" else "old_prog")
        else:
            ex.append("trial_hist")
        if decision == "62362" and chance(rng, 0.7):
            ex.append("programmed_at_implant")
        for name, p in (("plan_first_refill", 0.4), ("plan_titrate", 0.3), ("hypo", 0.15), ("lookalike_mention", 0.12)):
            if chance(rng, p):
                ex.append(name)
    elif decision == "62365":
        sc.explant = True
        sc.device = DEVICES[wpick(rng, PROGRAMMABLE_KEYS + FIXED_KEYS)]
        sc.catheter = chance(rng, 0.5)
        sc.flavour = pick(rng, ("infection", "not_needed", "patient_request", "failure_no_replace"))
        sc.rules = {4}
        ex.append("old_pump_hist")
        if sc.flavour == "infection" and chance(rng, 0.6):
            ex.append("plan_reimplant")
        if chance(rng, 0.1):
            ex.append("lookalike_mention")
    elif decision == "62360":
        sc.catheter = chance(rng, 0.6)
        sc.flavour = "reservoir"
        sc.route = "epidural" if chance(rng, 0.5) else "intrathecal"
        sc.drug = DRUGS[pick(rng, ("morphine", "hydromorphone", "bupivacaine"))]
        sc.rules = set()
    else:
        sc.catheter = True
        sc.laminectomy = decision == "62351"
        if decision == "62355":
            sc.flavour = pick(rng, ("after_explant", "pump_left", "temp_catheter"))
        else:
            sc.flavour = pick(rng, ("revision", "reposition", "new_catheter_existing_pump", "external_system"))
            if sc.flavour == "external_system":
                sc.route = "epidural"
                sc.drug = DRUGS[pick(rng, ("morphine", "hydromorphone", "bupivacaine"))]
        sc.device = DEVICES[wpick(rng, PROGRAMMABLE_KEYS)]
        sc.rules = set()
        if decision != "62355" or sc.flavour != "temp_catheter":
            ex.append("old_pump_hist")
        if chance(rng, 0.3):
            ex.append("pump_untouched_plan")
    if any(x in ex for x in ("old_pump_hist", "trial_hist", "plan_first_refill", "plan_titrate", "hypo",
                             "plan_reimplant", "pump_untouched_plan")):
        sc.rules.add(6)
    if "lookalike_mention" in ex:
        sc.rules.add(7)
    _common_extras(rng, sc)
    return sc


NULL_NOTE_TYPES: dict[str, tuple[tuple[str, float], ...]] = {
    "history_only": (("clinic_soap", 3.0), ("h_and_p", 2.0), ("discharge", 1.5), ("consult", 1.0), ("other", 1.5),
                     ("telephone", 0.6), ("transcription", 0.5)),
    "planned": (("clinic_soap", 3.0), ("h_and_p", 2.0), ("telephone", 1.0), ("consult", 1.0), ("discharge", 0.5)),
    "deferred": (("nursing_refill", 3.0), ("procedure_note", 1.5), ("clinic_soap", 1.5), ("flowsheet", 1.2)),
    "cancelled": (("procedure_note", 2.0), ("op_report", 1.5), ("other", 0.8), ("transcription", 0.6)),
    "negated": (("clinic_soap", 3.0), ("consult", 1.0), ("procedure_note", 0.5)),
    "hypothetical": (("consult", 2.0), ("clinic_soap", 2.0), ("h_and_p", 0.5)),
    "other_person": (("clinic_soap", 3.0), ("telephone", 1.0), ("h_and_p", 0.7)),
    "trial": (("procedure_note", 3.0), ("consult", 1.0), ("transcription", 0.8), ("clinic_soap", 0.6)),
    "telephone": (("telephone", 1.0),),
    "site_check": (("clinic_soap", 3.0), ("nursing_refill", 0.7), ("procedure_note", 0.5)),
    "insulin": (("clinic_soap", 3.0), ("consult", 1.0), ("flowsheet", 0.5), ("telephone", 0.4)),
    "pca": (("clinic_soap", 1.0), ("consult", 1.0), ("flowsheet", 1.0), ("nursing_refill", 0.6), ("discharge", 0.4)),
    "iv": (("nursing_refill", 1.0), ("flowsheet", 1.0), ("other", 0.5)),
    "wound_vac": (("nursing_refill", 1.0), ("flowsheet", 0.6), ("clinic_soap", 0.6)),
    "cardiac": (("clinic_soap", 1.5), ("procedure_note", 1.0), ("flowsheet", 0.6)),
    "esi": (("procedure_note", 3.0), ("transcription", 1.0), ("op_report", 0.5)),
}


def _sample_null(rng: random.Random) -> Scenario:
    """No drug-pump service in this encounter; many flavours of near-misses."""
    flavour = wpick(rng, NULL_FLAVOURS)
    sc = Scenario(None, "null", flavour, wpick(rng, NULL_NOTE_TYPES[flavour]))
    route, drug = pick_route_drug(rng, allow_icv=False, epidural_p=0.06)
    sc.drug = drug
    sc.device = DEVICES[wpick(rng, PROGRAMMABLE_KEYS if chance(rng, 0.9) else FIXED_KEYS)]
    sc.extras.append("null_route_" + route)
    lookalikes = {"insulin": "insulin", "pca": "pca", "iv": "iv", "wound_vac": "wound_vac", "cardiac": "other"}
    if flavour in lookalikes:
        sc.lookalike = lookalikes[flavour]
        sc.rules = {7}
        if flavour in ("insulin", "cardiac"):
            sc.analysis = True
            sc.reprog = chance(rng, 0.6)
        elif flavour == "pca":
            sc.reprog = chance(rng, 0.7)
        kind = "physician" if flavour in ("insulin", "cardiac") or (flavour == "pca" and chance(rng, 0.5)) else "staff"
        sc.performer = make_person(rng, kind)
        if chance(rng, 0.3):
            sc.extras.append("pump_mention")
            sc.rules.add(6)
    elif flavour == "esi":
        sc.rules = set()
        sc.performer = make_person(rng, "physician")
    else:
        sc.rules = {6}
    if sc.note_type in ("nursing_refill", "flowsheet"):
        sc.author = sc.performer if sc.performer and sc.performer.kind == "staff" else make_person(rng, "staff")
    elif sc.note_type == "telephone":
        sc.author = make_person(rng, "staff" if chance(rng, 0.7) else "physician")
    else:
        sc.author = sc.performer if sc.performer and sc.performer.kind == "physician" else make_person(rng, "physician")
    if chance(rng, 0.12):
        sc.extras.append("lookalike_mention")
        sc.rules.add(7)
    _common_extras(rng, sc)
    return sc


def facts_for(sc: Scenario) -> dict[str, object]:
    """SCHEMA.md facts, derived from the scenario (fixed key order for byte-stable output)."""
    service = sc.decision is not None or sc.lookalike is not None
    perf = sc.performer.kind if (sc.performer is not None and service) else None
    route = sc.route if sc.decision is not None and sc.lookalike is None else None
    programmable = sc.device.programmable if (sc.implant and sc.device is not None) else None
    return {
        "implant": sc.implant,
        "replacement": sc.replacement,
        "explant": sc.explant,
        "programmable": programmable,
        "analysis": sc.analysis,
        "reprogramming": sc.reprog,
        "refill": sc.refill,
        "performer": perf,
        "route": route,
        "catheter": sc.catheter,
        "lookalike": sc.lookalike,
    }


# ---------------------------------------------------------------------------------------------
# Per-note context: numbers, names and synonyms that templates draw on
# ---------------------------------------------------------------------------------------------
@dataclass
class Rx:
    """Drug prescription numbers for one note (old/new dose, volumes)."""

    conc: float
    old: float
    new: float
    pct: int
    size: int
    resv: float  # reservoir volume read before refill (or at visit when no refill)
    res: float  # residual aspirated
    exp: float  # expected residual
    vol: float  # volume instilled


def _round_dose(x: float, unit: str) -> float:
    """Round like a clinician: whole mcg above 20, else 2-3 significant decimals."""
    if unit == "mcg" and x >= 20:
        return round(x * 2) / 2
    if x >= 10:
        return round(x, 1)
    if x >= 1:
        return round(x, 2)
    return round(x, 3)


def make_rx(rng: random.Random, drug: DrugSpec, device: DeviceSpec | None, decrease: bool) -> Rx:
    """Plausible numbers; new dose differs from old by 5-25%."""
    lo, hi = drug.dose_lo, drug.dose_hi
    old = _round_dose(lo + (hi - lo) * rng.random() ** 1.6, drug.unit)
    if drug.unit == "mcg" and old >= 50:
        old = float(int(round(old / 5.0)) * 5)
    pct = pick(rng, (5, 10, 10, 10, 15, 20, 25, 8, 12))
    new = _round_dose(old * (1 - pct / 100 if decrease else 1 + pct / 100), drug.unit)
    if new == old:
        new = _round_dose(old * (0.8 if decrease else 1.25), drug.unit)
    size = pick(rng, device.sizes) if device else 20
    exp = round(1.0 + rng.random() * 5.0, 1)
    res = round(max(0.2, exp + rng.uniform(-0.6, 0.4)), 1)
    vol = float(size) if chance(rng, 0.7) else float(size - pick(rng, (1, 2, 4)))
    resv = round(exp + rng.uniform(-0.3, 0.3), 1) if chance(rng, 0.5) else round(4 + rng.random() * (size - 6), 1)
    return Rx(pick(rng, drug.concs), old, new, pct, size, max(resv, 0.5), res, exp, vol)


def dose_str(x: float, unit: str, style: int) -> str:
    """'250 mcg/day', '2.3 mg/d', '250mcg/24h' ..."""
    suffix = ("/day", "/day", "/d", " per day", "/24h", "/day")[style]
    sep = "" if style == 4 else " "
    return f"{fmt_num(x)}{sep}{unit}{suffix}"


def build_ctx(rng: random.Random, sc: Scenario) -> tuple[Ctx, Rx | None]:
    """Fixed per-note values plus per-use synonyms."""
    visit = dt.date(2022, 1, 1) + dt.timedelta(days=rng.randrange(0, 365 * 3 + 300))
    dstyle = rng.randrange(5)
    age = rng.randrange(9, 34) if (sc.drug and sc.drug.key == "baclofen" and chance(rng, 0.3)) else rng.randrange(28, 86)
    female = chance(rng, 0.5)
    sex_word = pick(rng, (("F", "M"), ("female", "male"), ("woman", "man"), ("F", "M")))[0 if female else 1]
    if age < 18 and sex_word in ("woman", "man"):
        sex_word = "girl" if female else "boy"
    pt_desc = pick(rng, (f"{age} y/o {sex_word}", f"{age}-year-old {sex_word}", f"{age}yo {sex_word}",
                         f"{age} yo {sex_word}", f"{age} year old {sex_word}"))
    implant_year = visit.year - rng.randrange(1, 12)
    next_d = visit + dt.timedelta(days=rng.randrange(28, 125))
    drug = sc.drug or DRUGS["morphine"]
    device = sc.device or DEVICES["synchromed2"]
    rx = make_rx(rng, drug, device, decrease=sc.reprog_kind == "dec")
    ustyle = rng.randrange(6)
    indication = pick(rng, INDICATIONS_ICV if sc.route == "intraventricular" else
                      INDICATIONS_SPASTICITY if drug.kind == "spasticity" else INDICATIONS_PAIN)
    conc = f"{fmt_num(rx.conc)} {drug.unit}/mL" if chance(rng, 0.85) else f"{fmt_num(rx.conc)}{drug.unit}/ml"
    rxline = conc
    if drug.kind == "pain" and drug.key not in ("bupivacaine", "clonidine") and chance(rng, 0.25):
        rxline = f"{conc} + {pick(rng, ADJUVANTS)}"
    if sc.route == "epidural":
        terms = PUMP_TERMS_EPIDURAL
    elif sc.route == "intraventricular":
        terms = PUMP_TERMS_ICV
    elif drug.key == "baclofen":
        terms = PUMP_TERMS_BACLOFEN + PUMP_TERMS_IT
    else:
        terms = PUMP_TERMS_PAIN + PUMP_TERMS_IT
    if sc.family in ("null",) and sc.extras and sc.extras[0] == "null_route_epidural":
        terms = PUMP_TERMS_EPIDURAL
    perf = sc.performer
    author = sc.author or make_person(rng, "physician")
    doc = make_person(rng, "physician")
    fixed = {
        "pt": pt_desc, "age": str(age), "he": "she" if female else "he", "his": "her" if female else "his",
        "him": "her" if female else "him", "Mr": "Ms." if female else "Mr.",
        "indication": indication, "drug": pick(rng, drug.names), "conc": conc, "rx": rxline,
        "a": dose_str(rx.old, drug.unit, ustyle), "b": dose_str(rx.new, drug.unit, ustyle),
        "an": fmt_num(rx.old), "bn": fmt_num(rx.new), "u": dose_str(1, drug.unit, ustyle)[1:].strip(),
        "unit": drug.unit, "pct": str(rx.pct), "size": str(rx.size),
        "res": fmt_num(rx.res), "exp": fmt_num(rx.exp), "vol": fmt_num(rx.vol), "newvol": fmt_num(rx.vol),
        "resv": fmt_num(rx.resv),
        "needle": pick(rng, ("22-g", "22-gauge", "22 G", "24-g", "22g", "22-ga")),
        "date": fmt_date(visit, dstyle), "next_date": fmt_date(next_d, dstyle),
        "next_short": short_date(next_d, dstyle),
        "alarm_new": short_date(next_d - dt.timedelta(days=7), dstyle),
        "alarm_old": short_date(visit + dt.timedelta(days=rng.randrange(3, 20)), dstyle),
        "last_refill": fmt_date(visit - dt.timedelta(days=rng.randrange(40, 110)), dstyle),
        "eri_date": f"{rng.randrange(1, 13)}/{visit.year + rng.randrange(1, 6)}",
        "eri_year": str(visit.year + rng.randrange(1, 6)),
        "implant_year": str(implant_year), "yr": str(visit.year - rng.randrange(1, 9)),
        "year": str(visit.year),
        "route": sc.route or "intrathecal",
        "rt": {"intrathecal": "IT", "epidural": "epidural", "intraventricular": "ICV"}[sc.route or "intrathecal"],
        "mode": pick(rng, ("simple continuous", "simple continuous", "flex dosing", "simple continuous mode")),
        "perf": perf.short if perf else "", "perf_full": perf.full if perf else "",
        "perf_called": perf.called if perf else "", "perf_role": perf.role if perf else "",
        "author": author.full, "author_short": author.short,
        "doc": doc.last, "side": pick(rng, ("RLQ", "LLQ", "left lower quadrant", "right lower quadrant", "L abdomen",
                                            "R abdominal wall")),
        "bp": f"{rng.randrange(108, 162)}/{rng.randrange(62, 96)}", "hr": str(rng.randrange(58, 104)),
        "temp": pick(rng, ("97.8", "98.1", "98.6", "97.5", "99.0", "36.8 C")), "rr": str(rng.randrange(12, 20)),
        "spo2": str(rng.randrange(93, 100)), "wt": str(rng.randrange(45, 130)),
        "pain": str(rng.randrange(2, 9)), "mas": pick(rng, ("1+", "2", "3", "1", "2", "4")),
        "mas2": pick(rng, ("1", "1+", "2")),
    }
    dynamic = {
        "pump": terms,
        "device": device.names,
        "prog": device.programmers or ("programmer",),
    }
    return Ctx(rng, fixed, dynamic), rx


# ---------------------------------------------------------------------------------------------
# Phrase banks for maintenance visits ([[ ]] marks a deciding phrase -> evidence)
# ---------------------------------------------------------------------------------------------
CC_REFILL = (
    "Scheduled {pump} refill", "{C_pump} refill", "ITB pump refill", "Pump refill due", "Here for pump refill",
    "{C_pump} refill; low reservoir alarm date {alarm_old}", "Refill of {route} pump", "{C_rt} pump refill and check",
    "Routine refill visit", "Pump refill and reassessment",
)
CC_REFILL_REPROG = (
    "Pump refill and dose adjustment", "Refill + titration", "{C_pump} refill, increased symptoms",
    "Refill and reprogramming", "{C_pump} refill; symptoms not controlled", "Refill/titration visit",
)
CC_ANALYSIS = (
    "{C_pump} check", "Pump evaluation", "Follow-up {rt} {drug} pump", "Increased spasticity", "Worsening pain",
    "Pump alarm concern", "Dose titration follow-up", "Post-titration check", "{C_pump} follow-up",
)
HPI_OPEN = (
    "{pt} with {indication} {psh_clause}presents for {visit_reason}.",
    "{Mr} {last} is a {pt} with {indication} {psh_clause}here for {visit_reason}.",
    "Pt is a {pt} w/ h/o {indication} {psh_clause}who comes in for {visit_reason}.",
    "{pt}, {indication}, {psh_clause}seen today for {visit_reason}.",
    "Patient with {indication} {psh_clause}returns for {visit_reason}.",
)
PSH_CLAUSES = (
    "s/p {device} implant {implant_year} ", "s/p {rt} pump placement ({implant_year}) ",
    "with {device} implanted in {implant_year} ", "(pump placed {implant_year}) ", "s/p IDDS {implant_year} ",
    "h/o {route} {drug} pump since {implant_year} ",
)
SYMPTOMS_SPAS = (
    "Reports spasms are {better} since last visit.", "Caregiver notes increased tone in the legs at night.",
    "Clonus interfering with sleep.", "Transfers easier; no falls.", "Denies weakness, drowsiness, or hypotonia.",
    "No s/s of baclofen withdrawal (itching, fever, rebound spasticity).", "Spasms {better}, MAS {mas} in hip adductors.",
    "Stretching program daily with PT.", "Tone worse in the mornings.",
)
SYMPTOMS_PAIN = (
    "Pain {pain}/10, {better} since last visit.", "Reports breakthrough pain in the evenings.",
    "Using oxycodone 5 mg 1-2x/day for breakthrough.", "Denies sedation, pruritus, urinary retention.",
    "Sleeping better.", "Pain rated {pain}/10 today, worse with standing.", "No leg swelling or new weakness.",
    "Pain control {better}; functional goals: walking 20 min.", "Denies constipation on senna.",
)
BETTER = ("better", "somewhat better", "unchanged", "worse", "about the same", "improved")
SYMPTOMS_COMMON = (
    "Denies fever, chills, headache, or drainage from the pump site.", "No redness or swelling at the pump pocket.",
    "No alarms heard at home.", "No new falls.", "No change in bowel/bladder function.",
)
DEVICE_LINES = (
    "Pump: {device} ({size} mL), implanted {implant_year}, {side}", "Device: {device}, {size} mL reservoir",
    "Drug: {drug} {rx}", "Current rx: {drug} {rx} at {a}, {mode}", "Last refill {last_refill}",
    "Prescription on file: {drug} {conc}, {a} ({mode})", "ERI {eri_date}", "Pump location: {side}",
    "Catheter tip T{tip}", "Concentration {conc}; daily dose {a}",
)
ANALYSIS_MAIN = (
    "[[{C_pump} interrogated with {prog}]]", "[[Pump interrogated]] using the {prog}",
    "[[Telemetry performed]] with {prog}", "[[Interrogation of the {pump} via {prog}]]",
    "[[Pump read]] with {prog}", "[[Electronic analysis of the {pump} performed]] ({prog})",
    "[[{prog} used to interrogate the pump]]", "[[Device interrogated]] and logs reviewed",
    "[[Pump interrogation]] performed with the {prog}", "[[Interrogated {pump}]]", "[[Telemetry obtained]]",
    "[[Logs reviewed]] after telemetry with {prog}", "[[{C_pump} interrogated]] - data below",
)
ANALYSIS_DATA = (
    "Reservoir volume {resv} mL", "Reservoir {resv} mL (expected {exp} mL)", "No alarms", "Alarm status: no active alarms",
    "Low reservoir alarm date {alarm_old}", "ERI not reached (est {eri_date})", "Battery OK", "ERI {eri_date}",
    "Prescription: {drug} {conc} at {a}, {mode}", "Current rx {drug} {conc}, {a}, {mode}", "Mode: {mode}",
    "Daily dose {a}", "No motor stall events in log", "No critical alarms logged", "Alarm history: none since last visit",
    "Infusion log reviewed, delivery as programmed",
)
ANALYSIS_DATA_PAIN = ("PTM activations {ptm_n} in the last 30 days ({ptm_ok} successful)", "myPTM use {ptm_n}x/month")
REFILL_PREP = (
    "Consent reviewed, time-out done", "Abdomen prepped with chlorhexidine x3 and draped sterile",
    "Refill kit opened, sterile technique", "Site cleansed with ChloraPrep, sterile field established",
    "Template placed over pump and central fill port palpated", "Pump located by palpation, template applied",
    "Betadine prep x3", "Pt positioned supine",
)
REFILL_ACCESS = (
    "[[Reservoir accessed with {needle} non-coring Huber needle]] using template",
    "Template applied; [[reservoir fill port accessed with a {needle} Huber needle]]",
    "[[Accessed central fill port with {needle} non-coring needle]]",
    "[[Pump accessed]] with {needle} Huber needle from refill kit",
    "[[Reservoir accessed]] on first pass with {needle} non-coring needle",
    "[[Central reservoir accessed]] via template, {needle} Huber",
)
REFILL_RESIDUAL = (
    "Residual {res} mL aspirated (expected {exp} mL)", "{res} mL residual withdrawn, expected {exp}",
    "Aspirated {res} mL (expected {exp} mL), clear", "Residual volume {res} mL removed",
    "Withdrew {res} mL; expected {exp} mL - within range", "Residual vol {res} mL",
)
REFILL_INSTILL = (
    "[[{vol} mL of {drug} {rx} instilled]]", "[[Pump refilled with {vol} mL {drug} {rx}]]",
    "[[{res} mL removed, {vol} mL instilled]]", "[[Refilled with {vol} mL]] {drug} ({rx})",
    "[[Instilled {vol} mL]] {drug} {rx} slowly, no resistance", "[[{vol} mL {drug} {rx} injected into reservoir]]",
    "[[Reservoir filled with {vol} mL]] of {drug} {conc}", "[[Refilled pump]] w/ {vol} mL {drug} {rx}",
)
REFILL_AFTER = (
    "Needle withdrawn, site intact, band-aid applied", "Pt tolerated well, no complications",
    "No bleeding at access site", "Tolerated without difficulty", "Site clean and dry post procedure",
    "Observed 15 min, no adverse effects",
)
NEG_REPROG = (
    "[[No dose change today]]", "[[Dose unchanged]] at {a}", "[[Pump not reprogrammed]]",
    "[[No changes made to the prescription]]", "[[Continue current dose]] of {a}", "[[Prescription unchanged]] ({a}, {mode})",
    "[[Settings not changed]]", "[[Did not adjust the rate]]", "[[Reprogramming: none]]", "[[no dose adjustment]] made",
    "[[Daily dose remains {a}]]", "[[Rate unchanged]]",
)
VOLUME_UPDATE = (
    "[[New reservoir volume ({newvol} mL) entered]] in programmer", "[[Reservoir volume updated to {newvol} mL]]",
    "[[Low reservoir alarm date reset]] to {alarm_new}", "[[Alarm date set]] {alarm_new}",
    "[[Pump updated with refill volume]]; next refill due {next_short}",
    "[[Programmer updated: reservoir {newvol} mL]], alarm {alarm_new}", "[[Reset reservoir volume and alarm dates]]",
    "[[New reservoir volume {newvol} mL]]",
)
VOLUME_REPROG_WORDS = (
    "[[Pump reprogrammed only to reflect the new reservoir volume]]; daily dose unchanged",
    "[[Programmed new reservoir volume of {newvol} mL and alarm date {alarm_new}]], dose not changed",
    "[[Pump programmed with refill information]] ({newvol} mL); no change to infusion rate",
)
NEG_REFILL = (
    "[[Refill not needed today]] (reservoir {resv} mL)", "[[No refill performed]]",
    "[[Did not refill]]; next refill due {next_short}", "[[Refill not due]] until {next_date}",
    "[[Pump not accessed]] today", "[[Reservoir not accessed]]", "[[No refill at this visit]]",
)
NEG_ANALYSIS_FIXED = (
    "[[Constant-flow pump, no telemetry]]", "[[Non-programmable pump - no interrogation]]",
    "[[No programmer needed (fixed-rate pump)]]",
)
NEG_ANALYSIS_PROG = ("[[Pump not interrogated today]]", "[[No telemetry performed]]", "[[Interrogation not done]]")
REPROG_REASON = (
    "for persistent spasticity", "for breakthrough pain", "due to increased tone", "for sedation",
    "for nocturnal spasms", "per pt goals", "for pain not controlled", "due to hypotonia", "",
)
PLAN_REFILL = (
    "RTC {months} months for refill", "Next refill due {next_date}", "Refill again in ~{weeks} weeks",
    "Will refill in {months} months", "F/u for refill {next_short}", "Return for refill before alarm date {alarm_new}",
)
PLAN_REPLACE = ("Will replace pump at ERI (est {eri_year})", "Discussed pump replacement when ERI reached, ~{eri_year}",
                "Replace at ERI", "Plan pump replacement {eri_year} (battery)")
PLAN_DOSE = (
    "Consider increasing dose next visit", "May titrate up at next refill if spasms persist",
    "Plan to increase dose by 10% at next visit", "Consider decreasing dose next visit if drowsy",
    "Discuss flex dosing at next visit", "Could add clonidine to pump at next refill",
)
HYPO = (
    "If spasms worsen may increase dose by 10%", "If pain worsens we may increase the rate",
    "If sedation occurs, will decrease dose", "Should symptoms recur, we could program a nighttime bolus",
    "Would consider PTM if breakthrough pain persists", "If no improvement, may need CAP dye study",
)
HIST_DOSE = (
    "Dose was increased at last visit from {hist_a} to {a}", "Last dose change {last_refill} (increased to {a})",
    "Rate decreased 10% in the spring for drowsiness", "Titrated up twice last year",
    "Previously reprogrammed to flex dosing, later changed back", "Dose increased by Dr. {doc} last month",
)
ASSESS_MAINT = (
    "{C_indication}, on {rt} {drug} via pump", "{C_indication} - {route} {drug} therapy", "{C_route} pump in situ",
    "{C_rt} pump management", "{C_indication}; {device} in place",
)
ASSESS_REFILL = ("Encounter for refill and maintenance of drug pump", "Refill of {route} pump", "Pump refill")

REPROG_TEMPLATES: dict[str, tuple[str, ...]] = {
    "inc": (
        "[[Daily dose increased from {a} to {b}]]", "[[Dose increased {an}->{bn} {u}]]",
        "[[{drug} {an} -> {bn} {u} ({pct}% increase)]]", "[[Rate bumped {pct}%]] (new daily dose {b})",
        "[[Titrated up by {pct}%]] to {b}", "[[Pump reprogrammed: daily dose {a} \u2192 {b}]]",
        "[[Increased simple continuous rate to {b}]] (previously {a})", "[[New dose {b}]], prior {a}",
        "[[Dose \u2191 {pct}%]] to {b}", "[[titrated up]] {pct}%: {a} to {b}", "[[Reprogrammed to {b}]] (was {a})",
        "[[Increased daily dose]] {pct}% ({an} to {bn} {u})", "[[dose increased by {pct}%]] to {b}",
    ),
    "dec": (
        "[[Daily dose decreased from {a} to {b}]]", "[[Dose reduced by {pct}%]] to {b}",
        "[[Decreased rate {pct}%]]: {a} -> {b}", "[[Weaned {an} -> {bn} {u}]]", "[[daily dose decreased]] to {b} (from {a})",
        "[[Pump reprogrammed: {a} \u2192 {b}]]", "[[Dose \u2193 {pct}%]] to {b}", "[[Titrated down]] to {b}",
        "[[Reduced daily dose to {b}]]",
    ),
    "bolus": (
        "[[Single bolus of {bolus} programmed]] and delivered over {min} min", "[[Programmed a one-time bolus of {bolus}]]",
        "[[Bolus of {bolus} given via programmer]]", "[[Programmed bolus]] {bolus} over {min} minutes, then resumed {a}",
    ),
    "flex": (
        "[[Flex dosing schedule set]]: {b} 2200-0600, {a} daytime", "[[Flexible dosing programmed]] with higher night rate",
        "[[Changed to flex dosing]]: day {a}, night {b}", "[[Flex schedule entered]] (3 steps; total {b})",
        "[[flex dosing schedule changed]] to add a morning step",
    ),
    "periodic": (
        "[[Periodic bolus programmed]]: {pbolus} every {hrs} h", "[[Added periodic bolus]] of {pbolus} q{hrs}h over 15 min",
        "[[Programmed periodic bolus dosing]] ({pbolus} x {times}/day)", "[[periodic bolus schedule set]] {pbolus} q{hrs}h",
    ),
    "ptm": (
        "[[PTM bolus changed from {ptm_a} to {ptm_b}]], lockout {lock} h", "[[myPTM dose increased]] to {ptm_b} (was {ptm_a})",
        "[[myPTM activated]]: {ptm_b} per activation, max {ptm_max}/day, lockout {lock} h",
        "[[PTM settings adjusted]]: lockout shortened to {lock} h", "[[PTM bolus changed]] {ptm_a} -> {ptm_b}",
        "[[Patient-activated bolus enabled]] ({ptm_b}, max {ptm_max}/day)",
    ),
    "mode_from_simple": (
        "[[Switched from simple continuous to flex mode]]", "[[Mode changed to flex dosing]]",
        "[[Mode changed from simple continuous to periodic bolus]]",
    ),
    "mode_to_simple": (
        "[[Mode changed from flex to simple continuous]]", "[[Mode changed to simple continuous]] at {b}",
        "[[Flex dosing discontinued, mode changed to simple continuous]]",
    ),
    "conc": (
        "[[New concentration {conc2} with new dose {b}]]",
        "[[Concentration changed from {conc} to {conc2}]]; [[daily dose reprogrammed to {b}]]",
        "[[Concentration increased to {conc2}]], [[daily dose set to {b}]] (was {a}); bridge bolus programmed",
        "[[Drug concentration changed to {conc2}]] and [[dose changed to {b}]]",
    ),
}

SIGNATURES = (
    "Electronically signed by {name} on {date}", "{name}", "Signed: {name} {date}", "-- {name}",
    "E-signed: {name}", "{name}\n{date}", "Electronically signed: {name}",
)
COSIGN = ("Cosigned by {name} {date}", "Reviewed and agree - {name}", "Co-signature: {name}", "Attending cosign: {name}")


def reprog_phrase(rng: random.Random, ctx: Ctx, sc: Scenario) -> str:
    """One marked reprogramming statement of the sampled kind (rule 5 forms)."""
    kind = sc.reprog_kind
    if kind == "mode":
        kind = "mode_from_simple" if "simple" in ctx.fixed["mode"] else "mode_to_simple"
    text = fill(rng, ctx, REPROG_TEMPLATES[kind])
    reason = pick(rng, REPROG_REASON)
    if reason and kind in ("inc", "dec", "flex", "bolus") and chance(rng, 0.4):
        reason = reason.replace("spasticity", "pain") if sc.drug and sc.drug.kind == "pain" else reason
        text = f"{text} {reason}"
    return text


def service_verb(sc: Scenario, past: bool = True) -> str:
    """What the performer did, for 'X performed ...' lines."""
    if sc.refill and sc.reprog:
        return "refilled and reprogrammed the pump" if past else "refill and reprogramming"
    if sc.refill:
        return "refilled the pump" if past else "refill"
    if sc.reprog:
        return "interrogated and reprogrammed the pump" if past else "interrogation and reprogramming"
    return "interrogated the pump" if past else "interrogation"


def performer_line(rng: random.Random, sc: Scenario) -> tuple[str | None, bool]:
    """The line naming who performed the service, and whether the signature must carry the evidence.

    The performer (not the author, not a cosigner) decides 95990/95991 and 62369/62370."""
    perf, author = sc.performer, sc.author
    assert perf is not None and author is not None
    verb, noun = service_verb(sc), service_verb(sc, past=False)
    if perf == author:
        if chance(rng, 0.35):
            return None, True  # implicit: author's signature with role is the evidence
        if perf.kind == "physician" and chance(rng, 0.5):
            return mark(pick(rng, (f"I personally {verb}", f"I {verb}", f"{cap(noun)} performed by me",
                                   f"I performed the {noun} myself"))), False
        return mark(pick(rng, (f"{cap(noun)} performed by {perf.full}", f"Procedure performed by: {perf.full}",
                               f"{perf.full} {verb}", f"Performed by {perf.short}"))), False
    if author.kind == "physician" and perf.kind == "staff":
        return mark(pick(rng, (f"{cap(noun)} performed by {perf.full} under my supervision",
                               f"Clinic nurse {perf.short} {verb}", f"{perf.full} performed the {noun}",
                               f"{cap(noun)} done by {perf.short} per protocol",
                               f"{perf.short} {verb} per my order"))), False
    if author.kind == "staff" and perf.kind == "physician":
        return mark(pick(rng, (f"{perf.called} performed the {noun}", f"{cap(noun)} completed by {perf.full}",
                               f"{perf.called} {verb} at bedside", f"{cap(noun)} performed by {perf.full}; RN assisted"))), False
    return mark(pick(rng, (f"{cap(noun)} performed by {perf.full}", f"{perf.called} {verb}",
                           f"{perf.full} performed the {noun}"))), False


def signature_lines(rng: random.Random, sc: Scenario, ctx: Ctx, evidence: bool) -> list[str]:
    """Signature (marked when it is the only statement of who performed), optional cosign."""
    assert sc.author is not None
    name = mark(sc.author.full) if evidence else sc.author.full
    lines = [pick(rng, SIGNATURES).format(name=name, date=ctx.fixed["date"])]
    if sc.cosigner is not None:
        lines.append(pick(rng, COSIGN).format(name=sc.cosigner.full, date=ctx.fixed["date"]))
    return lines


def comorbidity_lines(rng: random.Random, k: int) -> tuple[list[str], list[str], list[str]]:
    """k unrelated problems: (problem names, assessment lines, their meds)."""
    idx = list(range(len(COMORBIDITIES)))
    rng.shuffle(idx)
    names, lines, meds = [], [], []
    for i in idx[:k]:
        name, tmpls, medlist = COMORBIDITIES[i]
        med = pick(rng, medlist)
        vals = {"med": med, "bp": f"{rng.randrange(112, 158)}/{rng.randrange(64, 94)}",
                "a1c": f"{rng.randrange(58, 94) / 10:.1f}", "cr": f"{rng.randrange(11, 24) / 10:.1f}",
                "phq": str(rng.randrange(2, 16)), "tsh": f"{rng.randrange(8, 45) / 10:.1f}",
                "ldl": str(rng.randrange(55, 160))}
        names.append(name)
        lines.append(pick(rng, tmpls).format(**vals))
        if med not in ("CPAP", "no nephrotoxic meds"):
            meds.append(med)
    return names, lines, meds


def background(rng: random.Random, sc: Scenario, ctx: Ctx, c: dict[str, list[str]], pump_psh: bool) -> None:
    """PMH/PSH/meds/allergies/ROS/vitals/social, more of it for 'long' notes."""
    k = 0
    if sc.has("multi_problem"):
        k = rng.randrange(1, 4)
    if sc.has("long"):
        k = rng.randrange(3, 8)
    names, lines, meds = comorbidity_lines(rng, k)
    c["problems"] = lines
    c["pmh"] = names + ([ctx.fixed["indication"]] if sc.family in ("maint", "implant") else [])
    psh = [pick(rng, ("Cholecystectomy", "Appendectomy", "L4-S1 fusion 2012", "C-section x2", "Tonsillectomy",
                      "R TKA 2019", "Hernia repair", "Laminectomy L3-5", "Hysterectomy", "ORIF R wrist"))
           for _ in range(rng.randrange(0, 3))]
    if pump_psh:
        psh.append(pick(rng, ("{device} implant {implant_year}", "ITDD placement {implant_year}",
                              "{C_rt} pump implanted {implant_year}", "Intrathecal pump placement ({implant_year})",
                              "Pump implant {implant_year}, catheter revision {yr}")).format_map(ctx))
    c["psh"] = psh
    base_meds = [pick(rng, GENERIC_MEDS) for _ in range(rng.randrange(1, 4 if not sc.has("long") else 9))]
    c["meds"] = list(dict.fromkeys(meds + base_meds))
    c["allergies"] = [pick(rng, ALLERGIES)]
    c["vitals"] = [pick(rng, ("BP {bp}, HR {hr}, T {temp}, RR {rr}, SpO2 {spo2}%",
                              "BP {bp} | P {hr} | Temp {temp} | SpO2 {spo2}% RA",
                              "T {temp} HR {hr} BP {bp} RR {rr} O2 sat {spo2}% Wt {wt} kg",
                              "Vitals stable: BP {bp}, HR {hr}")).format_map(ctx)]
    nros = rng.randrange(2, 5) if not sc.has("long") else rng.randrange(6, 12)
    c["ros"] = list(dict.fromkeys(pick(rng, ROS_LINES) for _ in range(nros)))
    c["social"] = [pick(rng, ("Lives with spouse; uses power wheelchair", "Never smoker, no EtOH", "Lives alone, home aide 3x/wk",
                              "Former smoker, quit 2010", "Works part-time from home", "Lives with parents"))]
    c["family"] = [pick(rng, ("Noncontributory", "Mother - HTN, DM2", "Father - CAD", "No family hx of bleeding disorders"))]
    if sc.has("other_person"):
        c["family"].append(pick(rng, OTHER_PERSON))
    if sc.has("lookalike_mention"):
        c["problems"].append(pick(rng, LOOKALIKE_MENTIONS).format_map(ctx))
    if sc.has("lookalike_active"):
        c["problems"].append(pick(rng, LOOKALIKE_ACTIVE))


def exam_lines(rng: random.Random, sc: Scenario, ctx: Ctx) -> list[str]:
    """Focused exam; pump pocket always, tone or pain items by drug."""
    out = [pick(rng, ("Pump site {side}: no erythema, swelling, or tenderness", "Pump pocket intact, no seroma",
                      "Abdomen: pump palpable {side}, incision well healed", "Pump site clean, dry, intact",
                      "Well-healed scar over pump, no fluctuance"))]
    if sc.drug and sc.drug.kind == "spasticity":
        out.append(pick(rng, ("MAS {mas} bilateral hip adductors", "Tone: MAS {mas} in knee extensors, 3 beats clonus",
                              "Increased tone BLE, MAS {mas}", "Spasticity MAS {mas} RLE > LLE")))
    else:
        out.append(pick(rng, ("Lumbar paraspinal tenderness, SLR negative", "Gait antalgic, uses cane",
                              "Strength 5/5 BLE, sensation intact", "Back: well-healed midline incision")))
    if chance(rng, 0.5):
        out.append(pick(rng, ("A&O x3, NAD", "Alert, conversant, no sedation", "Lungs clear, RRR")))
    return [x.format_map(ctx) for x in out]


def extend_ctx(rng: random.Random, ctx: Ctx, sc: Scenario, rx: Rx) -> None:
    """Numbers that only some templates need (boluses, PTM, concentration change)."""
    drug = sc.drug or DRUGS["morphine"]
    u = drug.unit
    bolus = _round_dose(rx.old * pick(rng, (0.05, 0.1, 0.15, 0.2)), u)
    ptm_a = _round_dose(rx.old * pick(rng, (0.03, 0.05, 0.08)), u)
    ptm_b = _round_dose(ptm_a * pick(rng, (1.25, 1.5, 2.0)), u)
    concs = [c for c in drug.concs if c != rx.conc] or [rx.conc * 2]
    ctx.fixed.update({
        "last": pick(rng, LAST_NAMES), "tip": str(rng.randrange(6, 12)),
        "months": str(pick(rng, (1, 2, 3, 3, 4, 6))), "weeks": str(pick(rng, (4, 6, 8, 10, 12))),
        "hist_a": dose_str(_round_dose(rx.old * 0.9, u), u, 0), "ptm_n": str(rng.randrange(10, 140)),
        "ptm_ok": str(rng.randrange(5, 60)), "bolus": f"{fmt_num(bolus)} {u}", "min": str(pick(rng, (1, 5, 10, 30))),
        "pbolus": f"{fmt_num(bolus)} {u}", "hrs": str(pick(rng, (4, 6, 8, 12))), "times": str(pick(rng, (2, 3, 4))),
        "ptm_a": f"{fmt_num(ptm_a)} {u}", "ptm_b": f"{fmt_num(ptm_b)} {u}", "lock": str(pick(rng, (1, 2, 3, 4))),
        "ptm_max": str(pick(rng, (3, 4, 6, 8))), "conc2": f"{fmt_num(pick(rng, concs))} {u}/mL",
    })
    ctx.dynamic["better"] = BETTER


def compose_maint(rng: random.Random, sc: Scenario, ctx: Ctx, rx: Rx) -> dict[str, list[str]]:
    """Content blocks for a refill / analysis / reprogramming visit."""
    c: dict[str, list[str]] = {}
    f = ctx.fixed
    drug = sc.drug
    assert drug is not None and sc.device is not None
    if sc.refill and sc.reprog:
        c["cc"] = [fill(rng, ctx, CC_REFILL_REPROG)]
        f["visit_reason"] = pick(rng, ("pump refill and dose adjustment", "refill and titration", "scheduled refill",
                                       "refill; reports symptoms not controlled"))
    elif sc.refill:
        c["cc"] = [fill(rng, ctx, CC_REFILL)]
        f["visit_reason"] = pick(rng, ("scheduled pump refill", "routine refill", "pump refill",
                                       "refill and possible dose adjustment", "refill, alarm date approaching"))
    else:
        c["cc"] = [fill(rng, ctx, CC_ANALYSIS)]
        f["visit_reason"] = pick(rng, ("pump check", "follow-up of symptoms on pump therapy", "pump evaluation",
                                       "concern about pump function", "dose titration follow-up"))
    f["psh_clause"] = fill(rng, ctx, PSH_CLAUSES) if sc.has("psh") else ""
    hpi = [fill(rng, ctx, HPI_OPEN)]
    sym = SYMPTOMS_SPAS if drug.kind == "spasticity" else SYMPTOMS_PAIN
    hpi += [fill(rng, ctx, sym) for _ in range(rng.randrange(1, 3))]
    if chance(rng, 0.5):
        hpi.append(fill(rng, ctx, SYMPTOMS_COMMON))
    if sc.has("hist_dose"):
        hpi.append(fill(rng, ctx, HIST_DOSE))
    c["hpi"] = list(dict.fromkeys(hpi))
    c["device"] = list(dict.fromkeys(fill(rng, ctx, DEVICE_LINES) for _ in range(rng.randrange(1, 4))))
    if not sc.device.programmable:
        c["device"] = [x for x in c["device"] if "ERI" not in x and f["mode"] not in x] or [f"Pump: {ctx['device']}"]

    # --- the service itself, in the order clinicians document it
    analysis: list[str] = []
    if sc.analysis:
        analysis.append(fill(rng, ctx, ANALYSIS_MAIN))
        pool = ANALYSIS_DATA + (ANALYSIS_DATA_PAIN if drug.kind == "pain" else ())
        analysis += list(dict.fromkeys(fill(rng, ctx, pool) for _ in range(rng.randrange(1, 4))))
    refill: list[str] = []
    if sc.refill:
        refill += [fill(rng, ctx, REFILL_PREP) for _ in range(rng.randrange(0, 3))]
        if chance(rng, 0.7):
            refill.append(fill(rng, ctx, REFILL_ACCESS))
        if chance(rng, 0.75):
            refill.append(fill(rng, ctx, REFILL_RESIDUAL))
        refill.append(fill(rng, ctx, REFILL_INSTILL))
    changes: list[str] = []
    if sc.reprog:
        changes.append(reprog_phrase(rng, ctx, sc))
        if chance(rng, 0.3):
            changes.append(pick(rng, ("New settings verified with printout", "Pump reprogrammed and verified",
                                      "Second clinician verified new prescription", "Pt given updated pump card")))
    if sc.has("neg_reprog"):
        changes.append(fill(rng, ctx, NEG_REPROG))
    if sc.has("vol_reprog_words"):
        changes.append(fill(rng, ctx, VOLUME_REPROG_WORDS))
    elif sc.has("vol_update"):
        changes.append(fill(rng, ctx, VOLUME_UPDATE))
    if sc.has("neg_refill"):
        changes.append(fill(rng, ctx, NEG_REFILL))
    if sc.has("neg_analysis"):
        changes.append(fill(rng, ctx, NEG_ANALYSIS_PROG if sc.device.programmable else NEG_ANALYSIS_FIXED))
    after = [fill(rng, ctx, REFILL_AFTER)] if sc.refill and chance(rng, 0.6) else []
    if sc.refill and sc.analysis and chance(rng, 0.3):
        proc = refill + analysis + changes + after  # interrogated after the refill
    else:
        proc = analysis + refill + changes + after
    c["proc"] = proc
    pl, sig_ev = performer_line(rng, sc)
    c["performer"] = [pl] if pl else []
    c["signature"] = signature_lines(rng, sc, ctx, sig_ev)

    background(rng, sc, ctx, c, pump_psh=sc.has("psh") or chance(rng, 0.3))
    c["exam"] = exam_lines(rng, sc, ctx)
    assess = [fill(rng, ctx, ASSESS_MAINT)]
    if sc.refill and chance(rng, 0.4):
        assess.append(fill(rng, ctx, ASSESS_REFILL))
    c["assessment"] = assess + c["problems"]
    plan = []
    for name, bank in (("plan_refill", PLAN_REFILL), ("plan_replace", PLAN_REPLACE), ("plan_dose", PLAN_DOSE),
                       ("hypo", HYPO)):
        if sc.has(name):
            plan.append(fill(rng, ctx, bank))
    plan += [pick(rng, ("Call for fever, wound drainage, or withdrawal symptoms", "Continue home PT program",
                        "Continue oral meds as listed", "Pt educated on alarm sounds", "Updated pump card given"))
             for _ in range(rng.randrange(0, 3))]
    if not plan:
        plan.append(pick(rng, ("Continue current therapy", "F/u as scheduled", "Return PRN")))
    c["plan"] = list(dict.fromkeys(plan))
    title_base = ("Intrathecal Pump Refill", "ITB Pump Refill Note", "Pump Refill", "IT Pump Visit")
    if sc.has("template_title"):
        title_base = ("Intrathecal Pump Refill/Reprogramming", "Pump Refill and Reprogramming Note")
    elif sc.reprog:
        title_base = ("Pump Interrogation/Reprogramming", "IT Pump Management", "Pump Refill/Reprogramming",
                      "Intrathecal Pump Visit") if sc.refill else ("Pump Interrogation and Reprogramming",
                                                                  "IT Pump Management", "Pump Titration Visit")
    elif not sc.refill:
        title_base = ("Pump Interrogation", "IT Pump Check", "Pump Evaluation", "Intrathecal Pump Visit")
    c["title"] = [pick(rng, title_base)]
    c["kv"] = maint_kv(rng, sc, ctx, c)
    c["summary"] = maint_summary(rng, sc, ctx, c)
    return c


def maint_kv(rng: random.Random, sc: Scenario, ctx: Ctx, c: dict[str, list[str]]) -> list[str]:
    """Flowsheet rows: key/value with the deciding rows marked."""
    assert sc.device is not None and sc.performer is not None
    rows = [f"Date: {ctx.fixed['date']}", f"Pump: {ctx['device']}", f"Route: {cap(ctx.fixed['route'])}",
            f"Drug: {ctx.fixed['drug']} {ctx.fixed['rx']}"]
    if sc.analysis:
        rows.append(pick(rng, ("[[Interrogated: Yes]]", "[[Telemetry: done]]", "[[Pump interrogation: completed]]",
                               "[[Interrogation: Y]] ({prog})")).format_map(ctx).replace("[[", EV_OPEN).replace("]]", EV_CLOSE))
        rows += [fill(rng, ctx, ("Reservoir vol (pre): {resv} mL", "Alarms: none", "ERI: {eri_date}",
                                 "Alarm status: no alarms", "Mode: {mode}")) for _ in range(rng.randrange(1, 3))]
    elif chance(rng, 0.6) or sc.has("neg_analysis"):
        rows.append(mark("Interrogated: No") if sc.has("neg_analysis") else "Interrogated: No")
    if sc.refill:
        rows += [f"Needle: {ctx.fixed['needle']} Huber", f"Residual aspirated: {ctx.fixed['res']} mL",
                 f"Expected residual: {ctx.fixed['exp']} mL"][: rng.randrange(1, 4)]
        rows.append(fill(rng, ctx, ("[[Volume instilled: {vol} mL]]", "[[Refill volume: {vol} mL]]",
                                    "[[Amount added: {vol} mL]]")))
        if chance(rng, 0.5):
            rows.append(fill(rng, ctx, ("[[Refill: Yes]]", "[[Refill completed: Y]]", "[[Refilled: yes]]")))
    else:
        rows.append(fill(rng, ctx, ("[[Refill: No]]", "[[Refill: not done]]", "[[Refill: N/A (not due)]]")))
    if sc.reprog:
        if sc.reprog_kind in ("inc", "dec"):
            rows += [fill(rng, ctx, ("Previous dose: {a}", "Dose (prior): {a}")),
                     fill(rng, ctx, ("[[New dose: {b}]]", "[[Dose (new): {b}]]", "[[Daily dose changed to: {b}]]"))]
        else:
            rows.append("Reprogramming: " + reprog_phrase(rng, ctx, sc))
        if chance(rng, 0.5):
            rows.append(fill(rng, ctx, ("[[Reprogrammed: Yes]]", "[[Dose change: Y]]")))
    elif sc.analysis or sc.refill:
        rows.append(fill(rng, ctx, ("[[Dose change: None]]", "[[Reprogrammed: No]]", "Daily dose: {a} [[(unchanged)]]",
                                    "[[Dose change: no]]")))
    if sc.refill and (sc.has("vol_update") or chance(rng, 0.4)):
        rows.append(mark(f"New reservoir volume: {ctx.fixed['newvol']} mL") if sc.has("vol_update")
                    else f"New reservoir volume: {ctx.fixed['newvol']} mL")
        rows.append(f"Alarm date: {ctx.fixed['alarm_new']}")
    rows.append(f"Next refill: {ctx.fixed['next_date']}" if sc.refill or chance(rng, 0.5) else "Next visit: PRN")
    perf = sc.performer
    rows.append(mark(pick(rng, (f"Performed by: {perf.full}", f"Refill by: {perf.short}", f"Clinician: {perf.full}",
                                f"Procedure by: {perf.full}"))))
    if perf.kind == "staff" and chance(rng, 0.4):
        rows.append(f"Ordering provider: Dr. {ctx.fixed['doc']}, MD")
    if sc.author != perf and sc.author is not None:
        rows.append(f"Documented by: {sc.author.full}")
    if chance(rng, 0.5):
        rows.append("Comments: " + pick(rng, ("tolerated well", "no complications", "pt educated re: alarms",
                                             "see MD note", "none")))
    return rows


def maint_summary(rng: random.Random, sc: Scenario, ctx: Ctx, c: dict[str, list[str]]) -> list[str]:
    """A terse one-line version (brief nursing/ED style) keeping the deciding statements."""
    parts: list[str] = []
    if sc.refill:
        parts.append(fill(rng, ctx, ("[[{C_pump} refilled]] w/ {vol} mL {drug} {conc}", "[[Refilled {rt} pump]] {vol} mL {conc}",
                                     "[[Pump refilled]] ({vol} mL {drug})", "[[refill done]], {vol} mL {drug} {conc}")))
    if sc.analysis:
        parts.append(fill(rng, ctx, ("[[interrogated]]", "[[telemetry ok]]", "[[pump read]], no alarms",
                                     "[[interrogated]], res {resv} mL")))
    if sc.reprog:
        parts.append(reprog_phrase(rng, ctx, sc))
    elif sc.refill or sc.analysis:
        parts.append(fill(rng, ctx, ("[[no dose change]]", "[[dose unchanged]] {a}", "[[no changes]]")))
    if not sc.refill:
        parts.append(fill(rng, ctx, ("[[not refilled]]", "[[refill not due]]")))
    if sc.has("vol_update"):
        parts.append(fill(rng, ctx, ("[[alarm date reset]] {alarm_new}", "[[res vol updated]] {newvol} mL")))
    assert sc.performer is not None
    parts.append(mark(pick(rng, (f"by {sc.performer.short}", f"- {sc.performer.full}", f"done by {sc.performer.called}"))))
    line = ", ".join(parts[:-1]) + " " + parts[-1]
    if sc.has("plan_refill"):
        line += ". " + fill(rng, ctx, PLAN_REFILL)
    return [sentence(line)]


# ---------------------------------------------------------------------------------------------
# Surgical families: implant / replacement (62362, 62361), explant (62365), reservoir (62360),
# catheter (62350, 62351, 62355)
# ---------------------------------------------------------------------------------------------
OR_POSITION = (
    "The patient was brought to the operating room and placed in the lateral decubitus position.",
    "Pt was taken to the OR and positioned right side down on a radiolucent table.",
    "After induction of general anesthesia the patient was positioned in the left lateral decubitus position.",
    "The patient was identified in the holding area, brought to the OR, and placed prone.",
)
OR_PREP = (
    "The back and abdomen were prepped with ChloraPrep and draped in the usual sterile fashion.",
    "A surgical time-out was performed confirming patient, procedure, site, and implant.",
    "Cefazolin 2 g IV was given prior to incision.", "Vancomycin powder was available for the pocket.",
)
CATH_NEW_IT = (
    "Under fluoroscopic guidance a 14-gauge Tuohy needle was advanced via a paramedian oblique approach into the "
    "intrathecal space at L{l1}-{l2}.",
    "[[Free flow of clear CSF was confirmed]].",
    "[[The intrathecal catheter was advanced under fluoroscopy to the T{tip} level]].",
    "A purse-string suture was placed and the catheter anchored to the lumbodorsal fascia.",
)
CATH_NEW_EPI = (
    "A Tuohy needle was advanced into the epidural space at L{l1}-{l2} using loss of resistance to saline.",
    "[[The epidural catheter was threaded to T{tip}]]; aspiration negative for CSF and blood.",
    "The catheter was anchored to the fascia.",
)
REPL_OPEN = (
    "The previous abdominal incision was opened sharply and the pump pocket entered.",
    "[[The existing {old_device} was dissected free, the catheter disconnected, and the old pump explanted]].",
    "[[Catheter patency was confirmed by free aspiration of clear CSF]] (2 mL withdrawn and discarded).",
)
REPL_OPEN_ALT = (
    "The old incision was reopened and the capsule incised.",
    "[[The old pump was removed from the pocket]] after the catheter was disconnected from the connector.",
    "[[CSF was aspirated from the catheter confirming patency]].",
)
PUMP_PREP = (
    "[[The new {device} was prepared on the back table: it was warmed, the sterile water was emptied, and the "
    "reservoir was filled with {vol} mL of {drug} {conc}]].",
    "[[Pump preparation: warmed in a saline bath, sterile water removed, filled with {drug} {conc} ({vol} mL)]].",
    "Meanwhile, [[the pump was prepared per manufacturer instructions (warmed, sterile water aspirated) and filled "
    "with {vol} mL {drug} {conc}]].",
)
POCKET = (
    "A {cm} cm transverse incision was made in the {side} and a subcutaneous pocket was developed at a depth of no "
    "more than 2.5 cm.",
    "The catheter was tunneled subcutaneously from the back incision to the abdominal pocket.",
)
CONNECT_NEW = (
    "The catheter was trimmed and attached to the pump catheter port with the connector and secured.",
    "[[The {device} was placed in the pocket]] with the fill port facing up and [[secured with nonabsorbable sutures]].",
)
CONNECT_NEW_ALT = (
    "The catheter was connected to the pump and the connection secured.",
    "[[The new pump was implanted]] in the pocket and anchored in a Dacron pouch.",
)
PROGRAM_AT_IMPLANT = (
    "[[The pump was programmed to deliver {b} as a simple continuous infusion]] with a priming bolus to fill the catheter.",
    "[[Pump programmed via telemetry]]: {drug} {conc}, {b}, simple continuous, with a priming bolus.",
    "[[Programmed to the prior dose of {a}]] using the clinician programmer.",
    "[[Initial programming: {b}]]; catheter priming bolus delivered.",
)
FIXED_PUMP_LINES = (
    "[[This is a non-programmable, constant-flow pump]]; flow rate {rate} mL/day, daily dose set by concentration.",
    "[[No programming is required for this fixed-rate device]] (flow {rate} mL/day).",
    "[[Constant-flow pump]]; the dose is determined by drug concentration and the fixed flow of {rate} mL/day.",
)
OR_CLOSE = (
    "The wounds were irrigated with antibiotic saline and closed in layers.",
    "Sterile dressings and an abdominal binder were applied.",
    "The patient tolerated the procedure well and was taken to PACU in stable condition.",
    "Sponge and needle counts were correct x2.",
)
CONSERVATIVE_SPAS = ("oral baclofen, tizanidine, botulinum toxin and PT", "maximal oral antispasmodics and therapy",
                     "oral baclofen 20 mg QID (sedation), dantrolene, serial casting")
CONSERVATIVE_PAIN = ("PT, oral opioids, ESIs and RFA", "multiple lumbar surgeries, an SCS trial and oral opioids",
                     "high-dose oral opioids with intolerable side effects", "medications, injections and PT")
REPLACE_REASON = ("the pump has reached ERI", "battery depletion (ERI alarm)", "motor stall on interrogation",
                  "end of battery life", "pump malfunction with under-infusion", "ERI reached per last interrogation")


def _surgical_ctx(rng: random.Random, sc: Scenario, ctx: Ctx) -> None:
    """Operative numbers and the removed pump's name."""
    l1 = rng.randrange(1, 4)
    old_key = "codman3000" if sc.has("old_fixed") else "synchromed2" if sc.has("old_prog") else (
        sc.device.key if sc.device else "synchromed2")
    ctx.fixed.update({
        "l1": str(l1), "l2": str(l1 + 1), "cm": str(rng.randrange(6, 10)),
        "rate": pick(rng, ("0.5", "1.0", "1.5")), "old_device": pick(rng, DEVICES[old_key].names),
        "conservative": pick(rng, CONSERVATIVE_SPAS if sc.drug and sc.drug.kind == "spasticity" else CONSERVATIVE_PAIN),
        "trial_date": fmt_date(dt.date(int(ctx.fixed["year"]), 1, 1) + dt.timedelta(days=rng.randrange(0, 300)), 0),
        "replace_reason": pick(rng, REPLACE_REASON), "ebl": pick(rng, ("minimal", "10 mL", "25 mL", "<50 mL", "30 cc")),
        "anesthesia": pick(rng, ("General endotracheal", "General", "MAC with local", "GETA")),
        "assistant": pick(rng, ("None", "PA-C " + pick(rng, LAST_NAMES), "Resident Dr. " + pick(rng, LAST_NAMES))),
        "lam": f"T{rng.randrange(9, 13)}",
    })


def compose_surgical(rng: random.Random, sc: Scenario, ctx: Ctx) -> dict[str, list[str]]:
    """Operative content (op report keys), reused by procedure-note, transcription and discharge layouts."""
    _surgical_ctx(rng, sc, ctx)
    c: dict[str, list[str]] = {}
    f = ctx.fixed
    spas = sc.drug is not None and sc.drug.kind == "spasticity"
    d = sc.decision
    desc: list[str] = [pick(rng, OR_POSITION)] + [pick(rng, OR_PREP) for _ in range(rng.randrange(1, 3))]
    indication: list[str] = []
    if d in ("62362", "62361"):
        prog = d == "62362"
        kind_word = pick(rng, ("programmable", "programmable")) if prog else pick(rng, ("non-programmable",
                                                                                      "constant-flow", "fixed-rate"))
        if sc.replacement:
            title = pick(rng, (
                f"[[Removal and replacement of {f['route']} drug pump]] ({f['old_device']} out, {{device}} in)",
                f"[[Replacement of {kind_word} {f['route']} pump]]",
                "[[Explantation of existing pump and implantation of new {device}]]",
                f"[[{kind_word.capitalize()} pump replacement]] for {f['replace_reason']}",
            ))
            indication.append(fill(rng, ctx, (
                "{pt} with {indication} on {rt} {drug}; the {old_device} implanted in {implant_year} now requires "
                "replacement because {replace_reason}.",
                "{pt} with {indication}, {old_device} placed {implant_year}; {replace_reason}. Replacement discussed "
                "and consent obtained.",
            )))
            opener = REPL_OPEN if chance(rng, 0.6) else REPL_OPEN_ALT
            desc += [fill(rng, ctx, (x,)) for x in opener]
            if sc.catheter:
                desc.append(mark("The catheter was also revised") + " because of a kink at the anchor; a new "
                            "proximal segment was spliced in and CSF flow reconfirmed.")
        else:
            title = pick(rng, (
                f"[[Implantation of {kind_word} {f['route']} drug delivery pump]] ({{device}}, {{size}} mL)",
                f"[[Implantation of {{device}} {kind_word} pump]]",
                f"[[Placement of {kind_word} {f['route']} pump]] and {f['route']} catheter",
                f"[[{'IDDS' if chance(rng, 0.5) else 'ITDD'} implant]] ({{device}})",
            ))
            indication.append(fill(rng, ctx, (
                "{pt} with {indication} refractory to {conservative}. Successful {rt} trial on {trial_date}. "
                "Risks including infection, bleeding, CSF leak, catheter malfunction, overdose and withdrawal were "
                "discussed and consent obtained.",
                "{pt} with {indication}; failed {conservative}. Screening trial {trial_date} with good response "
                "(>50% improvement). Meets selection criteria; psych clearance on file.",
            )))
            desc += [fill(rng, ctx, (x,)) for x in (CATH_NEW_EPI if f["route"] == "epidural" else CATH_NEW_IT)]
            desc += [fill(rng, ctx, (x,)) for x in POCKET]
        desc.append(fill(rng, ctx, PUMP_PREP))
        desc += [fill(rng, ctx, (x,)) for x in (CONNECT_NEW if chance(rng, 0.6) else CONNECT_NEW_ALT)]
        if prog and sc.has("programmed_at_implant"):
            desc.append(fill(rng, ctx, PROGRAM_AT_IMPLANT))
        if not prog:
            desc.append(fill(rng, ctx, FIXED_PUMP_LINES))
        c["implants"] = [fill(rng, ctx, (
            "{device} {size} mL pump" + (", SN " + str(rng.randrange(100000, 999999)) if chance(rng, 0.5) else ""),
            "{device} ({size} mL)", "Pump: {device}; catheter: Ascenda 8781" if prog else "Pump: {device}"))]
        dx_extra = " with pump at ERI" if sc.replacement else ""
        c["preop"] = [f"{cap(f['indication'])}{dx_extra}"]
    elif d == "62365":
        reason = {"infection": "pump pocket infection", "not_needed": "therapy no longer needed",
                  "patient_request": "patient request for removal", "failure_no_replace": "pump failure; replacement declined"}[sc.flavour]
        title = pick(rng, (
            "[[Removal of {route} drug pump]]" + (" and catheter" if sc.catheter else ""),
            "[[Explantation of {old_device}]]" + (" and intrathecal catheter" if sc.catheter else ""),
            "[[Pump explant]]" + (" with catheter removal" if sc.catheter else ""),
        ))
        indication.append(fill(rng, ctx, (
            "{pt} with {old_device} implanted {implant_year} for {indication}, now with " + reason + ".",
            "{pt}, {indication}, s/p pump {implant_year}; " + reason + ". Removal without replacement planned.",
        )))
        desc.append("The prior abdominal incision was opened and the pocket entered.")
        if sc.flavour == "infection":
            desc.append("Purulent fluid was encountered in the pocket; cultures were sent.")
        desc.append(fill(rng, ctx, ("[[The pump was dissected free and removed]].", "[[The {old_device} was explanted]].",
                                    "[[Pump removed]] intact and sent with the patient's belongings for disposal.")))
        if sc.catheter:
            desc.append(fill(rng, ctx, ("[[The catheter was removed in its entirety]] via the back incision; tip intact.",
                                        "[[The intrathecal catheter was withdrawn completely]]; no CSF leak.")))
        else:
            desc.append("The catheter was ligated and left in place.")
        desc.append(fill(rng, ctx, ("[[No new pump was implanted]].", "[[No replacement device was placed]].",
                                    "Pocket irrigated and closed; [[no new device placed]].")))
        c["implants"] = ["None"]
        c["specimens"] = ["Pocket cultures" if sc.flavour == "infection" else "Pump (not sent to pathology)"]
        c["preop"] = [f"{cap(reason)}; {f['indication']}"]
    elif d == "62360":
        title = pick(rng, (
            "[[Implantation of subcutaneous reservoir]] for {route} drug infusion",
            "[[Placement of subcutaneous {route} access port (reservoir)]]",
            "[[Subcutaneous reservoir implantation]]" + (", tunneled {route} catheter" if sc.catheter else ""),
        ))
        indication.append(fill(rng, ctx, (
            "{pt} with {indication} and limited life expectancy; {route} infusion via external pump through an "
            "implanted reservoir planned.",
            "{pt} with {indication}; good response to {route} trial. A subcutaneous port/reservoir will allow "
            "external pump infusion.",
        )))
        if sc.catheter:
            desc += [fill(rng, ctx, (x,)) for x in (CATH_NEW_EPI if f["route"] == "epidural" else CATH_NEW_IT)]
            desc.append("The catheter was tunneled to the anterior chest wall.")
        else:
            desc.append("The existing tunneled catheter was identified and freed from the old exit site.")
        desc.append(fill(rng, ctx, (
            "A pocket was created over the lower rib cage and [[the reservoir was implanted]] and connected to the catheter.",
            "[[The subcutaneous reservoir was placed]] in a pocket over the costal margin and attached to the catheter.")))
        desc.append(fill(rng, ctx, ("[[No implantable pump was placed]]; medication will be delivered by external pump "
                                    "through the port.", "Catheter patency confirmed by gentle aspiration.")))
        c["implants"] = [pick(rng, ("Subcutaneous intraspinal port", "Port-A-Cath intraspinal reservoir",
                                    "P.A.S. Port spinal reservoir"))]
        c["preop"] = [cap(f["indication"])]
    else:  # catheter codes
        lam = sc.laminectomy
        if d == "62355":
            title = pick(rng, ("[[Removal of {route} catheter]]", "[[Removal of previously implanted {route} catheter]]",
                               "[[{C_route} catheter explant]]"))
            ind = {"after_explant": "{pt}; pump explanted {yr}, retained {route} catheter now symptomatic.",
                   "pump_left": "{pt} with {device} and catheter granuloma on MRI; catheter removal planned, pump to "
                                "remain for now.",
                   "temp_catheter": "{pt} s/p tunneled trial catheter for {indication}; trial complete."}[sc.flavour]
            indication.append(ind.format_map(ctx))
            desc.append(fill(rng, ctx, ("[[The catheter was removed in its entirety]] through the back incision; tip intact.",
                                        "[[The {route} catheter was withdrawn]] with gentle traction; tip intact.")))
            if sc.flavour == "pump_left":
                desc.append(fill(rng, ctx, ("[[The pump was not removed]]; it was capped and left in the pocket.",
                                            "[[Pump left in situ]] and its catheter port capped.")))
        else:
            fl = sc.flavour
            titles = {
                "revision": ("[[Revision of {route} catheter]]", "[[{C_route} catheter revision]]"),
                "reposition": ("[[Repositioning of {route} catheter]]", "[[Catheter repositioning]] ({route})"),
                "new_catheter_existing_pump": ("[[Replacement of {route} catheter]], connected to existing pump",
                                               "[[New {route} catheter placement]] with connection to existing pump"),
                "external_system": ("[[Placement of tunneled epidural catheter]] for infusion",
                                    "[[Tunneled {route} catheter implantation]]"),
            }
            title = pick(rng, titles[fl])
            if lam:
                title += pick(rng, (" via [[{lam} laminectomy]]", " with [[laminectomy at {lam}]]",
                                    " ([[open {lam} hemilaminectomy]])"))
            why = pick(rng, ("catheter fracture seen on CAP dye study", "catheter migration on CT myelogram",
                             "loss of efficacy with withdrawal symptoms; catheter kink at the anchor",
                             "catheter tip granuloma", "arachnoiditis preventing percutaneous access"))
            if fl == "external_system":
                indication.append(fill(rng, ctx, ("{pt} with {indication}; tunneled epidural catheter for external "
                                                  "pump infusion.",)))
            else:
                indication.append(fill(rng, ctx, ("{pt} with {device} for {indication}; " + why + ".",
                                                  "{pt}, pump placed {implant_year}, now with " + why + ".")))
                desc.append("The pump pocket was opened and the catheter connection exposed.")
                desc.append(fill(rng, ctx, ("[[The catheter was disconnected from the pump]] and its distal end inspected.",)))
            if lam:
                desc.append(fill(rng, ctx, (
                    "A midline incision was made and [[laminectomy at {lam} was performed]]; the dura was opened and "
                    "[[the catheter placed intrathecally under direct visualization]], dura closed with a purse string.",
                    "[[A {lam} hemilaminectomy was performed]] because percutaneous access failed; [[the catheter was "
                    "inserted under direct vision]] and secured.")))
            else:
                desc += [fill(rng, ctx, (x,)) for x in (CATH_NEW_EPI if f["route"] == "epidural" else CATH_NEW_IT)]
            if fl == "external_system":
                desc.append("The catheter was tunneled to an exit site in the flank and connected to an external pump.")
            else:
                desc.append(fill(rng, ctx, ("[[The new catheter was connected to the existing pump]].",
                                            "[[Catheter reconnected to the existing {device}]].")))
                desc.append(fill(rng, ctx, ("[[The pump itself was not replaced]].", "[[Pump was not removed or replaced]].",
                                            "The pump was left undisturbed in its pocket.")))
        c["implants"] = [pick(rng, ("Ascenda intrathecal catheter 8781", "Intrathecal catheter", "None"))
                         if d != "62355" else "None"]
        c["preop"] = [cap(f["indication"])]
    desc += [pick(rng, OR_CLOSE) for _ in range(rng.randrange(1, 3))]
    c["proc_title"] = [fill(rng, ctx, (title,))]
    c["description"] = desc
    c["indication"] = indication
    c["postop"] = c["preop"] if chance(rng, 0.7) else ["Same"]
    c["surgeon"] = [mark(sc.performer.full) if sc.performer else ""]
    c["assistant"] = [f["assistant"]]
    c["anesthesia"] = [f["anesthesia"]]
    c["ebl"] = [f["ebl"]]
    c["complications"] = [pick(rng, ("None", "None apparent", "No immediate complications"))]
    c.setdefault("specimens", ["None"])
    c["disposition"] = [pick(rng, ("PACU, stable", "To PACU in stable condition", "Observation overnight", "Home same day"))]
    plan = [pick(rng, ("Abdominal binder x 6 weeks", "No lifting > 10 lb x 6 weeks", "Keep incisions dry x 7 days",
                       "Wound check in 10-14 days", "Monitor for headache/CSF leak, flat 24 h"))]
    ex = sc.extras
    if "plan_first_refill" in ex:
        plan.append(fill(rng, ctx, ("First refill in ~{months} months", "Refill per pump alarm date, ~{next_date}",
                                    "Will refill in clinic before alarm date")))
    if "plan_titrate" in ex:
        plan.append(fill(rng, ctx, ("Will titrate dose in clinic in 1-2 weeks", "Dose increases planned at follow-up",
                                    "Plan to increase dose 10% weekly as tolerated")))
    if "hypo" in ex:
        plan.append(fill(rng, ctx, HYPO))
    if "plan_reimplant" in ex:
        plan.append(fill(rng, ctx, ("Plan reimplantation after 6 weeks of IV antibiotics",
                                    "Will consider new pump once infection cleared", "Replace pump at a later date")))
    if "pump_untouched_plan" in ex:
        plan.append(fill(rng, ctx, ("Next pump refill due {next_short}, to be done in clinic",
                                    "Pump refill and interrogation at next clinic visit", "Resume refills per schedule")))
    if "trial_hist" in ex and chance(rng, 0.5):
        indication.append(fill(rng, ctx, ("Trial bolus of {drug} on {trial_date} gave good relief.",)))
    c["postop_instr"] = plan
    c["history"] = []
    if "old_pump_hist" in ex and chance(rng, 0.5):
        c["history"].append(fill(rng, ctx, ("{old_device} originally implanted {implant_year}",
                                            "Pump placed {implant_year} by Dr. {doc}", "s/p ITDD {implant_year}")))
    background(rng, sc, ctx, c, pump_psh="old_pump_hist" in ex)
    c["signature"] = signature_lines(rng, sc, ctx, False)
    c["title"] = [pick(rng, ("OPERATIVE REPORT", "Operative Note", "OP NOTE", "Brief Operative Note", "Procedure Report"))]
    return c


# ---------------------------------------------------------------------------------------------
# Look-alike subjects that have their own codes: stimulators (95970-95972), other-route pumps and ports
# (96521-96523)
# ---------------------------------------------------------------------------------------------
STIM_DEVICES = {
    "scs": ("Boston Scientific WaveWriter Alpha SCS", "Abbott Proclaim XR spinal cord stimulator", "Nevro HFX SCS",
            "Medtronic Intellis SCS", "spinal cord stimulator", "SCS"),
    "dbs": ("Medtronic Percept PC DBS", "Abbott Infinity DBS", "Boston Scientific Vercise Genus DBS",
            "deep brain stimulator", "DBS system"),
    "vns": ("VNS (LivaNova SenTiva)", "vagal nerve stimulator", "VNS Therapy AspireSR", "VNS generator"),
}
STIM_INDICATION = {
    "scs": ("failed back surgery syndrome", "CRPS of the LLE", "painful diabetic neuropathy", "chronic radiculopathy"),
    "dbs": ("Parkinson disease with motor fluctuations", "essential tremor", "generalized dystonia"),
    "vns": ("drug-resistant epilepsy", "refractory focal epilepsy", "treatment-resistant depression"),
}
STIM_ANALYSIS = (
    "[[{stim} interrogated]] with the clinician programmer", "[[Interrogation of {stim}]]: impedances within normal limits",
    "[[Device interrogated]]; battery {batt}%, impedances normal", "[[{stim} checked with tablet programmer]]",
    "[[Telemetry with {stim}]] confirmed; therapy on",
)
STIM_REPROG = {
    "scs": ("[[New program created]]: {amp} mA, {pw} us, {hz} Hz", "[[Amplitude increased from {amp0} to {amp} mA]]",
            "[[Reprogrammed]] to a 10 kHz paresthesia-free program", "[[Program 2 modified]]: pulse width {pw} us"),
    "dbs": ("[[Left STN amplitude increased 2.5 -> 2.8 V]]", "[[Active contact changed to 2-/C+]], 60 us, 130 Hz",
            "[[Right GPi amplitude increased]] by 0.3 mA", "[[Programming adjusted]]: frequency 130 -> 160 Hz"),
    "vns": ("[[Output current increased 1.5 -> 1.75 mA]]", "[[Magnet current set to 2.0 mA]]",
            "[[Duty cycle changed]] to 30 s on / 3 min off", "[[VNS output increased]] to {amp} mA"),
}


def compose_stim(rng: random.Random, sc: Scenario, ctx: Ctx) -> dict[str, list[str]]:
    """Neurostimulator analysis/programming: interrogated and programmed like a pump, but not a drug pump."""
    kind = sc.flavour
    ctx.fixed.update({"stim": pick(rng, STIM_DEVICES[kind]), "batt": str(rng.randrange(20, 99)),
                      "amp": f"{rng.randrange(10, 60) / 10:.1f}", "amp0": f"{rng.randrange(5, 30) / 10:.1f}",
                      "pw": str(pick(rng, (60, 90, 120, 200, 300))), "hz": str(pick(rng, (40, 60, 130, 1200)))})
    ctx.fixed["indication"] = pick(rng, STIM_INDICATION[kind])
    c: dict[str, list[str]] = {}
    c["cc"] = [fill(rng, ctx, ("{C_stim} programming", "Device check", "Stimulator follow-up", "{C_stim} reprogramming"))]
    c["hpi"] = [fill(rng, ctx, ("{pt} with {indication} s/p {stim} implant {yr}, here for programming.",
                                "{pt}, {indication}; stimulator placed {yr}. Reports reduced benefit over 2 months."))]
    proc = [fill(rng, ctx, STIM_ANALYSIS)]
    if sc.reprog:
        proc.append(fill(rng, ctx, STIM_REPROG[kind]))
    else:
        proc.append(fill(rng, ctx, ("[[No programming changes made]]", "[[Settings unchanged]]",
                                    "[[Stimulator not reprogrammed]]")))
    if sc.has("pump_mention"):
        c["hpi"].append(fill(rng, ctx, (
            "Also has an {rt} {drug} pump, last refilled {last_refill} at the pain clinic; not addressed today.",
            "Has an intrathecal pump managed by Dr. {doc}; refill due {next_short}.",
            "ITB pump in place since {implant_year}, managed elsewhere.")))
    c["proc"] = proc
    pl, sig_ev = performer_line_generic(rng, sc, "programming" if sc.reprog else "interrogation")
    c["performer"] = [pl] if pl else []
    c["signature"] = signature_lines(rng, sc, ctx, sig_ev)
    background(rng, sc, ctx, c, pump_psh=sc.has("pump_mention"))
    c["exam"] = [pick(rng, ("IPG site well healed, nontender", "Generator site clean, no erythema", "Tremor improved post "
                            "programming", "Neuro: gait steady"))]
    c["assessment"] = [f"{cap(ctx.fixed['indication'])} with {ctx.fixed['stim']}"] + c["problems"]
    c["plan"] = [pick(rng, ("RTC 3 months for programming", "Call if benefit fades", "Continue current meds",
                            "Trial new program for 2 weeks"))]
    c["title"] = [pick(rng, ("Neurostimulator Programming", "Device Clinic", "Stimulator Check"))]
    c["kv"] = [f"Date: {ctx.fixed['date']}", f"Device: {ctx.fixed['stim']}", mark("Interrogated: yes"),
               f"Battery: {ctx.fixed['batt']}%", "Impedances: WNL"]
    c["kv"].append("Program changes: " + (proc[1] if sc.reprog else mark("none")))
    assert sc.performer is not None
    c["kv"].append(mark(f"Clinician: {sc.performer.full}"))
    c["summary"] = [sentence(", ".join(proc) + " " + mark(f"by {sc.performer.short}"))]
    return c


def performer_line_generic(rng: random.Random, sc: Scenario, noun: str) -> tuple[str | None, bool]:
    """Performer statement for non-drug-pump services."""
    perf, author = sc.performer, sc.author
    assert perf is not None and author is not None
    if perf == author:
        if chance(rng, 0.5):
            return None, True
        return mark(f"{cap(noun)} performed by {perf.full}"), False
    return mark(pick(rng, (f"{cap(noun)} performed by {perf.full}", f"{perf.full} performed the {noun}"))), False


OTHER_ROUTE_LINES = {
    "hepatic": (
        ("[[Hepatic artery infusion pump accessed]] with {needle} Huber needle", "[[HAI pump accessed]] via template"),
        ("Residual {res} mL aspirated", "Returned {res} mL (expected {exp})"),
        ("[[HAI pump refilled with {vol} mL FUDR in heparinized saline]]",
         "[[Refilled hepatic arterial pump]] with {vol} mL heparinized saline and glycerin (rest cycle)",
         "[[{vol} mL FUDR/heparin instilled into the HAI pump]]"),
    ),
    "port": (
        ("[[Port-a-cath accessed]] with 20-g 3/4 inch Huber needle, + blood return",
         "[[Implanted port accessed]] using sterile technique; brisk blood return"),
        ("",),
        ("[[Port flushed with 10 mL NS and 5 mL heparin 100 units/mL]], de-accessed",
         "[[Flushed with 20 mL NS, heparin locked]]; needle removed", "[[Port flush]] completed, site covered"),
    ),
    "iv": (
        ("[[CADD ambulatory pump cassette changed]]", "[[Portable infusion pump reservoir replaced]]",
         "[[Ambulatory pump refilled]] (CADD-Solis)"),
        ("IV via R arm PICC, line flushed", "Infusing via port"),
        ("[[Portable pump refilled with {iv_drug}]]; rate unchanged", "[[New {iv_drug} bag/cassette hung]] on portable pump",
         "[[Refill of portable IV pump]] with {iv_drug}"),
    ),
}
OTHER_ROUTE_IND = {
    "hepatic": ("colorectal liver metastases on HAI FUDR", "intrahepatic cholangiocarcinoma on HAI therapy"),
    "port": ("port maintenance between chemotherapy cycles", "breast cancer in remission, port maintenance"),
    "iv": ("advanced heart failure on home milrinone", "colon cancer on FOLFOX with 46-h 5-FU pump",
           "pulmonary hypertension on IV treprostinil"),
}


def compose_other_route(rng: random.Random, sc: Scenario, ctx: Ctx) -> dict[str, list[str]]:
    """Refill/maintenance of pumps for other routes, or a port flush (96521-96523)."""
    kind = sc.flavour
    ctx.fixed["iv_drug"] = pick(rng, ("milrinone 0.375 mcg/kg/min", "5-FU 2400 mg/m2 over 46 h", "treprostinil",
                                      "ertapenem 1 g daily"))
    ctx.fixed["indication"] = pick(rng, OTHER_ROUTE_IND[kind])
    access, middle, main = OTHER_ROUTE_LINES[kind]
    proc = [fill(rng, ctx, access)]
    mid = pick(rng, middle)
    if mid:
        proc.append(mid.format_map(ctx))
    proc.append(fill(rng, ctx, main))
    c: dict[str, list[str]] = {}
    c["cc"] = [{"hepatic": "HAI pump refill", "port": "Port flush", "iv": "Home infusion pump refill"}[kind]]
    c["hpi"] = [fill(rng, ctx, ("{pt} with {indication}, here for " + c["cc"][0].lower() + ".",
                                "{pt}; {indication}. No fever or site pain."))]
    if kind == "hepatic" and chance(rng, 0.4):
        c["hpi"].append(fill(rng, ctx, ("HAI pump ({device}) placed {yr}; not a spinal pump.",
                                        "Pump is a {device} connected to the hepatic artery.")))
    if sc.has("multi_problem") and chance(rng, 0.3):
        c["hpi"].append("Also on oral baclofen for MS spasticity; no intrathecal pump.")
    c["proc"] = proc
    pl, sig_ev = performer_line_generic(rng, sc, "refill" if sc.refill else "port flush")
    c["performer"] = [pl] if pl else []
    c["signature"] = signature_lines(rng, sc, ctx, sig_ev)
    background(rng, sc, ctx, c, pump_psh=False)
    c["exam"] = [pick(rng, ("Site without erythema or tenderness", "Port site clean", "Pump pocket RUQ intact"))]
    c["assessment"] = [cap(ctx.fixed["indication"])] + c["problems"]
    c["plan"] = [fill(rng, ctx, ("Next refill {next_short}", "Return in 4 weeks", "Next flush in 4-12 weeks",
                                 "Chemo per oncology"))]
    c["title"] = [{"hepatic": "HAI Pump Refill", "port": "Port Maintenance", "iv": "Infusion Pump Visit"}[kind]]
    c["kv"] = [f"Date: {ctx.fixed['date']}", f"Indication: {ctx.fixed['indication']}"] + [
        f"Procedure: {x}" for x in proc]
    assert sc.performer is not None
    c["kv"].append(mark(f"Performed by: {sc.performer.full}"))
    c["summary"] = [sentence("; ".join(proc) + ". " + mark(f"{sc.performer.short}"))]
    return c
