"""One multi-pattern pass that tells which of a component's rules can match a note at all.

A component holds ~170 rule regexes; on a typical note fewer than 20 of them match, yet each of the
others still costs Python's ``re`` a scan of the whole note. Hyperscan (Intel's multi-pattern engine, the
prefilter of Snort, Suricata and rspamd) scans once for all of them. It is used only as a *gate*: each rule
is translated to a pattern that matches a **superset** of what the rule matches, and only the rules the
gate lets through are run with ``re``, so the matches themselves never change.

The translation (:func:`superset_pattern`) walks ``re``'s own parse tree:

* assertions (``\\b``, ``^``, lookarounds) are dropped: removing a condition only widens the match set;
* ``\\w``, ``\\d`` and ``\\s`` become their ASCII members plus every non-ASCII code point (Python's classes
  are Unicode, Hyperscan's differ in detail: over-approximating settles that); negated classes that hold
  such a category become "any character";
* back references and conditionals become "anything", atomic groups plain groups.

Where Hyperscan is not installed (it ships wheels for x86-64 Linux and macOS), on notes that are not valid
UTF-8 (lone surrogates), and for any rule the translation or Hyperscan's compiler refuses, every rule keeps
its literal gate (:mod:`.prefilter`): slower, same answers.
"""

from __future__ import annotations

import hashlib
import logging
import os
import tempfile
from collections.abc import Sequence
from pathlib import Path
from re import _constants as C  # noqa: N812  (the parser's opcode names)
from re import _parser

from .prefilter import RuleRegex

try:  # optional accelerator: the answers are the same without it
    import hyperscan
except ImportError:  # pragma: no cover - depends on the platform
    hyperscan = None

log = logging.getLogger(__name__)

_NON_ASCII = "\\x{80}-\\x{d7ff}\\x{e000}-\\x{10ffff}"  # every non-ASCII scalar value (no surrogates in UTF-8)
_CATEGORY = {  # superset of Python's Unicode class, as members of a character class
    C.CATEGORY_DIGIT: "0-9" + _NON_ASCII,
    C.CATEGORY_WORD: "0-9A-Za-z_" + _NON_ASCII,
    C.CATEGORY_SPACE: "\\t-\\r\\x{1c}-\\x{20}" + _NON_ASCII,
    C.CATEGORY_NOT_WORD: "\\x{0}-\\x{2f}\\x{3a}-\\x{40}\\x{5b}-\\x{5e}\\x{60}\\x{7b}-\\x{7f}" + _NON_ASCII,
}
_MAX_BOUND = 3  # bounded repeats above this are widened to unbounded ones
_ANY = "[\\x{0}-\\x{10ffff}]"  # the gate compiles with DOTALL too, so "." is any character


class Untranslatable(ValueError):
    """A construct the superset translation does not handle; the rule keeps its literal gate."""


def _char(code: int) -> str:
    return f"\\x{{{code:x}}}"


def _class(items: list) -> str:
    negate = bool(items) and items[0][0] is C.NEGATE
    members = items[1:] if negate else items
    if negate and any(op is C.CATEGORY for op, _ in members):
        return _ANY  # the complement of an over-approximated class would be an under-approximation
    out = []
    for op, av in members:
        if op is C.LITERAL:
            out.append(_char(av))
        elif op is C.RANGE:
            out.append(f"{_char(av[0])}-{_char(av[1])}")
        elif op is C.CATEGORY:
            if av not in _CATEGORY:
                return _ANY  # \D, \S: everything but a few characters
            out.append(_CATEGORY[av])
        else:
            raise Untranslatable(f"class member {op}")
    if not out:
        raise Untranslatable("empty class")
    return ("[^" if negate else "[") + "".join(out) + "]"


_ZERO_WIDTH = (C.AT, C.ASSERT, C.ASSERT_NOT)


