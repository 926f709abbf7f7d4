"""``notebooks/evaluation.ipynb`` runs top to bottom on the committed report, so it cannot rot."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOK = ROOT / "notebooks" / "evaluation.ipynb"
KERNEL = "pump-coder-test"


@pytest.fixture()
def kernel_name(tmp_path, monkeypatch) -> str:
    """A kernel spec for *this* interpreter: a fresh venv's "python3" spec may start whatever ``python`` is on
    PATH, which need not have the project's dependencies."""
    spec = tmp_path / "kernels" / KERNEL
    spec.mkdir(parents=True)
    (spec / "kernel.json").write_text(json.dumps({
        "argv": [sys.executable, "-m", "ipykernel_launcher", "-f", "{connection_file}"],
        "display_name": "pump-coder test", "language": "python",
    }))
    monkeypatch.setenv("JUPYTER_PATH", str(tmp_path))
    return KERNEL


def test_evaluation_notebook_executes(kernel_name):
    assert (ROOT / "reports" / "figures.json").is_file(), "run `python -m classifier evaluate` first"
    nb = nbformat.read(NOTEBOOK, as_version=4)
    NotebookClient(nb, timeout=180, kernel_name=kernel_name,
                   resources={"metadata": {"path": str(NOTEBOOK.parent)}}).execute()
    outputs = [o for cell in nb.cells if cell.cell_type == "code" for o in cell.outputs]
    assert not [o for o in outputs if o.output_type == "error"]
    text = "\n".join(o.get("text", "") + json.dumps(o.get("data", {})) for o in outputs)
    assert "model sha256" in text and "pump-coder (model)" in text and "keyword rules" in text
    assert sum("image/png" in o.get("data", {}) for o in outputs) >= 4  # 2 report PNGs + 2 re-plots
    assert "rules page" in text or "no errors to walk through" in text  # the walk-through ran suggest
