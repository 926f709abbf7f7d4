"""Command line: ``suggest`` (one note, or JSONL in/out) and ``train``.

Logs carry counts and file names only, never note text (notes are PHI).
"""

from __future__ import annotations

import argparse
import json
import logging
import sys
from pathlib import Path
from typing import Any, TextIO

from .notes import MAX_NOTE_CHARS, NoteError, decode_note, read_note_file

log = logging.getLogger("classifier")


def _render(result: dict[str, Any], out: TextIO) -> None:
    """Readable output for a coder: decision, then each ranked code with its elements and evidence."""
    out.write(f"Decision: {result['decision'] or 'none'}\n  {result['summary']}\n")
    rule = result["rule"]
    out.write(f"  Rules page: {rule['code'] or 'none'} (rule {rule['rule'] or '-'}: {rule['reason']})\n")
    if result.get("performer"):
        out.write(f"  Performed by: {result['performer']}\n")
    out.write("\nRanked codes:\n")
    for c in result["codes"]:
        out.write(f"\n{c['code']}  p={c['probability']:.2f}  [{c['family']}]\n  {c['descriptor']}\n")
        if c.get("differs"):
            out.write(f"  differs: {c['differs']}\n")
        for el in c["elements"]:
            mark = "+" if el["satisfied"] else ("-" if el["required"] else "o")
            ev = "; ".join(f"\"{e['text']}\" @{e['start']}-{e['end']}" for e in el["evidence"])
            out.write(f"   [{mark}] {el['text']}{'  <- ' + ev if ev else ''}\n")
        for a in c["against"]:
            ev = "; ".join(f"\"{e['text']}\" @{e['start']}-{e['end']}" for e in a["evidence"])
            out.write(f"   [!] rule {a['rule']}: {a['text']}{'  <- ' + ev if ev else ''}\n")
        if c["missing_documentation"]:
            out.write(f"   missing documentation: {'; '.join(c['missing_documentation'])}\n")


def _suggest_jsonl(args: argparse.Namespace) -> int:
    from .api import get_coder

    coder = get_coder(args.model)
    src = sys.stdin.buffer if args.jsonl == "-" else open(args.jsonl, "rb")  # noqa: SIM115
    dst = sys.stdout if args.out in (None, "-") else open(args.out, "w", encoding="utf-8")  # noqa: SIM115
    ids: list[Any] = []
    parse_errors: dict[int, str] = {}

    def texts():
        for n, raw in enumerate(src):
            ids.append(None)
            try:
                row = json.loads(decode_note(raw, args.encoding))
                if isinstance(row, dict):
                    ids[n] = row.get("id")
                if not isinstance(row, dict) or "text" not in row:
                    raise ValueError("line needs a JSON object with a \"text\" field")
                yield row["text"]
            except (ValueError, NoteError) as exc:
                msg = str(exc) if isinstance(exc, NoteError) else f"line {n + 1} is not valid JSON input: {exc}"
                parse_errors[n] = msg.split(": line 1 column")[0]
                yield ""  # keeps the position; replaced by the parse error below

    n_err = 0
    with src, dst:
        for n, result in enumerate(coder.suggest_many(texts(), batch_size=args.batch_size,
                                                      n_process=args.processes)):
            if n in parse_errors:
                result = {"error": parse_errors[n]}
            n_err += "error" in result
            dst.write(json.dumps({"id": ids[n], **result}, ensure_ascii=False) + "\n")
    log.info("wrote %d results (%d errors)", len(ids), n_err)
    return 0


def cmd_suggest(args: argparse.Namespace) -> int:
    if args.jsonl:
        return _suggest_jsonl(args)
    from .api import get_coder

    try:
        if args.file in (None, "-"):
            text = decode_note(sys.stdin.buffer.read(MAX_NOTE_CHARS * 4 + 16), args.encoding)
        else:
            text = read_note_file(args.file, args.encoding)
        result = get_coder(args.model).suggest(text)
    except NoteError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    if args.json:
        json.dump(result, sys.stdout, ensure_ascii=False, indent=2 if args.pretty else None)
        sys.stdout.write("\n")
    else:
        _render(result, sys.stdout)
    return 0