def _sequence(items: list, head: bool = False, tail: bool = False) -> str:
    """``items`` translated; ``head``/``tail``: nothing in the whole pattern comes before/after them.

    The gate only asks whether a rule can match *somewhere* in the note, so a positive lookaround at
    the very start or end of a match may become text: ``(?<=by\\s)me`` can only match where ``by\\sme``
    does, ``\\d+(?=\\s*mg)`` only where ``\\d+\\s*mg`` does. Far fewer notes pass than when the
    lookaround is dropped."""
    if head:
        lead = next((k for k, (op, _) in enumerate(items) if op not in _ZERO_WIDTH), len(items))
        behind = [k for k in range(lead) if items[k][0] is C.ASSERT and items[k][1][0] < 0]
        if behind:  # text before the match: keep the last lookbehind's, then the rest
            k = behind[-1]
            return _sequence(list(items[k][1][1]), head=True) + _sequence(items[k + 1 :], tail=tail)
    if tail:
        last = max((k + 1 for k, (op, _) in enumerate(items) if op not in _ZERO_WIDTH), default=0)
        ahead = [k for k in range(last, len(items)) if items[k][0] is C.ASSERT and items[k][1][0] > 0]
        if ahead:  # text after the match: the rest, then the first lookahead's
            k = ahead[0]
            return _sequence(items[:k], head=head) + _sequence(list(items[k][1][1]), tail=True)
    out = []
    for k, (op, av) in enumerate(items):
        at_head, at_tail = head and k == 0, tail and k == len(items) - 1
        if (at_head or at_tail) and op in (C.BRANCH, C.SUBPATTERN):
            out.append(_edge_item(op, av, at_head, at_tail))
        else:
            out.append(_item(op, av))
    return "".join(out)


def _edge_item(op: object, av: object, head: bool, tail: bool) -> str:
    """A group or alternation at the start and/or end of the pattern: its own edges are the pattern's."""
    if op is C.BRANCH:
        return "(?:" + "|".join(_sequence(list(alt), head, tail) for alt in av[1]) + ")"  # type: ignore[index]
    _group, add_flags, _del_flags, sub = av  # type: ignore[misc]
    if add_flags & ~(_parser.SRE_FLAG_UNICODE):
        raise Untranslatable("inline flags")
    return "(?:" + _sequence(list(sub), head, tail) + ")"


def _item(op: object, av: object) -> str:
    if op is C.LITERAL:
        return _char(av)  # type: ignore[arg-type]
    if op is C.NOT_LITERAL:
        return f"[^{_char(av)}]"  # type: ignore[arg-type]
    if op is C.ANY:
        return _ANY
    if op is C.IN:
        return _class(list(av))  # type: ignore[arg-type]
    if op is C.CATEGORY:
        return _class([(op, av)])
    if op is C.BRANCH:
        return "(?:" + "|".join(_sequence(list(alt)) for alt in av[1]) + ")"  # type: ignore[index]
    if op is C.SUBPATTERN:
        _group, add_flags, _del_flags, sub = av  # type: ignore[misc]
        if add_flags & ~(_parser.SRE_FLAG_UNICODE):
            raise Untranslatable("inline flags")
        return "(?:" + _sequence(list(sub)) + ")"
    if op is C.ATOMIC_GROUP:
        return "(?:" + _sequence(list(av)) + ")"  # type: ignore[arg-type]
    if op in (C.MAX_REPEAT, C.MIN_REPEAT, C.POSSESSIVE_REPEAT):
        lo, hi, sub = av  # type: ignore[misc]
        body = "(?:" + _sequence(list(sub)) + ")"
        if hi == C.MAXREPEAT or hi > _MAX_BOUND:  # "{0,40}" -> "*": far cheaper to compile, still a superset
            return body + ("*" if lo == 0 else "+" if lo == 1 else f"{{{min(lo, _MAX_BOUND)},}}")
        return body + f"{{{lo},{hi}}}"
    if op in (C.AT, C.ASSERT, C.ASSERT_NOT):
        return ""  # a condition dropped: the match set only grows
    if op in (C.GROUPREF, C.GROUPREF_EXISTS):
        return _ANY + "*"
    raise Untranslatable(f"opcode {op}")


def superset_pattern(source: str) -> str:
    """A Hyperscan (PCRE-syntax, UTF-8) pattern matching wherever the ``re`` pattern ``source`` can."""
    return _sequence(list(_parser.parse(source, 0)), head=True, tail=True)


