"""The library entry point: note text in, ranked codes with explanations out.

Every path (one note, ``suggest --jsonl``, the audit, retraining) goes through :class:`Coder`, which
runs ``nlp.pipe`` underneath so batches share the tokenizer and rule passes.
"""

from __future__ import annotations

import itertools
import multiprocessing as mp
from collections.abc import Iterable, Iterator
from functools import lru_cache
from pathlib import Path
from typing import Any

import numpy as np
from spacy.language import Language
from spacy.tokens import Doc

from .catalog import Catalog, get_catalog
from .coding_rules import NONE, apply_rules
from .explain import explain_code
from .facts import Facts, extract_facts
from .features import Record, make_record
from .model import LoadedModel, load_model
from .notes import MAX_NOTE_CHARS, NoteError, check_note
from .pipeline import get_nlp
from .resources import doc_text

KEY_FACTS = (
    "implant", "replacement", "explant", "programmable_device", "fixed_device", "analysis",
    "reprogramming", "refill", "volume_update", "catheter_work", "catheter_removal", "route_spinal",
    "route_brain", "lookalike", "mentioned_not_asserted",
)


def analyse(doc: Doc) -> tuple[Facts, Record]:
    """Facts and the model record of a processed note (shared with training)."""
    facts = extract_facts(doc)
    return facts, make_record(doc_text(doc), facts.values, apply_rules(facts).code)


class Coder:
    """A loaded pipeline + model + catalog. Cheap to call, expensive to build: build once."""

    def __init__(self, model_dir: Path | str | None = None, nlp: Language | None = None,
                 max_chars: int = MAX_NOTE_CHARS) -> None:
        self.model_dir = model_dir
        self.model: LoadedModel = load_model(model_dir)
        self.nlp = nlp or get_nlp()
        self.catalog: Catalog = get_catalog()
        self.max_chars = max_chars

    def suggest(self, text: str) -> dict[str, Any]:
        """Ranked codes for one note; raises :class:`NoteError` for input that cannot be analysed."""
        text = check_note(text, self.max_chars)
        return self._results([self.nlp(text)])[0]

    def suggest_many(self, texts: Iterable[Any], batch_size: int = 64, n_process: int = 1
                     ) -> Iterator[dict[str, Any]]:
        """One result per input, in order; a bad input yields ``{"error": ...}`` and the run goes on.

        One process streams the input through a single ``nlp.pipe`` and runs facts, model and
        explanations in batches. With ``n_process > 1`` whole batches go to worker processes that each
        hold their own Coder, and only the JSON-able results travel back (cheaper than spaCy's Doc
        transfer), a bounded window of batches at a time so memory stays flat.
        """
        if n_process > 1:
            yield from self._suggest_parallel(texts, batch_size, n_process)
            return
        errors: dict[int, str] = {}
        seen = 0

        def valid() -> Iterator[tuple[str, int]]:
            nonlocal seen
            for i, item in enumerate(texts):
                seen = i + 1
                try:
                    yield check_note(item, self.max_chars), i
                except NoteError as exc:
                    errors[i] = str(exc)

        next_out = 0

        def emit(pending: list[tuple[Doc, int]]) -> Iterator[dict[str, Any]]:
            nonlocal next_out
            results = self._results([doc for doc, _ in pending]) if pending else []
            for (_, i), result in zip(pending, results, strict=True):
                while next_out < i:
                    yield {"error": errors.pop(next_out)}
                    next_out += 1
                yield result
                next_out = i + 1

        pending: list[tuple[Doc, int]] = []
        for doc, i in self.nlp.pipe(valid(), as_tuples=True, batch_size=batch_size, n_process=n_process):
            pending.append((doc, i))
            if len(pending) >= batch_size:
                yield from emit(pending)
                pending = []
        yield from emit(pending)
        while next_out < seen:
            yield {"error": errors.pop(next_out)}
            next_out += 1

    def _suggest_parallel(self, texts: Iterable[Any], batch_size: int, n_process: int
                          ) -> Iterator[dict[str, Any]]:
        context = mp.get_context("fork" if "fork" in mp.get_all_start_methods() else "spawn")
        batches = _batched(texts, batch_size)
        with context.Pool(n_process, initializer=_init_worker, initargs=(self.model_dir, self.max_chars)) as pool:
            while window := list(itertools.islice(batches, n_process * 4)):
                for results in pool.imap(_suggest_batch_in_worker, window):
                    yield from results

    def _results(self, docs: list[Doc]) -> list[dict[str, Any]]:
        analysed = [analyse(doc) for doc in docs]
        probs = self.model.estimator.predict_proba([record for _, record in analysed])
        return [self._result(facts, row) for (facts, _), row in zip(analysed, probs, strict=True)]

    def _result(self, facts: Facts, row: np.ndarray) -> dict[str, Any]:
        classes = self.model.classes
        prob = {c: round(float(p), 4) for c, p in zip(classes, row, strict=True)}
        best = classes[int(np.argmax(row))]
        decision = None if best == NONE else best
        listed = list(self.catalog.targets)
        if decision is not None and decision not in listed:
            listed.append(decision)
        listed.sort(key=lambda c: (-prob.get(c, 0.0), c))
        verdict = apply_rules(facts)
        return {
            "decision": decision,
            "decision_family": self.catalog.family(decision),
            "probability": prob[best],
            "summary": _summary(decision, prob[best], self.catalog),
            "rule": {"code": None if verdict.code == NONE else verdict.code, "rule": verdict.rule,
                     "reason": verdict.reason},
            "codes": [explain_code(c, prob.get(c, 0.0), self.catalog, facts) for c in listed],
            "facts": {name: facts.has(name) for name in KEY_FACTS},
            "performer": facts.performer,
            "model": {"sha256": self.model.manifest.get("sha256", "")[:12]},
        }


_WORKER_CODER: Coder | None = None


def _init_worker(model_dir: Path | str | None, max_chars: int) -> None:
    global _WORKER_CODER
    _WORKER_CODER = Coder(model_dir, max_chars=max_chars)


def _suggest_batch_in_worker(batch: list[Any]) -> list[dict[str, Any]]:
    assert _WORKER_CODER is not None
    return list(_WORKER_CODER.suggest_many(batch, batch_size=len(batch)))


def _batched(items: Iterable[Any], size: int) -> Iterator[list[Any]]:
    iterator = iter(items)
    while batch := list(itertools.islice(iterator, size)):
        yield batch


def _summary(decision: str | None, p: float, catalog: Catalog) -> str:
    if decision is None:
        return f"No intrathecal/epidural pump service is documented for this encounter (p={p:.2f})."
    family = catalog.family(decision)
    kind = "neighbouring code, not one of 62362/62368/95990-95991" if family == "neighbour" else family
    return f"{decision} ({kind}): {catalog.descriptor(decision)} (p={p:.2f})"


@lru_cache(maxsize=4)
def get_coder(model_dir: str | None = None) -> Coder:
    """The process-wide :class:`Coder` for a model directory (default: the shipped model)."""
    return Coder(model_dir)


def suggest(text: str, model_dir: str | None = None) -> dict[str, Any]:
    """Ranked codes with explanations for one note (see README for the JSON contract)."""
    return get_coder(model_dir).suggest(text)


def suggest_batch(texts: Iterable[Any], model_dir: str | None = None, batch_size: int = 64,
                  n_process: int = 1) -> list[dict[str, Any]]:
    """:func:`suggest` for many notes; bad inputs give ``{"error": ...}`` in their place."""
    return list(get_coder(model_dir).suggest_many(texts, batch_size=batch_size, n_process=n_process))
