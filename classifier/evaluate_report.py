"""Files of ``python -m classifier evaluate``: Markdown report, figures JSON, predictions, errors, PNG plots.

Kept apart from :mod:`classifier.evaluate` so the numbers are computed in one place and only rendered here:
every number in ``evaluation.md`` is read from the same ``figures`` dict that is written as ``figures.json``.
No file written here contains note text (ids and labels only).
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .metrics import TARGET_FAMILIES, family_of

if TYPE_CHECKING:
    from .evaluate import Note, Predictions

OUTPUT_FILES = ("evaluation.md", "figures.json", "predictions.jsonl", "errors.jsonl", "confusion_matrix.png",
                "reliability.png")
HEADLINE_METRICS = (("family_accuracy", "family acc."), ("false_suggestion_rate", "false sugg."),
                    ("macro_f1", "macro F1"), ("ece", "ECE"))
DEFINITIONS = """\
- **Slices.** *challenge*: every hand-written challenge note (`training_data/challenge/part_*.jsonl`), never
  trained on; *challenge / rule_development* and *challenge / blind*: the parts `splits.json` lists under each
  (parts read while writing the rules, and parts not read yet); *held_out*: the 20% of
  `training_data/generated.jsonl` the shipped model was not fitted on, re-made with the split `train` uses
  (same file, seed and share: `train_test_split(..., stratify=labels)`); the TF-IDF baseline is fitted on the
  other 80%, exactly the model's training notes. With `--data`, one slice per given file.
- **Exact accuracy**: share of notes whose decision is exactly the annotated code (no code = its own class).
- **Family accuracy**: among notes whose truth is 62362, 62368, 95990 or 95991, the share whose decision is in
  the same family (62362 / 62368 / 95990-95991).
- **False-suggestion rate**: among notes whose truth is a neighbouring code or no code, the share whose
  decision is one of the three families.
- **95990 vs 95991**: among notes whose truth is 95990 or 95991, the share given exactly that code.
- **Neighbour accuracy**: among notes whose truth is a neighbouring code (62367, 62369/62370, 62361, 62360,
  62365, 62350/62351, 62355, 95970-95972, 96521-96523), the share given exactly that code. The keyword and
  medspaCy baselines cannot name neighbours, so theirs is 0 by construction.
- **Per-code precision / recall / F1**: `sklearn.metrics.classification_report` with no code as the class
  `none`. **Macro F1** is the unweighted mean F1 over every class present in truth or prediction (as the model
  manifest reports it); **macro F1 (4 codes)** is the mean over 62362, 62368, 95990 and 95991 only.
- **ECE (expected calibration error)**, top-label: predictions are put in 10 equal-width bins of the
  probability given to the decision (bins as `sklearn.calibration.calibration_curve`, strategy "uniform");
  ECE = sum over bins of (share of notes in the bin) x |share correct (exact code) - mean probability|.
  0 is perfect; an always-right system that says 0.6 has ECE 0.4. **One-vs-rest ECE** uses, per code c of the
  four, the probability of c against "truth is c" over all notes, averaged over the four codes. Systems
  without probabilities (rules only, keywords, medspaCy) have none. The reliability curve plots, per
  non-empty bin, the mean probability against the share correct.
- **Evidence quality** (systems whose decision cites spans: the model and rules-only explanations, the
  keyword rule's matches, medspaCy's asserted targets). Eligible notes: truth is one of the four codes, the
  decision is exactly right, and the note has annotated deciding phrases (`evidence`). Each annotated phrase is
  located in the text by `str.find`, every occurrence. The cited spans of a decision are the evidence spans of
  the satisfied descriptor elements in the explanation of the decided code (at most 4 per element) for the
  project, the matched keyword spans of the rule that fired for the baselines. **Hit rate**: share of
  eligible notes where at least one cited span overlaps (shares a character with) at least one occurrence of
  an annotated phrase; a decision citing nothing is a miss. **Phrase recall**: mean share of a note's
  annotated phrases overlapped by some cited span. **Span precision**: mean share of a note's cited spans that
  overlap an annotated phrase (notes citing at least one span).
