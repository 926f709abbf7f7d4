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

Facts convention (points SCHEMA.md leaves open, decided here):
- facts describe what was done in this encounter to the device that is the subject of the note; when
  that device is a look-alike (stimulator, insulin pump, hepatic pump, port ...) `lookalike` names it
  and `route` is null, so e.g. a hepatic pump refill has refill=true, lookalike="hepatic";
- programming at implant is part of the implant (rule 4): implant notes keep analysis/reprogramming
  false; `implant` is true for initial implants and replacements (a new pump was placed);
- `programmable` is only set when a pump is placed (SCHEMA: null when no device placed); a
  subcutaneous reservoir (62360) is not a pump, so implant=false, programmable=null there;
- `performer` is who did the refill (or the service), not the note's author or cosigner: an MD note
  saying "refill performed by K. Lee, RN" is staff (95990); an RN note saying "Dr. X refilled" is
  physician (95991). It is null when nothing was performed.

Reproducible: one `random.Random(seed)` drives everything; no clock, no unordered set iteration.
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
    "clinic_soap",
    "nursing_refill",
    "telephone",
    "op_report",
    "discharge",
    "h_and_p",
    "procedure_note",
    "flowsheet",
    "transcription",
    "consult",
    "other",
)

# Note types per scenario family, with weights (telephone only where nothing can be performed).
NT_REFILL = (
    ("clinic_soap", 3.0),
    ("nursing_refill", 3.0),
    ("procedure_note", 2.5),
    ("flowsheet", 2.0),
    ("transcription", 1.2),
    ("consult", 0.8),
    ("discharge", 0.6),
    ("other", 0.9),
    ("h_and_p", 0.3),
)
NT_ANALYSIS = (
    ("clinic_soap", 4.0),
    ("procedure_note", 2.0),
    ("flowsheet", 1.5),
    ("transcription", 1.0),
    ("consult", 1.2),
    ("discharge", 0.6),
    ("other", 0.8),
    ("h_and_p", 0.4),
    ("nursing_refill", 0.8),
)
NT_SURGERY = (("op_report", 5.0), ("procedure_note", 1.5), ("transcription", 1.8), ("discharge", 1.2))
NT_STIM = (
    ("clinic_soap", 3.0),
    ("procedure_note", 2.0),
    ("consult", 0.6),
    ("flowsheet", 1.0),
    ("transcription", 0.7),
    ("other", 0.5),
)
NT_OTHER_ROUTE = (
    ("nursing_refill", 2.5),
    ("flowsheet", 1.5),
    ("procedure_note", 1.5),
    ("clinic_soap", 2.0),
    ("transcription", 0.5),
)

NULL_FLAVOURS: tuple[tuple[str, float], ...] = (
    ("history_only", 3.0),
    ("planned", 2.0),
    ("deferred", 2.0),
    ("cancelled", 1.0),
    ("negated", 1.2),
    ("hypothetical", 1.0),
    ("other_person", 0.8),
    ("trial", 1.2),
    ("telephone", 1.5),
    ("site_check", 0.8),
    ("insulin", 1.0),
    ("pca", 0.8),
    ("iv", 0.5),
    ("wound_vac", 0.4),
    ("cardiac", 0.6),
    ("esi", 0.5),
)

# ---------------------------------------------------------------------------------------------
# Vocabulary
# ---------------------------------------------------------------------------------------------
FIRST_NAMES = (
    "Maria",
    "James",
    "Aisha",
    "Robert",
    "Linda",
    "Wei",
    "Carlos",
    "Priya",
    "Thomas",
    "Fatima",
    "Kevin",
    "Grace",
    "Daniel",
    "Olga",
    "Samuel",
    "Nina",
    "Jorge",
    "Emily",
    "Andre",
    "Hannah",
    "Tomasz",
    "Keisha",
    "Brian",
    "Mei",
    "Rachel",
    "Omar",
    "Sofia",
    "Paul",
    "Yolanda",
    "Derek",
    "Beth",
    "Luis",
    "Ingrid",
    "Raj",
)
LAST_NAMES = (
    "Alvarez",
    "Chen",
    "Okafor",
    "Smith",
    "Patel",
    "Nguyen",
    "Johnson",
    "Kowalski",
    "Garcia",
    "Brennan",
    "Haddad",
    "Lindqvist",
    "Moore",
    "Tanaka",
    "Rivera",
    "Schultz",
    "Ibrahim",
    "Walsh",
    "Dubois",
    "Kim",
    "Novak",
    "Osei",
    "Fischer",
    "Reyes",
    "Murphy",
    "Goldberg",
    "Singh",
    "Castillo",
    "Abernathy",
    "Yamamoto",
    "Petrov",
    "O'Neill",
    "Baptiste",
    "Lund",
    "Hernandez",
    "Whitfield",
)
# (role as written, weight); the class decides 95990 vs 95991 and 62369 vs 62370
STAFF_ROLES = (
    ("RN", 10.0),
    ("RN, BSN", 2.0),
    ("BSN, RN", 2.0),
    ("LPN", 3.0),
    ("CMA", 0.8),
    ("clinic tech", 0.6),
)
QHP_ROLES = (
    ("MD", 10.0),
    ("DO", 4.0),
    ("NP", 4.0),
    ("APRN", 1.0),
    ("FNP-C", 1.0),
    ("PA-C", 3.0),
    ("PA", 0.8),
)
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
        (
            "SynchroMed II",
            "Medtronic SynchroMed II",
            "SynchroMed II pump",
            "Synchromed II",
            "SynchroMed 2",
            "SM II",
            "Medtronic SynchroMed II programmable pump",
        ),
        True,
        (
            "clinician programmer",
            "Medtronic clinician programmer",
            "CT900 tablet programmer",
            "tablet programmer",
            "Medtronic tablet",
            "A810 clinician programmer app",
            "N'Vision programmer",
        ),
        (20, 40),
        "Medtronic",
    ),
    "synchromed": DeviceSpec(
        "synchromed",
        ("SynchroMed", "SynchroMed EL", "Medtronic SynchroMed"),
        True,
        ("N'Vision", "8840 N'Vision clinician programmer", "N'Vision programmer"),
        (18, 20),
        "Medtronic",
    ),
    "prometra2": DeviceSpec(
        "prometra2",
        ("Prometra II", "Flowonix Prometra II", "Prometra II programmable pump", "Prometra 2"),
        True,
        (
            "Prometra programmer",
            "Flowonix clinician programmer",
            "Prometra tablet programmer",
            "Prometra II programmer",
        ),
        (20, 40),
        "Flowonix",
    ),
    "prometra": DeviceSpec(
        "prometra",
        ("Prometra", "Flowonix Prometra", "Prometra pump"),
        True,
        ("Prometra programmer", "Flowonix programmer"),
        (20,),
        "Flowonix",
    ),
    "codman3000": DeviceSpec(
        "codman3000",
        ("Codman 3000", "Codman 3000 constant-flow pump", "Codman model 3000", "Codman 3000 (constant flow)"),
        False,
        (),
        (16, 30, 50),
        "Codman",
    ),
    "isomed": DeviceSpec(
        "isomed",
        ("IsoMed", "Medtronic IsoMed constant-flow pump", "IsoMed constant flow pump"),
        False,
        (),
        (20, 35),
        "Medtronic",
    ),
}
PROGRAMMABLE_KEYS: tuple[tuple[str, float], ...] = (
    ("synchromed2", 7.0),
    ("synchromed", 1.0),
    ("prometra2", 2.0),
    ("prometra", 0.8),
)
FIXED_KEYS: tuple[tuple[str, float], ...] = (("codman3000", 2.0), ("isomed", 1.0))

PUMP_TERMS_IT = (
    "IT pump",
    "intrathecal pump",
    "IDDS",
    "ITDD",
    "intrathecal drug delivery system",
    "pump",
    "pump",
    "intrathecal drug pump",
    "implanted pump",
    "TDD pump",
    "IT drug pump",
)
PUMP_TERMS_BACLOFEN = ("ITB pump", "baclofen pump", "intrathecal baclofen pump", "ITB pump", "ITB system")
PUMP_TERMS_PAIN = ("pain pump", "IT pain pump", "intrathecal pain pump", "pain pump")
PUMP_TERMS_EPIDURAL = (
    "epidural pump",
    "implanted epidural pump",
    "epidural drug pump",
    "pump",
    "epidural infusion pump",
)
PUMP_TERMS_ICV = (
    "intraventricular pump",
    "ICV pump",
    "intraventricular drug pump",
    "intraventricular pump",
    "pump",
)


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
    "baclofen": DrugSpec(
        "baclofen",
        ("baclofen", "Lioresal", "Gablofen", "Lioresal Intrathecal", "PF baclofen", "baclofen"),
        "mcg",
        (500, 1000, 2000, 2000, 3000),
        60,
        900,
        "spasticity",
    ),
    "morphine": DrugSpec(
        "morphine",
        ("morphine", "Infumorph", "PF morphine", "preservative-free morphine", "morphine", "MSO4"),
        "mg",
        (10, 20, 25, 30),
        0.5,
        12,
        "pain",
    ),
    "hydromorphone": DrugSpec(
        "hydromorphone",
        ("hydromorphone", "Dilaudid", "PF hydromorphone", "hydromorphone", "HM"),
        "mg",
        (2, 5, 10, 15, 20),
        0.2,
        6,
        "pain",
    ),
    "ziconotide": DrugSpec("ziconotide", ("ziconotide", "Prialt"), "mcg", (25, 100), 0.5, 10, "pain"),
    "fentanyl": DrugSpec("fentanyl", ("fentanyl", "PF fentanyl"), "mcg", (250, 500, 1000), 50, 600, "pain"),
    "sufentanil": DrugSpec("sufentanil", ("sufentanil",), "mcg", (25, 50, 100), 5, 150, "pain"),
    "bupivacaine": DrugSpec(
        "bupivacaine", ("bupivacaine", "PF bupivacaine", "Marcaine"), "mg", (10, 15, 20, 30), 2, 30, "pain"
    ),
    "clonidine": DrugSpec("clonidine", ("clonidine", "Duraclon"), "mcg", (100, 500, 1000), 20, 300, "pain"),
}
IT_DRUG_WEIGHTS = (
    ("baclofen", 45.0),
    ("morphine", 18.0),
    ("hydromorphone", 15.0),
    ("ziconotide", 6.0),
    ("fentanyl", 6.0),
    ("sufentanil", 3.0),
    ("bupivacaine", 2.0),
    ("clonidine", 1.5),
)
EPIDURAL_DRUG_WEIGHTS = (
    ("morphine", 4.0),
    ("hydromorphone", 3.0),
    ("bupivacaine", 1.5),
    ("fentanyl", 1.5),
    ("clonidine", 1.0),
)
ICV_DRUG_WEIGHTS = (("morphine", 3.0), ("baclofen", 2.0))
ADJUVANTS = (
    "bupivacaine 10 mg/mL",
    "bupivacaine 15 mg/mL",
    "clonidine 100 mcg/mL",
    "clonidine 200 mcg/mL",
    "bupivacaine 20 mg/mL",
)

INDICATIONS_SPASTICITY = (
    "spasticity due to multiple sclerosis",
    "MS-related spasticity",
    "spastic diplegia from cerebral palsy",
    "spastic quadriplegic CP",
    "spasticity after C6 SCI (ASIA B)",
    "T4 complete SCI with severe spasticity",
    "TBI-related spasticity",
    "post-stroke spasticity",
    "generalized dystonia",
    "stiff person syndrome",
    "hereditary spastic paraparesis",
    "severe lower-extremity spasticity (SPMS)",
)
INDICATIONS_PAIN = (
    "failed back surgery syndrome",
    "FBSS",
    "chronic low back pain with lumbar radiculopathy",
    "CRPS of the RLE",
    "metastatic pancreatic cancer pain",
    "cancer pain from metastatic breast ca to spine",
    "post-laminectomy syndrome",
    "chronic pancreatitis pain",
    "lumbar arachnoiditis",
    "intractable neuropathic pain",
    "cancer-related pain (metastatic prostate ca)",
    "chronic pain after multiple lumbar fusions",
)
INDICATIONS_ICV = (
    "intractable head and neck cancer pain",
    "refractory craniofacial cancer pain",
    "generalized secondary dystonia",
)

COMORBIDITIES: tuple[tuple[str, tuple[str, ...], tuple[str, ...]], ...] = (
    (
        "Hypertension",
        (
            "HTN - BP {bp}, continue {med}",
            "Essential hypertension: controlled, continue {med}",
            "Hypertension, BP {bp} today; no change to {med}",
        ),
        ("lisinopril 10 mg daily", "amlodipine 5 mg daily", "losartan 50 mg daily", "HCTZ 25 mg daily"),
    ),
    (
        "Type 2 diabetes",
        (
            "DM2 - A1c {a1c}%, continue {med}",
            "Type 2 diabetes mellitus, A1c {a1c}; on {med}",
            "DM2: fasting sugars 120s-150s per pt; {med}",
        ),
        (
            "metformin 1000 mg BID",
            "glipizide 5 mg daily",
            "insulin glargine 22 units qHS",
            "semaglutide 1 mg weekly",
        ),
    ),
    (
        "CKD",
        (
            "CKD stage 3a, Cr {cr}; avoid NSAIDs",
            "CKD 3b - stable, Cr {cr}",
            "Chronic kidney disease, eGFR 48",
        ),
        ("no nephrotoxic meds",),
    ),
    (
        "Depression",
        ("Depression - PHQ-9 {phq}, continue {med}", "MDD, stable on {med}", "Depression: mood fair, {med}"),
        (
            "sertraline 50 mg daily",
            "duloxetine 60 mg daily",
            "bupropion XL 150 mg daily",
            "escitalopram 10 mg daily",
        ),
    ),
    (
        "Hypothyroidism",
        ("Hypothyroidism - TSH {tsh}, continue {med}", "Hypothyroid, on {med}"),
        ("levothyroxine 75 mcg daily", "levothyroxine 100 mcg daily"),
    ),
    ("OSA", ("OSA on CPAP, adherent", "Obstructive sleep apnea - uses CPAP nightly"), ("CPAP",)),
    (
        "GERD",
        ("GERD - controlled on {med}", "Reflux, continue {med}"),
        ("omeprazole 20 mg daily", "famotidine 20 mg BID"),
    ),
    (
        "Hyperlipidemia",
        ("HLD - continue {med}", "Hyperlipidemia, LDL {ldl}; {med}"),
        ("atorvastatin 40 mg daily", "rosuvastatin 10 mg daily"),
    ),
    (
        "Neurogenic bladder",
        ("Neurogenic bladder - intermittent cath QID", "Neurogenic bladder, on {med}"),
        ("oxybutynin 5 mg TID", "mirabegron 25 mg daily"),
    ),
    (
        "Constipation",
        ("Opioid-induced constipation - {med}", "Chronic constipation, continue {med}"),
        ("senna 8.6 mg BID", "docusate 100 mg BID", "polyethylene glycol 17 g daily"),
    ),
    ("Osteoporosis", ("Osteoporosis - on {med}", "Osteoporosis, DEXA due"), ("alendronate 70 mg weekly",)),
    (
        "Atrial fibrillation",
        ("AFib - rate controlled, on {med}", "Paroxysmal AF, anticoagulated with {med}"),
        ("apixaban 5 mg BID", "metoprolol succinate 50 mg daily"),
    ),
    (
        "COPD",
        ("COPD - stable, continue {med}", "COPD, no recent exacerbation; {med}"),
        ("tiotropium 18 mcg daily", "albuterol PRN"),
    ),
    (
        "Anxiety",
        ("Anxiety - stable on {med}", "GAD, {med}"),
        ("buspirone 10 mg BID", "sertraline 100 mg daily"),
    ),
)
GENERIC_MEDS = (
    "acetaminophen 650 mg q6h PRN",
    "gabapentin 300 mg TID",
    "oral baclofen 10 mg TID",
    "tizanidine 4 mg qHS",
    "pregabalin 75 mg BID",
    "vitamin D3 2000 IU daily",
    "aspirin 81 mg daily",
    "melatonin 3 mg qHS",
    "oxycodone 5 mg q6h PRN",
    "diazepam 2 mg qHS",
    "cetirizine 10 mg daily",
    "tamsulosin 0.4 mg daily",
    "ondansetron 4 mg PRN",
    "magnesium oxide 400 mg daily",
    "cyclobenzaprine 5 mg PRN",
    "dantrolene 25 mg BID",
)
ALLERGIES = (
    "NKDA",
    "PCN (rash)",
    "sulfa",
    "NKDA",
    "codeine (nausea)",
    "latex",
    "No known allergies",
    "morphine (itching)",
)

ROS_LINES = (
    "Constitutional: denies fever, chills, weight loss",
    "Eyes: no visual changes",
    "ENT: no sore throat",
    "CV: denies chest pain, palpitations",
    "Resp: no SOB or cough",
    "GI: denies N/V; +constipation",
    "GU: no dysuria",
    "MSK: + muscle spasms",
    "Skin: no rash, no drainage at pump site",
    "Neuro: no new weakness, no headache",
    "Psych: mood stable",
    "Heme: no easy bruising",
    "Endo: no polyuria",
    "All other systems reviewed and negative",
)

# Look-alike devices mentioned in another problem: history/status only, never a service in THIS note.
LOOKALIKE_MENTIONS = (
    (
        "Also has a spinal cord stimulator (Nevro, {yr}) for back pain, followed by Dr. {doc}; not "
        "interrogated today"
    ),
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
    {
        "cc": ("Cough x 5 days", "Cough and congestion"),
        "hpi": (
            "Productive cough for 5 days, low-grade temp 99.8 at home, no SOB.",
            "URI symptoms since the weekend; sick contacts at home.",
        ),
        "exam": ("Lungs clear bilaterally, no wheeze. Oropharynx mildly erythematous.",),
        "assessment": ("Acute viral URI", "Acute bronchitis, likely viral"),
        "plan": (
            "Supportive care, fluids, honey; return if fever > 3 days",
            "Benzonatate 100 mg TID PRN cough",
        ),
    },
    {
        "cc": ("Dysuria", "Burning with urination"),
        "hpi": (
            "Dysuria and frequency x 2 days, no flank pain.",
            "Cloudy urine and urgency; hx of recurrent UTIs.",
        ),
        "exam": ("Mild suprapubic tenderness, no CVA tenderness.",),
        "assessment": ("Acute cystitis", "UTI, uncomplicated"),
        "plan": ("Nitrofurantoin 100 mg BID x 5 days", "UA/culture sent; cephalexin pending culture"),
    },
    {
        "cc": ("HTN follow-up", "Blood pressure check"),
        "hpi": (
            "Home BPs 130s-140s/80s. Tolerating meds.",
            "Here for 3-month BP follow-up; no headaches or CP.",
        ),
        "exam": ("RRR, no murmur. No edema.",),
        "assessment": ("Essential hypertension, not at goal", "HTN, controlled"),
        "plan": ("Increase amlodipine to 10 mg daily", "BMP today; RTC 3 months"),
    },
    {
        "cc": ("R knee pain", "Left knee pain after twisting"),
        "hpi": (
            "Knee pain x 3 weeks, worse with stairs. No trauma.",
            "Twisted knee getting out of wheelchair transfer.",
        ),
        "exam": ("Mild effusion, no ligamentous laxity, TTP medial joint line.",),
        "assessment": ("Knee osteoarthritis", "Knee sprain"),
        "plan": ("X-ray knee 3 views; ice, acetaminophen", "PT referral; topical diclofenac"),
    },
    {
        "cc": ("Redness L lower leg",),
        "hpi": ("Erythema and warmth of L shin x 3 days, no drainage.",),
        "exam": ("10 x 8 cm area of erythema L anterior shin, warm, no fluctuance.",),
        "assessment": ("Cellulitis of left lower extremity",),
        "plan": ("Cephalexin 500 mg QID x 7 days; mark borders, return if spreading",),
    },
    {
        "cc": ("Fall at home", "Fall from wheelchair"),
        "hpi": (
            "Slid out of wheelchair during transfer, hit R shoulder; no LOC.",
            "Mechanical fall, no head strike.",
        ),
        "exam": ("R shoulder TTP, full ROM with pain. Neuro intact.",),
        "assessment": ("Contusion of right shoulder", "Mechanical fall without injury"),
        "plan": ("X-ray negative for fracture; sling PRN, acetaminophen", "Home safety eval, PT"),
    },
    {
        "cc": ("Annual wellness visit", "Annual physical"),
        "hpi": ("Here for annual exam. No acute complaints.",),
        "exam": ("Well appearing. Heart RRR, lungs CTA. Abdomen soft, well-healed pump pocket scar LLQ.",),
        "assessment": ("Health maintenance", "Routine adult exam"),
        "plan": ("Flu shot given; colonoscopy referral; lipids, A1c", "Shingrix #2 due; mammogram ordered"),
    },
    {
        "cc": ("Diabetes follow-up",),
        "hpi": ("A1c 7.8 last visit. Checking sugars BID.",),
        "exam": ("Monofilament intact bilaterally. No foot ulcers.",),
        "assessment": ("Type 2 diabetes mellitus with hyperglycemia",),
        "plan": ("Increase metformin to 1000 mg BID; A1c in 3 months",),
    },
    {
        "cc": ("Rash on back",),
        "hpi": ("Itchy rash on upper back x 1 week.",),
        "exam": ("Scattered erythematous papules upper back, no vesicles.",),
        "assessment": ("Contact dermatitis",),
        "plan": ("Triamcinolone 0.1% cream BID x 2 weeks",),
    },
    {
        "cc": ("Anxiety follow-up", "Depression follow-up"),
        "hpi": ("Mood better since sertraline increase, sleeping 6 h.",),
        "exam": ("Alert, good eye contact, affect euthymic.",),
        "assessment": ("Major depressive disorder, improving", "Generalized anxiety disorder"),
        "plan": ("Continue sertraline 100 mg; therapy referral", "RTC 6 weeks"),
    },
)

