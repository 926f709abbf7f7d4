"""A digest of everything the pipeline, the facts and the coding rules produce, to check speed work changes nothing.

Usage: ``python benchmarks/pipeline_digest.py [--generated N] [--per-note FILE] [--compare FILE]``

Runs the spaCy pipeline, :func:`classifier.facts.extract_facts` and
:func:`classifier.coding_rules.apply_rules` over every challenge note plus the first ``N`` generated notes
(3000 by default) and hashes, per note: every span of every ``doc.spans`` group (key, label, offsets), the
context attributes of every concept, device and attribute span, the sentence boundaries, the facts (values,
evidence, sentences, performer) and the rule verdict. Prints the number of notes and one overall sha256;
``--per-note`` writes one digest per note (so a difference can be traced to its notes) and ``--compare``
checks against such a file.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sys
from pathlib import Path

from spacy.tokens import Doc

ROOT = Path(__file__).resolve().parent.parent
CONTEXT_ATTRS = ("negated", "historical", "hypothetical", "family", "purpose", "section", "modifiers")


def load_texts(generated: int) -> list[str]:
    """Every challenge note, then the first ``generated`` generated notes."""
    texts = []
    for path in sorted((ROOT / "training_data" / "challenge").glob("part_*.jsonl")):
        texts += [json.loads(line)["text"] for line in path.read_text(encoding="utf-8").splitlines() if line]
    with (ROOT / "training_data" / "generated.jsonl").open(encoding="utf-8") as fh:
        for i, line in enumerate(fh):
            if i >= generated:
                break
            texts.append(json.loads(line)["text"])
    return texts


def note_record(doc: Doc) -> dict:
    """Everything the pipeline, facts and rules say about one note, as plain JSON-able data."""
    from classifier.coding_rules import apply_rules
    from classifier.entities import ATTRIBUTES_KEY, CONCEPTS_KEY, DEVICES_KEY
    from classifier.facts import extract_facts

    spans = {key: [[s.label_, s.start_char, s.end_char] for s in doc.spans[key]] for key in sorted(doc.spans)}
    context = {
        key: [[getattr(s._, a) for a in CONTEXT_ATTRS] for s in doc.spans[key]]
        for key in (CONCEPTS_KEY, DEVICES_KEY, ATTRIBUTES_KEY) if key in doc.spans
    }
    facts = extract_facts(doc)
    verdict = apply_rules(facts)
    return {
        "tokens": len(doc),
        "spans": spans,
        "context": context,
        "sents": [[s.start, s.end] for s in doc.sents],
        "facts": {
            "values": sorted(facts.values.items()),
            "evidence": {k: [ev.to_dict() for ev in v] for k, v in sorted(facts.evidence.items())},
            "sentences": sorted(facts.sentences.items()),
            "performer": facts.performer,
        },
        "verdict": [verdict.code, verdict.rule, verdict.reason],
    }


def digests(texts: list[str]) -> list[str]:
    from classifier.pipeline import build_nlp

    nlp = build_nlp()
    out = []
    for doc in nlp.pipe(texts, batch_size=64):
        blob = json.dumps(note_record(doc), sort_keys=True, default=list).encode("utf-8")
        out.append(hashlib.sha256(blob).hexdigest())
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--generated", type=int, default=3000)
    ap.add_argument("--per-note", type=Path, help="write one digest per note to this file")
    ap.add_argument("--compare", type=Path, help="compare with a --per-note file written earlier")
    args = ap.parse_args(argv)
    per_note = digests(load_texts(args.generated))
    overall = hashlib.sha256("\n".join(per_note).encode()).hexdigest()
    print(f"{len(per_note)} notes  digest {overall}")
    if args.per_note:
        args.per_note.write_text("\n".join(per_note) + "\n", encoding="utf-8")
    if args.compare:
        before = args.compare.read_text(encoding="utf-8").split()
        changed = [i for i, (a, b) in enumerate(zip(before, per_note, strict=False)) if a != b]
        if len(before) != len(per_note) or changed:
            print(f"DIFFERENT: {len(changed)} notes differ (first: {changed[:10]}), {len(before)} vs {len(per_note)}")
            return 1
        print("identical to", args.compare)
    return 0


if __name__ == "__main__":
    sys.exit(main())
