"""Cheap necessary conditions for regex matches: the literal words a match must contain.

Some text rules scan the whole paragraph (``^.*\\bunlock\\s+…``, ``^(?=.*\\bdonate…)``) and cost
tens of microseconds a paragraph. A paragraph that holds none of the words any match needs can
skip the regex: :func:`may_match` says so from a substring search, and is never wrong the other
way (it derives the words from the pattern itself, so an edited rule keeps its own filter).
"""

from __future__ import annotations

import re
from re import _constants as sre  # private modules, stable since Python 3.11
from re import _parser as sre_parse
from typing import NamedTuple

#: A set of literals, each with whether it is matched ignoring case.
Factors = frozenset[tuple[str, bool]]
#: Characters that ``re.IGNORECASE`` matches to an ASCII letter but ``str.lower`` does not map to
#: it (found by trying every code point): where one occurs, the filter is not used.
_FOLD_EXCEPTIONS = re.compile("[\u0130\u0131\u017f]")
#: More alternatives than this make the filter cost more than the regex it saves.
MAX_FACTORS = 12
_REPEATS = (sre.MAX_REPEAT, sre.MIN_REPEAT, sre.POSSESSIVE_REPEAT)
#: A repeat of any character at least this long at the start makes a pattern scan the text.
_SCAN_MIN = 20


def _better(a: Factors | None, b: Factors | None) -> Factors | None:
    """The more selective of two required sets (longest shortest literal, then fewest)."""
    if not b:
        return a
    if not a:
        return b
    key = lambda f: (min(len(s) for s, _ in f), -len(f))  # noqa: E731
    return b if key(b) > key(a) else a


def _required(items: list, ignore_case: bool) -> Factors | None:
    """A set of literals of which any text matching the sequence ``items`` contains one."""
    best: Factors | None = None
    run: list[str] = []

    def flush() -> None:
        nonlocal best
        if run:
            best = _better(best, frozenset({("".join(run), ignore_case)}))
            run.clear()

    for op, av in items:
        if op is sre.LITERAL and (not ignore_case or av < 128):
            run.append(chr(av).lower() if ignore_case else chr(av))
            continue
        flush()
        if op is sre.SUBPATTERN:
            _group, add, remove, sub = av
            ic = (ignore_case or bool(add & re.I)) and not remove & re.I
            best = _better(best, _required(list(sub), ic))
        elif op is sre.BRANCH:
            alts = [_required(list(alt), ignore_case) for alt in av[1]]
            if all(alts):
                best = _better(best, frozenset().union(*alts))
        elif op in _REPEATS and av[0] >= 1:
            best = _better(best, _required(list(av[2]), ignore_case))
        elif op is sre.ASSERT or op is sre.ATOMIC_GROUP:
            # a lookahead/lookbehind that must hold matches text somewhere, so it needs its words
            best = _better(best, _required(list(av[1] if op is sre.ASSERT else av), ignore_case))
    flush()
    return best


def _scans(items: list) -> bool:
    """Whether a match starts by running over any text (``^.*``, ``^(?=.*``, ``^[^.!?]{1,120}``):
    such a regex costs time on every paragraph; one that needs its words first fails fast."""
    for op, av in items:
        if op is sre.AT:
            continue
        if op is sre.ASSERT:
            return _scans(list(av[1]))
        if op in _REPEATS and av[1] >= _SCAN_MIN:
            sub = list(av[2])
            return len(sub) == 1 and (sub[0][0] is sre.ANY or (
                sub[0][0] is sre.IN and sub[0][1][:1] == [(sre.NEGATE, None)]))
        return False
    return False


def required_factors(pattern: re.Pattern[str]) -> Factors | None:
    """Literals of which every match of ``pattern`` contains one (``None``: no useful set)."""
    try:
        parsed = sre_parse.parse(pattern.pattern, pattern.flags)
        found = _required(list(parsed), bool(pattern.flags & re.I))
    except Exception:  # an unexpected parse shape: no filter, the regex decides
        return None
    return found if found and len(found) <= MAX_FACTORS else None


class Prefilter(NamedTuple):
    """A search for the literals one of which a pattern's every match contains."""

    literals: re.Pattern[str]
    #: Search the lower-cased text (the literals are matched ignoring case).
    lowered: bool


def prefilter(pattern: re.Pattern[str]) -> Prefilter | None:
    """The :class:`Prefilter` of a pattern that scans the text (``None`` for others, and when
    no useful set of literals is found)."""
    try:
        scans = _scans(list(sre_parse.parse(pattern.pattern, pattern.flags)))
    except Exception:  # an unexpected parse shape: no filter, the regex decides
        return None
    factors = required_factors(pattern) if scans else None
    if factors is None or len({ic for _, ic in factors}) > 1:
        return None
    lowered = next(iter(factors))[1]
    alternatives = sorted((s for s, _ in factors), key=lambda s: (-len(s), s))
    return Prefilter(re.compile("|".join(map(re.escape, alternatives))), lowered)


def may_match(flt: Prefilter | None, text: str, lowered: str) -> bool:
    """False only when no match of the filtered pattern can be in ``text`` (``lowered``: its
    lower case, or ``""`` when a character of ``text`` folds unlike ``str.lower``:
    :func:`folds_plainly`)."""
    if flt is None:
        return True
    if flt.lowered:
        return not lowered or flt.literals.search(lowered) is not None
    return flt.literals.search(text) is not None


def folds_plainly(text: str) -> bool:
    """True when ``re.IGNORECASE`` matches ASCII letters in ``text`` as ``text.lower()`` shows."""
    return _FOLD_EXCEPTIONS.search(text) is None