ED_VISIT_IDX = (0, 1, 3, 4, 5, 8)  # unrelated visits that make sense in an ED

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
    "procedure": (
        "Procedure",
        "Procedure Note",
        "Intrathecal Pump",
        "Pump Management",
        "Procedure Details",
        "Pump Visit",
    ),
    "proc_name": ("Procedure", "Procedure Performed", "Procedures"),
    "procedure_generic": ("Procedure", "Procedure Note", "Procedure Details", "Procedures"),
    "findings": ("Findings", "Results"),
    "findings_pump": ("Findings", "Interrogation Findings", "Results"),
    "indication": ("Indication", "Indications", "Reason for Procedure"),
    "consent": ("Consent", "Consent/Time-out"),
    "description": (
        "Description of Procedure",
        "Procedure Description",
        "Description",
        "Details of Procedure",
    ),
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
    "proc_title": (
        "Procedure",
        "Procedure Performed",
        "Operation",
        "Procedures Performed",
        "Name of Procedure",
    ),
    "surgeon": ("Surgeon", "Attending Surgeon", "Primary Surgeon"),
    "assistant": ("Assistant", "Assistant Surgeon"),
    "anesthesia": ("Anesthesia", "Anesthesia Type"),
    "ebl": ("Estimated Blood Loss", "EBL"),
    "implants": ("Implants", "Devices Implanted", "Hardware"),
    "specimens": ("Specimens", "Specimen"),
    "postop_instr": ("Postoperative Plan", "Post-op Instructions", "Plan"),
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
        return str(round(x))
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

    def __init__(
        self, rng: random.Random, fixed: dict[str, str], dynamic: dict[str, tuple[str, ...]]
    ) -> None:
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


MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def fmt_date(d: dt.date, style: int) -> str:
    """A date in one of the formats EHRs and transcriptionists use."""
    if style == 0:
        return f"{d.month:02d}/{d.day:02d}/{d.year}"
    if style == 1:
        return f"{d.month}/{d.day}/{d.year % 100:02d}"
    if style == 2:
        return d.isoformat()
    if style == 3:
        return f"{MONTHS[d.month - 1]} {d.day}, {d.year}"
    return f"{d.day:02d}-{MONTHS[d.month - 1]}-{d.year}"


def short_date(d: dt.date, style: int) -> str:
    """Month/day only, as in 'alarm date 5/12'."""
    if style == 3:
        return f"{MONTHS[d.month - 1]} {d.day}"
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


def make_person(
    rng: random.Random,
    kind: str,
    exclude: tuple[Person, ...] = (),
    nurse_only: bool = False,
    rn_only: bool = False,
) -> Person:
    """A random clinician of the given class, distinct by last name from `exclude`."""
    roles = (
        (STAFF_ROLES[:3] if rn_only else STAFF_ROLES[:4] if nurse_only else STAFF_ROLES)
        if kind == "staff"
        else QHP_ROLES
    )
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


OUTPATIENT_TYPES = ("clinic_soap", "nursing_refill", "procedure_note", "flowsheet", "transcription")
INPATIENT_TYPES = ("h_and_p", "discharge", "other", "consult")

MAINT_FLAGS: dict[str, tuple[bool, bool, str]] = {
    # decision: (refill, reprogramming, performer kind or "any")
    "95990": (True, False, "staff"),
    "95991": (True, False, "physician"),
    "62369": (True, True, "staff"),
    "62370": (True, True, "physician"),
    "62368": (False, True, "any"),
    "62367": (False, False, "any"),
}
REPROG_KINDS_NO_REFILL = (
    ("inc", 6.0),
    ("dec", 2.5),
    ("bolus", 1.0),
    ("flex", 1.0),
    ("periodic", 0.8),
    ("ptm", 1.2),
    ("mode", 0.7),
)
REPROG_KINDS_REFILL = REPROG_KINDS_NO_REFILL + (("conc", 1.5),)
SURGICAL_FAMILY = {
    "62362": "implant",
    "62361": "implant",
    "62365": "explant",
    "62360": "reservoir",
    "62350": "catheter",
    "62351": "catheter",
    "62355": "catheter",
}


def sample_scenario(rng: random.Random, decision: str | None) -> Scenario:
    """Sample what happened; set decision-determining flags first, then optional text features."""
    if decision in MAINT_FLAGS:
        return _sample_maint(rng, decision)
    if decision in SURGICAL_FAMILY:
        return _sample_surgical(rng, decision)
    if decision == "95970-95972":
        sc = Scenario(
            decision, "stim", wpick(rng, (("scs", 5.0), ("dbs", 2.0), ("vns", 1.5))), wpick(rng, NT_STIM)
        )
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
        sc = Scenario(
            decision,
            "other_route",
            wpick(rng, (("hepatic", 4.0), ("port", 3.0), ("iv", 2.0))),
            wpick(rng, NT_OTHER_ROUTE),
        )
        sc.lookalike = sc.flavour
        sc.refill = sc.flavour != "port"
        sc.performer = make_person(rng, "staff" if chance(rng, 0.8) else "physician", nurse_only=True)
        sc.author = (
            sc.performer
            if sc.note_type in ("nursing_refill", "flowsheet") or chance(rng, 0.5)
            else make_person(rng, "physician", (sc.performer,))
        )
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
    # assistants/techs only for plain outpatient refills
    nurse_only = decision != "95990" or nt not in OUTPATIENT_TYPES
    sc.performer = make_person(rng, perf_kind, nurse_only=nurse_only, rn_only=reprog)
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
    if any(
        x in ex
        for x in (
            "psh",
            "hist_dose",
            "plan_refill",
            "plan_replace",
            "plan_dose",
            "hypo",
            "neg_reprog",
            "neg_refill",
            "neg_analysis",
            "other_person",
        )
    ):
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
            sc.author = perf if chance(rng, 0.8) else make_person(rng, "staff", (perf,), nurse_only=True)
        else:
            sc.author = make_person(rng, "staff", (perf,), nurse_only=True)  # RN documents physician's refill
        if chance(rng, 0.3):
            sc.cosigner = make_person(rng, "physician", (perf, sc.author))
    elif nt in INPATIENT_TYPES:
        sc.author = (
            make_person(rng, "physician", (perf,)) if chance(rng, 0.7) or perf.kind == "staff" else perf
        )
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
        for name, p in (
            ("plan_first_refill", 0.4),
            ("plan_titrate", 0.3 if decision == "62362" else 0.0),
            ("hypo", 0.15 if decision == "62362" else 0.0),
            ("lookalike_mention", 0.12),
        ):
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
            sc.flavour = pick(
                rng, ("revision", "reposition", "new_catheter_existing_pump", "external_system")
            )
            if sc.flavour == "external_system":
                sc.route = "epidural"
                sc.drug = DRUGS[pick(rng, ("morphine", "hydromorphone", "bupivacaine"))]
        sc.device = DEVICES[wpick(rng, PROGRAMMABLE_KEYS)]
        sc.rules = set()
        if sc.flavour not in ("temp_catheter", "external_system"):
            ex.append("old_pump_hist")
        if sc.flavour not in ("temp_catheter", "external_system", "after_explant") and chance(rng, 0.3):
            ex.append("pump_untouched_plan")
    if any(
        x in ex
        for x in (
            "old_pump_hist",
            "trial_hist",
            "plan_first_refill",
            "plan_titrate",
            "hypo",
            "plan_reimplant",
            "pump_untouched_plan",
        )
    ):
        sc.rules.add(6)
    if "lookalike_mention" in ex:
        sc.rules.add(7)
    _common_extras(rng, sc)
    return sc


NULL_NOTE_TYPES: dict[str, tuple[tuple[str, float], ...]] = {
    "history_only": (
        ("clinic_soap", 3.0),
        ("h_and_p", 2.0),
        ("discharge", 1.5),
        ("consult", 1.0),
        ("other", 1.5),
        ("telephone", 0.6),
        ("transcription", 0.5),
    ),
    "planned": (
        ("clinic_soap", 3.0),
        ("h_and_p", 2.0),
        ("telephone", 1.0),
        ("consult", 1.0),
        ("discharge", 0.5),
    ),
    "deferred": (("nursing_refill", 3.0), ("procedure_note", 1.5), ("clinic_soap", 1.5), ("flowsheet", 1.2)),
    "cancelled": (("procedure_note", 2.0), ("op_report", 1.5), ("other", 0.8), ("transcription", 0.6)),
    "negated": (("clinic_soap", 3.0), ("consult", 1.0), ("procedure_note", 0.5)),
    "hypothetical": (("consult", 2.0), ("clinic_soap", 2.0), ("h_and_p", 0.5)),
    "other_person": (("clinic_soap", 3.0), ("telephone", 1.0), ("h_and_p", 0.7)),
    "trial": (("procedure_note", 3.0), ("consult", 1.0), ("transcription", 0.8), ("clinic_soap", 0.6)),
    "telephone": (("telephone", 1.0),),
    "site_check": (("clinic_soap", 3.0), ("nursing_refill", 0.7), ("procedure_note", 0.5)),
    "insulin": (("clinic_soap", 3.0), ("consult", 1.0), ("flowsheet", 0.5), ("telephone", 0.4)),
    "pca": (
        ("clinic_soap", 1.0),
        ("consult", 1.0),
        ("flowsheet", 1.0),
        ("nursing_refill", 0.6),
        ("discharge", 0.4),
    ),
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
    sc.drug = DRUGS["morphine"] if flavour == "esi" else drug
    sc.device = DEVICES[wpick(rng, PROGRAMMABLE_KEYS if chance(rng, 0.9) else FIXED_KEYS)]
    sc.extras.append("null_route_" + route)
    lookalikes = {
        "insulin": "insulin",
        "pca": "pca",
        "iv": "iv",
        "wound_vac": "wound_vac",
        "cardiac": "other",
    }
    if flavour in lookalikes:
        sc.lookalike = lookalikes[flavour]
        sc.rules = {7}
        if flavour in ("insulin", "cardiac"):
            sc.analysis = True
            sc.reprog = chance(rng, 0.6)
        elif flavour == "pca":
            sc.reprog = chance(rng, 0.7)
        kind = (
            "physician"
            if flavour in ("insulin", "cardiac") or (flavour == "pca" and chance(rng, 0.5))
            else "staff"
        )
        sc.performer = make_person(rng, kind, nurse_only=True)
        if chance(rng, 0.3):
            sc.extras.append("pump_mention")
            sc.rules.add(6)
    elif flavour == "esi":
        sc.rules = set()
        sc.performer = make_person(rng, "physician")
    else:
        sc.rules = {6}
    if sc.note_type in ("nursing_refill", "flowsheet"):
        sc.author = (
            sc.performer
            if sc.performer and sc.performer.kind == "staff"
            else make_person(rng, "staff", nurse_only=True)
        )
    elif sc.note_type == "telephone":
        sc.author = make_person(rng, "staff" if chance(rng, 0.7) else "physician")
    else:
        sc.author = (
            sc.performer
            if sc.performer and sc.performer.kind == "physician"
            else make_person(rng, "physician")
        )
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


def make_rx(
    rng: random.Random, drug: DrugSpec, device: DeviceSpec | None, decrease: bool, refill: bool
) -> Rx:
    """Plausible numbers; new dose differs from old by 5-25%."""
    lo, hi = drug.dose_lo, drug.dose_hi
    old = _round_dose(lo + (hi - lo) * rng.random() ** 1.6, drug.unit)
    if drug.unit == "mcg" and old >= 50:
        old = float(round(old / 5.0) * 5)
    pct = pick(rng, (5, 10, 10, 10, 15, 20, 25, 8, 12))
    new = _round_dose(old * (1 - pct / 100 if decrease else 1 + pct / 100), drug.unit)
    if new == old:
        new = _round_dose(old * (0.8 if decrease else 1.25), drug.unit)
    size = pick(rng, device.sizes) if device else 20
    exp = round(1.0 + rng.random() * 5.0, 1)
    res = round(max(0.2, exp + rng.uniform(-0.6, 0.4)), 1)
    vol = float(size) if chance(rng, 0.7) else float(size - pick(rng, (1, 2, 4)))
    # no refill: the reservoir is not low
    resv = round(exp + rng.uniform(-0.3, 0.3), 1) if refill else round(8 + rng.random() * max(size - 10, 4), 1)
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
    age = (
        rng.randrange(9, 34)
        if (sc.drug and sc.drug.key == "baclofen" and chance(rng, 0.3))
        else rng.randrange(28, 86)
    )
    female = chance(rng, 0.5)
    sex_word = pick(rng, (("F", "M"), ("female", "male"), ("woman", "man"), ("F", "M")))[0 if female else 1]
    if age < 18 and sex_word in ("woman", "man"):
        sex_word = "girl" if female else "boy"
    pt_desc = pick(
        rng,
        (
            f"{age} y/o {sex_word}",
            f"{age}-year-old {sex_word}",
            f"{age}yo {sex_word}",
            f"{age} yo {sex_word}",
            f"{age} year old {sex_word}",
        ),
    )
    implant_year = visit.year - rng.randrange(1, 12)
    next_d = visit + dt.timedelta(days=rng.randrange(28, 125))
    drug = sc.drug or DRUGS["morphine"]
    device = sc.device or DEVICES["synchromed2"]
    rx = make_rx(rng, drug, device, decrease=sc.reprog_kind == "dec", refill=sc.refill)
    ustyle = rng.randrange(6)
    indication = pick(
        rng,
        INDICATIONS_ICV
        if sc.route == "intraventricular"
        else INDICATIONS_SPASTICITY
        if drug.kind == "spasticity"
        else INDICATIONS_PAIN,
    )
    conc = f"{fmt_num(rx.conc)} {drug.unit}/mL" if chance(rng, 0.85) else f"{fmt_num(rx.conc)}{drug.unit}/ml"
    rxline = conc
    if drug.kind == "pain" and drug.key not in ("bupivacaine", "clonidine") and chance(rng, 0.25):
        rxline = f"{conc} + {pick(rng, ADJUVANTS)}"
    terms: tuple[str, ...]
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
        "pt": pt_desc,
        "age": str(age),
        "he": "she" if female else "he",
        "his": "her" if female else "his",
        "him": "her" if female else "him",
        "Mr": "Ms." if female else "Mr.",
        "indication": indication,
        "drug": pick(rng, drug.names),
        "conc": conc,
        "rx": rxline,
        "a": dose_str(rx.old, drug.unit, ustyle),
        "b": dose_str(rx.new, drug.unit, ustyle),
        "an": fmt_num(rx.old),
        "bn": fmt_num(rx.new),
        "u": dose_str(1, drug.unit, ustyle)[1:].strip(),
        "unit": drug.unit,
        "pct": str(rx.pct),
        "size": str(rx.size),
        "res": fmt_num(rx.res),
        "exp": fmt_num(rx.exp),
        "vol": fmt_num(rx.vol),
        "newvol": fmt_num(rx.vol),
        "resv": fmt_num(rx.resv),
        "needle": pick(rng, ("22-g", "22-gauge", "22 G", "24-g", "22g", "22-ga")),
        "date": fmt_date(visit, dstyle),
        "next_date": fmt_date(next_d, dstyle),
        "admit": fmt_date(visit - dt.timedelta(days=rng.randrange(1, 6)), dstyle),
        "trial_date": fmt_date(visit - dt.timedelta(days=rng.randrange(14, 90)), dstyle),
        "next_short": short_date(next_d, dstyle),
        "alarm_new": short_date(next_d - dt.timedelta(days=7), dstyle),
        "alarm_old": short_date(visit + dt.timedelta(days=rng.randrange(3, 20)), dstyle),
        "last_refill": fmt_date(visit - dt.timedelta(days=rng.randrange(40, 110)), dstyle),
        "eri_date": f"{rng.randrange(1, 13)}/{visit.year + rng.randrange(1, 6)}",
        "eri_year": str(visit.year + rng.randrange(1, 6)),
        "implant_year": str(implant_year),
        "yr": str(visit.year - rng.randrange(1, 9)),
        "year": str(visit.year),
        "route": sc.route or "intrathecal",
        "rt": {"intrathecal": "IT", "epidural": "epidural", "intraventricular": "ICV"}[
            sc.route or "intrathecal"
        ],
        "mode": pick(
            rng, ("simple continuous", "simple continuous", "flex dosing", "simple continuous mode")
        ),
        "perf": perf.short if perf else "",
        "perf_full": perf.full if perf else "",
        "perf_called": perf.called if perf else "",
        "perf_role": perf.role if perf else "",
        "author": author.full,
        "author_short": author.short,
        "doc": doc.last,
        "side": pick(
            rng,
            ("RLQ", "LLQ", "left lower quadrant", "right lower quadrant", "L abdomen", "R abdominal wall"),
        ),
        "bp": f"{rng.randrange(108, 162)}/{rng.randrange(62, 96)}",
        "hr": str(rng.randrange(58, 104)),
        "temp": pick(rng, ("97.8", "98.1", "98.6", "97.5", "99.0", "36.8 C")),
        "rr": str(rng.randrange(12, 20)),
        "spo2": str(rng.randrange(93, 100)),
        "wt": str(rng.randrange(45, 130)),
        "pain": str(rng.randrange(2, 9)),
        "mas": pick(rng, ("1+", "2", "3", "1", "2", "4")),
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
    "Scheduled {pump} refill",
    "{C_pump} refill",
    "ITB pump refill",
    "Pump refill due",
    "Here for pump refill",
    "{C_pump} refill; low reservoir alarm date {alarm_old}",
    "Refill of {route} pump",
    "{C_rt} pump refill and check",
    "Routine refill visit",
    "Pump refill and reassessment",
)
CC_REFILL_REPROG = (
    "Pump refill and dose adjustment",
    "Refill + titration",
    "{C_pump} refill, increased symptoms",
    "Refill and reprogramming",
    "{C_pump} refill; symptoms not controlled",
    "Refill/titration visit",
)
CC_INPATIENT = (
    "Pump alarm beeping",
    "{sx_inpt}",
    "Low reservoir alarm",
    "Pump management while admitted",
    "{C_pump} evaluation",
)
CC_ANALYSIS = (
    "{C_pump} check",
    "Pump evaluation",
    "Follow-up {rt} {drug} pump",
    "Increased spasticity",
    "Worsening pain",
    "Pump alarm concern",
    "Dose titration follow-up",
    "Post-titration check",
    "{C_pump} follow-up",
)
HPI_OPEN = (
    "{pt} with {indication} {psh_clause}presents for {visit_reason}.",
    "{Mr} {last} is a {pt} with {indication} {psh_clause}here for {visit_reason}.",
    "Pt is a {pt} w/ h/o {indication} {psh_clause}who comes in for {visit_reason}.",
    "{pt}, {indication}, {psh_clause}seen today for {visit_reason}.",
    "Patient with {indication} {psh_clause}returns for {visit_reason}.",
)
PSH_CLAUSES = (
    "s/p {device} implant {implant_year} ",
    "s/p {rt} pump placement ({implant_year}) ",
    "with {device} implanted in {implant_year} ",
    "(pump placed {implant_year}) ",
    "s/p IDDS {implant_year} ",
    "h/o {route} {drug} pump since {implant_year} ",
)
SYMPTOMS_SPAS = (
    "Reports spasms are {better} since last visit.",
    "Caregiver notes increased tone in the legs at night.",
    "Clonus interfering with sleep.",
    "Transfers easier; no falls.",
    "Denies weakness, drowsiness, or hypotonia.",
    "No s/s of baclofen withdrawal (itching, fever, rebound spasticity).",
    "Spasms {better}, MAS {mas} in hip adductors.",
    "Stretching program daily with PT.",
    "Tone worse in the mornings.",
)
SYMPTOMS_PAIN = (
    "Pain {pain}/10, {better} since last visit.",
    "Reports breakthrough pain in the evenings.",
    "Using oxycodone 5 mg 1-2x/day for breakthrough.",
    "Denies sedation, pruritus, urinary retention.",
    "Sleeping better.",
    "Pain rated {pain}/10 today, worse with standing.",
    "No leg swelling or new weakness.",
    "Pain control {better}; functional goals: walking 20 min.",
    "Denies constipation on senna.",
)
BETTER = ("better", "somewhat better", "unchanged", "worse", "about the same", "improved")
SYMPTOMS_COMMON = (
    "Denies fever, chills, headache, or drainage from the pump site.",
    "No redness or swelling at the pump pocket.",
    "No alarms heard at home.",
    "No new falls.",
    "No change in bowel/bladder function.",
)
DEVICE_LINES = (
    "Pump: {device} ({size} mL), implanted {implant_year}, {side}",
    "Device: {device}, {size} mL reservoir",
    "Drug: {drug} {rx}",
    "Current rx: {drug} {rx} at {a}, {mode}",
    "Last refill {last_refill}",
    "Prescription on file: {drug} {conc}, {a} ({mode})",
    "ERI {eri_date}",
    "Pump location: {side}",
    "Catheter tip T{tip}",
    "Concentration {conc}; daily dose {a}",
)
ANALYSIS_MAIN = (
    "[[{C_pump} interrogated with {prog}]]",
    "[[Pump interrogated]] using the {prog}",
    "[[Telemetry performed]] with {prog}",
    "[[Interrogation of the {pump} via {prog}]]",
    "[[Pump read]] with {prog}",
    "[[Electronic analysis of the {pump} performed]] ({prog})",
    "[[{prog} used to interrogate the pump]]",
    "[[Device interrogated]] and logs reviewed",
    "[[Pump interrogation]] performed with the {prog}",
    "[[Interrogated {pump}]]",
    "[[Telemetry obtained]]",
    "[[Logs reviewed]] after telemetry with {prog}",
    "[[{C_pump} interrogated]] - data below",
    "[[Pump status checked via telemetry]]",
    "[[Communication established with the pump]] using the {prog}",
    "[[Interrogation report printed]] and reviewed",
    "[[Pump queried with {prog}]]",
    "[[Device check]] with {prog}",
    "[[Pump data uploaded]] to the {prog} and reviewed",
    "[[Pre-refill interrogation]] done",
    "[[Read pump]] - {prog}",
    "[[Pump interrogated]]",
    "[[Interrogation]]: see below",
)
ANALYSIS_DATA = (
    "Reservoir volume {resv} mL",
    "Reservoir {resv} mL (expected {exp} mL)",
    "No alarms",
    "Alarm status: no active alarms",
    "Low reservoir alarm date {alarm_old}",
    "ERI not reached (est {eri_date})",
    "Battery OK",
    "ERI {eri_date}",
    "Prescription: {drug} {conc} at {a}, {mode}",
    "Current rx {drug} {conc}, {a}, {mode}",
    "Mode: {mode}",
    "Daily dose {a}",
    "No motor stall events in log",
    "No critical alarms logged",
    "Alarm history: none since last visit",
    "Infusion log reviewed, delivery as programmed",
)
ANALYSIS_DATA_PAIN = (
    "PTM activations {ptm_n} in the last 30 days ({ptm_ok} successful)",
    "myPTM use {ptm_n}x/month",
)
REFILL_PREP = (
    "Consent reviewed, time-out done",
    "Abdomen prepped with chlorhexidine x3 and draped sterile",
    "Refill kit opened, sterile technique",
    "Site cleansed with ChloraPrep, sterile field established",
    "Template placed over pump and central fill port palpated",
    "Pump located by palpation, template applied",
    "Betadine prep x3",
    "Pt positioned supine",
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
    "Residual {res} mL aspirated (expected {exp} mL)",
    "{res} mL residual withdrawn, expected {exp}",
    "Aspirated {res} mL (expected {exp} mL), clear",
    "Residual volume {res} mL removed",
    "Withdrew {res} mL; expected {exp} mL - within range",
    "Residual vol {res} mL",
)
REFILL_INSTILL = (
    "[[{vol} mL of {drug} {fillrx} instilled]]",
    "[[Pump refilled with {vol} mL {drug} {fillrx}]]",
    "[[{res} mL removed, {vol} mL instilled]]",
    "[[Refilled with {vol} mL]] {drug} ({fillrx})",
    "[[Instilled {vol} mL]] {drug} {fillrx} slowly, no resistance",
    "[[{vol} mL {drug} {fillrx} injected into reservoir]]",
    "[[Reservoir filled with {vol} mL]] of {drug} {fillrx}",
    "[[Refilled pump]] w/ {vol} mL {drug} {fillrx}",
    "[[Reservoir emptied and refilled]] with {vol} mL {drug} {fillrx}",
    "[[{vol} mL {drug} added to reservoir]]",
    "[[Pump refilled per protocol]] ({vol} mL {drug} {fillrx})",
    "[[Drug exchanged]]: {vol} mL {drug} {fillrx} in",
    "[[Refill completed]] - {vol} mL of {fillrx} {drug}",
    "[[Full refill]] with {vol} mL {drug}",
    "[[Filled pump with {vol} mL]] {drug} {fillrx}",
)
REFILL_FIRST_PERSON = (
    (
        "[[I accessed the reservoir]] with a {needle} Huber needle and [[refilled it with {vol} mL]] {drug} "
        "{fillrx}"
    ),
    "[[I refilled the pump]] with {vol} mL {drug} {fillrx}",
    "[[I instilled {vol} mL]] of {drug} {fillrx}",
    "After aspirating {res} mL, [[I refilled the reservoir]] with {vol} mL",
)
REFILL_AFTER = (
    "Needle withdrawn, site intact, band-aid applied",
    "Pt tolerated well, no complications",
    "No bleeding at access site",
    "Tolerated without difficulty",
    "Site clean and dry post procedure",
    "Observed 15 min, no adverse effects",
)
NEG_REPROG = (
    "[[No dose change today]]",
    "[[Dose unchanged]] at {a}",
    "[[Pump not reprogrammed]]",
    "[[No changes made to the prescription]]",
    "[[Continue current dose]] of {a}",
    "[[Prescription unchanged]] ({a}, {mode})",
    "[[Settings not changed]]",
    "[[Did not adjust the rate]]",
    "[[Reprogramming: none]]",
    "[[no dose adjustment]] made",
    "[[Daily dose remains {a}]]",
    "[[Rate unchanged]]",
    "[[No adjustments made]]",
    "[[Same settings]]",
    "[[Kept at current dose]] ({a})",
    "[[Dose left unchanged]]",
    "[[No programming changes]]",
    "[[Continued at {a}]], no change",
    "[[Prescription not modified]]",
)
VOLUME_UPDATE = (
    "[[New reservoir volume ({newvol} mL) entered]] in programmer",
    "[[Reservoir volume updated to {newvol} mL]]",
    "[[Low reservoir alarm date reset]] to {alarm_new}",
    "[[Alarm date set]] {alarm_new}",
    "[[Pump updated with refill volume]]; next refill due {next_short}",
    "[[Programmer updated: reservoir {newvol} mL]], alarm {alarm_new}",
    "[[Reset reservoir volume and alarm dates]]",
    "[[New reservoir volume {newvol} mL]]",
)
VOLUME_REPROG_WORDS = (
    "[[Pump reprogrammed only to reflect the new reservoir volume]]; daily dose unchanged",
    "[[Programmed new reservoir volume of {newvol} mL and alarm date {alarm_new}]], dose not changed",
    "[[Pump programmed with refill information]] ({newvol} mL); no change to infusion rate",
)
NEG_REFILL = (
    "[[Refill not needed today]] (reservoir {resv} mL)",
    "[[No refill performed]]",
    "[[Did not refill]]; next refill due {next_short}",
    "[[Refill not due]] until {next_date}",
    "[[Pump not accessed]] today",
    "[[Reservoir not accessed]]",
    "[[No refill at this visit]]",
)
NEG_ANALYSIS_FIXED = (
    "[[Constant-flow pump, no telemetry]]",
    "[[Non-programmable pump - no interrogation]]",
    "[[No programmer needed (fixed-rate pump)]]",
)
NEG_ANALYSIS_PROG = (
    "[[Pump not interrogated today]]",
    "[[No telemetry performed]]",
    "[[Interrogation not done]]",
)
REPROG_REASON: dict[tuple[str, bool], tuple[str, ...]] = {  # (drug kind, increase?)
    ("spasticity", True): (
        "for persistent spasticity",
        "due to increased tone",
        "for nocturnal spasms",
        "for clonus",
        "per pt goals",
    ),
    ("spasticity", False): ("due to hypotonia", "for LE weakness with transfers", "for drowsiness"),
    ("pain", True): (
        "for breakthrough pain",
        "for pain not controlled",
        "for pain {pain}/10",
        "per pt goals",
    ),
    ("pain", False): ("for sedation", "for pruritus", "for peripheral edema", "for urinary retention"),
}
PLAN_REFILL = (
    "RTC {months} months for refill",
    "Next refill due {next_date}",
    "Refill again in ~{weeks} weeks",
    "Will refill in {months} months",
    "F/u for refill {next_short}",
    "Return for refill before alarm date {alarm_new}",
)
ORAL_REFILLS = (  # "refill" of oral medications: not a pump refill
    "Refilled oral baclofen 10 mg TID, 90-day supply",
    "Gabapentin refilled x 3 months",
    "Rx refill sent for tizanidine 4 mg",
    "Oxycodone 5 mg refilled per PDMP review",
    "Med refills sent to pharmacy",
)
PLAN_REPLACE = (
    "Will replace pump at ERI (est {eri_year})",
    "Discussed pump replacement when ERI reached, ~{eri_year}",
    "Replace at ERI",
    "Plan pump replacement {eri_year} (battery)",
)
PLAN_DOSE = (
    "Consider increasing dose next visit",
    "May titrate up at next refill if {sx_persist}",
    "Plan to increase dose by 10% at next visit",
    "Consider decreasing dose next visit if drowsy",
    "Discuss flex dosing at next visit",
    "Will reassess dose at next refill",
)
PLAN_DOSE_PAIN = ("Could add clonidine to pump at next refill", "Discuss myPTM at next visit")
HYPO = (
    "If {sx_worsen} may increase dose by 10%",
    "If {sx_worsen} we may increase the rate",
    "If sedation occurs, will decrease dose",
    "Should symptoms recur, we could program a nighttime bolus",
    "If no improvement, may need CAP dye study",
    "If {sx_worsen}, consider a flex schedule",
)
HYPO_PAIN = ("Would consider PTM if breakthrough pain persists",)
HIST_DOSE = (
    "Dose was increased at last visit from {hist_a} to {a}",
    "Last dose change {last_refill} (increased to {a})",
    "Rate decreased 10% in the spring for drowsiness",
    "Titrated up twice last year",
    "Previously reprogrammed to flex dosing, later changed back",
    "Dose increased by Dr. {doc} last month",
)
ASSESS_MAINT = (
    "{C_indication}, on {rt} {drug} via pump",
    "{C_indication} - {route} {drug} therapy",
    "{C_route} pump in situ",
    "{C_rt} pump management",
    "{C_indication}; {device} in place",
)
ASSESS_REFILL = ("Encounter for refill and maintenance of drug pump", "Refill of {route} pump", "Pump refill")

