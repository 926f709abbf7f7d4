"""Rows per second and peak memory of ``python -m classifier audit`` at 10k/100k rows, 1 and 2 workers.

Usage: ``python benchmarks/audit_bench.py [--configs 10000:1,10000:2,100000:2] [--chunk-size 2000]``

The input is a CSV built by sampling the generated notes (``training_data/generated.jsonl``) with
replacement, with billed codes that agree with the note's label most of the time, sometimes a wrong or
missing pump code, an E/M code now and then, and department/provider columns, i.e. the shape a
revenue-integrity export has. Each configuration runs the real CLI end to end (reading, pipeline,
parts, assembly, report) in a child of a fresh wrapper process, so the wrapper's
``getrusage(RUSAGE_CHILDREN).ru_maxrss`` is that run's largest process; the wrapper also samples
``/proc/PID/smaps_rollup`` every 0.2 s for the summed PSS (and RSS) of the whole process tree (parent +
worker processes): PSS is what the machine must hold, as forked workers share the parent's pages. Flat
memory shows as the same peak at 10k and 100k rows.

Results are merged into ``benchmarks/results/audit.json`` (keyed by rows and workers; with ``--repeats R``
the configurations run interleaved R times and the median speed and the highest memory are kept) and
printed as a Markdown table.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import resource
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
RESULTS = BENCH / "results" / "audit.json"
MEMORY = ("peak_rss_mb_largest_process", "peak_rss_mb_process_tree", "peak_pss_mb_process_tree")
FAMILY = ["62362", "62368", "95990", "95991", "62367", "62369", "62370"]


def build_input(path: Path, n: int, seed: int = 7) -> None:
    """A CSV of ``n`` encounters sampled from the generated notes (written in chunks: flat memory)."""
    import pandas as pd

    notes = [json.loads(line) for line in (ROOT / "training_data" / "generated.jsonl").open(encoding="utf-8")]
    rng = random.Random(seed)
    first = True
    for start in range(0, n, 5000):
        rows = []
        for i in range(start, min(n, start + 5000)):
            note = rng.choice(notes)
            label = note.get("decision") or ""
            roll = rng.random()
            billed = label if roll < 0.8 else rng.choice(FAMILY) if roll < 0.9 else ""
            if rng.random() < 0.3:
                billed = f"99213; {billed}" if billed else "99213"
            rows.append({"encounter_id": f"ENC{i:07d}", "note_text": note["text"], "billed_codes": billed,
                         "department": rng.choice(["Pain", "Neurology", "PM&R", "Oncology"]),
                         "provider": f"Provider {rng.randrange(12):02d}"})
        pd.DataFrame(rows).to_csv(path, mode="w" if first else "a", header=first, index=False)
        first = False


def _tree_memory_kb(root: int) -> tuple[int, int]:
    """Summed RSS and PSS of ``root`` and its descendants, read from /proc (no psutil).

    RSS counts the copy-on-write pages that forked workers share with the parent once per process, so
    its sum overstates what the machine holds; PSS splits shared pages between the processes sharing them.
    """
    children: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat") as f:
                ppid = int(f.read().rsplit(")", 1)[1].split()[1])
        except (OSError, ValueError, IndexError):
            continue
        children.setdefault(ppid, []).append(int(entry))
    rss = pss = 0
    stack = [root]
    while stack:
        pid = stack.pop()
        stack += children.get(pid, [])
        try:
            with open(f"/proc/{pid}/smaps_rollup") as f:
                for line in f:
                    if line.startswith("Rss:"):
                        rss += int(line.split()[1])
                    elif line.startswith("Pss:"):
                        pss += int(line.split()[1])
        except OSError:
            continue
    return rss, pss


def one(input_path: Path, rows: int, workers: int, chunk_size: int, out: Path) -> dict[str, Any]:
    """In the wrapper process: run the CLI once, return wall time, rows/s and peak memory."""
    cmd = [sys.executable, "-m", "classifier", "audit", str(input_path), "--out", str(out),
           "--workers", str(workers), "--chunk-size", str(chunk_size)]
    peak_rss = peak_pss = 0
    t0 = time.perf_counter()
    proc = subprocess.Popen(cmd, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    done = threading.Event()

    def sample() -> None:
        nonlocal peak_rss, peak_pss
        while not done.is_set():
            rss, pss = _tree_memory_kb(proc.pid)
            peak_rss, peak_pss = max(peak_rss, rss), max(peak_pss, pss)
            time.sleep(0.2)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    _, err = proc.communicate()
    wall = time.perf_counter() - t0
    done.set()
    sampler.join()
    if proc.returncode != 0:
        raise SystemExit(f"audit failed ({proc.returncode}): {err.decode(errors='replace')[-2000:]}")
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return {"rows": rows, "workers": workers, "chunk_size": chunk_size, "seconds": round(wall, 1),
            "rows_per_s": round(rows / wall, 1), "peak_rss_mb_largest_process": round(usage.ru_maxrss / 1024, 1),
            "peak_rss_mb_process_tree": round(peak_rss / 1024, 1),
            "peak_pss_mb_process_tree": round(peak_pss / 1024, 1)}


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--configs", default="10000:1,10000:2,100000:2", help="ROWS:WORKERS, comma-separated")
    p.add_argument("--chunk-size", type=int, default=2000)
    p.add_argument("--repeats", type=int, default=1, help="runs per configuration (median rows/s, max memory)")
    p.add_argument("--workdir", help="where inputs and outputs go (default: a temporary directory)")
    p.add_argument("--one", nargs=4, metavar=("INPUT", "ROWS", "WORKERS", "OUT"), help=argparse.SUPPRESS)
    args = p.parse_args()
    if args.one:
        inp, rows, workers, out = args.one
        print(json.dumps(one(Path(inp), int(rows), int(workers), args.chunk_size, Path(out))))
        return
    configs = [tuple(int(x) for x in c.split(":")) for c in args.configs.split(",")]
    work = Path(args.workdir or tempfile.mkdtemp(prefix="audit-bench-"))
    work.mkdir(parents=True, exist_ok=True)
    results = json.loads(RESULTS.read_text()) if RESULTS.exists() else {"runs": {}}
    repeats: dict[str, list[dict[str, Any]]] = {}
    for _ in range(args.repeats):  # configurations interleaved, so load from elsewhere hits them alike
        for rows, workers in configs:
            inp = work / f"in-{rows}.csv"
            if not inp.exists():
                build_input(inp, rows)
            out = work / f"out-{rows}-{workers}"
            res = subprocess.run([sys.executable, __file__, "--chunk-size", str(args.chunk_size), "--one", str(inp),
                                  str(rows), str(workers), str(out)], capture_output=True, text=True, check=True)
            run = json.loads(res.stdout.strip().splitlines()[-1])
            print(json.dumps(run), flush=True)
            key = f"{rows}:{workers}"
            repeats.setdefault(key, []).append(run)
            runs = repeats[key]
            results["runs"][key] = {
                **run, "rows_per_s": statistics.median(r["rows_per_s"] for r in runs),
                "seconds": statistics.median(r["seconds"] for r in runs),
                **{m: max(r[m] for r in runs) for m in MEMORY},
                "repeats": len(runs), "rows_per_s_each": [r["rows_per_s"] for r in runs],
                "input_mb": round(inp.stat().st_size / 2**20, 1), "date": time.strftime("%Y-%m-%d"),
            }
            results["machine"] = {"cpus": os.cpu_count(), "python": platform.python_version(),
                                  "platform": platform.platform()}
            RESULTS.parent.mkdir(parents=True, exist_ok=True)
            RESULTS.write_text(json.dumps(results, indent=1, sort_keys=True) + "\n")
    print("\n| rows | workers | runs | seconds | rows/s (median) | rows/s (each) | peak PSS, all processes (MB) "
          "| peak RSS, largest process (MB) |")
    print("|---|---|---|---|---|---|---|---|")
    for key in sorted(results["runs"], key=lambda k: tuple(int(x) for x in k.split(":"))):
        r = results["runs"][key]
        each = ", ".join(str(x) for x in r.get("rows_per_s_each", [r["rows_per_s"]]))
        print(f"| {r['rows']:,} | {r['workers']} | {r.get('repeats', 1)} | {r['seconds']} | {r['rows_per_s']} | "
              f"{each} | {r.get('peak_pss_mb_process_tree', '-')} | {r['peak_rss_mb_largest_process']} |")


if __name__ == "__main__":
    main()