"""


def fmt(x: float | None, digits: int = 3) -> str:
    """A number for a table cell ('-' for none)."""
    return "-" if x is None else f"{x:.{digits}f}"


def _get(metrics: dict[str, Any] | None, key: str) -> float | None:
    if metrics is None:
        return None
    if key == "evidence":
        return (metrics.get("evidence") or {}).get("hit_rate")
    if key == "classwise_ece":
        return (metrics.get("classwise_ece") or {}).get("mean")
    return metrics.get(key)


def headline_slices(figures: dict[str, Any]) -> list[str]:
    """The slices the headline shows: challenge and held-out by default, else every source."""
    names = [s for s in figures["results"] if " / " not in s and figures["results"][s]]
    preferred = [s for s in ("challenge", "held_out") if s in names]
    return preferred or names


def headline_table(figures: dict[str, Any], link_systems: bool = False) -> list[str]:
    """Project vs baselines: family accuracy, false suggestions, macro F1, ECE per headline slice."""
    slices = headline_slices(figures)
    head = "| system | " + " | ".join(f"{s}: {label}" for s in slices for _, label in HEADLINE_METRICS)
    head += " | challenge: evidence hit rate |" if "challenge" in slices else " |"
    lines = [head, "|---|" + "---|" * (len(slices) * len(HEADLINE_METRICS) + ("challenge" in slices))]
    for key, sys_ in figures["systems"].items():
        if not sys_["available"]:
            n = len(slices) * len(HEADLINE_METRICS) + ("challenge" in slices)
            lines.append(f"| {sys_['name']} | unavailable: {sys_['reason']} |" + " |" * (n - 1))
            continue
        cells = [fmt(_get(figures["results"][s].get(key), m)) for s in slices for m, _ in HEADLINE_METRICS]
        if "challenge" in slices:
            cells.append(fmt(_get(figures["results"]["challenge"].get(key), "evidence")))
        lines.append(f"| {sys_['name']} | " + " | ".join(cells) + " |")
    return lines


def _slice_table(figures: dict[str, Any], name: str) -> list[str]:
    cols = (("accuracy", "exact acc."), ("family_accuracy", "family acc."), ("false_suggestion_rate", "false sugg."),
            ("refill_95990_vs_95991_accuracy", "95990 vs 95991"), ("neighbour_accuracy", "neighbour acc."),
            ("macro_f1", "macro F1"), ("target_macro_f1", "macro F1 (4 codes)"), ("ece", "ECE"),
            ("evidence", "evidence hit rate"))
    lines = ["| system | " + " | ".join(label for _, label in cols) + " |", "|---|" + "---|" * len(cols)]
    for key, m in figures["results"][name].items():
        if m is not None:
            cells = " | ".join(fmt(_get(m, c)) for c, _ in cols)
            lines.append(f"| {figures['systems'][key]['name']} | {cells} |")
    return lines


def _per_code_table(figures: dict[str, Any], name: str) -> list[str]:
    res = {k: m for k, m in figures["results"][name].items() if m is not None}
    codes = list(dict.fromkeys(c for m in res.values() for c in m["per_code"]
                               if c not in ("accuracy", "macro avg", "weighted avg", "micro avg")))
    order = figures["confusion_matrix"]["labels"]
    codes.sort(key=lambda c: (order.index(c) if c in order else len(order), c))
    systems = [k for k in res if k != "model"]
    lines = ["| code | support | model P | model R | model F1 | " + " | ".join(f"{figures['systems'][k]['name']} F1"
                                                                          for k in systems) + " |",
             "|---|---|---|---|---|" + "---|" * len(systems)]
    for c in codes:
        row = res["model"]["per_code"].get(c, {})
        support = max(int(m["per_code"].get(c, {}).get("support", 0)) for m in res.values())
        if not support and not any(m["per_code"].get(c) for m in res.values()):
            continue
        other = [fmt(res[k]["per_code"].get(c, {}).get("f1-score")) for k in systems]
        lines.append(f"| {c} | {support} | {fmt(row.get('precision'))} | {fmt(row.get('recall'))} | "
                     f"{fmt(row.get('f1-score'))} | " + " | ".join(other) + " |")
    return lines


def _calibration_table(figures: dict[str, Any], name: str) -> list[str]:
    lines = ["| system | mean probability | exact accuracy | ECE (top label) | one-vs-rest ECE (mean of 4) | "
             "62362 | 62368 | 95990 | 95991 |", "|---|---|---|---|---|---|---|---|---|"]
    for key, m in figures["results"][name].items():
        if m is None or m.get("ece") is None:
            continue
        cw = m.get("classwise_ece") or {}
        lines.append(f"| {figures['systems'][key]['name']} | {fmt(m['mean_probability'])} | {fmt(m['accuracy'])} | "
                     f"{fmt(m['ece'])} | {fmt(cw.get('mean'))} | "
                     + " | ".join(fmt(cw.get(c)) for c in ("62362", "62368", "95990", "95991")) + " |")
    return lines


def _evidence_table(figures: dict[str, Any], name: str) -> list[str]:
    lines = ["| system | eligible notes | hit rate | phrase recall | span precision | citing nothing |",
             "|---|---|---|---|---|---|"]
    for key, m in figures["results"][name].items():
        ev = (m or {}).get("evidence")
        if ev:
            lines.append(f"| {figures['systems'][key]['name']} | {ev['n_eligible']} | {fmt(ev['hit_rate'])} | "
                         f"{fmt(ev['phrase_recall'])} | {fmt(ev['span_precision'])} | {ev['n_no_spans']} |")
    return lines


def error_kind(truth: str | None, decision: str | None) -> str:
    """How a wrong decision is wrong, in a coding manager's words."""
    ft, fp = family_of(truth), family_of(decision)
    if ft in TARGET_FAMILIES and fp == "other":
        return "missed (no target code)"
    if ft == "other" and fp in TARGET_FAMILIES:
        return "false suggestion"
    if ft != fp:
        return "wrong family"
    return "right family, wrong code" if ft in TARGET_FAMILIES else "wrong neighbour / none"