REPROG_TEMPLATES: dict[str, tuple[str, ...]] = {
    "inc": (
        "[[Daily dose increased from {a} to {b}]]",
        "[[Dose increased {an}->{bn} {u}]]",
        "[[{drug} {an} -> {bn} {u} ({pct}% increase)]]",
        "[[Rate bumped {pct}%]] (new daily dose {b})",
        "[[Titrated up by {pct}%]] to {b}",
        "[[Pump reprogrammed: daily dose {a} \u2192 {b}]]",
        "[[Increased simple continuous rate to {b}]] (previously {a})",
        "[[New dose {b}]], prior {a}",
        "[[Dose \u2191 {pct}%]] to {b}",
        "[[titrated up]] {pct}%: {a} to {b}",
        "[[Reprogrammed to {b}]] (was {a})",
        "[[Increased daily dose]] {pct}% ({an} to {bn} {u})",
        "[[dose increased by {pct}%]] to {b}",
        "[[Dose raised to {b}]]",
        "[[Bumped up to {b}]] from {a}",
        "[[Adjusted the infusion rate to {b}]]",
        "[[New prescription entered]]: {b} ({mode})",
        "[[Rx changed]] {a} -> {b}",
        "[[upped dose]] to {b}",
        "[[increased {drug} to {b}]]",
        "[[Changed daily dose to {b}]] (prior {a})",
    ),
    "dec": (
        "[[Daily dose decreased from {a} to {b}]]",
        "[[Dose reduced by {pct}%]] to {b}",
        "[[Decreased rate {pct}%]]: {a} -> {b}",
        "[[Weaned {an} -> {bn} {u}]]",
        "[[daily dose decreased]] to {b} (from {a})",
        "[[Pump reprogrammed: {a} \u2192 {b}]]",
        "[[Dose \u2193 {pct}%]] to {b}",
        "[[Titrated down]] to {b}",
        "[[Reduced daily dose to {b}]]",
        "[[Dose lowered to {b}]]",
        "[[Rx changed]] {a} -> {b}",
        "[[Decreased {drug} to {b}]]",
        "[[Adjusted the infusion rate down to {b}]]",
    ),
    "bolus": (
        "[[Single bolus of {bolus} programmed]] and delivered over {min} min",
        "[[Programmed a one-time bolus of {bolus}]]",
        "[[Bolus of {bolus} given via programmer]]",
        "[[Programmed bolus]] {bolus} over {min} minutes, then resumed {a}",
    ),
    "flex": (
        "[[Flex dosing schedule set]]: {b} 2200-0600, {a} daytime",
        "[[Flexible dosing programmed]] with higher night rate",
        "[[Changed to flex dosing]]: day {a}, night {b}",
        "[[Flex schedule entered]] (3 steps; total {b})",
        "[[flex dosing schedule changed]] to add a morning step",
    ),
    "periodic": (
        "[[Periodic bolus programmed]]: {pbolus} every {hrs} h",
        "[[Added periodic bolus]] of {pbolus} q{hrs}h over 15 min",
        "[[Programmed periodic bolus dosing]] ({pbolus} x {times}/day)",
        "[[periodic bolus schedule set]] {pbolus} q{hrs}h",
    ),
    "ptm": (
        "[[PTM bolus changed from {ptm_a} to {ptm_b}]], lockout {lock} h",
        "[[myPTM dose increased]] to {ptm_b} (was {ptm_a})",
        "[[myPTM activated]]: {ptm_b} per activation, max {ptm_max}/day, lockout {lock} h",
        "[[PTM settings adjusted]]: lockout shortened to {lock} h",
        "[[PTM bolus changed]] {ptm_a} -> {ptm_b}",
        "[[Patient-activated bolus enabled]] ({ptm_b}, max {ptm_max}/day)",
    ),
    "mode_from_simple": (
        "[[Switched from simple continuous to flex mode]]",
        "[[Mode changed to flex dosing]]",
        "[[Mode changed from simple continuous to periodic bolus]]",
    ),
    "mode_to_simple": (
        "[[Mode changed from flex to simple continuous]]",
        "[[Mode changed to simple continuous]] at {b}",
        "[[Flex dosing discontinued, mode changed to simple continuous]]",
    ),
    "conc": (
        "[[New concentration {conc2} with new dose {b}]]",
        "[[Concentration changed from {conc} to {conc2}]]; [[daily dose reprogrammed to {b}]]",
        "[[Concentration {cdir} to {conc2}]], [[daily dose set to {b}]] (was {a}); bridge bolus programmed",
        "[[Drug concentration changed to {conc2}]] and [[dose changed to {b}]]",
    ),
}

SIGNATURES = (
    "Electronically signed by {name} on {date}",
    "{name}",
    "Signed: {name} {date}",
    "-- {name}",
    "E-signed: {name}",
    "{name}\n{date}",
    "Electronically signed: {name}",
)
COSIGN = (
    "Cosigned by {name} {date}",
    "Reviewed and agree - {name}",
    "Co-signature: {name}",
    "Attending cosign: {name}",
)


def reprog_phrase(rng: random.Random, ctx: Ctx, sc: Scenario) -> str:
    """One marked reprogramming statement of the sampled kind (rule 5 forms)."""
    kind = sc.reprog_kind
    if kind == "mode":
        kind = "mode_from_simple" if "simple" in ctx.fixed["mode"] else "mode_to_simple"
    text = fill(rng, ctx, REPROG_TEMPLATES[kind])
    if kind in ("inc", "dec", "flex", "bolus") and sc.drug is not None and chance(rng, 0.4):
        text = f"{text} {fill(rng, ctx, REPROG_REASON[(sc.drug.kind, kind != 'dec')])}"
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
            return mark(
                pick(
                    rng,
                    (
                        f"I personally {verb}",
                        f"I {verb}",
                        f"{cap(noun)} performed by me",
                        f"I performed the {noun} myself",
                    ),
                )
            ), False
        return mark(
            pick(
                rng,
                (
                    f"{cap(noun)} performed by {perf.full}",
                    f"Procedure performed by: {perf.full}",
                    f"{perf.full} {verb}",
                    f"Performed by {perf.short}",
                    f"Done by {perf.short}",
                    f"{cap(noun)} by {perf.full}",
                ),
            )
        ), False
    if author.kind == "physician" and perf.kind == "staff":
        return mark(
            pick(
                rng,
                (
                    f"{cap(noun)} performed by {perf.full} under my supervision",
                    (
                        f"Clinic nurse {perf.short} {verb}"
                        if sc.note_type in OUTPATIENT_TYPES and perf.role in ("RN", "LPN")
                        else f"{perf.full} {verb}"
                    ),
                    f"{perf.full} performed the {noun}",
                    f"{cap(noun)} done by {perf.short} per protocol",
                    f"{perf.short} {verb} per my order",
                ),
            )
        ), False
    if author.kind == "staff" and perf.kind == "physician":
        return mark(
            pick(
                rng,
                (
                    f"{perf.called} performed the {noun}",
                    f"{cap(noun)} completed by {perf.full}",
                    f"{cap(noun)} done by {perf.called} ({perf.role})",
                    f"Provider ({perf.full}) did the {noun}",
                    f"{perf.called} {verb} at bedside",
                    f"{cap(noun)} performed by {perf.full}; RN assisted",
                ),
            )
        ), False
    return mark(
        pick(
            rng,
            (
                f"{cap(noun)} performed by {perf.full}",
                f"{perf.called} {verb}",
                f"{perf.full} performed the {noun}",
            ),
        )
    ), False


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
        vals = {
            "med": med,
            "bp": f"{rng.randrange(112, 158)}/{rng.randrange(64, 94)}",
            "a1c": f"{rng.randrange(58, 94) / 10:.1f}",
            "cr": f"{rng.randrange(11, 24) / 10:.1f}",
            "phq": str(rng.randrange(2, 16)),
            "tsh": f"{rng.randrange(8, 45) / 10:.1f}",
            "ldl": str(rng.randrange(55, 160)),
        }
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
    psh = rng.sample(
        (
            "Cholecystectomy",
            "Appendectomy",
            "L4-S1 fusion 2012",
            "C-section x2",
            "Tonsillectomy",
            "R TKA 2019",
            "Hernia repair",
            "Laminectomy L3-5",
            "Hysterectomy",
            "ORIF R wrist",
        ),
        rng.randrange(0, 3),
    )
    if pump_psh:
        psh.append(
            pick(
                rng,
                (
                    "{device} implant {implant_year}",
                    "ITDD placement {implant_year}",
                    "{C_rt} pump implanted {implant_year}",
                    "Intrathecal pump placement ({implant_year})",
                    "Pump implant {implant_year}, catheter revision {yr}",
                ),
            ).format_map(ctx)
        )
    c["psh"] = psh
    base_meds = [pick(rng, GENERIC_MEDS) for _ in range(rng.randrange(1, 4 if not sc.has("long") else 9))]
    c["meds"] = list(dict.fromkeys(meds + base_meds))
    c["allergies"] = [pick(rng, ALLERGIES)]
    c["vitals"] = [
        pick(
            rng,
            (
                "BP {bp}, HR {hr}, T {temp}, RR {rr}, SpO2 {spo2}%",
                "BP {bp} | P {hr} | Temp {temp} | SpO2 {spo2}% RA",
                "T {temp} HR {hr} BP {bp} RR {rr} O2 sat {spo2}% Wt {wt} kg",
                "BP {bp}, HR {hr}, afebrile",
            ),
        ).format_map(ctx)
    ]
    nros = rng.randrange(2, 5) if not sc.has("long") else rng.randrange(6, 12)
    c["ros"] = list(dict.fromkeys(pick(rng, ROS_LINES) for _ in range(nros)))
    c["social"] = [
        pick(
            rng,
            (
                "Lives with spouse; uses power wheelchair",
                "Never smoker, no EtOH",
                "Lives alone, home aide 3x/wk",
                "Former smoker, quit 2010",
                "Works part-time from home",
                "Lives with parents",
            ),
        )
    ]
    c["family"] = [
        pick(
            rng,
            ("Noncontributory", "Mother - HTN, DM2", "Father - CAD", "No family hx of bleeding disorders"),
        )
    ]
    if sc.has("other_person"):
        c["family"].append(pick(rng, OTHER_PERSON))
    if sc.has("lookalike_mention"):
        c["problems"].append(pick(rng, LOOKALIKE_MENTIONS).format_map(ctx))
    if sc.has("lookalike_active"):
        c["problems"].append(pick(rng, LOOKALIKE_ACTIVE))


