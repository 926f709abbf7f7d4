"""Simpler alternatives the project is measured against (``python -m classifier evaluate``).

A coding manager asks "is the NLP worth it over what we could write ourselves?", so each baseline is
what a reasonable person would build instead:

* :class:`KeywordBaseline`: keyword/regex rules a coder might write (terms and order in
  ``data/baseline_keywords.json``), first rule that fires wins. :meth:`KeywordBaseline.decide` also
  serves the medspaCy ConText baseline (``benchmarks/medspacy_baseline.py``), which feeds it only the
  keyword hits ConText leaves asserted, so the two differ by exactly what ConText adds.
* :func:`make_tfidf_baseline`: TF-IDF + logistic regression on the raw text, no rules at all.

Both follow scikit-learn's estimator conventions (``fit``/``predict``, ``classes_``) so the evaluation
treats them like the shipped model.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from sklearn.base import BaseEstimator, ClassifierMixin
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import Pipeline
from sklearn.utils.validation import check_is_fitted

from .resources import load_json

KEYWORDS_FILE = "baseline_keywords.json"
Span = tuple[int, int]
Matches = dict[str, list[Span]]


@dataclass
class KeywordDecision:
    """A keyword decision: the code (or the none label), the rule that fired, and the spans it used."""

    code: str
    rule: str | None
    spans: list[Span] = field(default_factory=list)


def _near(a: Span, b: Span, within: int) -> bool:
    """True when the gap between two spans is at most ``within`` characters (overlap counts as 0)."""
    return max(a[0], b[0]) - min(a[1], b[1]) <= within


class KeywordBaseline(ClassifierMixin, BaseEstimator):
    """Keyword/regex coding rules; ``fit`` learns nothing, it only reads and compiles the rules.

    ``rules`` is a dict shaped like ``data/baseline_keywords.json`` (None: that file).
    """

    def __init__(self, rules: Mapping[str, Any] | None = None) -> None:
        self.rules = rules

    def fit(self, X: Iterable[str] | None = None, y: Iterable[Any] | None = None) -> KeywordBaseline:
        """Compile the rules; ``X`` and ``y`` are accepted (and ignored) for scikit-learn compatibility."""
        spec = dict(self.rules) if self.rules is not None else load_json(KEYWORDS_FILE)
        self.spec_ = spec
        self.none_label_ = spec.get("none_label", "none")
        self.patterns_ = {
            name: [re.compile(p, 0 if c.get("case_sensitive") else re.IGNORECASE) for p in c["patterns"]]
            for name, c in spec["concepts"].items()
        }
        for rule in spec["rules"]:
            unknown = set(rule["all"]) - set(self.patterns_)
            if unknown or ("upgrade" in rule and rule["upgrade"]["near"] not in self.patterns_):
                raise ValueError(f"keyword rule {rule.get('name')!r} names an unknown concept")
        codes = {r["code"] for r in spec["rules"]} | {r["upgrade"]["code"] for r in spec["rules"] if "upgrade" in r}
        self.classes_ = np.array(sorted(codes | {self.none_label_}), dtype=object)
        return self

    def find(self, text: str, concepts: Iterable[str] | None = None) -> Matches:
        """Character spans of each concept's matches in ``text`` (all concepts by default)."""
        check_is_fitted(self, "patterns_")
        names = self.patterns_ if concepts is None else concepts
        return {
            name: sorted({m.span() for rx in self.patterns_[name] for m in rx.finditer(text)}) for name in names
        }

    def decide(self, text: str, contextual: Matches | None = None) -> KeywordDecision:
        """Apply the rules in order to the keyword hits of ``text``.

        ``contextual`` replaces the hits of the concepts it names (the medspaCy baseline passes the
        hits ConText leaves asserted); the other concepts are matched by regex as usual.
        """
        check_is_fitted(self, "patterns_")
        own = [c for c in self.patterns_ if contextual is None or c not in contextual]
        matches = {**self.find(text, own), **(contextual or {})}
        for rule in self.spec_["rules"]:
            spans = self._fires(rule, matches)
            if spans is None:
                continue
            code = rule["code"]
            up = rule.get("upgrade")
            if up:
                near = [q for q in matches.get(up["near"], []) if any(_near(q, s, up["within_chars"]) for s in spans)]
                if near:
                    code, spans = up["code"], spans + near
            return KeywordDecision(code, rule["name"], sorted(set(spans)))
        return KeywordDecision(self.none_label_, None, [])

    @staticmethod
    def _fires(rule: Mapping[str, Any], matches: Matches) -> list[Span] | None:
        """The spans that make ``rule`` fire, or None. With ``within_chars`` every concept needs a hit
        that close to a hit of the first concept."""
        concepts = rule["all"]
        if any(not matches.get(c) for c in concepts):
            return None
        within = rule.get("within_chars")
        if within is None or len(concepts) == 1:
            return [s for c in concepts for s in matches[c]]
        spans: list[Span] = []
        for anchor in matches[concepts[0]]:
            partners = [[s for s in matches[c] if _near(anchor, s, within)] for c in concepts[1:]]
            if all(partners):
                spans += [anchor, *(s for group in partners for s in group)]
        return spans or None

    def explain(self, X: Iterable[str]) -> list[KeywordDecision]:
        """One :class:`KeywordDecision` per text (code, rule and the spans that decided it)."""
        return [self.decide(text) for text in X]

    def predict(self, X: Iterable[str]) -> np.ndarray:
        """The code for each text, or the none label when no rule fires."""
        return np.array([d.code for d in self.explain(X)], dtype=object)


def make_tfidf_baseline(C: float = 10.0, seed: int = 13) -> Pipeline:
    """TF-IDF (words and word pairs, sublinear tf) + multinomial logistic regression on the raw note text.

    Untuned on purpose (C=10 is a common default for sparse text features): it is the alternative a data
    scientist would try first, trained on exactly the shipped model's training split.
    """
    return Pipeline(
        [
            ("tfidf", TfidfVectorizer(ngram_range=(1, 2), min_df=2, sublinear_tf=True, dtype=np.float32)),
            ("clf", LogisticRegression(C=C, max_iter=3000, random_state=seed)),
        ]
    )


def decision_probability(estimator: Any, texts: Sequence[str]) -> tuple[np.ndarray, np.ndarray]:
    """Predicted labels and the probability of each prediction (the top class) for a fitted classifier."""
    proba = estimator.predict_proba(list(texts))
    classes = np.asarray(estimator.classes_, dtype=object)
    return classes[proba.argmax(axis=1)], proba.max(axis=1)
