"""The evaluation: metrics on hand-made inputs with known answers, the keyword baseline against its JSON, and
``python -m classifier evaluate --data`` end to end (outputs written, figures.json = recomputed from predictions)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from sklearn.base import clone
from sklearn.calibration import calibration_curve

from classifier.baselines import KeywordBaseline, make_tfidf_baseline
from classifier.evaluate import (
    evidence_quality,
    expected_calibration_error,
    held_out_split,
    neighbour_accuracy,
    overlaps,
    phrase_spans,
    reliability,
    run_medspacy,
    score,
)
from classifier.evaluate_report import OUTPUT_FILES, error_kind
from classifier.metrics import code_metrics
from classifier.resources import load_json
from classifier.training import DEFAULT_DATA, data_sha256, load_labelled

ROOT = Path(__file__).resolve().parent.parent
SPEC = load_json("baseline_keywords.json")
RULES = {r["code"]: r for r in SPEC["rules"]}


# ------------------------------------------------------------------------------------------- calibration


def test_ece_is_zero_when_probabilities_match_accuracy():
    # 10 predictions at 0.8 with 8 right, 10 at 0.3 with 3 right: every bin's accuracy equals its confidence
    correct = [True] * 8 + [False] * 2 + [True] * 3 + [False] * 7
    prob = [0.8] * 10 + [0.3] * 10
    assert expected_calibration_error(correct, prob) == pytest.approx(0.0)


def test_ece_of_overconfident_and_underconfident_predictions():
    assert expected_calibration_error([True, False] * 5, [1.0] * 10) == pytest.approx(0.5)
    assert expected_calibration_error([False] * 4, [0.9] * 4) == pytest.approx(0.9)
    # always right at 0.6: |1 - 0.6| = 0.4; two bins weighted by their share
    assert expected_calibration_error([True] * 4, [0.6] * 4) == pytest.approx(0.4)
    mixed = expected_calibration_error([True] * 3 + [False], [0.95, 0.95, 0.95, 0.15])
    assert mixed == pytest.approx(0.75 * 0.05 + 0.25 * 0.15)
    assert expected_calibration_error([], []) is None


def test_reliability_curve_is_sklearns_with_bin_counts():
    rng = np.random.default_rng(0)
    prob = rng.uniform(0.05, 1.0, 200)
    correct = rng.uniform(size=200) < prob
    rel = reliability(correct, prob)
    true, pred = calibration_curve(correct.astype(int), prob, n_bins=10)
    assert rel["prob_true"] == pytest.approx(true, abs=1e-6) and rel["prob_pred"] == pytest.approx(pred, abs=1e-6)
    assert sum(rel["count"]) == 200 and len(rel["count"]) == len(rel["prob_pred"])
    # ECE from the curve equals the direct computation
    from_curve = sum(n * abs(t - p) for n, t, p in zip(rel["count"], rel["prob_true"], rel["prob_pred"], strict=True))
    assert from_curve / 200 == pytest.approx(expected_calibration_error(correct, prob), abs=1e-5)


# ---------------------------------------------------------------------------------------------- evidence


def test_phrase_spans_finds_every_occurrence():
    text = "refilled; pump refilled again; aaa"
    assert phrase_spans(text, ["refilled"]) == [(0, 8), (15, 23)]
    assert phrase_spans(text, ["aa"]) == [(31, 33), (32, 34)]  # overlapping occurrences too
    assert phrase_spans(text, ["absent", ""]) == []
    assert overlaps((0, 8), (7, 9)) and not overlaps((0, 8), (8, 9))  # half-open: touching is no overlap


def test_evidence_overlap_true_and_false_cases():
    text = "Plan: refill next month. Today: reservoir refilled with 20 mL by RN."
    gold = [["refilled with 20 mL"]]
    start = text.index("refilled with")
    hit = evidence_quality([text], gold, ["95990"], ["95990"], [[(start + 2, start + 6)]])
    assert hit["hit_rate"] == 1.0 and hit["n_eligible"] == 1 and hit["span_precision"] == 1.0
    # the planned 'refill' only: adjacent to nothing annotated -> a miss
    plan = text.index("refill next")
    miss = evidence_quality([text], gold, ["95990"], ["95990"], [[(plan, plan + 6)]])
    assert miss["hit_rate"] == 0.0 and miss["span_precision"] == 0.0
    # touching the phrase's end is not an overlap
    end = start + len("refilled with 20 mL")
    assert evidence_quality([text], gold, ["95990"], ["95990"], [[(end, end + 3)]])["hit_rate"] == 0.0
    # citing nothing is a miss; wrong decisions, neighbours and none are not eligible
    assert evidence_quality([text], gold, ["95990"], ["95990"], [[]])["n_no_spans"] == 1
    for truth, decision in (("95990", "95991"), ("62367", "62367"), (None, None)):
        assert evidence_quality([text], gold, [truth], [decision], [[(start, end)]])["n_eligible"] == 0


def test_evidence_phrase_recall_counts_distinct_phrases():
    text = "Pump interrogated. Dose increased from 100 to 120 mcg/day. Alarm status normal."
    phrases = [["interrogated", "Dose increased from 100 to 120 mcg/day"]]
    s = text.index("interrogated")
    q = evidence_quality([text], phrases, ["62368"], ["62368"], [[(s, s + 12), (70, 75)]])
    assert q["phrase_recall"] == 0.5 and q["span_precision"] == 0.5 and q["hit_rate"] == 1.0


# ------------------------------------------------------------------------------------- other metrics


def test_neighbour_accuracy():
    truth = ["62367", "62369", "62370", "95970-95972", "62368", None]
    pred = ["62367", "62370", "62370", None, "62368", "62367"]
    out = neighbour_accuracy(truth, pred)
    assert out == {"n_neighbour": 4, "neighbour_accuracy": 0.5}
    assert neighbour_accuracy(["62368", None], ["62368", None])["neighbour_accuracy"] is None


def test_score_combines_the_figures():
    truth = ["62362", "62368", "95990", "95991", "62367", None]
    pred = ["62362", "62368", "95991", "95991", "62368", None]
    m = score(truth, pred, prob=[0.9, 0.9, 0.6, 0.9, 0.7, 0.8])
    assert m["family_accuracy"] == 1.0 and m["false_suggestion_rate"] == 0.5
    assert m["refill_95990_vs_95991_accuracy"] == 0.5 and m["neighbour_accuracy"] == 0.0
    assert m["per_code"]["95991"]["precision"] == 0.5 and m["per_code"]["none"]["recall"] == 1.0
    assert m["target_macro_f1"] == pytest.approx(np.mean([1.0, 2 / 3, 0.0, 2 / 3]))
    assert m["ece"] is not None and m["evidence"] is None and m["classwise_ece"] is None
    assert error_kind("95990", "95991") == "right family, wrong code"
    assert error_kind(None, "95990") == "false suggestion" and error_kind("62368", "62367") == "missed (no target code)"


# ---------------------------------------------------------------------------------------------- baselines


def _code(text: str, rules: dict | None = None) -> str:
    return str(KeywordBaseline(rules).fit().predict([text])[0])


def test_keyword_baseline_follows_its_json():
    assert SPEC["rules"][0]["code"] == "95990" and RULES["95990"]["upgrade"]["code"] == "95991"
    assert _code("Pump refilled today by the nurse.") == "95990"
    assert _code("Pump interrogated, no change.") == "62368"
    assert _code("Patient seen, pump reprogrammed.") == "62368"
    assert _code("New programmable pump implanted in the abdomen.") == "62362"
    assert _code("Headache, no device mentioned.") == SPEC["none_label"]
    # rule order: a refill with an interrogation is the refill rule (listed first)
    assert _code("Pump interrogated then refilled.") == "95990"
    # the physician upgrade fires only within its window
    window = RULES["95990"]["upgrade"]["within_chars"]
    assert _code("Refilled" + " " * window + "MD") == "95991"  # gap of exactly `within_chars`
    assert _code("Refilled" + " " * (window + 1) + "MD") == "95990"
    assert _code("Refilled. Signed: J. Smith, md") == "95990"  # MD/NP/PA are case-sensitive, as the JSON says
    # implant needs 'pump' within its window
    reach = RULES["62362"]["within_chars"]
    assert _code("implanted" + " " * reach + "pump") == "62362"
    assert _code("implanted" + " " * (reach + 1) + "pump") == SPEC["none_label"]


def test_keyword_baseline_is_a_scikit_learn_estimator():
    kb = KeywordBaseline()
    assert clone(kb).get_params() == {"rules": None}
    fitted = kb.fit(["x"], ["none"])
    assert set(fitted.classes_) == {"62362", "62368", "95990", "95991", "none"}
    assert fitted.score(["Pump refilled.", "nothing"], ["95990", "none"]) == 1.0
    decision = fitted.explain(["Pump refilled."])[0]
    assert decision.rule == SPEC["rules"][0]["name"] and decision.spans == [(5, 13)]
    # a different rule order in the rules dict changes the answer: the behaviour is data, not code
    reordered = {**SPEC, "rules": [RULES["62368"], RULES["95990"], RULES["62362"]]}
    assert _code("Pump interrogated then refilled.", reordered) == "62368"
    with pytest.raises(ValueError, match="unknown concept"):
        KeywordBaseline({**SPEC, "rules": [{"name": "x", "code": "1", "all": ["nope"]}]}).fit()


def test_keyword_baseline_contextual_hits_replace_regex_hits():
    kb = KeywordBaseline().fit()
    text = "Refill deferred. Pump interrogated."
    assert kb.decide(text).code == "95990"
    assert kb.decide(text, contextual={"refill": [], "reprogram": [(22, 34)], "implant": []}).code == "62368"


def test_tfidf_baseline_fits_raw_text():
    texts = ["pump refilled by RN", "pump refilled by nurse", "dose increased reprogrammed", "rate reprogrammed"]
    est = make_tfidf_baseline().set_params(tfidf__min_df=1).fit(texts, ["95990", "95990", "62368", "62368"])
    assert list(est.predict(["refilled by RN"])) == ["95990"]


def test_medspacy_unavailable_is_a_reason_not_a_crash(monkeypatch):
    import classifier.evaluate as ev

    monkeypatch.setattr(ev, "medspacy_script", lambda: None)
    preds, reason = run_medspacy([])
    assert preds is None and "not found" in reason


def test_medspacy_script_failure_is_recorded_with_its_reason(monkeypatch, tmp_path, capsys):
    import importlib.util

    import classifier.evaluate as ev
    from classifier.evaluate import Note

    # the script's side: a venv that cannot be built exits 3 with "unavailable: <reason>"
    monkeypatch.syspath_prepend(str(ROOT / "benchmarks"))
    import context_compare

    def no_network() -> None:
        raise SystemExit("pip install medspacy==1.3.1 failed")

    monkeypatch.setattr(context_compare, "ensure_venv", no_network)
    spec = importlib.util.spec_from_file_location("medspacy_baseline", ROOT / "benchmarks" / "medspacy_baseline.py")
    script = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(script)
    src = tmp_path / "in.jsonl"
    src.write_text(json.dumps({"id": 1, "text": "Pump refilled."}) + "\n")
    assert script.main([str(src), str(tmp_path / "out.jsonl")]) == script.UNAVAILABLE
    assert capsys.readouterr().err.strip().splitlines()[-1].startswith("unavailable: RuntimeError: could not build")
    # the evaluation's side: that last line becomes the reason
    fake = tmp_path / "fake_medspacy.py"
    fake.write_text("import sys\nprint('unavailable: no network for medspacy', file=sys.stderr)\nsys.exit(3)\n")
    monkeypatch.setattr(ev, "medspacy_script", lambda: fake)
    preds, reason = run_medspacy([Note("1", "Pump refilled.", "95990", [], "x", "x", "x")])
    assert preds is None and reason == "no network for medspacy"


def test_held_out_split_is_the_shipped_models():
    manifest = json.loads((ROOT / "models" / "manifest.json").read_text())
    td = manifest["training_data"]
    if data_sha256([DEFAULT_DATA]) != td["sha256"]:
        pytest.skip("generated.jsonl changed since the model was trained")
    rows = load_labelled(DEFAULT_DATA)
    tr, te = held_out_split(rows, td["seed"], td["n_held_out"] / td["n_notes"])
    assert (len(tr), len(te)) == (td["n_train"], td["n_held_out"]) and not set(tr) & set(te)


# ------------------------------------------------------------------------------------------------- the CLI


@pytest.fixture(scope="module")
def small_report(tmp_path_factory):
    """``evaluate --data`` on 40 challenge notes, TF-IDF fitted on 400 generated notes, no medspaCy."""
    tmp = tmp_path_factory.mktemp("evaluate")
    data = tmp / "small.jsonl"
    lines = (ROOT / "training_data" / "challenge" / "part_b.jsonl").read_text(encoding="utf-8").splitlines()[:40]
    data.write_text("\n".join(lines) + "\n", encoding="utf-8")
    train = tmp / "train.jsonl"
    with DEFAULT_DATA.open(encoding="utf-8") as fh:
        train.write_text("".join(next(fh) for _ in range(400)), encoding="utf-8")
    out = tmp / "report"
    done = subprocess.run([sys.executable, "-m", "classifier", "evaluate", "--data", str(data), "--out", str(out),
                           "--train-data", str(train), "--no-medspacy"], capture_output=True, text=True,
                          cwd=ROOT, timeout=600)
    assert done.returncode == 0, done.stderr[-3000:]
    return out, [json.loads(line) for line in lines], done.stdout


def test_evaluate_writes_every_output(small_report):
    out, rows, stdout = small_report
    for name in OUTPUT_FILES:
        assert (out / name).is_file() and (out / name).stat().st_size > 0 or name == "errors.jsonl", name
    for png in ("confusion_matrix.png", "reliability.png"):
        assert (out / png).read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    report = (out / "evaluation.md").read_text()
    assert "## Headline" in report and "## Definitions" in report and "sha256" in report
    assert "pump-coder (model)" in stdout and "keyword rules" in stdout
    figures = json.loads((out / "figures.json").read_text())
    assert figures["systems"]["medspacy"] == {**figures["systems"]["medspacy"], "available": False,
                                               "reason": "skipped (--no-medspacy)"}
    assert list(figures["results"]) == ["small"] and figures["slices"]["small"]["n"] == len(rows)
    # no note text in any output
    texts = [r["text"][:60] for r in rows]
    for name in ("figures.json", "predictions.jsonl", "errors.jsonl", "evaluation.md"):
        content = (out / name).read_text()
        assert not any(t in content for t in texts), name


def test_figures_agree_with_predictions_and_errors(small_report):
    out, rows, _ = small_report
    figures = json.loads((out / "figures.json").read_text())
    preds = [json.loads(line) for line in (out / "predictions.jsonl").read_text().splitlines()]
    errors = [json.loads(line) for line in (out / "errors.jsonl").read_text().splitlines() if line.strip()]
    assert [p["id"] for p in preds] == [r["id"] for r in rows]
    assert [p["truth"] for p in preds] == [r["decision"] for r in rows]
    truth = [p["truth"] for p in preds]
    for system in ("model", "rules", "keyword", "tfidf"):
        decided = [p["pred"][system] for p in preds]
        got = figures["results"]["small"][system]
        want = code_metrics(truth, decided)
        for key in ("accuracy", "family_accuracy", "false_suggestion_rate", "macro_f1",
                    "refill_95990_vs_95991_accuracy", "n_target", "n_other"):
            assert got[key] == pytest.approx(want[key]), (system, key)
        if system in ("model", "tfidf"):
            ece = expected_calibration_error([t == d for t, d in zip(truth, decided, strict=True)],
                                             [p["prob"][system] for p in preds])
            assert got["ece"] == pytest.approx(ece)
    wrong = [p for p in preds if p["pred"]["model"] != p["truth"]]
    assert [(e["id"], e["decision"], e["rule_code"]) for e in errors] == [
        (p["id"], p["pred"]["model"], p["pred"]["rules"]) for p in wrong]
    assert figures["error_summary"]["n_all"] == len(errors) == sum(figures["n_errors"].values())
    cm = figures["confusion_matrix"]
    assert sum(map(sum, cm["matrix"])) == len(rows)
    assert sum(cm["matrix"][i][i] for i in range(len(cm["labels"]))) == len(rows) - len(wrong)