def exam_lines(rng: random.Random, sc: Scenario, ctx: Ctx, pump: bool = True) -> list[str]:
    """Focused exam; pump pocket when the patient has a pump, tone or pain items by drug."""
    out = [
        pick(
            rng,
            (
                "Pump site {side}: no erythema, swelling, or tenderness",
                "Pump pocket intact, no seroma",
                "Abdomen: pump palpable {side}, incision well healed",
                "Pump site clean, dry, intact",
                "Well-healed scar over pump, no fluctuance",
            )
            if pump
            else ("Abdomen soft, nontender", "Back: no midline tenderness", "Skin intact"),
        )
    ]
    if sc.drug and sc.drug.kind == "spasticity":
        out.append(
            pick(
                rng,
                (
                    "MAS {mas} bilateral hip adductors",
                    "Tone: MAS {mas} in knee extensors, 3 beats clonus",
                    "Increased tone BLE, MAS {mas}",
                    "Spasticity MAS {mas} RLE > LLE",
                ),
            )
        )
    else:
        out.append(
            pick(
                rng,
                (
                    "Lumbar paraspinal tenderness, SLR negative",
                    "Gait antalgic, uses cane",
                    "Strength 5/5 BLE, sensation intact",
                    "Back: well-healed midline incision",
                ),
            )
        )
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
    ctx.fixed.update(
        {
            "last": pick(rng, LAST_NAMES),
            "tip": str(rng.randrange(6, 12)),
            "months": str(pick(rng, (1, 2, 3, 3, 4, 6))),
            "weeks": str(pick(rng, (4, 6, 8, 10, 12))),
            "hist_a": dose_str(_round_dose(rx.old * 0.9, u), u, 0),
            "ptm_n": str(rng.randrange(10, 140)),
            "ptm_ok": str(rng.randrange(5, 60)),
            "bolus": f"{fmt_num(bolus)} {u}",
            "min": str(pick(rng, (1, 5, 10, 30))),
            "pbolus": f"{fmt_num(bolus)} {u}",
            "hrs": str(pick(rng, (4, 6, 8, 12))),
            "times": str(pick(rng, (2, 3, 4))),
            "ptm_a": f"{fmt_num(ptm_a)} {u}",
            "ptm_b": f"{fmt_num(ptm_b)} {u}",
            "lock": str(pick(rng, (1, 2, 3, 4))),
            "ptm_max": str(pick(rng, (3, 4, 6, 8))),
        }
    )
    conc2 = pick(rng, concs)
    ctx.fixed["conc2"] = f"{fmt_num(conc2)} {u}/mL"
    ctx.fixed["cdir"] = "increased" if conc2 > rx.conc else "decreased"
    # the drug actually put in the reservoir: the new concentration when the concentration changes
    ctx.fixed["fillrx"] = ctx.fixed["conc2"] if sc.reprog_kind == "conc" else ctx.fixed["rx"]
    ctx.dynamic["better"] = BETTER
    spas = drug.kind == "spasticity"
    ctx.fixed["sx_persist"] = "spasms persist" if spas else "pain persists"
    ctx.fixed["sx_worsen"] = "spasms worsen" if spas else "pain worsens"
    ctx.fixed["sx_cc"] = "Spasticity follow-up" if spas else "Pain follow-up"
    ctx.fixed["sx_inpt"] = pick(
        rng,
        ("Increased spasticity, concern for baclofen withdrawal", "Worsening spasms")
        if spas
        else ("Uncontrolled pain", "Pain crisis"),
    )


def compose_maint(rng: random.Random, sc: Scenario, ctx: Ctx, rx: Rx) -> dict[str, list[str]]:
    """Content blocks for a refill / analysis / reprogramming visit."""
    c: dict[str, list[str]] = {}
    f = ctx.fixed
    drug = sc.drug
    assert drug is not None and sc.device is not None
    if sc.note_type in INPATIENT_TYPES:
        c["cc"] = [fill(rng, ctx, CC_INPATIENT)]
        f["visit_reason"] = pick(
            rng,
            (
                "a pump alarm",
                "increased symptoms",
                "pump evaluation",
                "low reservoir alarm",
                "worsening symptoms on pump therapy",
            ),
        )
    elif sc.refill and sc.reprog:
        c["cc"] = [fill(rng, ctx, CC_REFILL_REPROG)]
        f["visit_reason"] = pick(
            rng,
            (
                "pump refill and dose adjustment",
                "refill and titration",
                "scheduled refill",
                "refill; reports symptoms not controlled",
            ),
        )
    elif sc.refill:
        c["cc"] = [fill(rng, ctx, CC_REFILL)]
        f["visit_reason"] = pick(
            rng,
            (
                "scheduled pump refill",
                "routine refill",
                "pump refill",
                "refill and possible dose adjustment",
                "refill, alarm date approaching",
            ),
        )
    else:
        c["cc"] = [fill(rng, ctx, CC_ANALYSIS)]
        f["visit_reason"] = pick(
            rng,
            (
                "pump check",
                "follow-up of symptoms on pump therapy",
                "pump evaluation",
                "concern about pump function",
                "dose titration follow-up",
            ),
        )
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
        c["device"] = [x for x in c["device"] if "ERI" not in x and f["mode"] not in x] or [
            f"Pump: {ctx['device']}"
        ]

    # --- the service itself, in the order clinicians document it
    analysis: list[str] = []
    if sc.analysis:
        analysis.append(fill(rng, ctx, ANALYSIS_MAIN))
        pool = ANALYSIS_DATA + (ANALYSIS_DATA_PAIN if drug.kind == "pain" else ())
        analysis += list(dict.fromkeys(fill(rng, ctx, pool) for _ in range(rng.randrange(1, 4))))
    refill: list[str] = []
    if sc.refill:
        refill += [x.format_map(ctx) for x in rng.sample(REFILL_PREP, rng.randrange(0, 3))]
        if chance(rng, 0.7):
            refill.append(fill(rng, ctx, REFILL_ACCESS))
        if chance(rng, 0.75):
            refill.append(fill(rng, ctx, REFILL_RESIDUAL))
        first_person = sc.author == sc.performer and sc.note_type not in ("flowsheet",) and chance(rng, 0.25)
        refill.append(fill(rng, ctx, REFILL_FIRST_PERSON if first_person else REFILL_INSTILL))
    changes: list[str] = []
    if sc.reprog:
        changes.append(reprog_phrase(rng, ctx, sc))
        if chance(rng, 0.3):
            changes.append(
                pick(
                    rng,
                    (
                        "New settings verified with printout",
                        "Pump reprogrammed and verified",
                        "Second clinician verified new prescription",
                        "Pt given updated pump card",
                    ),
                )
            )
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
    pain = drug.kind == "pain"
    for name, bank in (
        ("plan_refill", PLAN_REFILL),
        ("plan_replace", PLAN_REPLACE),
        ("plan_dose", PLAN_DOSE + (PLAN_DOSE_PAIN if pain else ())),
        ("hypo", HYPO + (HYPO_PAIN if pain else ())),
    ):
        if sc.has(name):
            plan.append(fill(rng, ctx, bank))
    plan += [
        pick(
            rng,
            (
                "Call for fever, wound drainage, or withdrawal symptoms",
                "Continue home PT program",
                "Continue oral meds as listed",
                "Pt educated on alarm sounds",
                "Updated pump card given",
            ),
        )
        for _ in range(rng.randrange(0, 3))
    ]
    if not sc.refill and chance(rng, 0.15):
        plan.append(pick(rng, ORAL_REFILLS))
    if not plan:
        plan.append(pick(rng, ("Continue current therapy", "F/u as scheduled", "Return PRN")))
    c["plan"] = list(dict.fromkeys(plan))
    title_base: tuple[str, ...] = (
        "Intrathecal Pump Refill",
        "ITB Pump Refill Note",
        "Pump Refill",
        "IT Pump Visit",
    )
    if sc.has("template_title"):
        title_base = ("Intrathecal Pump Refill/Reprogramming", "Pump Refill and Reprogramming Note")
    elif sc.reprog:
        title_base = (
            (
                "Pump Interrogation/Reprogramming",
                "IT Pump Management",
                "Pump Refill/Reprogramming",
                "Intrathecal Pump Visit",
            )
            if sc.refill
            else ("Pump Interrogation and Reprogramming", "IT Pump Management", "Pump Titration Visit")
        )
    elif not sc.refill:
        title_base = ("Pump Interrogation", "IT Pump Check", "Pump Evaluation", "Intrathecal Pump Visit")
    c["title"] = [pick(rng, title_base)]
    c["kv"] = maint_kv(rng, sc, ctx, c)
    c["summary"] = maint_summary(rng, sc, ctx, c)
    return c


def maint_kv(rng: random.Random, sc: Scenario, ctx: Ctx, c: dict[str, list[str]]) -> list[str]:
    """Flowsheet rows: key/value with the deciding rows marked."""
    assert sc.device is not None and sc.performer is not None
    rows = [
        f"Date: {ctx.fixed['date']}",
        f"Pump: {ctx['device']}",
        f"Route: {cap(ctx.fixed['route'])}",
        f"Drug: {ctx.fixed['drug']} {ctx.fixed['rx']}",
    ]
    if sc.analysis:
        rows.append(
            pick(
                rng,
                (
                    "[[Interrogated: Yes]]",
                    "[[Telemetry: done]]",
                    "[[Pump interrogation: completed]]",
                    "[[Interrogation: Y]] ({prog})",
                ),
            )
            .format_map(ctx)
            .replace("[[", EV_OPEN)
            .replace("]]", EV_CLOSE)
        )
        kv_data = (
            "Reservoir vol (pre): {resv} mL",
            pick(rng, ("Alarms: none", "Alarm status: no alarms")),
            "ERI: {eri_date}",
            "Mode: {mode}",
        )
        rows += [x.format_map(ctx) for x in rng.sample(kv_data, rng.randrange(1, 3))]
    elif chance(rng, 0.6) or sc.has("neg_analysis"):
        rows.append(mark("Interrogated: No") if sc.has("neg_analysis") else "Interrogated: No")
    if sc.refill:
        rows += [
            f"Needle: {ctx.fixed['needle']} Huber",
            f"Residual aspirated: {ctx.fixed['res']} mL",
            f"Expected residual: {ctx.fixed['exp']} mL",
        ][: rng.randrange(1, 4)]
        rows.append(
            fill(
                rng,
                ctx,
                (
                    "[[Volume instilled: {vol} mL]]",
                    "[[Refill volume: {vol} mL]]",
                    "[[Amount added: {vol} mL]]",
                ),
            )
        )
        if chance(rng, 0.5):
            rows.append(fill(rng, ctx, ("[[Refill: Yes]]", "[[Refill completed: Y]]", "[[Refilled: yes]]")))
    else:
        rows.append(fill(rng, ctx, ("[[Refill: No]]", "[[Refill: not done]]", "[[Refill: N/A (not due)]]")))
    if sc.reprog:
        if sc.reprog_kind in ("inc", "dec"):
            rows += [
                fill(rng, ctx, ("Previous dose: {a}", "Dose (prior): {a}")),
                fill(
                    rng, ctx, ("[[New dose: {b}]]", "[[Dose (new): {b}]]", "[[Daily dose changed to: {b}]]")
                ),
            ]
        else:
            rows.append("Reprogramming: " + reprog_phrase(rng, ctx, sc))
        if chance(rng, 0.5):
            rows.append(fill(rng, ctx, ("[[Reprogrammed: Yes]]", "[[Dose change: Y]]")))
    elif sc.analysis or sc.refill:
        rows.append(
            fill(
                rng,
                ctx,
                (
                    "[[Dose change: None]]",
                    "[[Reprogrammed: No]]",
                    "Daily dose: {a} [[(unchanged)]]",
                    "[[Dose change: no]]",
                ),
            )
        )
    if sc.refill and (sc.has("vol_update") or chance(rng, 0.4)):
        rows.append(
            mark(f"New reservoir volume: {ctx.fixed['newvol']} mL")
            if sc.has("vol_update")
            else f"New reservoir volume: {ctx.fixed['newvol']} mL"
        )
        rows.append(f"Alarm date: {ctx.fixed['alarm_new']}")
    rows.append(
        f"Next refill: {ctx.fixed['next_date']}" if sc.refill or chance(rng, 0.5) else "Next visit: PRN"
    )
    perf = sc.performer
    labels = (
        ("Performed by", "Refill by", "Clinician", "Procedure by")
        if sc.refill
        else ("Performed by", "Clinician", "Interrogated by")
    )
    rows.append(mark(f"{pick(rng, labels)}: {pick(rng, (perf.full, perf.short))}"))
    if perf.kind == "staff" and chance(rng, 0.4):
        rows.append(f"Ordering provider: Dr. {ctx.fixed['doc']}, MD")
    if sc.author != perf and sc.author is not None:
        rows.append(f"Documented by: {sc.author.full}")
    if chance(rng, 0.5):
        rows.append(
            "Comments: "
            + pick(
                rng, ("tolerated well", "no complications", "pt educated re: alarms", "see MD note", "none")
            )
        )
    return rows


def maint_summary(rng: random.Random, sc: Scenario, ctx: Ctx, c: dict[str, list[str]]) -> list[str]:
    """A terse one-line version (brief nursing/ED style) keeping the deciding statements."""
    parts: list[str] = []
    if sc.refill:
        parts.append(
            fill(
                rng,
                ctx,
                (
                    "[[{C_pump} refilled]] w/ {vol} mL {drug} {fillrx}",
                    "[[Refilled {rt} pump]] {vol} mL {fillrx}",
                    "[[Pump refilled]] ({vol} mL {drug})",
                    "[[refill done]], {vol} mL {drug} {fillrx}",
                ),
            )
        )
    if sc.analysis:
        parts.append(
            fill(
                rng,
                ctx,
                (
                    "[[interrogated]]",
                    "[[telemetry ok]]",
                    "[[pump read]], no alarms",
                    "[[interrogated]], res {resv} mL",
                ),
            )
        )
    if sc.reprog:
        parts.append(reprog_phrase(rng, ctx, sc))
    elif sc.refill or sc.analysis:
        parts.append(fill(rng, ctx, ("[[no dose change]]", "[[dose unchanged]] {a}", "[[no changes]]")))
    if not sc.refill:
        parts.append(fill(rng, ctx, ("[[not refilled]]", "[[refill not due]]")))
    if sc.has("vol_update"):
        parts.append(fill(rng, ctx, ("[[alarm date reset]] {alarm_new}", "[[res vol updated]] {newvol} mL")))
    assert sc.performer is not None
    perf = sc.performer
    who = mark(pick(rng, (f"Done by {perf.short}", f"- {perf.full}", f"({perf.full})", f"Per {perf.called}")))
    line = ", ".join(parts) + (" " if who.startswith((EV_OPEN + "-", EV_OPEN + "(")) else ". ") + who
    if sc.has("plan_refill"):
        line = sentence(line) + " " + fill(rng, ctx, PLAN_REFILL)
    return [sentence(cap(line))]


# ---------------------------------------------------------------------------------------------
# Surgical families: implant / replacement (62362, 62361), explant (62365), reservoir (62360),
# catheter (62350, 62351, 62355)
# ---------------------------------------------------------------------------------------------
OR_POSITION = (
    "The patient was brought to the operating room and placed in the lateral decubitus position.",
    "Pt was taken to the OR and positioned right side down on a radiolucent table.",
    "After induction of anesthesia the patient was positioned in the left lateral decubitus position.",
    "The patient was identified in the holding area, brought to the OR, and placed prone.",
)
OR_PREP = (
    "The back and abdomen were prepped with ChloraPrep and draped in the usual sterile fashion.",
    "A surgical time-out was performed confirming patient, procedure, site, and implant.",
    "Cefazolin 2 g IV was given prior to incision.",
    "Vancomycin powder was available for the pocket.",
)
CATH_NEW_IT = (
    (
        "Under fluoroscopic guidance a 14-gauge Tuohy needle was advanced via a paramedian oblique "
        "approach into the "
        "intrathecal space at L{l1}-{l2}."
    ),
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
    (
        "[[The existing {old_device} was dissected free, the catheter disconnected, "
        "and the old pump explanted]]."
    ),
    "[[Catheter patency was confirmed by free aspiration of clear CSF]] (2 mL withdrawn and discarded).",
)
REPL_OPEN_ALT = (
    "The old incision was reopened and the capsule incised.",
    "[[The old pump was removed from the pocket]] after the catheter was disconnected from the connector.",
    "[[CSF was aspirated from the catheter confirming patency]].",
)
REPL_OPEN_3 = (
    "The pump pocket was opened through the prior incision.",
    "[[The old pump was explanted]] after disconnecting the catheter.",
    "[[Free backflow of CSF from the catheter confirmed patency]].",
)
EPI_PATENCY = (
    "[[The catheter was flushed with preservative-free saline and found patent]].",
    "[[Catheter patency confirmed]] with a saline flush; no resistance.",
)
PUMP_PREP = (
    (
        "[[The new {device} was prepared on the back table: it was warmed, the sterile water was "
        "emptied, and the "
        "reservoir was filled with {vol} mL of {drug} {conc}]]."
    ),
    (
        "[[Pump preparation: warmed in a saline bath, sterile water removed, filled with {drug} {conc} "
        "({vol} mL)]]."
    ),
    (
        "Meanwhile, [[the pump was prepared per manufacturer instructions (warmed, sterile water "
        "aspirated) and filled "
        "with {vol} mL {drug} {conc}]]."
    ),
    "[[The pump was filled with {vol} mL {drug} {conc}]] after being warmed and emptied of sterile water.",
    "[[Back-table preparation: the {device} reservoir was emptied and filled with {drug} {conc}]].",
    "[[The pump was primed and filled]] with {vol} mL of {drug} {conc} on the back table.",
)
POCKET = (
    (
        "A {cm} cm transverse incision was made in the {side} and a subcutaneous pocket was developed "
        "at a depth of no "
        "more than 2.5 cm."
    ),
    "The catheter was tunneled subcutaneously from the back incision to the abdominal pocket.",
)
CONNECT_NEW = (
    "The catheter was trimmed and attached to the pump catheter port with the connector and secured.",
    (
        "[[The {device} was placed in the pocket]] with the fill port facing up and [[secured with "
        "nonabsorbable sutures]]."
    ),
)
CONNECT_NEW_ALT = (
    "The catheter was connected to the pump and the connection secured.",
    "[[The new pump was implanted]] in the pocket and anchored in a Dacron pouch.",
)
CONNECT_NEW_3 = (
    "The catheter was cut to length and attached to the pump connector.",
    "[[The pump was seated in the pocket]] and sutured to the fascia at two points.",
)
PROGRAM_AT_IMPLANT = (
    (
        "[[The pump was programmed to deliver {b} as a simple continuous infusion]] with a priming bolus to "
        "fill the catheter."
    ),
    "[[Pump programmed via telemetry]]: {drug} {conc}, {b}, simple continuous, with a priming bolus.",
    "[[Initial programming: {b}]]; catheter priming bolus delivered.",
)
FIXED_PUMP_LINES = (
    (
        "[[This is a non-programmable, constant-flow pump]]; flow rate {rate} mL/day, daily dose set by "
        "concentration."
    ),
    "[[No programming is required for this fixed-rate device]] (flow {rate} mL/day).",
    (
        "[[Constant-flow pump]]; the dose is determined by drug concentration and the fixed flow of {rate} "
        "mL/day."
    ),
)
OR_CLOSE = (
    "The wounds were irrigated with antibiotic saline and closed in layers.",
    "Sterile dressings and an abdominal binder were applied.",
    "The patient tolerated the procedure well and was taken to PACU in stable condition.",
    "Sponge and needle counts were correct x2.",
)
CONSERVATIVE_SPAS = (
    "oral baclofen, tizanidine, botulinum toxin and PT",
    "maximal oral antispasmodics and therapy",
    "oral baclofen 20 mg QID (sedation), dantrolene, serial casting",
)
CONSERVATIVE_PAIN = (
    "PT, oral opioids, ESIs and RFA",
    "multiple lumbar surgeries, an SCS trial and oral opioids",
    "high-dose oral opioids with intolerable side effects",
    "medications, injections and PT",
)
FIXED_REPLACE_REASON = (
    "flow-rate drift with under-infusion",
    "pump malfunction (flow rate inaccurate)",
    "end of device service life",
    "pump failure with withdrawal symptoms",
)
REPLACE_REASON = (
    "the pump has reached ERI",
    "battery depletion (ERI alarm)",
    "motor stall on interrogation",
    "end of battery life",
    "pump malfunction with under-infusion",
    "ERI reached per last interrogation",
)


def _surgical_ctx(rng: random.Random, sc: Scenario, ctx: Ctx) -> None:
    """Operative numbers and the removed pump's name."""
    l1 = rng.randrange(1, 4)
    old_key = (
        "codman3000"
        if sc.has("old_fixed")
        else "synchromed2"
        if sc.has("old_prog")
        else (sc.device.key if sc.device else "synchromed2")
    )
    ctx.fixed.update(
        {
            "l1": str(l1),
            "l2": str(l1 + 1),
            "cm": str(pick(rng, (5, 6, 7, 9, 10))),
            "rate": pick(rng, ("0.5", "1.0", "1.5")),
            "old_device": pick(rng, DEVICES[old_key].names),
            "conservative": pick(
                rng, CONSERVATIVE_SPAS if sc.drug and sc.drug.kind == "spasticity" else CONSERVATIVE_PAIN
            ),
            "replace_reason": pick(
                rng,
                REPLACE_REASON
                if DEVICES[old_key].programmable
                else FIXED_REPLACE_REASON
                + (
                    ("conversion to a programmable pump for dose flexibility",)
                    if sc.device and sc.device.programmable
                    else ()
                ),
            ),
            "old_status": "with pump at ERI" if DEVICES[old_key].programmable else "with pump malfunction",
            "ebl": pick(rng, ("minimal", "10 mL", "25 mL", "<50 mL", "30 cc")),
            "anesthesia": pick(rng, ("General endotracheal", "General", "MAC with local", "GETA")),
            "assistant": pick(
                rng, ("None", "PA-C " + pick(rng, LAST_NAMES), "Resident Dr. " + pick(rng, LAST_NAMES))
            ),
            "lam": f"T{rng.randrange(9, 13)}",
        }
    )


