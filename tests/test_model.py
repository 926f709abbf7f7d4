"""Model persistence: train -> save -> verify -> load, and refusal of tampered or corrupt files."""

from __future__ import annotations

import json
import shutil

import pytest

from classifier.api import Coder
from classifier.model import MANIFEST_FILE, MODEL_FILE, ModelError, build_estimator, load_model, save_model
from classifier.training import to_records

NOTES = {
    "95990": "Pump refilled with {n} mL baclofen by the RN. No dose change.",
    "62368": "Pump interrogated. Dose increased from {n} to {m} mcg/day. No refill.",
    "62367": "Pump interrogated, reservoir {n} mL, no alarms, no changes made.",
    "none": "Knee pain for {n} days. Ibuprofen. Past history: pump placed 2019.",
}


@pytest.fixture(scope="module")
def tiny_model(tmp_path_factory):
    texts, labels = [], []
    for label, template in NOTES.items():
        for i in range(10):
            texts.append(template.format(n=10 + i, m=20 + i))
            labels.append(label)
    est = build_estimator(seed=0)
    est.fit(to_records(texts), labels)
    out = tmp_path_factory.mktemp("model")
    save_model(est, out, {"training_data": {"n_notes": len(texts)}})
    return out


def test_roundtrip_predicts_the_trained_classes(tiny_model):
    coder = Coder(tiny_model)
    assert coder.suggest("Pump refilled with 12 mL baclofen by the RN. No dose change.")["decision"] == "95990"
    assert coder.suggest("Knee pain for 3 days. Ibuprofen. Past history: pump placed 2019.")["decision"] is None


def test_manifest_records_hash_versions_and_classes(tiny_model):
    manifest = json.loads((tiny_model / MANIFEST_FILE).read_text())
    assert len(manifest["sha256"]) == 64
    assert {"scikit-learn", "spacy", "python"} <= set(manifest["versions"])
    assert set(manifest["classes"]) == set(NOTES)


def test_tampered_model_is_refused_before_unpickling(tiny_model, tmp_path):
    bad = tmp_path / "m"
    shutil.copytree(tiny_model, bad)
    with open(bad / MODEL_FILE, "ab") as fh:
        fh.write(b"\x00tampered")
    with pytest.raises(ModelError, match="does not match its manifest"):
        load_model(bad)


def test_corrupt_model_with_matching_hash_is_a_clear_error(tmp_path):
    (tmp_path / MODEL_FILE).write_bytes(b"not a joblib file")
    from classifier.model import sha256_file

    manifest = {"model_file": MODEL_FILE, "sha256": sha256_file(tmp_path / MODEL_FILE)}
    (tmp_path / MANIFEST_FILE).write_text(json.dumps(manifest))
    with pytest.raises(ModelError, match="could not be loaded"):
        load_model(tmp_path)


def test_missing_or_unreadable_manifest(tmp_path):
    with pytest.raises(ModelError, match="no model manifest"):
        load_model(tmp_path)
    (tmp_path / MANIFEST_FILE).write_text("{not json")
    with pytest.raises(ModelError, match="unreadable"):
        load_model(tmp_path)


def test_manifest_cannot_point_outside_its_directory(tiny_model, tmp_path):
    bad = tmp_path / "m"
    shutil.copytree(tiny_model, bad)
    manifest = json.loads((bad / MANIFEST_FILE).read_text())
    manifest["model_file"] = "../elsewhere.joblib"
    (bad / MANIFEST_FILE).write_text(json.dumps(manifest))
    with pytest.raises(ModelError, match="outside"):
        load_model(bad)