class RuleGate:
    """Which of ``rules`` may match a note: one Hyperscan scan per text (folded and as written).

    ``candidates(text, folded)`` returns the indices of the rules worth running, in rule order; a rule
    outside the scan (untranslatable, or no Hyperscan) is always a candidate and falls back to its
    literal gate inside :meth:`RuleRegex.finditer`."""

    def __init__(self, rules: Sequence[RuleRegex]) -> None:
        self.rules = list(rules)
        self._scans: list[tuple[bool, object, list[int]]] = []  # (on folded text?, database, rule indices)
        self.ungated: list[int] = list(range(len(self.rules)))
        if hyperscan is None or not self.rules:
            return
        gated: dict[bool, list[tuple[int, bytes]]] = {True: [], False: []}
        ungated = []
        for i, rule in enumerate(self.rules):
            try:
                gated[rule.on_folded].append((i, superset_pattern(rule.regex.pattern).encode()))
            except (Untranslatable, ValueError):
                ungated.append(i)
        for on_folded, items in gated.items():
            if not items:
                continue
            db, kept = _database([p for _, p in items])
            kept_set = set(kept)
            ungated += [i for k, (i, _) in enumerate(items) if k not in kept_set]
            if db is not None:
                self._scans.append((on_folded, db, [items[k][0] for k in kept]))
        self.ungated = sorted(ungated)

    @property
    def active(self) -> bool:
        """Whether a multi-pattern scan is in use (False: every rule runs behind its literal gate)."""
        return bool(self._scans)

    def candidates(self, text: str, folded: str) -> list[int]:
        """Indices of the rules that may match (all rules when the note cannot be scanned)."""
        if not self._scans:
            return list(range(len(self.rules)))
        hits = set(self.ungated)
        for on_folded, db, ids in self._scans:
            try:
                data = (folded if on_folded else text).encode("utf-8")
            except UnicodeEncodeError:  # lone surrogates: Hyperscan needs valid UTF-8
                return list(range(len(self.rules)))
            db.scan(data, match_event_handler=lambda rid, _f, _t, _fl, _c, ids=ids: hits.add(ids[rid]))
        return sorted(hits)


def _compile(patterns: list[bytes]) -> object:
    db = hyperscan.Database(mode=hyperscan.HS_MODE_BLOCK)
    db.compile(expressions=patterns, ids=list(range(len(patterns))), flags=_FLAGS)
    return db


def _database(patterns: list[bytes]) -> tuple[object | None, list[int]]:
    """A compiled database for ``patterns`` and the positions it holds: the k-th kept pattern reports id k.

    Compiling ~170 rules takes Hyperscan about a second, so a database of all the patterns is cached on disk
    (see :func:`cache_dir`), keyed by the patterns, flags and Hyperscan version, and checked against its sha256
    before it is deserialised. Patterns Hyperscan refuses (a construct it lacks) are left out; their rules keep
    their literal gates."""
    everything = list(range(len(patterns)))
    key = hashlib.sha256(repr((hyperscan.__version__, _FLAGS, patterns)).encode()).hexdigest()[:32]
    where = cache_dir()
    path = where / f"gate-{key}.hsdb" if where is not None else None
    if path is not None and (db := _load(path)) is not None:
        return db, everything
    try:
        db = _compile(patterns)
    except hyperscan.error:
        kept = [k for k in everything if _compiles(patterns[k])]
        log.debug("%d rules not gated by Hyperscan", len(patterns) - len(kept))
        return (_compile([patterns[k] for k in kept]) if kept else None), kept
    if path is not None:
        _save(path, hyperscan.dumpb(db))
    return db, everything


def _compiles(pattern: bytes) -> bool:
    try:
        _compile([pattern])
    except hyperscan.error:
        return False
    return True


def cache_dir() -> Path | None:
    """Where compiled gates are kept: ``$PUMP_CODER_CACHE`` ("off" disables), else the user cache dir."""
    configured = os.environ.get("PUMP_CODER_CACHE")
    if configured is not None:
        return None if configured.lower() in ("", "off", "0", "no") else Path(configured)
    base = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(base) / "pump-coder"


def _load(path: Path) -> object | None:
    """A cached database whose content matches the sha256 stored in front of it; None otherwise."""
    try:
        blob = path.read_bytes()
    except OSError:
        return None
    digest, payload = blob[:32], blob[32:]
    if len(blob) <= 32 or hashlib.sha256(payload).digest() != digest:
        return None  # truncated or altered: compile afresh (and overwrite)
    try:
        db = hyperscan.loadb(payload, hyperscan.HS_MODE_BLOCK)
        db.scratch = hyperscan.Scratch(db)  # compile() allocates one; a loaded database needs its own
    except hyperscan.error:  # another CPU or Hyperscan build
        return None
    return db


def _save(path: Path, payload: bytes) -> None:
    """Write atomically; a read-only or full disk only costs the next process a compile."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile(dir=path.parent, delete=False, prefix=".gate-") as fh:
            fh.write(hashlib.sha256(payload).digest() + payload)
        os.replace(fh.name, path)
    except OSError as exc:
        log.debug("gate cache not written: %s", exc)


_FLAGS = 0
if hyperscan is not None:
    _FLAGS = (hyperscan.HS_FLAG_UTF8 | hyperscan.HS_FLAG_DOTALL | hyperscan.HS_FLAG_SINGLEMATCH
              | hyperscan.HS_FLAG_ALLOWEMPTY)