def compose_surgical(rng: random.Random, sc: Scenario, ctx: Ctx) -> dict[str, list[str]]:
    """Operative content (op report keys), reused by procedure-note, transcription and discharge layouts."""
    _surgical_ctx(rng, sc, ctx)
    c: dict[str, list[str]] = {}
    f = ctx.fixed
    d = sc.decision
    desc: list[str] = [pick(rng, OR_POSITION)] + rng.sample(OR_PREP, rng.randrange(1, 3))
    indication: list[str] = []
    if d in ("62362", "62361"):
        prog = d == "62362"
        kind_word = (
            pick(rng, ("programmable", "programmable"))
            if prog
            else pick(rng, ("non-programmable", "constant-flow", "fixed-rate"))
        )
        if sc.replacement:
            title = pick(
                rng,
                (
                    (
                        f"[[Removal and replacement of {f['route']} drug pump]] ({f['old_device']} out, "
                        f"{{device}} in)"
                    ),
                    f"[[Replacement of {kind_word} {f['route']} pump]]",
                    "[[Explantation of existing pump and implantation of new {device}]]",
                    f"[[{kind_word.capitalize()} pump replacement]] for {f['replace_reason']}",
                    f"[[{cap(f['route'])} pump exchange]] ({kind_word})",
                    "[[Pump change-out]], new {device}",
                ),
            )
            indication.append(
                fill(
                    rng,
                    ctx,
                    (
                        (
                            "{pt} with {indication} on {rt} {drug}; the {old_device} implanted in "
                            "{implant_year} now requires "
                            "replacement because {replace_reason}."
                        ),
                        (
                            "{pt} with {indication}, {old_device} placed {implant_year}; "
                            "{replace_reason}. Replacement discussed "
                            "and consent obtained."
                        ),
                    ),
                )
            )
            opener = pick(rng, (REPL_OPEN, REPL_OPEN_ALT, REPL_OPEN_3))
            desc += [fill(rng, ctx, (x,)) for x in opener[:2]]
            desc.append(fill(rng, ctx, EPI_PATENCY if f["route"] == "epidural" else opener[2:]))
            if sc.catheter:
                desc.append(
                    mark("The catheter was also revised") + " because of a kink at the anchor; a new "
                    "proximal segment was spliced in and CSF flow reconfirmed."
                )
        else:
            title = pick(
                rng,
                (
                    (
                        f"[[Implantation of {kind_word} {f['route']} drug delivery pump]] ({{device}}, "
                        f"{{size}} mL)"
                    ),
                    f"[[Implantation of {{device}} {kind_word} pump]]",
                    f"[[Placement of {kind_word} {f['route']} pump]] and {f['route']} catheter",
                    f"[[{'IDDS' if chance(rng, 0.5) else 'ITDD'} implant]] ({{device}})",
                    f"[[Insertion of {kind_word} {f['route']} infusion pump]]",
                    f"[[{cap(f['route'])} pump implantation]] ({{device}}, {kind_word})",
                ),
            )
            indication.append(
                fill(
                    rng,
                    ctx,
                    (
                        (
                            "{pt} with {indication} refractory to {conservative}. Successful {rt} trial "
                            "on {trial_date}. "
                            "Risks including infection, bleeding, CSF leak, catheter malfunction, "
                            "overdose and withdrawal were "
                            "discussed and consent obtained."
                        ),
                        (
                            "{pt} with {indication}; failed {conservative}. Screening trial "
                            "{trial_date} with good response "
                            "(>50% improvement). Meets selection criteria; psych clearance on file."
                        ),
                    ),
                )
            )
            desc += [
                fill(rng, ctx, (x,)) for x in (CATH_NEW_EPI if f["route"] == "epidural" else CATH_NEW_IT)
            ]
            desc += [fill(rng, ctx, (x,)) for x in POCKET]
        desc.append(fill(rng, ctx, PUMP_PREP))
        desc += [fill(rng, ctx, (x,)) for x in pick(rng, (CONNECT_NEW, CONNECT_NEW_ALT, CONNECT_NEW_3))]
        if prog and sc.has("programmed_at_implant"):
            bank = PROGRAM_AT_IMPLANT + (
                ("[[Programmed to the prior dose of {a}]] using the clinician programmer.",)
                if sc.replacement
                else ()
            )
            desc.append(fill(rng, ctx, bank))
        if not prog:
            desc.append(fill(rng, ctx, FIXED_PUMP_LINES))
        c["implants"] = [
            fill(
                rng,
                ctx,
                (
                    "{device} {size} mL pump"
                    + (", SN " + str(rng.randrange(100000, 999999)) if chance(rng, 0.5) else ""),
                    "{device} ({size} mL)",
                    "Pump: {device}; catheter: Ascenda 8781" if prog else "Pump: {device}",
                ),
            )
        ]
        dx_extra = " " + f["old_status"] if sc.replacement else ""
        c["preop"] = [f"{cap(f['indication'])}{dx_extra}"]
    elif d == "62365":
        reason = {
            "infection": "pump pocket infection",
            "not_needed": "therapy no longer needed",
            "patient_request": "patient request for removal",
            "failure_no_replace": "pump failure; replacement declined",
        }[sc.flavour]
        title = pick(
            rng,
            (
                "[[Removal of {route} drug pump]]" + (" and catheter" if sc.catheter else ""),
                "[[Explantation of {old_device}]]" + (" and {route} catheter" if sc.catheter else ""),
                "[[Pump explant]]" + (" with catheter removal" if sc.catheter else ""),
            ),
        )
        indication.append(
            fill(
                rng,
                ctx,
                (
                    "{pt} with {old_device} implanted {implant_year} for {indication}, now with "
                    + reason
                    + ".",
                    "{pt}, {indication}, s/p pump {implant_year}; "
                    + reason
                    + ". Removal without replacement planned.",
                ),
            )
        )
        desc.append("The prior abdominal incision was opened and the pocket entered.")
        if sc.flavour == "infection":
            desc.append("Purulent fluid was encountered in the pocket; cultures were sent.")
        desc.append(
            fill(
                rng,
                ctx,
                (
                    "[[The pump was dissected free and removed]].",
                    "[[The {old_device} was explanted]].",
                    "[[Pump removed]] intact and sent with the patient's belongings for disposal.",
                ),
            )
        )
        if sc.catheter:
            desc.append(
                fill(
                    rng,
                    ctx,
                    (
                        "[[The catheter was removed in its entirety]] via the back incision; tip intact.",
                        "[[The {route} catheter was withdrawn completely]]; no leak.",
                    ),
                )
            )
        else:
            desc.append("The catheter was ligated and left in place.")
        desc.append(
            fill(
                rng,
                ctx,
                (
                    "[[No new pump was implanted]].",
                    "[[No replacement device was placed]].",
                    "Pocket irrigated and closed; [[no new device placed]].",
                ),
            )
        )
        c["implants"] = ["None"]
        c["specimens"] = ["Pocket cultures" if sc.flavour == "infection" else "Pump (not sent to pathology)"]
        c["preop"] = [f"{cap(reason)}; {f['indication']}"]
    elif d == "62360":
        title = pick(
            rng,
            (
                "[[Implantation of subcutaneous reservoir]] for {route} drug infusion",
                "[[Placement of subcutaneous {route} access port (reservoir)]]",
                "[[Subcutaneous reservoir implantation]]"
                + (", tunneled {route} catheter" if sc.catheter else ""),
            ),
        )
        indication.append(
            fill(
                rng,
                ctx,
                (
                    (
                        "{pt} with {indication} and limited life expectancy; {route} infusion via "
                        "external pump through an "
                        "implanted reservoir planned."
                    ),
                    (
                        "{pt} with {indication}; good response to {route} trial. A subcutaneous "
                        "port/reservoir will allow "
                        "external pump infusion."
                    ),
                ),
            )
        )
        if sc.catheter:
            desc += [
                fill(rng, ctx, (x,)) for x in (CATH_NEW_EPI if f["route"] == "epidural" else CATH_NEW_IT)
            ]
            desc.append("The catheter was tunneled to the anterior chest wall.")
        else:
            desc.append("The existing tunneled catheter was identified and freed from the old exit site.")
        desc.append(
            fill(
                rng,
                ctx,
                (
                    (
                        "A pocket was created over the lower rib cage and [[the reservoir was implanted]] "
                        "and connected to the catheter."
                    ),
                    (
                        "[[The subcutaneous reservoir was placed]] in a pocket over the costal margin and "
                        "attached to the catheter."
                    ),
                ),
            )
        )
        desc.append(
            fill(
                rng,
                ctx,
                (
                    (
                        "[[No implantable pump was placed]]; medication will be delivered by external pump "
                        "through the port."
                    ),
                    "Catheter patency confirmed by gentle aspiration.",
                ),
            )
        )
        c["implants"] = [
            pick(
                rng,
                (
                    "Subcutaneous intraspinal port",
                    "Port-A-Cath intraspinal reservoir",
                    "P.A.S. Port spinal reservoir",
                ),
            )
        ]
        c["preop"] = [cap(f["indication"])]
    else:  # catheter codes
        lam = sc.laminectomy
        if d == "62355":
            title = pick(
                rng,
                (
                    "[[Removal of {route} catheter]]",
                    "[[Removal of previously implanted {route} catheter]]",
                    "[[{C_route} catheter explant]]",
                ),
            )
            ind = {
                "after_explant": "{pt}; pump explanted {yr}, retained {route} catheter now symptomatic.",
                "pump_left": "{pt} with {device} and catheter granuloma on MRI; catheter removal "
                "planned, pump to "
                "remain for now.",
                "temp_catheter": "{pt} s/p tunneled trial catheter for {indication}; trial complete.",
            }[sc.flavour]
            indication.append(ind.format_map(ctx))
            desc.append(
                fill(
                    rng,
                    ctx,
                    (
                        "[[The catheter was removed in its entirety]] through the back incision; tip intact.",
                        "[[The {route} catheter was withdrawn]] with gentle traction; tip intact.",
                    ),
                )
            )
            if sc.flavour == "pump_left":
                desc.append(
                    fill(
                        rng,
                        ctx,
                        (
                            "[[The pump was not removed]]; it was capped and left in the pocket.",
                            "[[Pump left in situ]] and its catheter port capped.",
                        ),
                    )
                )
        else:
            fl = sc.flavour
            titles = {
                "revision": ("[[Revision of {route} catheter]]", "[[{C_route} catheter revision]]"),
                "reposition": (
                    "[[Repositioning of {route} catheter]]",
                    "[[Catheter repositioning]] ({route})",
                ),
                "new_catheter_existing_pump": (
                    "[[Replacement of {route} catheter]], connected to existing pump",
                    "[[New {route} catheter placement]] with connection to existing pump",
                ),
                "external_system": (
                    "[[Placement of tunneled epidural catheter]] for infusion",
                    "[[Tunneled {route} catheter implantation]]",
                ),
            }
            title = pick(rng, titles[fl])
            if lam:
                title += pick(
                    rng,
                    (
                        " via [[{lam} laminectomy]]",
                        " with [[laminectomy at {lam}]]",
                        " ([[open {lam} hemilaminectomy]])",
                    ),
                )
            why = pick(
                rng,
                (
                    "catheter fracture seen on CAP dye study",
                    "catheter migration on CT myelogram",
                    "loss of efficacy with withdrawal symptoms; catheter kink at the anchor",
                    "catheter tip granuloma",
                    "arachnoiditis preventing percutaneous access",
                ),
            )
            if fl == "external_system":
                indication.append(
                    fill(
                        rng,
                        ctx,
                        (("{pt} with {indication}; tunneled epidural catheter for external pump infusion."),),
                    )
                )
            else:
                indication.append(
                    fill(
                        rng,
                        ctx,
                        (
                            "{pt} with {device} for {indication}; " + why + ".",
                            "{pt}, pump placed {implant_year}, now with " + why + ".",
                        ),
                    )
                )
                desc.append("The pump pocket was opened and the catheter connection exposed.")
                desc.append(
                    fill(
                        rng,
                        ctx,
                        ("[[The catheter was disconnected from the pump]] and its distal end inspected.",),
                    )
                )
            if lam:
                desc.append(
                    fill(
                        rng,
                        ctx,
                        (
                            (
                                "A midline incision was made and [[laminectomy at {lam} was "
                                "performed]]; the dura was opened and "
                                "[[the catheter placed intrathecally under direct visualization]], dura "
                                "closed with a purse string."
                            )
                            if f["route"] != "epidural"
                            else (
                                "A midline incision was made and [[laminectomy at {lam} was performed]]; "
                                "[[the catheter was placed in the dorsal epidural space under direct "
                                "visualization]] and anchored."
                            ),
                            (
                                "[[A {lam} hemilaminectomy was performed]] because percutaneous access "
                                "failed; [[the catheter was "
                                "inserted under direct vision]] and secured."
                            ),
                        ),
                    )
                )
            else:
                desc += [
                    fill(rng, ctx, (x,)) for x in (CATH_NEW_EPI if f["route"] == "epidural" else CATH_NEW_IT)
                ]
            if fl == "external_system":
                desc.append(
                    "The catheter was tunneled to an exit site in the flank and connected to an "
                    "external pump."
                )
            else:
                desc.append(
                    fill(
                        rng,
                        ctx,
                        (
                            "[[The new catheter was connected to the existing pump]].",
                            "[[Catheter reconnected to the existing {device}]].",
                        ),
                    )
                )
                desc.append(
                    fill(
                        rng,
                        ctx,
                        (
                            "[[The pump itself was not replaced]].",
                            "[[Pump was not removed or replaced]].",
                            "The pump was left undisturbed in its pocket.",
                        ),
                    )
                )
        c["implants"] = [
            pick(rng, ("Ascenda intrathecal catheter 8781", "Intrathecal catheter", "None"))
            if d != "62355"
            else "None"
        ]
        c["preop"] = [cap(f["indication"])]
    desc += rng.sample(OR_CLOSE, rng.randrange(1, 3))
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
    c["disposition"] = [
        pick(rng, ("PACU, stable", "To PACU in stable condition", "Observation overnight", "Home same day"))
    ]
    plan = [
        pick(
            rng,
            (
                "Abdominal binder x 6 weeks",
                "No lifting > 10 lb x 6 weeks",
                "Keep incisions dry x 7 days",
                "Wound check in 10-14 days",
                "Monitor for headache/CSF leak, flat 24 h",
            ),
        )
    ]
    ex = sc.extras
    if "plan_first_refill" in ex:
        plan.append(
            fill(
                rng,
                ctx,
                (
                    "First refill in ~{months} months",
                    "Refill per pump alarm date, ~{next_date}",
                    "Will refill in clinic before alarm date",
                )
                if sc.device is not None and sc.device.programmable
                else ("First refill in ~{months} months", "Refill due ~{next_date}"),
            )
        )
    if "plan_titrate" in ex:
        plan.append(
            fill(
                rng,
                ctx,
                (
                    "Will titrate dose in clinic in 1-2 weeks",
                    "Dose increases planned at follow-up",
                    "Plan to increase dose 10% weekly as tolerated",
                ),
            )
        )
    if "hypo" in ex:
        plan.append(fill(rng, ctx, HYPO))
    if "plan_reimplant" in ex:
        plan.append(
            fill(
                rng,
                ctx,
                (
                    "Plan reimplantation after 6 weeks of IV antibiotics",
                    "Will consider new pump once infection cleared",
                    "Replace pump at a later date",
                ),
            )
        )
    if "pump_untouched_plan" in ex:
        plan.append(
            fill(
                rng,
                ctx,
                (
                    "Next pump refill due {next_short}, to be done in clinic",
                    "Pump refill and interrogation at next clinic visit",
                    "Resume refills per schedule",
                ),
            )
        )
    if "trial_hist" in ex and chance(rng, 0.5):
        indication.append(fill(rng, ctx, ("Trial bolus of {drug} on {trial_date} gave good relief.",)))
    c["postop_instr"] = plan
    c["history"] = []
    if "old_pump_hist" in ex and chance(rng, 0.5):
        c["history"].append(
            fill(
                rng,
                ctx,
                (
                    "{old_device} originally implanted {implant_year}",
                    "Pump placed {implant_year} by Dr. {doc}",
                    "s/p ITDD {implant_year}",
                ),
            )
        )
    background(rng, sc, ctx, c, pump_psh="old_pump_hist" in ex)
    c["signature"] = signature_lines(rng, sc, ctx, False)
    c["title"] = [
        pick(
            rng, ("OPERATIVE REPORT", "Operative Note", "OP NOTE", "Brief Operative Note", "Procedure Report")
        )
    ]
    return c


# ---------------------------------------------------------------------------------------------
# Look-alike subjects that have their own codes: stimulators (95970-95972), other-route pumps and ports
# (96521-96523)
# ---------------------------------------------------------------------------------------------
STIM_DEVICES = {
    "scs": (
        "Boston Scientific WaveWriter Alpha SCS",
        "Abbott Proclaim XR spinal cord stimulator",
        "Nevro HFX SCS",
        "Medtronic Intellis SCS",
        "spinal cord stimulator",
        "SCS",
    ),
    "dbs": (
        "Medtronic Percept PC DBS",
        "Abbott Infinity DBS",
        "Boston Scientific Vercise Genus DBS",
        "deep brain stimulator",
        "DBS system",
    ),
    "vns": ("VNS (LivaNova SenTiva)", "vagal nerve stimulator", "VNS Therapy AspireSR", "VNS generator"),
}
STIM_INDICATION = {
    "scs": (
        "failed back surgery syndrome",
        "CRPS of the LLE",
        "painful diabetic neuropathy",
        "chronic radiculopathy",
    ),
    "dbs": ("Parkinson disease with motor fluctuations", "essential tremor", "generalized dystonia"),
    "vns": ("drug-resistant epilepsy", "refractory focal epilepsy", "treatment-resistant depression"),
}
STIM_ANALYSIS = (
    "[[{stim} interrogated]] with the clinician programmer",
    "[[Interrogation of {stim}]]: impedances within normal limits",
    "[[Device interrogated]]; battery {batt}%, impedances normal",
    "[[{stim} checked with tablet programmer]]",
    "[[Telemetry with {stim}]] confirmed; therapy on",
)
STIM_REPROG = {
    "scs": (
        "[[New program created]]: {amp} mA, {pw} us, {hz} Hz",
        "[[Amplitude increased from {amp0} to {amp} mA]]",
        "[[Reprogrammed]] to a 10 kHz paresthesia-free program",
        "[[Program 2 modified]]: pulse width {pw} us",
    ),
    "dbs": (
        "[[Left STN amplitude increased 2.5 -> 2.8 V]]",
        "[[Active contact changed to 2-/C+]], 60 us, 130 Hz",
        "[[Right GPi amplitude increased]] by 0.3 mA",
        "[[Programming adjusted]]: frequency 130 -> 160 Hz",
    ),
    "vns": (
        "[[Output current increased 1.5 -> 1.75 mA]]",
        "[[Magnet current set to 2.0 mA]]",
        "[[Duty cycle changed]] to 30 s on / 3 min off",
        "[[VNS output increased]] to {amp} mA",
    ),
}


def compose_stim(rng: random.Random, sc: Scenario, ctx: Ctx) -> dict[str, list[str]]:
    """Neurostimulator analysis/programming: interrogated and programmed like a pump, but not a drug pump."""
    kind = sc.flavour
    ctx.fixed.update(
        {
            "stim": pick(rng, STIM_DEVICES[kind]),
            "batt": str(rng.randrange(20, 99)),
            "amp": f"{rng.randrange(10, 60) / 10:.1f}",
            "amp0": f"{rng.randrange(5, 30) / 10:.1f}",
            "pw": str(pick(rng, (60, 90, 120, 200, 300))),
            "hz": str(pick(rng, (40, 60, 130, 1200))),
        }
    )
    ctx.fixed["indication"] = pick(rng, STIM_INDICATION[kind])
    c: dict[str, list[str]] = {}
    c["cc"] = [
        fill(
            rng,
            ctx,
            ("{C_stim} programming", "Device check", "Stimulator follow-up")
            + (("{C_stim} reprogramming",) if sc.reprog else ()),
        )
    ]
    c["hpi"] = [
        fill(
            rng,
            ctx,
            (
                "{pt} with {indication} s/p {stim} implant {yr}, here for programming.",
                "{pt}, {indication}; stimulator placed {yr}. Reports reduced benefit over 2 months.",
            ),
        )
    ]
    proc = [fill(rng, ctx, STIM_ANALYSIS)]
    if sc.reprog:
        proc.append(fill(rng, ctx, STIM_REPROG[kind]))
    else:
        proc.append(
            fill(
                rng,
                ctx,
                (
                    "[[No programming changes made]]",
                    "[[Settings unchanged]]",
                    "[[Stimulator not reprogrammed]]",
                ),
            )
        )
    if sc.has("pump_mention"):
        c["hpi"].append(
            fill(
                rng,
                ctx,
                (
                    (
                        "Also has an {rt} {drug} pump, last refilled {last_refill} at the pain clinic; not "
                        "addressed today."
                    ),
                    "Has an intrathecal pump managed by Dr. {doc}; refill due {next_short}.",
                    "ITB pump in place since {implant_year}, managed elsewhere.",
                ),
            )
        )
    c["proc"] = proc
    pl, sig_ev = performer_line_generic(rng, sc, "programming" if sc.reprog else "interrogation")
    c["performer"] = [pl] if pl else []
    c["signature"] = signature_lines(rng, sc, ctx, sig_ev)
    background(rng, sc, ctx, c, pump_psh=sc.has("pump_mention"))
    c["exam"] = [
        pick(
            rng,
            {
                "scs": (
                    "IPG site well healed, nontender",
                    "Paresthesia coverage mapped to low back and L leg",
                ),
                "dbs": ("Tremor improved post programming", "Rigidity decreased after adjustment"),
                "vns": ("Generator site L chest clean, no erythema", "Hoarseness with stimulation, mild"),
            }[kind],
        )
    ]
    c["assessment"] = [f"{cap(ctx.fixed['indication'])} with {ctx.fixed['stim']}"] + c["problems"]
    c["plan"] = [
        pick(
            rng,
            (
                "RTC 3 months for programming",
                "Call if benefit fades",
                "Continue current meds",
                "Trial new program for 2 weeks",
            ),
        )
    ]
    c["title"] = [pick(rng, ("Neurostimulator Programming", "Device Clinic", "Stimulator Check"))]
    c["kv"] = [
        f"Date: {ctx.fixed['date']}",
        f"Device: {ctx.fixed['stim']}",
        mark("Interrogated: yes"),
        f"Battery: {ctx.fixed['batt']}%",
        "Impedances: WNL",
    ]
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
    return mark(
        pick(rng, (f"{cap(noun)} performed by {perf.full}", f"{perf.full} performed the {noun}"))
    ), False


