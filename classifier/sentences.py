"""Sentence boundaries that survive real notes: line structure, bullets, inline headers, abbreviations.

Clinical notes break sentences with line feeds and headers more often than with periods, and
transcription systems run whole sections into one line (``PROCEDURE:, Refill.,  FINDINGS:, ...``).
Boundaries are found with a few regexes over ``doc.text`` (one C-level pass each) and written to
``Token.is_sent_start`` in one array call, so ``doc.sents`` works as usual.
"""

from __future__ import annotations

import re

import numpy as np
from spacy.attrs import IDX, SENT_START
from spacy.language import Language
from spacy.tokens import Doc

from .resources import RuleFilesMixin, doc_text

_INLINE_HEADER = re.compile(r"(?<=[.,;])[ \t]+(?=[A-Z][A-Z /&'-]{2,40}:)")


_END = re.compile(r"[.!?]+[\"')\]]*[,;]?(?P<gap>[ \t]+)(?P<next>[A-Za-z0-9(\"'\u2022*-])")
_JOINERS = {"of", "the", "with", "and", "to", "a", "an", "in", "for", "or", "at", "by", "from", "on", "was", "were"}
_LINE = re.compile(r"\n[ \t]*(?P<first>\S)")


@Language.factory("clinical_sentences", default_config={})
class ClinicalSentences(RuleFilesMixin):
    """Set sentence starts from line structure, punctuation and inline ALL-CAPS headers."""

    def __init__(self, nlp: Language, name: str = "clinical_sentences") -> None:
        self.name = name
        self.load_default_rules()

    rule_files = ("segmentation.json",)

    def rule_data(self) -> tuple[dict, ...]:
        return (self.cfg,)

    def set_rules(self, cfg: dict) -> None:
        self.cfg = dict(cfg)
        self._bullet = re.compile(self.cfg["bullet_pattern"])
        self._abbrev = {a.lower() for a in self.cfg["abbreviations"]}

    def boundaries(self, text: str) -> list[int]:
        """Character offsets where a new sentence starts (sorted, unique, excluding 0)."""
        cuts: set[int] = set()
        for m in _LINE.finditer(text):
            start = m.start("first")
            prev_end = text.rfind("\n", 0, m.start())
            prev = text[prev_end + 1 : m.start()].rstrip()
            first = m.group("first")
            # a wrapped line (a long previous line ending mid-sentence, this one lower-case) continues it
            last_word = prev.rsplit(None, 1)[-1].lower() if prev else ""
            continues = (len(prev) >= 40 and prev[-1].isalnum()) or prev.endswith(",") or last_word in _JOINERS
            wrapped = first.islower() and continues and not self._bullet.match(text, start)
            if not wrapped:
                cuts.add(start)
        for m in _END.finditer(text):
            word_start = max(text.rfind(" ", 0, m.start()), text.rfind("\n", 0, m.start())) + 1
            word = text[word_start : m.start()].strip("(\"'[").lower()
            if word_start == m.start():
                continue  # punctuation after a space is a dot leader ("Dose change ....... NO"), not an end
            if word in self._abbrev or (len(word) == 1 and word.isalpha()):
                continue
            if m.group("next").islower() and (len(word.rstrip(".!?,;")) < 3 or "." in word.rstrip(".!?,;")):
                continue  # "e.g. the", "2 p.m. then": lower case after a short or dotted word continues
            cuts.add(m.end("gap"))
        for m in _INLINE_HEADER.finditer(text):
            cuts.add(m.end())
        cuts.discard(0)
        return sorted(c for c in cuts if c < len(text))

    def __call__(self, doc: Doc) -> Doc:
        if not len(doc):
            return doc
        starts = doc.to_array([IDX])
        flags = np.full(len(doc), -1, dtype=np.int32)  # -1: explicitly not a sentence start
        flags[0] = 1
        cuts = self.boundaries(doc_text(doc))
        if cuts:
            idx = np.searchsorted(starts, np.asarray(cuts), side="left")
            flags[idx[idx < len(doc)]] = 1
        doc.from_array([SENT_START], flags.reshape(-1, 1).astype(np.uint64))
        return doc