def error_summary(errors: Sequence[dict[str, Any]]) -> dict[str, Any]:
    """Counts of the model's errors (challenge set, else the given data) by kind and by truth -> decision."""
    shown = [e for e in errors if e["source"] != "held_out"] or list(errors)
    pairs = Counter((e["truth"] or "none", e["decision"] or "none") for e in shown)
    rules_right = Counter((e["truth"] or "none", e["decision"] or "none") for e in shown if e["rules_correct"])
    return {
        "where": "challenge set" if any(e["source"] == "challenge" for e in shown) else "given data",
        "n_all": len(errors),
        "n": len(shown),
        "kinds": dict(Counter(e["kind"] for e in shown).most_common()),
        "pairs": [{"truth": t, "decision": d, "n": n, "rules_right": rules_right[(t, d)]}
                  for (t, d), n in pairs.most_common(25)],
    }


def markdown(figures: dict[str, Any]) -> str:
    """The human-readable report; every number comes from ``figures``."""
    res, model = figures["results"], figures["model"]
    split = figures["training_split"]
    out = ["# pump-coder evaluation: the project against simpler alternatives", "",
           f"Generated {figures['generated_at']} by `{figures['command']}` "
           f"({figures['seconds'].get('total', '-')} s on {figures['environment']['cpu_count']} cores, "
           f"Python {figures['environment']['python']}).", "",
           f"- Model: `{model['dir']}`, sha256 `{model['sha256']}`"
           + ("" if model.get("rules_match_model", True) else
              " (**the rule files changed since this model was trained**: the model sees facts from the current "
              "rules, the rules-only row is the current rules; retraining may move the model's figures)"),
           f"- Training split (model and TF-IDF baseline): `{split['file']}` sha256 `{split['sha256']}`, "
           f"seed {split['seed']}, {split['n_train']} training / {split['n_held_out']} held-out notes; "
           + ("same file as the model was trained on (manifest hash matches)." if split["matches_model"] else
              "**not the file the model was trained on**: the TF-IDF baseline was fitted on other notes than "
              "the model" + ("." if "held_out" not in figures["data"] else
                             ", and the held-out notes may include notes the model was fitted on."))]
    for name, src in figures["data"].items():
        out.append(f"- Data `{name}`: {', '.join(f'`{f}`' for f in src['files'])}, {src['n']} notes, "
                   f"sha256 `{src['sha256']}`" + (f" ({src['note']})" if src.get("note") else ""))
    if "challenge" in res:
        dev = figures["slices"].get("challenge / rule_development", {}).get("n", 0)
        blind = figures["slices"].get("challenge / blind", {}).get("n", 0)
        n_all = figures["slices"]["challenge"]["n"]
        out += ["", f"> **Read the challenge figures as optimistic.** {dev} of the {n_all} "
                f"challenge notes are in parts listed as `rule_development` in `{figures['challenge_splits_file']}`: "
                f"they were read while the extraction rules were written (each after one blind scoring). "
                f"{blind} notes are blind. The honest estimate for unseen authors is each part's score before it "
                "was read, recorded in the README (\"How good is it\", the blind per-part table)."]
    out += ["", "## Headline", "", *headline_table(figures), "",
            "Family accuracy and false suggestions are the coding manager's two numbers (definitions below); macro F1 "
            "is over every code and none; ECE needs a probability (model and TF-IDF only).", "", "## Systems", ""]
    for sys_ in figures["systems"].values():
        state = "" if sys_["available"] else f" **Unavailable in this run: {sys_['reason']}.**"
        out.append(f"- **{sys_['name']}**: {sys_['description']}.{state}")

    out += ["", "## Results per slice"]
    for name, info in figures["slices"].items():
        out += ["", f"### {name} ({info['n']} notes)", ""]
        if not info["n"]:
            out.append("No notes in this slice (every challenge part has been read for rule development).")
            continue
        if name.startswith("challenge / ") and info["n"] == figures["slices"]["challenge"]["n"]:
            out.append("Same notes as *challenge* (all of them): see above.")
            continue
        out += _slice_table(figures, name)
        if " / " not in name:
            out += ["", "Per code:", "", *_per_code_table(figures, name)]

    if figures["per_part"]:
        out += ["", "## Per part (model / rules only)", "",
                "| part | split | notes | model family acc. | model false sugg. | rules family acc. | "
                "rules false sugg. |", "|---|---|---|---|---|---|---|"]
        for part, p in figures["per_part"].items():
            out.append(f"| {part} | {p['split']} | {p['model']['n']} | {fmt(p['model']['family_accuracy'])} | "
                       f"{fmt(p['model']['false_suggestion_rate'])} | {fmt(p['rules']['family_accuracy'])} | "
                       f"{fmt(p['rules']['false_suggestion_rate'])} |")

    out += ["", "## Calibration", "", "![reliability diagram](reliability.png)", ""]
    for name in headline_slices(figures):
        out += [f"{name}:", "", *_calibration_table(figures, name), ""]

    out += ["## Evidence quality", ""]
    for name in headline_slices(figures):
        out += [f"{name}:", "", *_evidence_table(figures, name), ""]

    cm = figures["confusion_matrix"]
    out += ["## Confusion matrix", "", f"Model on *{cm['slice']}* (rows: truth, columns: decision).", "",
            "![confusion matrix](confusion_matrix.png)", "",
            "| truth \\ decision | " + " | ".join(cm["labels"]) + " |", "|---|" + "---|" * len(cm["labels"])]
    for label, row in zip(cm["labels"], cm["matrix"], strict=True):
        out.append(f"| **{label}** | " + " | ".join(str(v) if v else "." for v in row) + " |")

    summary = figures["error_summary"]
    out += ["", "## Errors", "",
            f"`errors.jsonl`: every note whose model decision is not exactly its truth ({summary['n_all']} in all "
            f"slices; {summary['n']} in the {summary['where']}), with id, truth, decision, probability and the "
            "rules-only code. By kind and by truth -> decision:", "",
            "| kind | notes |", "|---|---|"]
    out += [f"| {kind} | {n} |" for kind, n in summary["kinds"].items()]
    out += ["", "| truth -> decision | notes | rules only right |", "|---|---|---|"]
    out += [f"| {p['truth']} -> {p['decision']} | {p['n']} | {p['rules_right']} |" for p in summary["pairs"]]

    out += ["", "## Definitions", "", DEFINITIONS, "## Reproduce", "", "```bash",
            "pip install '.[test]'", "python -m classifier evaluate            # writes reports/ (a few minutes; "
            "the first run builds benchmarks/.venv-medspacy)",
            "python -m classifier evaluate --no-medspacy   # without the medspaCy baseline", "```", "",
            "Time per step (s): " + ", ".join(f"{k} {v}" for k, v in figures["seconds"].items()), ""]
    return "\n".join(out)