OTHER_ROUTE_LINES = {
    "hepatic": (
        (
            "[[Hepatic artery infusion pump accessed]] with {needle} Huber needle",
            "[[HAI pump accessed]] via template",
        ),
        ("Residual {res} mL aspirated", "Returned {res} mL (expected {exp})"),
        (
            "[[HAI pump refilled with {vol} mL FUDR in heparinized saline]]",
            "[[Refilled hepatic arterial pump]] with {vol} mL heparinized saline and glycerin (rest cycle)",
            "[[{vol} mL FUDR/heparin instilled into the HAI pump]]",
        ),
    ),
    "port": (
        (
            "[[Port-a-cath accessed]] with 20-g 3/4 inch Huber needle, + blood return",
            "[[Implanted port accessed]] using sterile technique; brisk blood return",
        ),
        ("",),
        (
            "[[Port flushed with 10 mL NS and 5 mL heparin 100 units/mL]], de-accessed",
            "[[Flushed with 20 mL NS, heparin locked]]; needle removed",
            "[[Port flush]] completed, site covered",
        ),
    ),
    "iv": (
        (
            "[[CADD ambulatory pump cassette changed]]",
            "[[Portable infusion pump reservoir replaced]]",
            "[[Ambulatory pump refilled]] (CADD-Solis)",
        ),
        ("IV via R arm PICC, line flushed", "Infusing via port"),
        (
            "[[Portable pump refilled with {iv_drug}]]; rate unchanged",
            "[[New {iv_drug} bag/cassette hung]] on portable pump",
            "[[Refill of portable IV pump]] with {iv_drug}",
        ),
    ),
}
OTHER_ROUTE_IND = {
    "hepatic": ("colorectal liver metastases on HAI FUDR", "intrahepatic cholangiocarcinoma on HAI therapy"),
    "port": ("port maintenance between chemotherapy cycles", "breast cancer in remission, port maintenance"),
    "iv": (
        "advanced heart failure on home milrinone",
        "colon cancer on FOLFOX with 46-h 5-FU pump",
        "pulmonary hypertension on IV treprostinil",
    ),
}


def compose_other_route(rng: random.Random, sc: Scenario, ctx: Ctx) -> dict[str, list[str]]:
    """Refill/maintenance of pumps for other routes, or a port flush (96521-96523)."""
    kind = sc.flavour
    ctx.fixed["iv_drug"] = pick(
        rng,
        ("milrinone 0.375 mcg/kg/min", "5-FU 2400 mg/m2 over 46 h", "treprostinil", "ertapenem 1 g daily"),
    )
    ctx.fixed["indication"] = pick(rng, OTHER_ROUTE_IND[kind])
    access, middle, main = OTHER_ROUTE_LINES[kind]
    proc = [fill(rng, ctx, access)]
    mid = pick(rng, middle)
    if mid:
        proc.append(mid.format_map(ctx))
    proc.append(fill(rng, ctx, main))
    c: dict[str, list[str]] = {}
    c["cc"] = [{"hepatic": "HAI pump refill", "port": "Port flush", "iv": "Home infusion pump refill"}[kind]]
    c["hpi"] = [
        fill(
            rng,
            ctx,
            (
                "{pt} with {indication}, here for " + c["cc"][0].lower() + ".",
                "{pt}; {indication}. No fever or site pain.",
            ),
        )
    ]
    if kind == "hepatic" and chance(rng, 0.4):
        c["hpi"].append(
            fill(
                rng,
                ctx,
                ("HAI pump ({device}) placed {yr}.", "Pump is a {device} connected to the hepatic artery."),
            )
        )
    if sc.has("multi_problem") and chance(rng, 0.3):
        c["hpi"].append("Also on oral baclofen for MS spasticity; no intrathecal pump.")
    c["proc"] = proc
    pl, sig_ev = performer_line_generic(rng, sc, "refill" if sc.refill else "port flush")
    c["performer"] = [pl] if pl else []
    c["signature"] = signature_lines(rng, sc, ctx, sig_ev)
    background(rng, sc, ctx, c, pump_psh=False)
    c["exam"] = [
        pick(
            rng,
            {
                "hepatic": ("Pump pocket LLQ intact, nontender", "Abdomen soft; pump site clean"),
                "port": ("Port site clean, no erythema", "R chest port site without tenderness"),
                "iv": ("PICC site clean, dressing intact", "Line site without erythema"),
            }[kind],
        )
    ]
    c["assessment"] = [cap(ctx.fixed["indication"])] + c["problems"]
    c["plan"] = [
        fill(
            rng,
            ctx,
            {
                "hepatic": ("Next refill {next_short}", "Return in 2 weeks for refill", "Chemo per oncology"),
                "port": ("Next flush in 4-12 weeks", "Chemo per oncology", "Return in 4 weeks"),
                "iv": ("Next cassette change {next_short}", "Home infusion to continue", "Return in 1 week"),
            }[kind],
        )
    ]
    c["title"] = [
        {"hepatic": "HAI Pump Refill", "port": "Port Maintenance", "iv": "Infusion Pump Visit"}[kind]
    ]
    c["kv"] = [f"Date: {ctx.fixed['date']}", f"Indication: {ctx.fixed['indication']}"] + [
        f"Procedure: {x}" for x in proc
    ]
    assert sc.performer is not None
    c["kv"].append(mark(f"Performed by: {sc.performer.full}"))
    c["summary"] = [sentence("; ".join(proc) + ". " + mark(f"{sc.performer.short}"))]
    return c


# ---------------------------------------------------------------------------------------------
# Null: no drug-pump service in THIS encounter (rule 6 near-misses and rule 7 look-alikes)
# ---------------------------------------------------------------------------------------------
PUMP_HISTORY = (
    "[[Has a {device} ({route} {drug}) implanted {implant_year}]], managed by Dr. {doc}",
    "[[s/p ITB pump {implant_year}]]",
    "[[{C_pump} last refilled {last_refill}]] at the pain clinic",
    "[[{C_route} pump in place, not addressed at this visit]]",
    "[[h/o IDDS placement {implant_year}]]",
    "[[Pt has an {rt} {drug} pump]] followed by PM&R",
    "[[Pump placed {implant_year}]] for {indication}",
)
PUMP_MED_LINE = (
    "[[{C_drug} intrathecal via pump, {a}]] (managed by pain clinic)",
    "[[{C_rt} {drug} {a} via implanted pump]]",
    "[[{C_drug} {conc} via {device}]] - per PM&R",
)
PLANNED_LINES = (
    "[[Schedule pump refill for {next_date}]]",
    "[[Will refill at next visit]] ({next_short})",
    "[[Plan pump replacement]] (ERI {eri_date}) - scheduled with Dr. {doc}",
    "[[Will increase dose at the refill visit next week]]",
    "[[Interrogation planned at next visit]]",
    "[[Refill due {next_short}; to be done at pain clinic]]",
    "[[Plan to reprogram to flex dosing at next refill]]",
    "[[Refer for pump interrogation]]",
    "[[Pump refill appointment made]] for {next_short}",
)
DEFER_REASONS = (
    "erythema and warmth over the pump pocket; sent to ED for evaluation",
    "temp 101.2 F and new cough; refill rescheduled",
    "compounded {drug} not delivered by pharmacy",
    "patient declined today, requests to come back next week",
    "reservoir volume adequate per last log and pt asked to defer",
    "clinician programmer not functioning, unable to interrogate; rescheduled",
    "pt arrived late, clinic closed; rescheduled",
)
DEFER_LINES = (
    "[[Refill deferred]]",
    "[[Refill not performed]]",
    "[[Procedure deferred]]",
    "[[Refill postponed]]",
    "[[Did not refill today]]",
)
CANCEL_LINES = (
    "[[Procedure cancelled]]",
    "[[Case cancelled]] prior to incision",
    "[[Surgery cancelled]] and rescheduled",
    "[[Procedure not performed]]",
)
CANCEL_REASONS = (
    "INR 2.4 on morning labs",
    "positive COVID test",
    "fever 101 F in pre-op",
    "URI symptoms",
    "missing device from vendor",
    "NPO violation (ate breakfast)",
    "uncontrolled BP 210/115",
)
NEGATED_LINES = (
    "[[Pump was not interrogated or refilled today]]",
    "[[No changes to pump settings]] - not interrogated this visit",
    "[[Pump not addressed today]]; managed by Dr. {doc}",
    "[[Did not interrogate pump]]",
    "[[No pump refill or reprogramming at this visit]]",
)
HYPO_LINES = (
    "[[Discussed intrathecal pump as a future option]]",
    "[[May be a candidate for an intrathecal pump]] in the future",
)
HYPO_LINES_KIND = {
    "spasticity": (
        "[[If oral baclofen fails, could consider ITB trial and pump]]",
        "[[If spasticity worsens, we could discuss pump placement]]",
    ),
    "pain": (
        "[[Would consider IDDS if pain remains uncontrolled]]",
        "[[If opioid side effects persist, could consider an intrathecal pain pump]]",
    ),
}
TRIAL_LINES = {
    "spasticity": (
        "[[{trial_dose} mcg baclofen bolus via lumbar puncture]] at L3-4",
        "[[Intrathecal baclofen trial: {trial_dose} mcg injected via LP]]",
    ),
    "pain": (
        "[[Intrathecal morphine trial: 0.2 mg PF morphine via LP]]",
        ("[[Single-shot intrathecal trial]] of hydromorphone 50 mcg at L2-3"),
    ),
}
TELEPHONE_MSGS = (
    "Pump alarm beeping at home (low reservoir)",
    "Increased spasms since yesterday",
    "Question about next refill date",
    "Pump alarm went off overnight",
    "Caregiver reports more stiffness",
    "Asking whether dose can be increased",
)
TELEPHONE_ACTIONS = (
    "[[Advised to come in tomorrow for refill]]",
    "[[No changes made by phone]]; appt {next_short}",
    "[[Appt scheduled {next_short} for refill]]",
    "Per Dr. {doc}, [[will consider dose increase at visit]]",
    "[[Instructed to go to ED if withdrawal symptoms]]; refill moved up to {next_short}",
    "[[Told pt the alarm is the low reservoir alert]]; refill already scheduled {next_short}",
)
LOOKALIKE_NULL = {
    "insulin": (
        ("Insulin pump follow-up", "DM1 pump visit"),
        ("[[Insulin pump (Tandem t:slim X2) download reviewed]]", "[[Omnipod 5 insulin pump data reviewed]]"),
        (
            "[[Basal rate 0000-0600 increased from 0.8 to 0.9 units/h]]",
            "[[Insulin-to-carb ratio changed to 1:10]]",
            "[[Correction factor changed 1:50 -> 1:40]]",
        ),
        ("[[No changes to pump settings]]",),
    ),
    "pca": (
        ("Post-op pain", "POD1 pain management"),
        ("[[PCA hydromorphone 0.2 mg demand, 10 min lockout]]", "[[Morphine PCA]] 1 mg demand q8 min"),
        (
            "[[PCA demand dose decreased to 0.1 mg]] for sedation",
            "[[PCA basal rate discontinued]]",
            "[[PCA lockout changed to 15 min]]",
        ),
        ("[[PCA settings unchanged]]",),
    ),
    "iv": (
        ("IV pump alarm",),
        ("[[IV pump alarming occlusion downline]]", "[[Infusion pump alarm]] - air in line"),
        ("",),
        ("IV site checked, tubing unkinked, [[infusion resumed at 100 mL/h]]",),
    ),
    "wound_vac": (
        ("Wound VAC change",),
        ("[[Wound VAC dressing changed]]", "[[NPWT dressing change]]"),
        ("",),
        ("Pressure -125 mmHg continuous, seal intact",),
    ),
    "cardiac": (
        ("Device check", "Pacemaker check"),
        (
            "[[Dual-chamber pacemaker interrogated]]",
            "[[Device interrogation]] (dual-chamber PPM)",
            "[[PPM interrogated]] with Medtronic programmer",
        ),
        (
            "[[Lower rate changed 60 -> 70 bpm]]",
            "[[Pacemaker reprogrammed]] to DDDR",
            "[[AV delay reprogrammed]]",
        ),
        ("[[No programming changes]]", "No events; [[settings unchanged]]"),
    ),
}


# per look-alike: (history lines, exam lines, assessment lines, plan lines)
LOOKALIKE_CONTEXT: dict[str, tuple[tuple[str, ...], ...]] = {
    "insulin": (
        (
            "DM1 x 20 years on pump therapy, A1c 7.9%.",
            "Overnight lows twice weekly per CGM.",
            "Sensor wear 94%.",
        ),
        ("Infusion site L abdomen clean, no lipohypertrophy.", "Feet: monofilament intact."),
        ("Type 1 diabetes on insulin pump", "DM1 with nocturnal hypoglycemia"),
        (
            "RTC 3 months with endocrinology",
            "Review CGM in 2 weeks",
            "Continue current pump settings otherwise",
        ),
    ),
    "pca": (
        ("POD1 s/p L4-5 fusion, pain 7/10.", "POD2 s/p R TKA; somnolent overnight.", "Using PCA ~6 times/h."),
        ("Sedation score 2, RR 14.", "Incision dressing clean."),
        ("Acute postoperative pain", "Post-op pain, opioid-tolerant"),
        (
            "Transition to oral oxycodone tomorrow",
            "Continue PCA, reassess in AM",
            "Add scheduled acetaminophen",
        ),
    ),
    "iv": (
        ("Admitted for pneumonia, on IV fluids.", "IV pump alarming intermittently overnight."),
        ("R forearm PIV without erythema.", "IV site patent."),
        ("IV access maintenance", "Community-acquired pneumonia"),
        ("Continue IV fluids at 100 mL/h", "Monitor IV site q4h"),
    ),
    "wound_vac": (
        ("Stage 4 sacral pressure injury.", "Dehisced abdominal wound, VAC day 6."),
        ("Wound base 80% granulation, no odor.", "Periwound skin intact."),
        ("Pressure injury of sacrum, stage 4", "Surgical wound dehiscence"),
        ("Next VAC change in 48-72 h", "Nutrition consult; offloading"),
    ),
    "cardiac": (
        (
            "Sick sinus syndrome s/p dual-chamber PPM 2019.",
            "Complete heart block s/p PPM, here for device check.",
        ),
        ("RRR, device pocket well healed.", "No edema."),
        ("Sick sinus syndrome with pacemaker", "CHB s/p PPM"),
        ("Remote monitoring every 3 months", "Device clinic in 6 months"),
    ),
}


