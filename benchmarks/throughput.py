"""Throughput, memory and cold start of ``suggest``, against the floors measured in the same run.

Usage: ``python benchmarks/throughput.py [--notes N] [--repeats R] [--no-medspacy]``

Measured on the same realistic notes (every hand-written challenge note plus generated notes):

* ``tokenizer``: ``spacy.blank("en")`` over the notes, the floor any spaCy pipeline pays;
* ``pipeline``: our spaCy pipeline (tokenizer, sentences, sections, entities, context);
* ``suggest_1`` / ``suggest_2``: the full product (pipeline, facts, model, explanations) in batch, with 1
  and 2 processes;
* ``medspacy``: medspaCy's default pipeline (PyRuSH sentences, target matcher, ConText, Sectionizer), run in
  the separate venv that ``context_compare.py`` builds (medspaCy pins spaCy < 3.8);
* peak memory (max RSS) of a process running ``suggest_1``, and of the parent plus workers for ``suggest_2``;
* cold start: ``python -m classifier suggest`` on one note against ``python -c "import spacy, sklearn"``.

Each speed measurement runs in its own fresh process (so peak memory is its own); the configurations are
interleaved repeat by repeat and the median is kept, so load on the machine hits all of them alike.
Writes ``benchmarks/results/throughput.json`` and prints a Markdown summary.
"""

from __future__ import annotations

import argparse
import json
import platform
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
RESULTS = BENCH / "results" / "throughput.json"
EXAMPLE = ROOT / "training_data" / "examples" / "refill_rn.txt"
CONFIGS = ("tokenizer", "pipeline", "suggest_1", "suggest_2")


def load_notes(n: int) -> list[str]:
    """All challenge notes, topped up with generated notes to ``n`` (hand-written notes first: realism)."""
    texts = []
    for path in sorted((ROOT / "training_data" / "challenge").glob("part_*.jsonl")):
        texts += [json.loads(line)["text"] for line in path.read_text(encoding="utf-8").splitlines() if line]
    with (ROOT / "training_data" / "generated.jsonl").open(encoding="utf-8") as fh:
        for line in fh:
            if len(texts) >= n:
                break
            texts.append(json.loads(line)["text"])
    return texts[:n]


def worker(config: str, n: int) -> None:
    """In a fresh process: time one configuration over the notes; print docs/s and peak memory as JSON."""
    texts = load_notes(n)
    if config == "tokenizer":
        import spacy

        nlp = spacy.blank("en")
        run = lambda: sum(1 for _ in nlp.pipe(texts, batch_size=64))  # noqa: E731
    elif config == "pipeline":
        from classifier.pipeline import get_nlp

        nlp = get_nlp()
        run = lambda: sum(1 for _ in nlp.pipe(texts, batch_size=64))  # noqa: E731
    else:
        from classifier.api import get_coder

        coder = get_coder()
        processes = int(config.rsplit("_", 1)[1])
        run = lambda: sum(1 for _ in coder.suggest_many(texts, batch_size=64, n_process=processes))  # noqa: E731
    start = time.perf_counter()
    done = run()
    seconds = time.perf_counter() - start
    assert done == len(texts)
    self_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    children_kb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    print(json.dumps({"config": config, "docs": done, "chars": sum(map(len, texts)), "seconds": seconds,
                      "docs_per_s": done / seconds, "peak_rss_mb": self_kb / 1024,
                      "peak_rss_children_mb": children_kb / 1024}))


