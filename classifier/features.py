"""Model inputs: a note's facts and rule verdict (from the spaCy pipeline) plus its words.

Records are plain dicts ``{"text", "facts", "rule"}`` so the expensive NLP runs once per note and
the scikit-learn part stays a picklable ``Pipeline`` of standard transformers.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

import numpy as np
from sklearn.base import BaseEstimator, TransformerMixin
from sklearn.feature_extraction import DictVectorizer
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.pipeline import FeatureUnion, Pipeline
from sklearn.preprocessing import FunctionTransformer

Record = dict[str, Any]


def make_record(text: str, facts: dict[str, float], rule_code: str) -> Record:
    """The model's view of one note."""
    return {"text": text, "facts": facts, "rule": rule_code}


class FactsVectorizer(TransformerMixin, BaseEstimator):
    """Fact counts (log-scaled, so one mention and five differ less than none and one) + rule one-hot."""

    def __init__(self, use_rule: bool = True) -> None:
        self.use_rule = use_rule

    def _dicts(self, records: Iterable[Record]) -> list[dict[str, float]]:
        out = []
        for r in records:
            d = {k: float(np.log1p(v)) for k, v in r["facts"].items()}
            if self.use_rule:
                d[f"rule={r['rule']}"] = 1.0
            out.append(d)
        return out

    def fit(self, records: Sequence[Record], y: Any = None) -> FactsVectorizer:
        self.vectorizer_ = DictVectorizer(sparse=True).fit(self._dicts(records))
        return self

    def transform(self, records: Sequence[Record]):
        return self.vectorizer_.transform(self._dicts(records))

    def get_feature_names_out(self, input_features: Any = None) -> np.ndarray:
        return self.vectorizer_.get_feature_names_out()


def record_texts(records: Sequence[Record]) -> list[str]:
    """The text column (module-level so the fitted pipeline pickles)."""
    return [r["text"] for r in records]


def make_features(text_weight: float = 0.5, max_text_features: int = 20000) -> FeatureUnion:
    """Facts + TF-IDF word n-grams; ``text_weight`` scales how much the raw words may say."""
    text = Pipeline(
        [
            ("pick", FunctionTransformer(record_texts)),
            ("tfidf", TfidfVectorizer(ngram_range=(1, 2), min_df=3, max_features=max_text_features,
                                      sublinear_tf=True, lowercase=True, dtype=np.float32)),
        ]
    )
    return FeatureUnion(
        [("facts", FactsVectorizer()), ("text", text)],
        transformer_weights={"facts": 1.0, "text": text_weight},
    )