def compose_null(rng: random.Random, sc: Scenario, ctx: Ctx) -> dict[str, list[str]]:
    """Content for a note where nothing codable among the drug-pump services happened."""
    c: dict[str, list[str]] = {}
    fl = sc.flavour
    f = ctx.fixed
    f.update(
        {
            "trial_dose": str(pick(rng, (25, 50, 75, 100))),
            "psh_clause": "",
            "visit_reason": "follow-up",
            "days": str(rng.randrange(8, 16)),
            "conservative_short": pick(
                rng,
                ("oral baclofen and PT", "PT and medications")
                if sc.drug is not None and sc.drug.kind == "spasticity"
                else ("oral opioids and injections", "PT and medications"),
            ),
        }
    )
    sub = ""
    if fl == "planned":
        sub = (
            pick(rng, ("preop_replacement", "preop_implant"))
            if sc.note_type == "h_and_p" and chance(rng, 0.6)
            else "refill_plan"
        )
        if sub != "refill_plan":
            sc.extras.append("preop")
    elif fl == "cancelled":
        sub = pick(rng, ("replacement", "implant"))
    has_pump = (
        fl in ("history_only", "deferred", "negated", "site_check", "telephone")
        or (fl == "planned" and sub != "preop_implant")
        or (fl == "cancelled" and sub == "replacement")
        or sc.has("pump_mention")
    )
    background(
        rng, sc, ctx, c, pump_psh=has_pump and fl not in ("history_only", "site_check") and chance(rng, 0.7)
    )
    c["exam"] = (
        exam_lines(rng, sc, ctx, pump=has_pump) if fl not in LOOKALIKE_NULL and fl != "other_person" else []
    )
    proc: list[str] = []
    plan: list[str] = []
    hpi: list[str] = []
    assess: list[str] = []
    if fl in ("history_only", "other_person"):
        visit = (
            UNRELATED_VISITS[pick(rng, ED_VISIT_IDX)]
            if sc.note_type == "other"
            else pick(rng, UNRELATED_VISITS)
        )
        c["cc"] = [pick(rng, visit["cc"])]
        hpi.append(
            f"{ctx['pt']} "
            + pick(rng, ("here for", "presenting with", "c/o"))
            + " "
            + c["cc"][0].lower()
            + "."
        )
        hpi.append(pick(rng, visit["hpi"]))
        c["exam"] = [pick(rng, visit["exam"])] + c["exam"][:1]
        assess.append(pick(rng, visit["assessment"]))
        plan.append(pick(rng, visit["plan"]))
        if fl == "history_only":
            where = rng.randrange(3)
            line = fill(rng, ctx, PUMP_HISTORY)
            if where == 0:
                hpi.append(line)
            elif where == 1:
                c["psh"].append(line)
            else:
                c["meds"].append(fill(rng, ctx, PUMP_MED_LINE))
                if chance(rng, 0.5):
                    assess.append(line)
        else:
            hpi.append(
                mark(pick(rng, OTHER_PERSON))
                + pick(rng, ("; pt asks about side effects", "", "; pt is the caregiver", ". Pt has no pump"))
            )
        if chance(rng, 0.2):
            plan.append(pick(rng, ORAL_REFILLS))
    elif fl == "planned":
        c["cc"] = [
            fill(
                rng,
                ctx,
                (
                    "Follow-up {indication}",
                    "Pre-op evaluation",
                    "{sx_cc}",
                    "Pump follow-up",
                ),
            )
        ]
        if sc.note_type in ("h_and_p", "discharge") and sub == "refill_plan":
            adm = pick(
                rng, ("Pneumonia", "Fall at home", "UTI with fever", "Cellulitis of leg", "COPD exacerbation")
            )
            c["cc"] = [adm]
            hpi.append(f"{ctx['pt']} admitted with {adm.lower()}.")
            assess.append(adm)
        elif sub:
            c["cc"] = [pick(rng, ("Pre-op evaluation", "Pre-operative H&P", "Scheduled surgery"))]
            hpi.append(fill(rng, ctx, ("{pt} with {indication}.", "{pt} with h/o {indication}.")))
        else:
            hpi.append(fill(rng, ctx, HPI_OPEN).replace("  ", " "))
        if sub == "preop_replacement":
            hpi.append(
                fill(
                    rng,
                    ctx,
                    (
                        "[[Presents for scheduled pump replacement]]; pump at ERI.",
                        "[[Admitted for elective {device} replacement]] (ERI {eri_date}).",
                    ),
                )
            )
            plan.append(
                fill(
                    rng,
                    ctx,
                    (
                        "[[Proceed with pump replacement in the OR]] as scheduled",
                        "[[To OR today for pump replacement]]; consent signed",
                    ),
                )
            )
        elif sub == "preop_implant":
            hpi.append(
                fill(
                    rng,
                    ctx,
                    (
                        "[[Here for planned {device} implantation]] after a successful trial.",
                        "[[Scheduled for intrathecal pump implantation]] today.",
                    ),
                )
            )
            plan.append(
                fill(
                    rng,
                    ctx,
                    (
                        "[[To OR for pump implantation]]; consent signed",
                        "[[Plan: IDDS implant]] as scheduled",
                    ),
                )
            )
        else:
            plan.append(fill(rng, ctx, PLANNED_LINES))
        assess.append(cap(f["indication"]) if sub == "preop_implant" else fill(rng, ctx, ASSESS_MAINT))
    elif fl == "deferred":
        c["cc"] = [fill(rng, ctx, CC_REFILL)]
        hpi.append(
            fill(
                rng,
                ctx,
                (
                    "{pt} with {indication} presents for scheduled refill.",
                    "Pt arrived for {pump} refill.",
                    "Scheduled refill visit.",
                ),
            )
        )
        reason = pick(rng, DEFER_REASONS).format_map(ctx)
        proc.append(fill(rng, ctx, DEFER_LINES) + " - " + reason)
        proc.append(
            fill(
                rng,
                ctx,
                ("[[Pump not accessed]]", "[[Pump not interrogated]]", "[[No telemetry or refill done]]"),
            )
        )
        plan.append(
            fill(
                rng,
                ctx,
                (
                    "Rescheduled for {next_short}",
                    "Return {next_short} for refill",
                    "Will refill once cleared by ED",
                ),
            )
        )
        assess.append(fill(rng, ctx, ASSESS_MAINT))
    elif fl == "cancelled":
        c["cc"] = [
            fill(
                rng,
                ctx,
                ("Scheduled pump replacement", "Pump at ERI - replacement")
                if sub == "replacement"
                else ("Planned IDDS implantation", "Intrathecal pump implant"),
            )
        ]
        hpi.append(
            fill(
                rng,
                ctx,
                ("{pt} with {indication} scheduled for {device} replacement (ERI).",)
                if sub == "replacement"
                else ("{pt} scheduled for intrathecal pump implantation today.",),
            )
        )
        proc.append(fill(rng, ctx, CANCEL_LINES) + " due to " + pick(rng, CANCEL_REASONS))
        proc.append(
            pick(rng, ("No incision made.", "Patient discharged from pre-op.", "Will reschedule in 2 weeks."))
        )
        assess.append(cap(f["indication"]))
    elif fl == "negated":
        c["cc"] = [
            fill(
                rng,
                ctx,
                (
                    "Spasticity follow-up",
                    "Botox injections",
                    "Pain medication follow-up",
                    "Follow-up {indication}",
                ),
            )
        ]
        hpi.append(fill(rng, ctx, HPI_OPEN).replace("  ", " "))
        if chance(rng, 0.5):
            proc.append("Botulinum toxin 300 units injected into bilateral gastrocnemius under EMG guidance.")
        proc.append(fill(rng, ctx, NEGATED_LINES))
        assess.append(fill(rng, ctx, ASSESS_MAINT))
        plan.append(
            fill(rng, ctx, ("Next refill {next_short} with pump clinic", "Continue PT", "RTC 3 months"))
        )
    elif fl == "hypothetical":
        c["cc"] = [
            fill(rng, ctx, ("Consult for spasticity management", "Chronic pain consult", "{C_indication}"))
        ]
        hpi.append(
            fill(
                rng,
                ctx,
                (
                    "{pt} with {indication}, on oral medications with partial benefit.",
                    "{pt} referred for {indication}; failed {conservative_short}.",
                ),
            )
        )
        plan.append(fill(rng, ctx, HYPO_LINES + HYPO_LINES_KIND[sc.drug.kind if sc.drug else "pain"]))
        assess.append(cap(f["indication"]))
    elif fl == "trial":
        kind = sc.drug.kind if sc.drug else "pain"
        c["cc"] = [pick(rng, ("Intrathecal trial", "ITB screening trial", "Pump candidacy evaluation"))]
        hpi.append(fill(rng, ctx, ("{pt} with {indication} being evaluated for an implanted pump.",)))
        if sc.note_type == "consult":
            proc.append(
                fill(
                    rng,
                    ctx,
                    (
                        "[[Evaluation for IDDS candidacy]]; psych clearance obtained",
                        "[[Pump candidacy assessment]]: meets criteria, trial to be scheduled",
                    ),
                )
            )
        else:
            proc.append(fill(rng, ctx, TRIAL_LINES[kind]))
            proc.append(
                pick(
                    rng,
                    (
                        "MAS decreased from 3 to 1 at 4 h.",
                        "Pain decreased from 8/10 to 3/10.",
                        "Good response, no respiratory depression.",
                    ),
                )
            )
        plan.append(
            fill(
                rng,
                ctx,
                (
                    "[[Good candidate for pump implantation]]",
                    "[[Refer for pump implantation]]",
                    "[[Plan {device} implant]] if insurance approves",
                ),
            )
        )
        assess.append(cap(f["indication"]))
    elif fl == "telephone":
        c["caller"] = [pick(rng, ("Patient", "Caregiver (spouse)", "Home health RN", "Daughter"))]
        c["message"] = [pick(rng, TELEPHONE_MSGS)]
        c["action_taken"] = [fill(rng, ctx, TELEPHONE_ACTIONS)]
        c["cc"] = c["message"]
    elif fl == "site_check":
        c["cc"] = [pick(rng, ("Post-op wound check", "Incision check", "Staple removal"))]
        hpi.append(
            fill(
                rng,
                ctx,
                (
                    "[[s/p {device} implant {days} days ago]]; doing well.",
                    "[[POD {days} after pump implantation]], no fever.",
                ),
            )
        )
        proc.append(
            pick(
                rng,
                (
                    "Incision healing well, staples removed.",
                    "Steri-strips removed, no drainage.",
                    "Incision c/d/i, no seroma.",
                ),
            )
        )
        proc.append(
            fill(rng, ctx, ("[[Pump not interrogated today]]", "[[No programming or refill at this visit]]"))
        )
        plan.append(fill(rng, ctx, PLAN_REFILL))
        assess.append("Post-operative check")
    elif fl in LOOKALIKE_NULL:
        cc, subj, change, nochange = LOOKALIKE_NULL[fl]
        c["cc"] = [pick(rng, cc)]
        hpi.append(fill(rng, ctx, ("{pt} seen for " + c["cc"][0].lower() + ".",)))
        proc.append(fill(rng, ctx, subj))
        ch = fill(rng, ctx, change) if sc.reprog else ""
        proc.append(ch if ch else fill(rng, ctx, nochange))
        hpi.append(pick(rng, LOOKALIKE_CONTEXT[fl][0]))
        c["exam"] = [pick(rng, LOOKALIKE_CONTEXT[fl][1])]
        assess.append(pick(rng, LOOKALIKE_CONTEXT[fl][2]))
        plan.append(pick(rng, LOOKALIKE_CONTEXT[fl][3]))
        if sc.has("pump_mention"):
            hpi.append(
                fill(
                    rng,
                    ctx,
                    (
                        "Also has an {rt} {drug} pump managed by PM&R; not addressed today.",
                        "ITB pump in place ({implant_year}), refilled elsewhere.",
                    ),
                )
            )
    elif fl == "esi":
        c["cc"] = ["Lumbar radiculopathy"]
        hpi.append(fill(rng, ctx, ("{pt} with L5 radiculopathy, here for ESI.",)))
        proc.append(
            fill(
                rng,
                ctx,
                (
                    "[[L5-S1 interlaminar epidural steroid injection]]: triamcinolone 80 mg with 3 mL NS",
                    "[[Right L4-5 transforaminal epidural steroid injection]], dexamethasone 10 mg",
                ),
            )
        )
        proc.append("Loss of resistance technique; contrast confirmed epidural spread; no CSF or heme.")
        assess.append("Lumbar radiculopathy")
        plan.append("Follow up in 4 weeks")
    c["cc"] = [x.format_map(ctx) if "{" in x else x for x in c.get("cc", ["Follow-up"])]
    c["hpi"] = hpi
    c["proc"] = proc
    c["assessment"] = assess + c["problems"]
    c["plan"] = plan or ["RTC PRN"]
    if sc.performer is not None:
        pl, sig_ev = performer_line_generic(rng, sc, "procedure")
        c["performer"] = [pl] if pl and fl == "esi" else []
        c["signature"] = signature_lines(rng, sc, ctx, sig_ev and fl == "esi")
    else:
        c["performer"] = []
        c["signature"] = signature_lines(rng, sc, ctx, False)
    titles = {
        "deferred": (
            "Pump Refill - Deferred",
            "Intrathecal Pump Refill (not performed)",
            "Pump Clinic Visit",
        ),
        "cancelled": (
            "Brief Operative Note - Case Cancelled",
            "OPERATIVE NOTE: PROCEDURE NOT PERFORMED",
            "Cancelled Procedure Note",
        ),
        "trial": ("Pump Candidacy Evaluation",)
        if sc.note_type == "consult"
        else ("Intrathecal Trial", "ITB Screening Trial", "Intrathecal Trial Injection"),
        "esi": ("Lumbar Epidural Steroid Injection", "ESI", "Epidural Steroid Injection"),
        "site_check": ("Post-op Visit", "Wound Check"),
    }
    c["title"] = [
        pick(
            rng,
            titles.get(
                fl,
                (c["cc"][0],) if fl in LOOKALIKE_NULL else ("Clinic Note", "Progress Note", "Office Visit"),
            ),
        )
    ]
    if sc.note_type == "telephone" and "message" not in c:
        c["caller"] = [pick(rng, ("Patient", "Caregiver", "Spouse", "Home health RN"))]
        med = pick(rng, ("oral baclofen 10 mg", "gabapentin 300 mg", "tizanidine 4 mg", "oxycodone 5 mg"))
        msg = {
            "history_only": pick(
                rng,
                (
                    f"Requesting refill of {med}",
                    f"Pharmacy calling for refill of {med}",
                    f"Calling about {c['cc'][0].lower()}",
                ),
            ),
            "other_person": f"Calling about {c['cc'][0].lower()}",
            "planned": pick(rng, TELEPHONE_MSGS),
        }.get(fl, c["cc"][0])
        c["message"] = [msg] + [x for x in hpi + g(c, "psh", "meds") + proc if EV_OPEN in x]
        c["action_taken"] = (
            ["Rx sent to pharmacy"] if msg.startswith(("Requesting", "Pharmacy")) else plan
        ) or ["Will call back"]
    c["kv"] = [f"Date: {f['date']}"] + [f"Note: {x}" for x in proc + plan]
    if sc.note_type == "flowsheet" and fl == "deferred":
        c["kv"] = [
            f"Date: {f['date']}",
            f"Pump: {ctx['device']}",
            mark("Refill: deferred"),
            "Interrogated: No",
            "Reason: " + proc[0],
        ]
    marked = [
        x
        for x in g(c, "hpi", "psh", "meds", "family") + hpi + proc + plan + g(c, "action_taken")
        if EV_OPEN in x
    ]
    c["summary"] = [" ".join(sentence(x) for x in list(dict.fromkeys(marked))[:3]) or "Seen."]
    # op-report keys for cancelled cases
    c["proc_title"] = [proc[0]] if proc else []
    c["indication"] = hpi[:1]
    c["description"] = proc[1:]
    c["preop"] = ["Lumbar radiculopathy" if fl == "esi" else cap(f["indication"])]
    c["postop"] = ["Same"]
    return c


# ---------------------------------------------------------------------------------------------
# Layout: content blocks -> sections, per note type
# ---------------------------------------------------------------------------------------------
@dataclass
class Section:
    """A note section: header key (HEADERS) or literal header, lines, and how lines are joined."""

    key: str | None
    lines: list[str]
    mode: str = "lines"  # "lines", "prose", "bullets", "inline" (header and text on one line), "raw"
    header: str | None = None


Content = dict[str, list[str]]


def g(c: Content, *keys: str) -> list[str]:
    """Concatenate content blocks that exist."""
    out: list[str] = []
    for k in keys:
        out += c.get(k, [])
    return out


def proc_block(rng: random.Random, c: Content, with_device: bool = True) -> list[str]:
    """Device status + the service + who did it."""
    dev = (
        c.get("device", [])
        if with_device and chance(rng, 0.6)
        else [x for x in c.get("device", []) if EV_OPEN in x]
    )
    return dev + g(c, "proc", "performer")


def ctx_route(c: Content) -> str:
    """The note's route word, stored by the composer."""
    return c.get("_route", ["intrathecal"])[0]


def proc_key(sc: Scenario) -> str:
    """Pump-specific procedure headers only in pump-service notes."""
    return "procedure" if sc.family == "maint" else "procedure_generic"


def admit_reason(rng: random.Random, sc: Scenario) -> str:
    """Why a patient with a pump was in hospital."""
    return pick(
        rng,
        (
            "increased spasticity and concern for baclofen withdrawal",
            "low reservoir alarm and uncontrolled pain",
            "pneumonia",
            "UTI with sepsis",
            "fall with rib fractures",
            "pain crisis",
            "elective pump titration",
            "intractable pain, admitted for titration",
            "altered mental status, concern for overdose",
        ),
    )


def layout_clinic_soap(rng: random.Random, sc: Scenario, c: Content) -> list[Section]:
    """SOAP, full problem-oriented, or brief narrative clinic note."""
    v = rng.randrange(3)
    long = sc.has("long")
    secs: list[Section] = []
    if chance(rng, 0.4):
        secs.append(Section(None, g(c, "title")))
    pb = proc_block(rng, c)
    if v == 0:
        secs += [
            Section("subjective", g(c, "cc", "hpi"), "prose"),
            Section("objective", g(c, "vitals", "exam"), "prose"),
        ]
        if pb:
            secs.append(Section(proc_key(sc), pb, pick(rng, ("lines", "bullets", "prose"))))
        secs += [
            Section("assessment", g(c, "assessment"), "bullets"),
            Section("plan", g(c, "plan"), "bullets"),
        ]
    elif v == 1:
        secs += [
            Section("cc", g(c, "cc"), "inline"),
            Section("hpi", g(c, "hpi"), "prose"),
            Section("pmh", g(c, "pmh"), pick(rng, ("bullets", "inline"))),
            Section("psh", g(c, "psh"), pick(rng, ("bullets", "inline"))),
        ]
        secs += [Section("meds", g(c, "meds"), "bullets"), Section("allergies", g(c, "allergies"), "inline")]
        if long or chance(rng, 0.3):
            secs += [
                Section("social", g(c, "social", "family"), "inline"),
                Section("ros", g(c, "ros"), "lines"),
            ]
        secs += [Section("vitals", g(c, "vitals"), "inline"), Section("exam", g(c, "exam"), "lines")]
        if pb:
            secs.append(Section(proc_key(sc), pb, pick(rng, ("lines", "bullets", "prose"))))
        if chance(rng, 0.5):
            secs.append(Section("ap", g(c, "assessment") + g(c, "plan"), "bullets"))
        else:
            secs += [
                Section("assessment", g(c, "assessment"), "bullets"),
                Section("plan", g(c, "plan"), "bullets"),
            ]
    else:
        secs.append(Section(None, g(c, "cc", "hpi") + pb, "prose"))
        secs.append(Section("plan", g(c, "assessment")[:1] + g(c, "plan"), "bullets"))
    secs.append(Section(None, g(c, "signature")))
    return secs


def layout_nursing(rng: random.Random, sc: Scenario, c: Content) -> list[Section]:
    """Nursing refill note: narrative, DAR, bullets, or one-liner."""
    v = rng.randrange(4)
    title = Section(
        None,
        [
            pick(
                rng,
                ("Nursing Note", "Nursing Procedure Note", "Pump Clinic - Nursing")
                + (("RN Note",) if sc.author is not None and "RN" in sc.author.role else ()),
            )
            + pick(rng, ("", " - " + g(c, "title")[0] if c.get("title") else ""))
        ],
    )
    pb = proc_block(rng, c)
    sig = Section(None, g(c, "signature"))
    if v == 0:
        return [
            title,
            Section(None, g(c, "hpi")[:1] + pb, "prose"),
            Section(None, g(c, "plan"), "prose"),
            sig,
        ]
    if v == 1:
        dar = pick(rng, (("D", "A", "R"), ("Data", "Action", "Response"), ("DATA", "ACTION", "RESPONSE")))
        return [
            title,
            Section(None, g(c, "cc") + g(c, "device")[:2] + g(c, "vitals"), "prose", header=dar[0]),
            Section(None, g(c, "proc", "performer"), "prose", header=dar[1]),
            Section(
                None,
                [pick(rng, ("Tolerated well", "No distress", "Pt verbalized understanding"))] + g(c, "plan"),
                "prose",
                header=dar[2],
            ),
            sig,
        ]
    if v == 2:
        return [title, Section(None, pb + g(c, "plan"), "bullets"), sig]
    return [Section(None, g(c, "summary")), Section(None, g(c, "signature")[:1])]


def layout_procedure(rng: random.Random, sc: Scenario, c: Content) -> list[Section]:
    """Procedure note; surgical families bring their op-report blocks."""
    surgical = "description" in c and sc.family != "null"
    title = pick(
        rng,
        ("PROCEDURE NOTE", "Procedure Note", "Brief Procedure Note")
        if surgical
        else ("PROCEDURE NOTE", "Procedure Note", "Bedside Procedure Note", "Clinic Procedure Note"),
    )
    secs = [Section(None, [title]), Section(None, [f"Date of service: {c['_date'][0]}"])]
    if surgical:
        secs += [
            Section("proc_title", g(c, "proc_title"), "inline"),
            Section("indication", g(c, "indication"), "prose"),
            Section("anesthesia", g(c, "anesthesia"), "inline"),
            Section("description", g(c, "description"), "prose"),
            Section("complications", g(c, "complications"), "inline"),
            Section("plan", g(c, "postop_instr"), "bullets"),
            Section("performed_by", g(c, "surgeon"), "inline"),
        ]
    else:
        secs += [
            Section("proc_name", g(c, "title"), "inline"),
            Section("indication", g(c, "cc") + g(c, "hpi")[:1], "prose"),
        ]
        if chance(rng, 0.5):
            secs.append(
                Section(
                    "consent",
                    [
                        pick(
                            rng,
                            (
                                "Verbal consent obtained",
                                "Written consent on file",
                                "Risks/benefits reviewed, consent signed",
                            ),
                        )
                    ],
                    "inline",
                )
            )
        secs.append(
            Section(
                "description",
                proc_block(rng, c, with_device=chance(rng, 0.5)),
                pick(rng, ("lines", "prose", "bullets")),
            )
        )
        secs += [Section("complications", ["None"], "inline"), Section("plan", g(c, "plan"), "bullets")]
    secs.append(Section(None, g(c, "signature")))
    return secs


def layout_flowsheet(rng: random.Random, sc: Scenario, c: Content) -> list[Section]:
    """Key/value rows as exported from an EHR flowsheet."""
    title = (
        pick(
            rng,
            (
                "INTRATHECAL PUMP FLOWSHEET",
                "Implanted Pump Documentation",
                "Flowsheet: Drug Pump",
                "DEVICE FLOWSHEET",
            )
            + (("Pump Refill Flowsheet",) if sc.refill else ()),
        )
        if sc.family == "maint"
        else pick(rng, ("Flowsheet", "Nursing Flowsheet", "FLOWSHEET ROWS"))
    )
    rows = g(c, "kv")
    if not rows:
        rows = [f"Date: {c['_date'][0]}"] + [f"Note: {x}" for x in g(c, "proc", "plan")]
    sep = pick(rng, (": ", ": ", ":\t", " - ", ": "))
    rows = [r.replace(": ", sep, 1) for r in rows]
    secs = [Section(None, [title]), Section(None, rows, "raw")]
    if sc.family != "maint" or chance(rng, 0.4):
        secs.append(Section(None, g(c, "signature")[:1]))
    return secs


def layout_transcription(rng: random.Random, sc: Scenario, c: Content) -> list[Section]:
    """Dictated note; rendered later with the comma-laden transcription style."""
    if "description" in c and sc.family != "null":
        return layout_op_report(rng, sc, c)
    secs = [
        Section(proc_key(sc), g(c, "title")),
        Section("indication", g(c, "cc") + g(c, "hpi")),
        Section("findings_pump" if sc.family == "maint" else "findings", proc_block(rng, c)),
        Section("assessment", g(c, "assessment")),
        Section("plan", g(c, "plan")),
        Section(None, g(c, "signature")),
    ]
    return secs


def layout_consult(rng: random.Random, sc: Scenario, c: Content) -> list[Section]:
    """Inpatient or outpatient consult."""
    secs = [
        Section(
            None,
            [
                pick(
                    rng,
                    (
                        "CONSULTATION",
                        "Pain Medicine Consult",
                        "PM&R Consult Note",
                        "Consult Note",
                        "Inpatient Consult",
                    ),
                )
            ],
        ),
        Section("reason_consult", g(c, "cc"), "inline"),
        Section("hpi", g(c, "hpi"), "prose"),
        Section("pmh", g(c, "pmh"), "inline"),
        Section("meds", g(c, "meds"), pick(rng, ("bullets", "inline"))),
        Section("allergies", g(c, "allergies"), "inline"),
        Section("exam", g(c, "vitals", "exam"), "lines"),
    ]
    pb = proc_block(rng, c)
    if pb:
        secs.append(Section(proc_key(sc), pb, pick(rng, ("lines", "prose"))))
    secs += [
        Section("assessment", g(c, "assessment"), "bullets"),
        Section("recommendations", g(c, "plan"), "bullets"),
        Section(None, g(c, "signature")),
    ]
    return secs


def layout_discharge(rng: random.Random, sc: Scenario, c: Content) -> list[Section]:
    """Discharge summary: the service appears inside the hospital course."""
    adm = c["_admit"][0]
    secs = [
        Section(None, [pick(rng, ("DISCHARGE SUMMARY", "Discharge Summary", "Hospital Discharge Summary"))]),
        Section(None, [f"Admission Date: {adm}", f"Discharge Date: {c['_date'][0]}"]),
    ]
    if "description" in c and sc.family != "null":
        marked = [x for x in g(c, "description") if EV_OPEN in x]
        course = (
            g(c, "indication")[:1]
            + [f"Taken to the OR on {adm}."]
            + marked
            + [
                pick(
                    rng,
                    (
                        "Post-op course uncomplicated.",
                        "Pain controlled on oral medication; incisions clean.",
                        "Observed overnight without headache or CSF leak.",
                    ),
                )
            ]
        )
        procs = g(c, "proc_title") + [f"Surgeon: {x}" for x in g(c, "surgeon")]
        secs += [
            Section("discharge_dx", g(c, "preop"), "bullets"),
            Section("procedures_done", procs, "bullets"),
            Section("hospital_course", course, "prose"),
            Section("discharge_meds", g(c, "meds"), "bullets"),
            Section("followup", g(c, "postop_instr"), "bullets"),
        ]
    else:
        course = [f"Admitted with {admit_reason(rng, sc)}."] if sc.family != "null" else g(c, "hpi")
        pb = proc_block(rng, c, with_device=False)
        if pb:
            course.append(
                pick(
                    rng,
                    (
                        "During the admission:",
                        "Pain service saw the patient on HD2.",
                        "PM&R was consulted.",
                        "On hospital day 2:",
                    ),
                )
            )
            course += pb
        course.append(
            pick(
                rng,
                (
                    "Remained stable and was discharged home.",
                    "Discharged in stable condition.",
                    "Symptoms improved; discharged to home with spouse.",
                ),
            )
        )
        procs = (
            [f"{cap(ctx_route(c))} pump {service_verb(sc, past=False)}"] if sc.family == "maint" else ["None"]
        )
        secs += [
            Section("discharge_dx", g(c, "assessment"), "bullets"),
            Section("procedures_done", procs, "bullets"),
            Section("hospital_course", course, "prose"),
            Section("psh", g(c, "psh"), "inline"),
            Section("discharge_meds", g(c, "meds"), "bullets"),
            Section("followup", g(c, "plan"), "bullets"),
        ]
    secs.append(Section(None, g(c, "signature")))
    return secs