def run_worker(config: str, n: int) -> dict[str, Any]:
    cmd = [sys.executable, str(Path(__file__).resolve()), "--worker", config, "--notes", str(n)]
    done = subprocess.run(cmd, capture_output=True, text=True, cwd=ROOT, check=False)
    if done.returncode:
        raise SystemExit(f"{config} failed:\n{done.stderr[-2000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def cold_start(repeats: int) -> dict[str, Any]:
    """Wall time of a whole CLI call against the bare imports any spaCy + scikit-learn tool pays."""
    commands = {
        "import_spacy_sklearn": [sys.executable, "-c", "import spacy, sklearn"],
        "suggest_cli": [sys.executable, "-m", "classifier", "suggest", str(EXAMPLE), "--json"],
    }
    times: dict[str, list[float]] = {k: [] for k in commands}
    for _ in range(repeats):
        for name, cmd in commands.items():
            start = time.perf_counter()
            subprocess.run(cmd, capture_output=True, cwd=ROOT, check=True)
            times[name].append(time.perf_counter() - start)
    out = {k: {"seconds": [round(t, 3) for t in v], "median_s": round(statistics.median(v), 3)}
           for k, v in times.items()}
    out["ratio"] = round(out["suggest_cli"]["median_s"] / out["import_spacy_sklearn"]["median_s"], 2)
    return out


def medspacy_speed(texts: list[str], repeats: int) -> dict[str, Any] | None:
    """medspaCy's default pipeline over the same notes, in its own venv (built by context_compare.py)."""
    sys.path.insert(0, str(BENCH))
    import context_compare as cc

    try:
        cc.ensure_venv()
    except Exception as exc:  # no network for pip, etc.: report, don't fail the benchmark
        return {"error": f"medspaCy venv unavailable: {exc}"}
    answer = cc.run_medspacy(cc.load_cases(), {"notes": texts}, repeats)
    return {variant: answer["variants"][variant]["speed"]["notes"] for variant in ("pyrush", "sentencizer")}


def main(argv: list[str] | None = None) -> dict[str, Any]:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--notes", type=int, default=2000)
    ap.add_argument("--repeats", type=int, default=3)
    ap.add_argument("--no-medspacy", action="store_true")
    ap.add_argument("--worker", choices=CONFIGS, help=argparse.SUPPRESS)
    args = ap.parse_args(argv)
    if args.worker:
        worker(args.worker, args.notes)
        return {}
    runs: dict[str, list[dict[str, Any]]] = {c: [] for c in CONFIGS}
    for _ in range(args.repeats):
        for config in CONFIGS:
            runs[config].append(run_worker(config, args.notes))
    speed = {}
    for config, rs in runs.items():
        speed[config] = {
            "docs_per_s": round(statistics.median(r["docs_per_s"] for r in rs), 1),
            "runs_docs_per_s": [round(r["docs_per_s"], 1) for r in rs],
            "peak_rss_mb": round(max(r["peak_rss_mb"] for r in rs), 1),
            "peak_rss_children_mb": round(max(r["peak_rss_children_mb"] for r in rs), 1),
        }
    texts = load_notes(args.notes)
    report: dict[str, Any] = {
        "notes": len(texts),
        "mean_chars": round(sum(map(len, texts)) / len(texts)),
        "machine": {"python": platform.python_version(), "cpus": __import__("os").cpu_count()},
        "speed": speed,
        "ratios": {
            "pipeline_vs_tokenizer": round(speed["pipeline"]["docs_per_s"] / speed["tokenizer"]["docs_per_s"], 3),
            "suggest_1_vs_tokenizer": round(speed["suggest_1"]["docs_per_s"] / speed["tokenizer"]["docs_per_s"], 3),
            "suggest_2_vs_suggest_1": round(speed["suggest_2"]["docs_per_s"] / speed["suggest_1"]["docs_per_s"], 3),
        },
        "cold_start": cold_start(args.repeats + 2),
    }
    if not args.no_medspacy:
        ms = medspacy_speed(texts, args.repeats)
        report["medspacy"] = ms
        if ms and "pyrush" in ms:
            for name in ("pipeline", "suggest_1"):
                report["ratios"][f"{name}_vs_medspacy_default"] = round(
                    speed[name]["docs_per_s"] / ms["pyrush"]["docs_per_s"], 2)
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")
    print(markdown(report))
    return report


def markdown(r: dict[str, Any]) -> str:
    s = r["speed"]
    lines = [f"{r['notes']} notes, mean {r['mean_chars']} chars; median of interleaved runs, fresh process each", "",
             "| configuration | notes/s | peak RSS (MB) |", "|---|---|---|"]
    for config in CONFIGS:
        rss = s[config]["peak_rss_mb"] + (s[config]["peak_rss_children_mb"] if config == "suggest_2" else 0)
        lines.append(f"| {config} | {s[config]['docs_per_s']} | {rss:.0f} |")
    ms = r.get("medspacy") or {}
    if "pyrush" in ms:
        lines.append(f"| medspaCy default (PyRuSH) | {ms['pyrush']['docs_per_s']} | |")
        lines.append(f"| medspaCy + sentencizer | {ms['sentencizer']['docs_per_s']} | |")
    lines += ["", "ratios: " + ", ".join(f"{k} {v}" for k, v in r["ratios"].items()),
              f"cold start: suggest CLI {r['cold_start']['suggest_cli']['median_s']} s vs import spacy+sklearn "
              f"{r['cold_start']['import_spacy_sklearn']['median_s']} s (x{r['cold_start']['ratio']})"]
    return "\n".join(lines)


if __name__ == "__main__":
    main()