def cmd_train(args: argparse.Namespace) -> int:
    from .training import train

    manifest = train(data=Path(args.data), out_dir=Path(args.out), seed=args.seed,
                     challenge=Path(args.challenge) if args.challenge else None, n_process=args.processes)
    m = manifest["metrics"]
    for split in ("held_out", "challenge_rule_development", "challenge_blind"):
        if split in m:
            fig = m[split]["model"]
            print(f"{split}: accuracy {fig['accuracy']:.3f}, family accuracy {fig['family_accuracy']:.3f}, "
                  f"false suggestions {fig['false_suggestion_rate']:.3f} (n={fig['n']})")
    print(f"model written to {args.out} (sha256 {manifest['sha256'][:12]})")
    return 0


def cmd_evaluate(args: argparse.Namespace) -> int:
    from .evaluate import cmd_evaluate as run  # heavy imports only when evaluating

    return run(args)


def build_parser() -> argparse.ArgumentParser:
    from .training import DEFAULT_CHALLENGE, DEFAULT_DATA, REPO

    p = argparse.ArgumentParser(prog="python -m classifier",
                                description="CPT suggestions for intrathecal/epidural drug pump notes")
    p.add_argument("-v", "--verbose", action="store_true", help="log progress (never note text)")
    sub = p.add_subparsers(dest="command", required=True)

    s = sub.add_parser("suggest", help="rank 62362/62368/95990/95991 for a note, with explanations")
    s.add_argument("file", nargs="?", help="note file, or - for standard input (default)")
    s.add_argument("--json", action="store_true", help="one JSON object instead of readable text")
    s.add_argument("--pretty", action="store_true", help="indent the JSON")
    s.add_argument("--jsonl", metavar="IN", help="JSONL input, one {\"id\", \"text\"} per line (- for stdin)")
    s.add_argument("--out", metavar="OUT", help="JSONL output for --jsonl (default stdout)")
    s.add_argument("--model", help="model directory (default: the shipped models/)")
    s.add_argument("--encoding", help="input encoding when not UTF-8 (e.g. cp1252)")
    s.add_argument("--batch-size", type=int, default=64)
    s.add_argument("--processes", type=int, default=1, help="worker processes for --jsonl")
    s.set_defaults(func=cmd_suggest)

    t = sub.add_parser("train", help="fit the model on labelled notes and write models/")
    t.add_argument("--data", default=str(DEFAULT_DATA))
    t.add_argument("--out", default=str(REPO / "models"))
    t.add_argument("--challenge", default=str(DEFAULT_CHALLENGE),
                   help="hand-written test notes to score (never trained on); '' to skip")
    t.add_argument("--seed", type=int, default=13)
    t.add_argument("--processes", type=int, default=1)
    t.set_defaults(func=cmd_train)

    e = sub.add_parser("evaluate", help="score the project and baselines; write reports/ (issue 3)")
    e.add_argument("--data", nargs="+", action="extend", metavar="FILE", help="labelled JSONL files or "
                   "directories to evaluate instead of the challenge set and the held-out generated notes")
    e.add_argument("--out", default="reports", help="report directory (default: reports)")
    e.add_argument("--model", help="model directory (default: the shipped models/)")
    e.add_argument("--train-data", help="labelled notes whose training split fits the TF-IDF baseline "
                   "(default: the model's training data, split as train did)")
    e.add_argument("--no-medspacy", action="store_true", help="skip the medspaCy baseline (its own venv)")
    e.set_defaults(func=cmd_evaluate)

    from .audit import add_audit_parser  # audit: billed codes against notes (issue 4)

    add_audit_parser(sub)
    return p


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    logging.basicConfig(level=logging.INFO if args.verbose else logging.WARNING,
                        format="%(levelname)s %(name)s: %(message)s")
    from .model import ModelError

    try:
        return args.func(args)
    except ModelError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 3


if __name__ == "__main__":
    sys.exit(main())