def layout_h_and_p(rng: random.Random, sc: Scenario, c: Content) -> list[Section]:
    """Admission / pre-operative history and physical."""
    titles = (
        ("Pre-operative H&P", "PRE-OP HISTORY AND PHYSICAL")
        if sc.has("preop")
        else ("HISTORY AND PHYSICAL", "H&P", "Admission H&P", "Admission History and Physical")
    )
    secs = [
        Section(None, [pick(rng, titles)]),
        Section("cc", g(c, "cc"), "inline"),
        Section("hpi", g(c, "hpi"), "prose"),
        Section("pmh", g(c, "pmh"), "bullets"),
        Section("psh", g(c, "psh"), "bullets"),
        Section("meds", g(c, "meds"), "bullets"),
        Section("allergies", g(c, "allergies"), "inline"),
        Section("social", g(c, "social"), "inline"),
        Section("family", g(c, "family"), "inline"),
        Section("ros", g(c, "ros"), "lines"),
        Section("vitals", g(c, "vitals"), "inline"),
        Section("exam", g(c, "exam"), "lines"),
    ]
    pb = proc_block(rng, c, with_device=False)
    if pb:
        secs.append(
            Section(
                None,
                pb,
                "prose",
                header=pick(rng, ("Bedside pump evaluation", "Pump", "Procedure at bedside")),
            )
        )
    secs += [Section("ap", g(c, "assessment") + g(c, "plan"), "bullets"), Section(None, g(c, "signature"))]
    return secs


def layout_other(rng: random.Random, sc: Scenario, c: Content) -> list[Section]:
    """ED provider note, or a terse one-line entry."""
    if chance(rng, 0.3) and c.get("summary"):
        return [Section(None, g(c, "summary")), Section(None, g(c, "signature")[:1])]
    secs = [
        Section(
            None,
            [pick(rng, ("ED Provider Note", "EMERGENCY DEPARTMENT NOTE", "ED Note", "Urgent Care Note"))],
        ),
        Section("cc", g(c, "cc"), "inline"),
        Section("hpi", g(c, "hpi"), "prose"),
        Section("ros", g(c, "ros")[:3], "inline"),
        Section("vitals", g(c, "vitals"), "inline"),
        Section("exam", g(c, "exam"), "lines"),
    ]
    pb = proc_block(rng, c, with_device=False)
    if "description" in c and sc.family != "null":
        pb = g(c, "proc_title") + [x for x in g(c, "description") if EV_OPEN in x]
    if pb:
        secs.append(Section("ed_course", pb, "prose"))
    secs += [
        Section("mdm", g(c, "assessment"), "prose"),
        Section("disposition", g(c, "plan"), "lines"),
        Section(None, g(c, "signature")),
    ]
    return secs


def layout_op_report(rng: random.Random, sc: Scenario, c: Content) -> list[Section]:
    """Classic operative report."""
    secs = [
        Section(None, g(c, "title") or ["OPERATIVE REPORT"]),
        Section(None, [f"Date of Surgery: {c['_date'][0]}"]),
        Section("preop", g(c, "preop"), "inline"),
        Section("postop", g(c, "postop"), "inline"),
        Section("proc_title", g(c, "proc_title"), "inline"),
        Section("surgeon", g(c, "surgeon"), "inline"),
    ]
    if chance(rng, 0.6):
        secs.append(Section("assistant", g(c, "assistant"), "inline"))
    secs += [
        Section("anesthesia", g(c, "anesthesia") or ["General"], "inline"),
        Section("indication", g(c, "indication", "history"), "prose"),
        Section("description", g(c, "description"), "prose"),
        Section("ebl", g(c, "ebl") or ["Minimal"], "inline"),
    ]
    if chance(rng, 0.6):
        secs.append(Section("implants", g(c, "implants") or ["None"], "inline"))
    secs += [
        Section("specimens", g(c, "specimens") or ["None"], "inline"),
        Section("complications", g(c, "complications") or ["None"], "inline"),
        Section("disposition", g(c, "disposition") or ["Home"], "inline"),
    ]
    if c.get("postop_instr"):
        secs.append(Section("postop_instr", g(c, "postop_instr"), "bullets"))
    secs.append(Section(None, g(c, "signature")))
    return secs


def layout_telephone(rng: random.Random, sc: Scenario, c: Content) -> list[Section]:
    """Telephone encounter."""
    hh, mm = rng.randrange(8, 17), rng.randrange(0, 60)
    secs = [
        Section(None, [pick(rng, ("Telephone Encounter", "TELEPHONE NOTE", "Phone Call", "Patient Call"))]),
        Section(None, [f"{c['_date'][0]} {hh:02d}:{mm:02d}"]),
        Section("caller", g(c, "caller") or [pick(rng, ("Patient", "Caregiver"))], "inline"),
        Section("message", g(c, "message") or g(c, "cc") + g(c, "hpi")[:2], "prose"),
        Section("action_taken", g(c, "action_taken") or g(c, "plan"), "prose"),
    ]
    extra = [x for x in g(c, "psh", "meds", "hpi", "family") if EV_OPEN in x and x not in secs[3].lines]
    if extra:
        secs.insert(4, Section(None, extra, "prose", header="Background"))
    secs.append(Section(None, g(c, "signature")[:1]))
    return secs


LAYOUTS: dict[str, Callable[[random.Random, Scenario, Content], list[Section]]] = {
    "clinic_soap": layout_clinic_soap,
    "nursing_refill": layout_nursing,
    "procedure_note": layout_procedure,
    "flowsheet": layout_flowsheet,
    "transcription": layout_transcription,
    "consult": layout_consult,
    "discharge": layout_discharge,
    "h_and_p": layout_h_and_p,
    "other": layout_other,
    "op_report": layout_op_report,
    "telephone": layout_telephone,
}
MISSING_HEADER = {
    "psh": "psh",
    "meds": "meds",
    "pmh": "pmh",
    "hpi": "hpi",
    "proc": "procedure",
    "plan": "plan",
    "assessment": "assessment",
    "performer": "performed_by",
    "family": "family",
    "device": "device",
    "description": "description",
    "proc_title": "proc_title",
    "indication": "indication",
    "postop_instr": "plan",
    "history": "hpi",
    "action_taken": "plan",
    "cc": "cc",
    "exam": "exam",
    "problems": "assessment",
    "signature": "signature",
    "surgeon": "surgeon",
    "caller": "caller",
    "message": "message",
}


EV_SPAN_RE = re.compile(f"{EV_OPEN}[^{EV_CLOSE}]*{EV_CLOSE}")


def ensure_evidence_sections(sc: Scenario, c: Content, secs: list[Section]) -> list[Section]:
    """Safety net: a deciding phrase a layout left out gets its own section (before the signature), so the
    label never rests on text that is not there. Skipped for flowsheet/one-liner layouts, whose rows restate
    the deciding facts."""
    rendered = {line for s in secs for line in s.lines}
    if any(line in rendered for line in c.get("summary", [])) or any(
        line in rendered for line in c.get("kv", [])
    ):
        return secs
    if sc.note_type == "flowsheet":
        return secs
    text = "\n".join(rendered)
    missing: dict[str, list[str]] = {}
    for key, lines in c.items():
        if key.startswith("_") or key in ("kv", "summary", "title"):
            continue
        for line in lines:
            spans = EV_SPAN_RE.findall(line)
            if spans and not all(sp in text for sp in spans):
                missing.setdefault(key, []).append(line)
                text += "\n" + line
    extra = [Section(MISSING_HEADER.get(k, "plan"), v, "lines") for k, v in missing.items()]
    return secs[:-1] + extra + secs[-1:]


# ---------------------------------------------------------------------------------------------
# Rendering: sections -> text, with per-note formatting habits
# ---------------------------------------------------------------------------------------------
def _header_text(rng: random.Random, sec: Section, case: str) -> str | None:
    """Pick a header synonym and apply the note's header casing."""
    if sec.header is not None:
        h = sec.header
    elif sec.key is not None:
        h = pick(rng, HEADERS[sec.key])
    else:
        return None
    if not h:
        return None
    if case == "upper":
        return h.upper()
    if case == "lower" and len(h) > 3:
        return h.lower()
    return h


def render(rng: random.Random, secs: list[Section], note_type: str) -> str:
    """Join sections with one author's habits: header case/separator, bullets, blank lines, prose vs lines."""
    if note_type == "transcription":
        return render_transcription(rng, secs)
    case = wpick(rng, HEADER_CASES)
    sep = wpick(rng, HEADER_SEPS)
    bullet = wpick(rng, BULLETS)
    blank = chance(rng, 0.55)
    shout = rng.randrange(len(secs)) if chance(rng, 0.06) else -1  # one section typed in caps
    blocks: list[str] = []
    for i, sec in enumerate(secs):
        lines = [ln for ln in sec.lines if ln and ln.strip()]
        if not lines:
            continue
        h = _header_text(rng, sec, case)
        hs = (sep if len(h) > 2 else ":") if h else ""
        if sec.mode == "prose":
            body = " ".join(sentence(ln) for ln in lines)
            block = f"{h}{hs} {body}" if h and chance(rng, 0.5) else (f"{h}{hs}\n{body}" if h else body)
        elif sec.mode == "inline":
            joiner = "; " if any("," in ln for ln in lines) else pick(rng, (", ", "; "))
            body = joiner.join(ln.rstrip(".") if j < len(lines) - 1 else ln for j, ln in enumerate(lines))
            block = f"{h}{hs} {body}" if h else body
        elif sec.mode == "raw":
            body = "\n".join(lines)
            block = f"{h}{hs}\n{body}" if h else body
        else:
            use_bullets = sec.mode == "bullets" and bullet != ""
            periods = chance(rng, 0.5)
            out = []
            for j, ln in enumerate(lines):
                if use_bullets:
                    prefix = f"{j + 1}. " if bullet == "num" else f"{j + 1}) " if bullet == "num)" else bullet
                    out.append(prefix + ln)
                else:
                    out.append(sentence(ln) if periods else ln)
            body = "\n".join(out)
            block = f"{h}{hs}\n{body}" if h else body
        if i == shout:
            block = block.upper()
        blocks.append(block)
    return ("\n\n" if blank else "\n").join(blocks)


def render_transcription(rng: random.Random, secs: list[Section]) -> str:
    """Transcription-system export: 'PROCEDURE:, Pump refill.,  FINDINGS:, ...,' in one or few paragraphs."""
    parts: list[str] = []
    for sec in secs:
        lines = [ln for ln in sec.lines if ln and ln.strip()]
        if not lines:
            continue
        h = _header_text(rng, sec, "upper")
        body = ", ".join(
            sentence(ln).replace("\n", " ") + "," if k == len(lines) - 1 else sentence(ln).replace("\n", " ")
            for k, ln in enumerate(lines)
        )
        parts.append(f"{h}:, {body}" if h else body)
    sep = pick(rng, ("  ", " ", "  ", "\n"))
    text = sep.join(parts)
    if chance(rng, 0.5):
        text += (
            f"\n\nD: {rng.randrange(1, 13):02d}/{rng.randrange(1, 29):02d}  T: {rng.randrange(1, 13):02d}/"
            f"{rng.randrange(1, 29):02d}  Job #{rng.randrange(100000, 999999)}"
        )
    return text


# ---------------------------------------------------------------------------------------------
# Noise: typos, casing, whitespace (applied to marked text; markers are not letters so survive)
# ---------------------------------------------------------------------------------------------
WORD_RE = re.compile(r"[A-Za-z]{5,}")


def _typo(rng: random.Random, w: str) -> str:
    """Swap, drop, or double one inner letter."""
    i = rng.randrange(1, len(w) - 2)
    op = rng.randrange(3)
    if op == 0:
        return w[:i] + w[i + 1] + w[i] + w[i + 2 :]
    if op == 1:
        return w[:i] + w[i + 1 :]
    return w[:i] + w[i] + w[i:]


def add_noise(rng: random.Random, text: str) -> str:
    """~10% of notes get typos (sometimes in key words), some get whitespace or whole-note casing quirks."""
    if chance(rng, 0.10):
        words = list(WORD_RE.finditer(text))
        if words:
            chosen = sorted({rng.randrange(len(words)) for _ in range(rng.randrange(1, 4))}, reverse=True)
            for k in chosen:
                m = words[k]
                text = text[: m.start()] + _typo(rng, m.group()) + text[m.end() :]
        if chance(rng, 0.35):
            for kw, variants in KEYWORD_TYPOS.items():  # dict order is fixed by the literal
                found = list(re.finditer(kw, text, flags=re.IGNORECASE))
                if found and chance(rng, 0.5):
                    m = pick(rng, found)
                    rep = pick(rng, variants)
                    if m.group()[0].isupper():
                        rep = rep.upper() if m.group().isupper() else cap(rep)
                    text = text[: m.start()] + rep + text[m.end() :]
                    break
    if chance(rng, 0.15):
        spaces = [m.start() for m in re.finditer(r"(?<=\S) (?=\S)", text)]
        for pos in sorted(
            {pick(rng, spaces) for _ in range(rng.randrange(1, 6))} if spaces else set(), reverse=True
        ):
            text = text[:pos] + pick(rng, ("  ", "   ")) + text[pos + 1 :]
        if chance(rng, 0.5):
            lines = text.split("\n")
            text = "\n".join(
                ln + " " * rng.randrange(1, 3) if ln.strip() and chance(rng, 0.3) else ln for ln in lines
            )
        if chance(rng, 0.3):
            text = text.replace("\n\n", "\n\n\n", 1)
    r = rng.random()
    if r < 0.02:
        text = text.upper()
    elif r < 0.03:
        text = text.lower()
    return text


def extract_evidence(text: str) -> tuple[str, list[str]]:
    """Strip markers; return clean text and the marked spans (exact substrings of it), de-duplicated."""
    out: list[str] = []
    ev: list[str] = []
    buf: list[str] | None = None
    for ch in text:
        if ch == EV_OPEN:
            if buf is not None:
                raise ValueError("nested evidence marker")
            buf = []
        elif ch == EV_CLOSE:
            if buf is None:
                raise ValueError("unbalanced evidence marker")
            ev.append("".join(buf))
            buf = None
        else:
            out.append(ch)
            if buf is not None:
                buf.append(ch)
    if buf is not None:
        raise ValueError("unclosed evidence marker")
    spans = [e.strip() for e in ev]
    return "".join(out), list(dict.fromkeys(s for s in spans if s))


# ---------------------------------------------------------------------------------------------
# Assembly
# ---------------------------------------------------------------------------------------------
def build_content(rng: random.Random, sc: Scenario) -> Content:
    """Scenario -> content blocks via the family's composer."""
    ctx, rx = build_ctx(rng, sc)
    assert rx is not None
    extend_ctx(rng, ctx, sc, rx)
    if sc.family == "maint":
        c = compose_maint(rng, sc, ctx, rx)
    elif sc.family in ("implant", "explant", "reservoir", "catheter"):
        c = compose_surgical(rng, sc, ctx)
    elif sc.family == "stim":
        c = compose_stim(rng, sc, ctx)
    elif sc.family == "other_route":
        c = compose_other_route(rng, sc, ctx)
    else:
        c = compose_null(rng, sc, ctx)
    c["_date"] = [ctx.fixed["date"]]
    c["_route"] = [ctx.fixed["route"]]
    c["_admit"] = [ctx.fixed["admit"]]
    return c


def make_record(rng: random.Random, idx: int, decision: str | None) -> dict[str, object]:
    """One labelled note in SCHEMA.md shape."""
    sc = sample_scenario(rng, decision)
    c = build_content(rng, sc)
    secs = ensure_evidence_sections(sc, c, LAYOUTS[sc.note_type](rng, sc, c))
    text = add_noise(rng, render(rng, secs, sc.note_type)).strip()
    text = re.sub(r"\n{4,}", "\n\n\n", text)
    clean, evidence = extract_evidence(text)
    if "[[" in clean or "]]" in clean:
        raise AssertionError(f"unconverted evidence marker in {sc.family}/{sc.flavour}/{sc.note_type}")
    if not evidence:
        raise AssertionError(f"no evidence for {sc.decision} {sc.family}/{sc.flavour}/{sc.note_type}")
    return {
        "id": f"gen-{idx:06d}",
        "text": clean,
        "decision": sc.decision,
        "facts": facts_for(sc),
        "rules": sorted(sc.rules),
        "note_type": sc.note_type,
        "evidence": evidence,
    }


VOID_ADDENDA = (
    "ADDENDUM {date}: the note above was documented on the wrong patient. [[No refill was performed on this "
    "patient]] today; correct documentation entered in the correct chart. Charge reversed.",
    "Late entry / correction {date}: [[this note was entered in error]] (wrong chart). The pump was not accessed, "
    "interrogated or reprogrammed for this patient.",
    "*** Note voided {date} - [[documented on wrong patient]]. No pump service was provided to this patient. ***",
    "Addendum: [[entered in error]] - template copied from another patient's visit. Pt was seen for a "
    "wheelchair seating evaluation only; no pump interrogation or refill today.",
)
ORDER_SETS = (
    "ORDERS - INTRATHECAL PUMP {svc} (order set)\n[X] {svc_lc} at next clinic visit\n    Drug: {drug}\n"
    "[X] Interrogate pump prior to refill\n[ ] Reprogram: new daily dose ____\n[X] Update reservoir volume after "
    "refill\nOrdering: {doc}   Status: [[Signed, pending - scheduled]] {date}",
    "Order: [[intrathecal pump {svc_lc} - to be scheduled]]\nDrug {drug}; interrogate and update reservoir volume; "
    "dose per current prescription.\nPriority: routine   Ordered by: {doc}   {date}",
    "Orders - pump clinic\n1. [[{svc} of intrathecal pump]] with {drug} (ordered, not yet done)\n2. Electronic "
    "analysis at that visit\nSigned {doc} {date}",
)


def _marked(s: str) -> str:
    return s.replace("[[", EV_OPEN).replace("]]", EV_CLOSE)


def _void_or_order(idx: int, seed: int, rec: dict[str, object]) -> dict[str, object]:
    """Some pump-service notes, voided by an addendum, and some order sets: both document no service (rule 6).

    Uses its own per-note RNG so that every other note of the file stays byte-identical."""
    if rec["decision"] not in MAINT_FLAGS:
        return rec
    r = random.Random(seed * 1_000_003 + idx)
    roll = r.random()
    if roll >= 0.05:
        return rec
    date = f"{r.randint(1, 12):02d}/{r.randint(1, 28):02d}/{r.choice((2024, 2025))}"
    if roll < 0.03:
        addendum, evidence = extract_evidence(_marked(r.choice(VOID_ADDENDA).format(date=date)))
        text = f"{rec['text']}\n\n{addendum}"
        ev = list(evidence)
    else:
        svc = r.choice(("REFILL", "Refill", "refill and analysis"))
        raw = r.choice(ORDER_SETS).format(
            svc=svc.upper() if svc.isupper() else svc.capitalize(), svc_lc=svc.lower(), date=date,
            drug=r.choice(("morphine PF 25 mg/mL, 40 mL", "baclofen 2000 mcg/mL, 20 mL", "hydromorphone 10 mg/mL",
                           "ziconotide 100 mcg/mL")),
            doc=r.choice(("Dr. T. Brandt", "K. Osei, MD", "P. Lindqvist, NP", "Dr. Alvarez")))
        text, evidence = extract_evidence(_marked(raw))
        ev = list(evidence)
    facts = {k: (None if k in ("programmable", "performer", "route", "lookalike") else False) for k in rec["facts"]}
    return {**rec, "text": text, "decision": None, "facts": facts, "rules": [6], "note_type": (
        rec["note_type"] if roll < 0.03 else "other"), "evidence": ev}


def generate(n: int, seed: int) -> list[dict[str, object]]:
    """n labelled notes; same (n, seed) -> same notes, byte for byte once serialised."""
    rng = random.Random(seed)
    decisions = sample_decisions(rng, n)
    return [_void_or_order(i, seed, make_record(rng, i, d)) for i, d in enumerate(decisions)]


def write_jsonl(records: list[dict[str, object]], out: Path) -> None:
    """UTF-8 JSONL, keys in schema order, LF line ends."""
    out.parent.mkdir(parents=True, exist_ok=True)
    with out.open("w", encoding="utf-8", newline="\n") as fh:
        for r in records:
            fh.write(json.dumps(r, ensure_ascii=False) + "\n")


def main(argv: list[str] | None = None) -> None:
    """CLI entry point."""
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    ap.add_argument("--n", type=int, default=6000, help="number of notes")
    ap.add_argument("--seed", type=int, default=13, help="random seed (same seed -> identical file)")
    ap.add_argument(
        "--out", type=Path, default=Path("training_data/generated.jsonl"), help="output JSONL path"
    )
    args = ap.parse_args(argv)
    write_jsonl(generate(args.n, args.seed), args.out)


if __name__ == "__main__":
    main()
