"""A first-character fast path for rules the regex engine would scan position by position.

``re`` skips ahead to plausible match starts only when a pattern *begins* with a literal or a
character set. Many rules begin otherwise: with a lookbehind (``(?<![\\d/])\\d{1,2}/\\d{1,2}``), a
boundary before a digit (``\\b\\d+\\s*mg``) or a repeat (``\\d+(?:\\.\\d+)?\\s*%``); each costs a full
match attempt at every character of the note. :func:`split_rule` rewrites such a rule, on ``re``'s own
parse tree, into

* a *guard*: its leading zero-width assertions, checked only where a match could start, and
* a *scan*: the rest, with a leading single-character repeat unrolled once (``\\d{1,2}`` is ``\\d\\d{0,1}``,
  ``\\d`` is ``[\\d]``), so that it begins with a character set the engine scans for in C.

At any position the assertions are zero-width, so ``<guard><scan>`` matches there exactly when the guard
holds and the scan matches, with the same extent; :func:`guarded_finditer` reproduces ``finditer``'s
leftmost, non-overlapping matches from that. Rules whose scan could match the empty string, use back
references, or gain no fast path are left alone.

Two more rewrites reach rules that still have none: lookbehinds in front of a leading literal move behind
it (:func:`hoist_lookbehinds`: ``(?<!by\\s)then`` is ``t(?<!by\\st)hen``), and a rule that starts with a
branch or an optional part becomes the alternation of its expansions in the engine's backtracking order
(:func:`alternative_scans`), matched by :func:`leftmost_first` exactly as ``finditer`` matches the alternation.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from re import _compiler, _parser
from re import _constants as C  # noqa: N812  (the parser's opcode names)

_ZERO_WIDTH = (C.AT, C.ASSERT, C.ASSERT_NOT)
_ONE_CHAR = (C.LITERAL, C.IN, C.CATEGORY)
_BACKREFS = (C.GROUPREF, C.GROUPREF_EXISTS)


def uses_backrefs(node: object) -> bool:
    """Whether a parse (sub)tree holds a back reference or a group conditional."""
    if isinstance(node, tuple) and len(node) == 2 and any(node[0] is op for op in _BACKREFS):
        return True
    if isinstance(node, (list, tuple, _parser.SubPattern)):
        return any(uses_backrefs(x) for x in node)
    return False


def _one_char(op: object, av: object) -> tuple:
    """A single-character item as one the engine can use as a first-character set."""
    return (C.IN, [(op, av)]) if op is C.CATEGORY else (op, av)


def _unrolled(items: list) -> list:
    """``items`` with a leading ``\\d``-like category or single-character repeat (at least once) unrolled."""
    op, av = items[0]
    if op is C.CATEGORY:
        return [_one_char(op, av), *items[1:]]
    if op in (C.MAX_REPEAT, C.MIN_REPEAT):
        lo, hi, sub = av  # type: ignore[misc]
        body = list(sub)
        if lo >= 1 and len(body) == 1 and body[0][0] in _ONE_CHAR:
            more = hi if hi == C.MAXREPEAT else hi - 1
            tail = [(op, (lo - 1, more, sub))] if more else []
            return [_one_char(*body[0]), *tail, *items[1:]]
    return items


def _literal_first(state: _parser.State, items: list) -> list:
    """``(?<!x)(?<=y)c...`` as ``c(?<!xc)(?<=yc)...``: a literal first, so the engine can scan for it.

    A lookbehind is fixed-width and looks at the same characters either way: ``x`` ends where ``c`` starts
    exactly when ``xc`` ends right after the ``c`` just matched, so the matches do not change."""
    k = 0
    while k < len(items) and items[k][0] in (C.ASSERT, C.ASSERT_NOT) and items[k][1][0] < 0:
        k += 1
    if k == 0 or k == len(items) or items[k][0] is not C.LITERAL:
        return items
    literal = items[k]
    moved = [(op, (direction, _parser.SubPattern(state, [*sub, literal]))) for op, (direction, sub) in items[:k]]
    return [literal, *moved, *items[k + 1 :]]


def hoist_lookbehinds(state: _parser.State, items: list) -> list:
    r"""``items`` with lookbehinds in front of a first literal moved after it (:func:`_literal_first`), also in
    each alternative of a leading branch: ``(?:but|(?<!by\s)then|so)`` then starts with a character set."""
    if items and items[0][0] is C.BRANCH:
        unused, alternatives = items[0][1]
        hoisted = [_parser.SubPattern(state, _literal_first(state, list(alt))) for alt in alternatives]
        return [(C.BRANCH, (unused, hoisted)), *items[1:]]
    return _literal_first(state, items)


def _compiled(state: _parser.State, items: list) -> re.Pattern[str]:
    return _compiler.compile(_parser.SubPattern(state, items), 0)


def _has_fast_path(state: _parser.State, items: list) -> bool:
    sub = _parser.SubPattern(state, items)
    return bool(_compiler._get_literal_prefix(sub, 0)[0] or _compiler._get_charset_prefix(sub, 0))


def split_rule(source: str) -> tuple[re.Pattern[str] | None, re.Pattern[str]] | None:
    """(guard or None, scan) for a rule that gains a first-character fast path this way, else None."""
    parsed = _parser.parse(source, 0)
    items = list(parsed)
    if not items or _has_fast_path(parsed.state, items) or uses_backrefs(items):
        return None
    return _split_items(parsed.state, items)


def _split_items(state: _parser.State, items: list) -> tuple[re.Pattern[str] | None, re.Pattern[str]] | None:
    """:func:`split_rule` on a parsed sequence (one that already has a fast path is its own scan)."""
    if items and _has_fast_path(state, items):
        return None, _compiled(state, items)
    lead = next((k for k, (op, _) in enumerate(items) if op not in _ZERO_WIDTH), len(items))
    rest = items[lead:]
    if not rest or _parser.SubPattern(state, rest).getwidth()[0] == 0:
        return None  # an empty match would need finditer's own rules for empty matches
    rest = hoist_lookbehinds(state, _unrolled(rest))
    if not _has_fast_path(state, rest):
        return None
    guard = _compiled(state, items[:lead]) if lead else None
    return guard, _compiled(state, rest)


_MAX_ALTERNATIVES = 8  # scans a rule may be split into


def _alternatives(state: _parser.State, items: list) -> list[list]:
    """``items`` as alternatives in the order the engine tries them: its first item after the leading assertions
    expanded when that is a branch (``G(?:A|B)R`` is ``GAR|GBR``) or an optional repeat of a non-empty body
    (``GX{0,n}R`` is ``GXX{0,n-1}R|GR``, lazy: the other way round); else ``[items]``."""
    lead = next((k for k, (op, _) in enumerate(items) if op not in _ZERO_WIDTH), len(items))
    if lead == len(items):
        return [items]
    guard, (op, av), rest = items[:lead], items[lead], items[lead + 1 :]
    if op is C.BRANCH:
        return [[*guard, *alt, *rest] for alt in av[1]]  # type: ignore[index]
    if op in (C.MAX_REPEAT, C.MIN_REPEAT):
        lo, hi, sub = av  # type: ignore[misc]
        if lo == 0 and hi >= 1 and sub.getwidth()[0] > 0:
            more = [] if hi == 1 else [(op, (0, hi if hi == C.MAXREPEAT else hi - 1, sub))]
            taken, skipped = [*guard, *sub, *more, *rest], [*guard, *rest]
            return [taken, skipped] if op is C.MAX_REPEAT else [skipped, taken]
    return [items]


Scan = tuple[re.Pattern[str] | None, re.Pattern[str]]  # (guard or None, scan)


def _expand(state: _parser.State, items: list, depth: int) -> list[Scan] | None:
    split = _split_items(state, items)
    if split is not None:
        return [split]
    alternatives = _alternatives(state, items) if depth else [items]
    if len(alternatives) == 1:
        return None
    out: list[Scan] = []
    for alt in alternatives:
        expanded = _expand(state, alt, depth - 1)
        if expanded is None or len(out) + len(expanded) > _MAX_ALTERNATIVES:
            return None
        out += expanded
    return out


def alternative_scans(source: str) -> list[Scan] | None:
    """For a rule with no fast path even when split: (guard, scan) pairs, each with a fast path, whose
    alternation, in order, is the rule (:func:`_alternatives`, applied up to four levels deep), else None.

    ``(?:[:=|-][,\\s]*|\\b)(?:no|none)`` becomes ``[:=|-][,\\s]*(?:no|none)`` and ``\\b(?:no|none)``; the
    rule's ``finditer`` is then the alternation's, which :func:`leftmost_first` reproduces from the scans."""
    parsed = _parser.parse(source, 0)
    items = list(parsed)
    if not items or _has_fast_path(parsed.state, items) or uses_backrefs(items):
        return None
    if _parser.SubPattern(parsed.state, items).getwidth()[0] == 0:
        return None
    found = _expand(parsed.state, items, 4)
    return found if found is not None and len(found) > 1 else None


def leftmost_first(
    finditers: list[Callable[[int], Iterator[re.Match[str]]]], pos: int = 0
) -> Iterator[re.Match[str]]:
    """``finditer`` of the alternation of several patterns, from each one's own ``finditer(pos)``.

    The alternation takes, from its resume point, the leftmost position where any alternative matches and
    there the first one in order, then resumes at that match's end: here the leftmost next match (first
    pattern on ties) is taken, and only the patterns whose next match started before its end are re-scanned
    from there. A pattern matches at a position the same way alone or as an alternative as long as none can
    match the empty string (finditer's rules for empty matches differ) or refers to a group by number."""
    scans = [f(pos) for f in finditers]
    heads = [next(it, None) for it in scans]
    while True:
        best = -1
        for i, m in enumerate(heads):
            if m is not None and (best < 0 or m.start() < heads[best].start()):  # type: ignore[union-attr]
                best = i
        if best < 0:
            return
        m = heads[best]
        yield m  # type: ignore[misc]
        end = m.end()  # type: ignore[union-attr]
        heads[best] = next(scans[best], None)
        for i, h in enumerate(heads):
            if h is not None and h.start() < end:  # overlapped by the match taken: resume at its end
                scans[i] = finditers[i](end)
                heads[i] = next(scans[i], None)


def guarded_finditer(
    target: str, guard: Callable[[str, int], object], search: Callable[[str, int], re.Match[str] | None],
    pos: int = 0,
) -> Iterator[re.Match[str]]:
    """``finditer`` of ``<guard><scan>`` from the scan's ``search`` and the guard's ``match``.

    The leftmost match is the leftmost position where the scan matches and the guard holds; a rejected
    candidate resumes the scan one character later, as the engine would. Scan matches are never empty."""
    while (m := search(target, pos)) is not None:
        start = m.start()
        if guard(target, start) is None:
            pos = start + 1
            continue
        yield m
        pos = m.end()
