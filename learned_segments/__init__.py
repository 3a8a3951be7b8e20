"""What the archive and the cleaners must agree on about learned boilerplate, and nothing else.

:mod:`storage.boilerplate` counts a site's repeated paragraphs in this normalised form, and
:mod:`crawler.cleaning.learned` matches new paragraphs against the counted ones in the same form;
the removals it makes are recorded under :func:`learned_rule`, which storage looks up to keep a
removed segment learned. One function each, so the two sides can never drift apart.

It is a top-level package of its own, standard library only, because of who imports it:
``storage`` must not import Scrapy (so not the ``crawler`` package, a Scrapy project), and
``crawler.cleaning`` must not import ``storage`` (cleaning is a function of the page and the data
handed to it). Keep it free of any import from either.
"""

from __future__ import annotations

import re
import unicodedata

#: Rule name of the removals made with learned boilerplate is ``LEARNED_RULE_PREFIX + site``.
LEARNED_RULE_PREFIX = "learned:"

_SPACE = re.compile(r"\s+")
_TYPOGRAPHY = str.maketrans({
    "\u2018": "'", "\u2019": "'", "\u201a": "'", "\u201b": "'", "\u2032": "'",
    "\u201c": '"', "\u201d": '"', "\u201e": '"', "\u201f": '"', "\u2033": '"',
    "\u2010": "-", "\u2011": "-", "\u2012": "-", "\u2013": "-", "\u2014": "-", "\u2212": "-",
    "\u00a0": " ", "\u200b": "", "\u200c": "", "\u200d": "", "\ufeff": "",
})


def normalize_segment(text: str) -> str:
    """The form two copies of one paragraph share: NFKC, plain quotes and dashes, casefolded,
    whitespace collapsed.

    Digits are kept: numbers tell real paragraphs apart (scores, ranks, dates, "Step 2"), and
    boilerplate that carries one (a copyright year) is still the same text within the
    newest-articles window that is counted.
    """
    text = unicodedata.normalize("NFKC", text).translate(_TYPOGRAPHY).casefold()
    return _SPACE.sub(" ", text).strip()


def learned_rule(site: str) -> str:
    """The rule name recorded for a removal by the learned boilerplate of ``site``."""
    return f"{LEARNED_RULE_PREFIX}{site}"


__all__ = ["LEARNED_RULE_PREFIX", "learned_rule", "normalize_segment"]
