"""medspaCy ConText baseline for ``python -m classifier evaluate``: keyword targets, ConText, keyword coding logic.

Usage: ``python benchmarks/medspacy_baseline.py IN.jsonl OUT.jsonl``

IN has one ``{"id", "text"}`` object per line; OUT gets one ``{"id", "decision", "rule", "spans"}`` per input
line, in order (``decision`` is a code or null; ``spans`` the ``[start, end]`` offsets that decided it).

What it measures: how far an off-the-shelf clinical context engine takes the keyword baseline. medspaCy's
TargetMatcher finds the keyword baseline's own contextual concepts (same regexes, from
``classifier/data/baseline_keywords.json``), ConText marks them (medspaCy's default rules plus the few
rule-6 cue words of the rules page below), and only the hits left asserted go into the keyword baseline's
unchanged decision rules (:meth:`classifier.baselines.KeywordBaseline.decide`).

medspaCy needs spaCy < 3.8, so it runs in ``benchmarks/.venv-medspacy``, made and reused by
``context_compare.ensure_venv``; this file is also the helper run inside it (``--helper``: JSON request on
stdin, JSON answer on stdout). When the venv cannot be built or medspaCy fails, the script exits 3 and the
last line of stderr is ``unavailable: <reason>``, which the evaluation records instead of crashing.
Only the standard library is imported at module level, and no note text is ever printed.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
UNAVAILABLE = 3

# Rule 6 of the rules page ("will refill in 3 months", "replace at ERI", "refill deferred", "if pain worsens",
# cancelled procedures, history): cue words medspaCy's defaults lack, as (literal, category, direction).
EXTRA_CONTEXT_RULES = (
    ("will", "HYPOTHETICAL", "FORWARD"),
    ("next", "HYPOTHETICAL", "FORWARD"),
    ("due", "HYPOTHETICAL", "BIDIRECTIONAL"),
    ("plan to", "HYPOTHETICAL", "FORWARD"),
    ("scheduled", "HYPOTHETICAL", "BIDIRECTIONAL"),
    ("deferred", "NEGATED_EXISTENCE", "BACKWARD"),
    ("not needed", "NEGATED_EXISTENCE", "BACKWARD"),
    ("cancelled", "NEGATED_EXISTENCE", "BIDIRECTIONAL"),
    ("canceled", "NEGATED_EXISTENCE", "BIDIRECTIONAL"),
    ("s/p", "HISTORICAL", "FORWARD"),
    ("ago", "HISTORICAL", "BACKWARD"),
)


# ----------------------------------------------------------------------------------- inside the medspaCy venv


def helper() -> None:
    """Read ``{"concepts": {name: [regex]}, "texts": [...]}``; answer with each text's targets and flags."""
    import medspacy
    from loguru import logger
    from medspacy.context import ConTextRule
    from medspacy.target_matcher import TargetRule

    logger.remove()  # PyRuSH logs every sentence decision at DEBUG
    req = json.load(sys.stdin)
    nlp = medspacy.load()  # default pipeline: PyRuSH sentences, TargetMatcher, ConText (default rules)
    nlp.get_pipe("medspacy_target_matcher").add(
        [TargetRule(name, name.upper(), pattern=rx) for name, patterns in req["concepts"].items() for rx in patterns]
    )
    nlp.get_pipe("medspacy_context").add([ConTextRule(lit, cat, direction=d) for lit, cat, d in EXTRA_CONTEXT_RULES])
    answer = []
    for doc in nlp.pipe(req["texts"], batch_size=32):
        answer.append(
            [
                {
                    "concept": ent.label_.lower(),
                    "start": ent.start_char,
                    "end": ent.end_char,
                    "asserted": not (ent._.is_negated or ent._.is_historical or ent._.is_hypothetical
                                     or ent._.is_uncertain or ent._.is_family),
                }
                for ent in doc.ents
            ]
        )
    json.dump({"targets": answer}, sys.stdout)


# ------------------------------------------------------------------------------------------- project side


def predict(texts: list[str]) -> list[dict[str, Any]]:
    """Decisions for ``texts`` (raises RuntimeError with a reason when medspaCy cannot run)."""
    sys.path.insert(0, str(BENCH))
    sys.path.insert(0, str(ROOT))
    import context_compare

    from classifier.baselines import KeywordBaseline

    try:
        context_compare.ensure_venv()
    except SystemExit as exc:  # ensure_venv exits with a message when pip fails (e.g. no network)
        raise RuntimeError(f"could not build the medspaCy venv: {exc}") from None
    kb = KeywordBaseline().fit()
    contextual = list(kb.spec_["contextual"])
    request = {"concepts": {c: kb.spec_["concepts"][c]["patterns"] for c in contextual}, "texts": texts}
    cmd = [str(context_compare.venv_python()), str(Path(__file__).resolve()), "--helper"]
    done = subprocess.run(cmd, input=json.dumps(request), capture_output=True, text=True, cwd=BENCH)
    if done.returncode:
        last = (done.stderr.strip().splitlines() or ["no message"])[-1]
        raise RuntimeError(f"the medspaCy helper failed (exit {done.returncode}): {last[:300]}")
    targets = json.loads(done.stdout)["targets"]
    out = []
    for text, found in zip(texts, targets, strict=True):
        asserted: dict[str, list[tuple[int, int]]] = {c: [] for c in contextual}
        for t in found:
            if t["asserted"] and t["concept"] in asserted:
                asserted[t["concept"]].append((t["start"], t["end"]))
        d = kb.decide(text, contextual={c: sorted(set(s)) for c, s in asserted.items()})
        out.append({"decision": None if d.code == kb.none_label_ else d.code, "rule": d.rule,
                    "spans": [list(s) for s in d.spans]})
    return out


def main(argv: list[str]) -> int:
    """Read IN.jsonl, write OUT.jsonl; exit 3 with ``unavailable: reason`` when medspaCy cannot run."""
    if len(argv) != 2:
        print(__doc__.split("\n\n")[1], file=sys.stderr)
        return 2
    src, dst = Path(argv[0]), Path(argv[1])
    rows = [json.loads(line) for line in src.read_text(encoding="utf-8").splitlines() if line.strip()]
    try:
        preds = predict([r["text"] for r in rows])
    except Exception as exc:  # any failure means "baseline unavailable", reported by the caller
        print(f"unavailable: {type(exc).__name__}: {exc}", file=sys.stderr)
        return UNAVAILABLE
    with dst.open("w", encoding="utf-8") as fh:
        for row, pred in zip(rows, preds, strict=True):
            fh.write(json.dumps({"id": row.get("id"), **pred}) + "\n")
    return 0


if __name__ == "__main__":
    if sys.argv[1:] == ["--helper"]:
        helper()
    else:
        sys.exit(main(sys.argv[1:]))