def _errors(notes: Sequence[Note], preds: dict[str, Predictions | None]) -> list[dict[str, Any]]:
    model, rules = preds["model"], preds["rules"]
    assert model is not None and rules is not None
    out = []
    for i, n in enumerate(notes):
        decision = model.decision[i]
        if decision == n.truth:
            continue
        out.append({
            "id": n.id, "source": n.source, "part": n.part, "truth": n.truth, "decision": decision,
            "probability": model.probability[i] if model.probability else None,
            "kind": error_kind(n.truth, decision),
            "rule_code": rules.decision[i], "rule_number": model.extra["rule_number"][i],
            "rules_correct": rules.decision[i] == n.truth,
        })
    return out


def _predictions(notes: Sequence[Note], preds: dict[str, Predictions | None]) -> list[dict[str, Any]]:
    rows = []
    for i, n in enumerate(notes):
        row: dict[str, Any] = {"id": n.id, "source": n.source, "part": n.part, "split": n.split, "truth": n.truth,
                               "pred": {}, "prob": {}}
        for key, p in preds.items():
            if p is None:
                continue
            row["pred"][key] = p.decision[i]
            if p.probability is not None:
                row["prob"][key] = p.probability[i]
        rows.append(row)
    return rows


def plot_confusion(path: Path, cm: dict[str, Any]) -> None:
    """Counts heat map, truth in rows; the diagonal is right."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    import numpy as np

    labels, m = cm["labels"], np.asarray(cm["matrix"])
    fig, ax = plt.subplots(figsize=(1.2 + 0.55 * len(labels), 1.0 + 0.5 * len(labels)))
    ax.imshow(np.log1p(m), cmap="Blues")
    for (r, c), v in np.ndenumerate(m):
        if v:
            ax.text(c, r, str(v), ha="center", va="center", fontsize=7,
                    color="white" if np.log1p(v) > np.log1p(m.max()) * 0.6 else "black")
    ax.set_xticks(range(len(labels)), labels, rotation=60, ha="right", fontsize=8)
    ax.set_yticks(range(len(labels)), labels, fontsize=8)
    ax.set_xlabel("decision")
    ax.set_ylabel("truth")
    ax.set_title(f"{cm['system']} on {cm['slice']} ({int(m.sum())} notes)")
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)


def plot_reliability(path: Path, figures: dict[str, Any]) -> None:
    """Reliability curve per headline slice for every system with probabilities, with bin counts below."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    slices = headline_slices(figures)
    fig, axes = plt.subplots(2, len(slices), figsize=(5 * len(slices), 6), squeeze=False,
                             gridspec_kw={"height_ratios": [3, 1]})
    for col, name in enumerate(slices):
        top, bottom = axes[0][col], axes[1][col]
        top.plot([0, 1], [0, 1], ls=":", color="grey", label="perfect")
        for key, m in figures["results"][name].items():
            rel = (m or {}).get("reliability")
            if not rel or not rel["prob_pred"]:
                continue
            label = f"{figures['systems'][key]['name']} (ECE {fmt(m['ece'])})"
            (line,) = top.plot(rel["prob_pred"], rel["prob_true"], marker="o", label=label)
            bottom.bar(rel["prob_pred"], rel["count"], width=0.03, alpha=0.6, color=line.get_color())
        top.set(xlim=(0, 1), ylim=(0, 1.02), title=f"{name}", ylabel="share correct")
        top.legend(fontsize=8, loc="upper left")
        bottom.set(xlim=(0, 1), xlabel="probability of the decision (10 bins)", ylabel="notes")
        bottom.set_yscale("log")
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)


def _jsonl(path: Path, rows: Sequence[dict[str, Any]]) -> None:
    with path.open("w", encoding="utf-8") as fh:
        for row in rows:
            fh.write(json.dumps(row, ensure_ascii=False) + "\n")


def write_outputs(out: Path, figures: dict[str, Any], notes: Sequence[Note],
                  preds: dict[str, Predictions | None]) -> None:
    """Write every output file of the evaluation into ``out``."""
    out.mkdir(parents=True, exist_ok=True)
    errors = _errors(notes, preds)
    figures["files"] = list(OUTPUT_FILES)
    figures["n_errors"] = {src: sum(e["source"] == src for e in errors) for src in figures["data"]}
    figures["error_summary"] = error_summary(errors)
    _jsonl(out / "predictions.jsonl", _predictions(notes, preds))
    _jsonl(out / "errors.jsonl", errors)
    plot_confusion(out / "confusion_matrix.png", figures["confusion_matrix"])
    plot_reliability(out / "reliability.png", figures)
    (out / "figures.json").write_text(json.dumps(figures, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    (out / "evaluation.md").write_text(markdown(figures), encoding="utf-8")
