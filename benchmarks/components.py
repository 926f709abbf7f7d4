"""Per-component cost of the pipeline against spaCy's bare tokenizer, in one process.

Usage: ``python benchmarks/components.py [--notes N] [--repeats R]``

Over the notes of ``throughput.py``'s ``load_notes`` (hand-written challenge notes first), each round times:
``spacy.blank("en")`` making docs, our tokenizer making docs, each pipeline component run over all those
docs in pipeline order, ``extract_facts`` over the finished docs, and whole ``nlp.pipe`` runs of both
pipelines. Rounds are repeated and the median of each stage kept, so load on the (2-core, possibly busy)
machine hits every stage alike. Prints ms per note and the throughput of our pipeline as a fraction of the
bare tokenizer's (the product target is >= 0.5).
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from collections.abc import Callable
from functools import cache
from pathlib import Path

from spacy.language import Language

BENCH = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH))

from throughput import load_notes  # noqa: E402


def _timed(fn: Callable[[], object]) -> float:
    start = time.perf_counter()
    fn()
    return time.perf_counter() - start


@cache
def _blank() -> Language:
    import spacy

    return spacy.blank("en")


def one_round(texts: list[str]) -> dict[str, float]:
    """Seconds per stage for one pass over ``texts`` (both pipelines built once: their caches stay warm)."""
    from classifier.facts import extract_facts
    from classifier.pipeline import COMPONENTS, get_nlp

    blank = _blank()
    nlp = get_nlp()
    out: dict[str, float] = {}
    out["blank_tokenizer"] = _timed(lambda: [blank.make_doc(t) for t in texts])
    docs: list = []
    out["clinical_tokenizer"] = _timed(lambda: docs.extend(nlp.make_doc(t) for t in texts))
    for name in COMPONENTS:
        component = nlp.get_pipe(name)
        out[name] = _timed(lambda c=component: [c(d) for d in docs])
    out["extract_facts"] = _timed(lambda: [extract_facts(d) for d in docs])
    out["blank_pipe"] = _timed(lambda: sum(1 for _ in blank.pipe(texts, batch_size=64)))
    out["pipeline_pipe"] = _timed(lambda: sum(1 for _ in nlp.pipe(texts, batch_size=64)))
    return out


def main(argv: list[str] | None = None) -> dict[str, float]:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--notes", type=int, default=1500)
    ap.add_argument("--repeats", type=int, default=3)
    args = ap.parse_args(argv)
    texts = load_notes(args.notes)
    one_round(texts)  # warm up: rule compilation, gate databases, both tokenizers' caches
    rounds = [one_round(texts) for _ in range(args.repeats)]
    med = {k: statistics.median(r[k] for r in rounds) * 1000 / len(texts) for k in rounds[0]}
    from classifier.pipeline import COMPONENTS

    components = sum(med[c] for c in COMPONENTS)
    staged = med["clinical_tokenizer"] + components
    print(f"{len(texts)} notes, mean {sum(map(len, texts)) / len(texts):.0f} chars, median of {args.repeats} rounds")
    print("| stage | ms/note |\n|---|---|")
    for k, v in med.items():
        print(f"| {k} | {v:.3f} |")
    print(f"| components (sum) | {components:.3f} |")
    print(f"| tokenizer + components (staged) | {staged:.3f} |")
    ratio_staged = med["blank_tokenizer"] / staged
    ratio_pipe = med["blank_pipe"] / med["pipeline_pipe"]
    print(f"\nthroughput pipeline / blank tokenizer: staged {ratio_staged:.3f}, nlp.pipe {ratio_pipe:.3f}")
    with_facts = med["blank_pipe"] / (med["pipeline_pipe"] + med["extract_facts"])
    print(f"with extract_facts (nlp.pipe + facts): {with_facts:.3f}")
    return med


if __name__ == "__main__":
    main()
