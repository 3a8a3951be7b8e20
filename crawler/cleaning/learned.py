"""Learned boilerplate: paragraphs that the archive shows repeating across a site's articles.

Newsletter prompts, share rows and standard disclaimers that no rule names yet are found in
the archive itself (:func:`storage.boilerplate.frequent_paragraphs`) and removed from new
articles of the same site after the text rules, each removal recorded as
``("learned:<site>", text)`` like any other rule. ``scrapy archive junk --site SLUG`` lists
them for review; a segment worth keeping for good becomes a site rule.

Pure like the rest of cleaning: the callers read a site's segments from the archive
(:mod:`crawler.learned_archive`) and hand them in as normalised strings; nothing here reads or
imports ``storage``. Both sides normalise with :func:`learned_segments.normalize_segment`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from learned_segments import learned_rule, normalize_segment

if TYPE_CHECKING:
    from crawler.items import ArticleItem

#: A paragraph longer than this is never removed as learned boilerplate.
MAX_WORDS = 60
#: At most this share of an article's paragraphs (but one at least) may be learned boilerplate.
MAX_SHARE = 0.3


@dataclass(frozen=True)
class LearnedBoilerplate:
    """The learned boilerplate of one site: a frozen set of normalised paragraphs.

    Guards, so that a repeated segment never eats real text:

    - never a paragraph of more than :data:`MAX_WORDS` words: boilerplate is a line or two,
      while long repeats are syndicated copies, corrections or quoted passages that a person
      should judge (``archive junk`` lists them as suspected);
    - never the first paragraph: it is the lede, the costliest to lose, and site furniture at
      the top of a body is the DOM rules' business;
    - never more than :data:`MAX_SHARE` of the paragraphs (but one at least, so a short item
      still loses its one prompt). An article that matches more is itself a copy or a template
      (a re-post, a live-blog update) and nothing is removed from it: partial removal would
      be arbitrary;
    - only exact matches after normalisation (case, spacing, typographic quotes and dashes);
      a paragraph that merely contains a learned segment is kept.
    """

    site: str
    segments: frozenset[str] = field(default_factory=frozenset)

    @classmethod
    def from_segments(cls, site: str, segments: Iterable[str]) -> LearnedBoilerplate:
        """The set of a site's frequent paragraphs, given in normalised form
        (:func:`~learned_segments.normalize_segment`), keeping those short enough to remove."""
        return cls(site, frozenset(s for s in segments if len(s.split()) <= MAX_WORDS))

    @property
    def rule(self) -> str:
        """The rule name recorded with each removal."""
        return learned_rule(self.site)

    def __len__(self) -> int:
        return len(self.segments)

    def matches(self, paragraph: str) -> bool:
        """Whether ``paragraph`` is one of the learned segments and short enough to remove."""
        return len(paragraph.split()) <= MAX_WORDS and normalize_segment(paragraph) in self.segments

    def apply(self, item: ArticleItem) -> None:
        """Remove the learned segments from ``item.body`` (within the guards above), recording
        each as ``(self.rule, text)`` in ``item.removed``. Items of another site are untouched."""
        if not self.segments or item.site != self.site or len(item.body) < 2:
            return
        hits = [i for i, p in enumerate(item.body) if i > 0 and self.matches(p)]
        if not hits or len(hits) > max(1, int(len(item.body) * MAX_SHARE)):
            return
        drop = set(hits)
        item.removed.extend((self.rule, item.body[i]) for i in hits)
        item.body = [p for i, p in enumerate(item.body) if i not in drop]


class LearnedLibrary:
    """The learned boilerplate of each site, loaded on first use and kept for the run.

    ``load(site)`` gives the frequent paragraphs of a site in normalised form, as the caller
    reads them from its archive (:func:`crawler.learned_archive.learned_library`). A set stays
    the same for the whole crawl, so every article of a run is cleaned alike.
    """

    def __init__(self, load: Callable[[str], Iterable[str]]) -> None:
        self._load = load
        self._sets: dict[str, LearnedBoilerplate] = {}

    def for_site(self, site: str | None) -> LearnedBoilerplate | None:
        """The set of ``site`` (``None`` for an item of no known site)."""
        if site is None:
            return None
        if site not in self._sets:
            self._sets[site] = LearnedBoilerplate.from_segments(site, self._load(site))
        return self._sets[site]
