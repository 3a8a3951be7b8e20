"""``ArticlePage``: one method per field, each returning ``(value, source)``.

Web-poet style: a site's ``page_class`` subclasses :class:`ArticlePage` and overrides single
fields; everything else stays generic. Sources are "site", "jsonld", "opengraph", "meta", "html",
"url", "htmldate" and "trafilatura".
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from copy import deepcopy
from functools import cached_property
from itertools import islice
from typing import TYPE_CHECKING, Any
from urllib.parse import urljoin, urlsplit

from lxml import etree
from lxml.html import HtmlElement

from crawler.extraction import authors as authors_mod
from crawler.extraction import bylines, datelines, dates, site_checks, structured, titles
from crawler.extraction.body_finder import MIN_GOOD, BodyCandidate, find_body
from crawler.extraction.confidence import BodyEvidence
from crawler.extraction.titles import clean_title

if TYPE_CHECKING:
    from crawler.sites.base import Site

Field = tuple[Any, str | None]
NONE: Field = (None, None)

#: A page note (``field_sources["document"]``): a JSON-LD script of the page could not be read.
UNREADABLE_JSONLD = "unreadable JSON-LD"
_PUBLISHED_META = (
    ("article:published_time", "opengraph"), ("og:article:published_time", "opengraph"),
    ("article:published", "opengraph"), ("og:published_time", "opengraph"),
    ("datepublished", "meta"), ("parsely-pub-date", "meta"),
    ("sailthru.date", "meta"), ("pubdate", "meta"), ("publishdate", "meta"),
    ("publish-date", "meta"), ("publish_date", "meta"), ("article.published", "meta"),
    ("article_date_original", "meta"), ("original-publish-date", "meta"), ("dc.date.issued", "meta"),
    ("dcterms.created", "meta"), ("dcterms.issued", "meta"), ("dc.date", "meta"),
    ("cxenseparse:recs:publishtime", "meta"), ("date", "meta"), ("og:pubdate", "opengraph"),
    ("releasedate", "meta"), ("live_date", "meta"),
    # Highwire Press tags (Google Scholar): journals, university and personal sites.
    ("citation_publication_date", "meta"), ("citation_date", "meta"),
)
_MODIFIED_META = (
    ("article:modified_time", "opengraph"), ("og:updated_time", "opengraph"),
    ("og:modified_time", "opengraph"),
    ("datemodified", "meta"), ("last-modified", "meta"), ("dcterms.modified", "meta"),
    ("article.updated", "meta"), ("sailthru.lastmodified", "meta"),
)
_AUTHOR_META = ("author", "parsely-author", "sailthru.author", "article:author", "dc.creator",
                "byl", "cxenseparse:author", "twitter:creator")
_AUTHOR_LABEL = re.compile(r"^(?:written|posted|published|interview|words|text|review)?\s*by$|"
                           r"^(?:author|authors|autor|autorin|auteur|von|geschrieben von)$", re.I)
#: A person's name as printed: two to four capitalised words ("Mohloai Mpesi", "Jean-Luc O'Neil").
_NAME_SHAPE = re.compile(r"^[A-ZÀ-Þ][\w'’.-]+(?: (?:[A-ZÀ-Þ][\w'’.-]+|van|von|de|der|da|di|du|la|le)){1,3}$")
_DATE_CLASS_XPATH = (
    "//body//*[@class and (contains(@class, 'date') or contains(@class, 'Date')"
    " or contains(@class, 'DATE') or contains(@class, 'datum') or contains(@class, 'Datum')"
    " or contains(@class, 'posted') or contains(@class, 'Posted'))]"
)
_TIME_XPATH = "//body//time"
#: schema.org page types whose ``datePublished`` is the page's own (Yoast writes the date there
#: when it writes no Article).
_PAGE_TYPES = frozenset({"webpage", "itempage", "medicalwebpage"})
_COMMENTS = re.compile(r"comment(?!ary)|(?:^|[\s_-])(?:respond|repl(?:y|ies))(?:$|[\s_-])|disqus", re.I)
_DEK_CLASSES = re.compile(
    r"(?:^|[\s_-])(?:dek|standfirst|sub-?head(?:line|ing)?|sub-?title|strap(?:line)?|"
    r"article-summary|summary|excerpt|lede|intro)(?:$|[\s_-])",
    re.I,
)
_TAG = re.compile(r"<[^>]{1,200}>")
#: Classes of boxes that are never the standfirst even when a dek class matches.
_NOT_DEK = re.compile(r"author|bio|byline|profile|nav|menu|rundown|related|promo|newsletter", re.I)
#: Heading content that ``text_content()`` gets wrong: line breaks and script/style text.
_HEADING_ODD = "boolean(.//br | .//script | .//style | .//noscript | .//template)"
_HEADING_TEXT = (".//text()[not(ancestor::script or ancestor::style or ancestor::noscript"
                 " or ancestor::template)] | .//br")
_REVIEW_TYPES = frozenset({"review", "criticreview", "reviewnewsarticle"})
_WORD = re.compile(r"[a-z0-9]+")


def _first(values: list[str] | None) -> str | None:
    return values[0] if values else None


class ArticlePage:
    """Field extraction for one parsed page. Override single methods in a site's ``page_class``."""

    def __init__(self, root: HtmlElement, url: str, site: type[Site] | None = None,
                 headers: dict[str, str] | None = None) -> None:
        self.root = root
        self.url = url
        self.site = site
        self.headers = headers or {}
        #: The encoding the bytes were read with and how it was chosen (see ``decoding.Decoded``).
        self.encoding: str | None = None
        self.encoding_source = "text"
        #: What was wrong with the page's markup and left out (``extraction.CUT_SHORT``,
        #: ``TOO_DEEP``, ``CONTROLS``); see ``document_notes``.
        self.notes: list[str] = []
        #: Site-rule values found implausible and replaced by the generic ones: field → why.
        self.rejected: dict[str, str] = {}
        #: How the text was parsed (see ``parsing.Parsed``).
        self.parser = "lxml"  # or parsing.REPARSED

    # -- shared lookups -------------------------------------------------------------------
    @cached_property
    def meta(self) -> dict[str, list[str]]:
        """``<meta>`` contents by lower-cased name/property/itemprop."""
        return structured.meta_tags(self.root)

    @cached_property
    def jsonld(self) -> list[dict[str, Any]]:
        """Every typed JSON-LD object of the page."""
        return self._jsonld[0]

    @cached_property
    def _jsonld(self) -> tuple[list[dict[str, Any]], int]:
        return structured.read_jsonld(self.root)

    def document_notes(self) -> list[str]:
        """What was wrong with the page and left out: ``notes`` and, when one of its JSON-LD
        scripts could not be read, ``UNREADABLE_JSONLD``."""
        return [*self.notes, *([UNREADABLE_JSONLD] if self._jsonld[1] else [])]

    @cached_property
    def article_ld(self) -> dict[str, Any]:
        """The JSON-LD object describing the article (empty dict when none)."""
        urls = {self.url}
        canonical = self._canonical_raw()
        if canonical:
            urls.add(canonical)
        return structured.article_object(self.jsonld, urls) or {}

    def _canonical_raw(self) -> str | None:
        for link in self.root.iter("link"):
            if "canonical" in (link.get("rel") or "").lower().split() and link.get("href"):
                return urljoin(self.url, link.get("href").strip())
        return None

    @cached_property
    def site_names(self) -> tuple[str, ...]:
        """Names of the publication (site module, og:site_name, JSON-LD publisher)."""
        names = [self.site.name] if self.site is not None and getattr(self.site, "name", None) else []
        names += self.meta.get("og:site_name", [])[:1] + self.meta.get("application-name", [])[:1]
        pub = structured.text_of(self.article_ld.get("publisher"))
        if pub:
            names.append(pub)
        return tuple(names)

    @cached_property
    def site_keys(self) -> frozenset[str]:
        """The site's names (``site_names`` and the text of a logo h1) and host words, reduced
        for comparison (see ``titles.site_keys``)."""
        return titles.site_keys(self.url, self.site_names + self._h1_texts[1])

    @cached_property
    def _h1_texts(self) -> tuple[list[str], tuple[str, ...]]:
        """(headline h1 texts, logo h1 texts): a logo is an h1 whose text is one link to the
        home page."""
        out: list[str] = []
        logos: list[str] = []
        for h in self.root.iter("h1"):
            text = _heading_text(h)
            if not text:
                continue
            if _is_home_link(h, text):
                logos.append(text)
                continue
            if titles.has_separator(text):  # "Headline – Site" in the h1 itself
                text = clean_title(text, self.url, self.site_names) or text
            out.append(text)
            if len(out) >= 8:
                break
        return out, tuple(logos)

    @property
    def h1s(self) -> list[str]:
        """The texts of the page's ``<h1>`` elements (first 8; empty ones and logos left out).
        A ``<br>`` counts as a space."""
        return self._h1_texts[0]

    @cached_property
    def h1(self) -> str | None:
        """The text of the headline ``<h1>``: the one that agrees with a metadata title (pages
        have logo, "Log In" or section-name h1s too), else one that a metadata title starts with
        ("Headline, December 2025"), else the first of headline length. An h1 that is the site's
        name is never the headline."""
        heads = [t for t in self.h1s if not self.is_site_name(t)]
        metas = [titles.title_key(t) for t in self._meta_titles if t]
        keys = set(metas)
        keys.discard("")
        for text in heads:
            if titles.title_key(text) in keys:
                return text
        for text in heads:
            key = titles.title_key(text)
            if len(key) >= 15 and any(m.startswith(key) for m in metas):
                return text
        for text in heads:
            if len(text) >= 8:
                return text
        return None

    @cached_property
    def _meta_titles(self) -> tuple[str | None, str | None, str | None, str | None]:
        """JSON-LD headline, og:title, twitter:title and ``<title>``, as plain text (entities
        decoded, tags dropped), site-name segments cut."""
        shown = tuple(self.h1s)
        raw = [titles.plain_text(r, shown) for r in (
            structured.text_of(self.article_ld.get("headline")), _first(self.meta.get("og:title")),
            _first(self.meta.get("twitter:title")), self._doc_title)]
        known = (*shown, raw[0])
        # a metadata title that is the <title>'s suffix alone is the site's name: cut it there too
        names = self.site_names + tuple(r for r in raw[:3] if r and self._title_suffix_key
                                        and titles.title_key(r) == self._title_suffix_key)
        return tuple(clean_title(r, self.url, names, known) for r in raw)  # type: ignore[return-value]

    @cached_property
    def _doc_title(self) -> str | None:
        return self.root.findtext(".//title")

    @cached_property
    def _title_suffix_key(self) -> str:
        suffix = titles.suffix_name(self._doc_title)
        return titles.title_key(suffix) if suffix else ""

    def is_site_name(self, text: str | None) -> bool:
        """True when ``text`` is the site's name alone (site module, og:site_name, publisher,
        host, or the suffix of the ``<title>``, "Headline | Site"): never a headline."""
        if not text:
            return False
        if titles.names_site(text, self.site_keys):
            return True
        return bool(self._title_suffix_key) and titles.title_key(text) == self._title_suffix_key

    @cached_property
    def body_candidate(self) -> BodyCandidate | None:
        """The generic body finder's choice (computed once per page)."""
        return find_body(self.root)

    def body_evidence(self) -> BodyEvidence:
        """What the page says about its article text, for :mod:`~crawler.extraction.confidence`:
        the prose the body finder counted in its block (when that block is the body) and the
        JSON-LD ``articleBody``."""
        _el, source = self.body
        cand = self.body_candidate
        reference = self.article_ld.get("articleBody") if self.article_ld else None
        own = cand is not None and source == "html"
        return BodyEvidence(
            block_chars=cand.good_chars if own else 0,
            reference=structured.unescape(reference) if isinstance(reference, str) else None,
            block=cand.element if own else None)

    @cached_property
    def body(self) -> tuple[HtmlElement | None, str | None]:
        """The body element of the real page (not a copy) and its source."""
        sel = getattr(self.site, "body_selector", None) if self.site is not None else None
        cand = self.body_candidate
        if sel:
            found = self.root.cssselect(sel)
            if found:
                site_chars = len(" ".join(found[0].text_content().split()))
                problem = site_checks.body_problem(site_chars, cand.good_chars if cand else 0)
                if problem is None:
                    return found[0], "site"
                self.rejected["container"] = problem
        if cand is not None and cand.good_chars >= MIN_GOOD:
            return cand.element, "html"
        return None, None

    # -- fields -----------------------------------------------------------------------------
    def title(self) -> Field:
        """Headline: JSON-LD headline, og:title, twitter:title, the ``<h1>``, then ``<title>``;
        as plain text (entities decoded, tags dropped), site-name segments cut, and never the
        site's name alone or longer than ``titles.MAX_TITLE_CHARS`` (that candidate is passed
        over).

        The visible ``<h1>`` settles a disagreement: when og:title and the JSON-LD headline
        differ and only og:title is the h1's text (up to spacing and case), the JSON-LD one is an
        SEO variant and the h1 is the headline. (An og:title that is only an ASCII copy of the h1
        is no such evidence: publishers that do that put the headline in JSON-LD.)
        """
        ld, og, tw, doc = self._meta_titles
        h1 = self.h1
        same = titles.same_text
        if ld and og and h1 and same(og, h1) and not same(ld, h1):
            return h1, "html"
        for value, source in ((ld, "jsonld"), (og, "opengraph"), (tw, "meta"), (h1, "html"),
                              (doc, "html")):
            if value and 3 <= len(value) <= titles.MAX_TITLE_CHARS and not self.is_site_name(value):
                return titles.untruncate(value, (h1, ld, og, tw, doc)), source
        return NONE

    def authors(self) -> Field:
        """Author names: JSON-LD author, author meta tags, a "Written by" twitter label, the
        byline markup, a byline the reader sees ("By …", "Written by …"), then a signature.

        A name that is the publication's own (publisher, og:site_name, host), or a desk credit
        in the page text ("By the Gear Team"), names no person: the next source is tried, and
        such a name is the answer only when no source names a person. A name printed in one
        case only ("JANE DOE") takes the mixed-case spelling the page gives it elsewhere.
        """
        own: tuple[list[str], str] | None = None
        for names, source in self._author_sources():
            people = self._people(names, desks=source != "html")
            if people:
                return self._mixed_case(people), source
            if names and own is None:
                own = (names, source)
        if own:  # the publication itself (or its desk) is the only author the page names
            return authors_mod.dedupe(own[0]), own[1]
        return NONE

    def _author_sources(self) -> Iterator[tuple[list[str], str]]:
        """The names of each author source in order of trust, computed only when asked for."""
        yield from self._metadata_authors
        yield self._byline_names(), "html"
        yield self._signature_names(), "html"

    @cached_property
    def _metadata_authors(self) -> list[tuple[list[str], str]]:
        """The names of the JSON-LD author, of each author ``<meta>`` and of a "Written by"
        twitter label, with their sources."""
        found: list[tuple[list[str], str]] = []
        ld = self.article_ld.get("author") or self.article_ld.get("creator")
        if ld:
            items = [self._resolve(a) for a in (ld if isinstance(ld, list) else [ld])]
            names: list[str] = []
            for a in items:
                if isinstance(a, dict):
                    raw = structured.text_of(a.get("name"))
                    if raw and "organization" in structured.types_of(a):
                        if len(items) == 1:  # "Morgan & Morgan": one name, not two
                            names += [n for n in [authors_mod.clean_name(raw, strict=False)] if n]
                        continue
                    names += authors_mod.split_names(raw, strict=False) if raw else []
                elif isinstance(a, str) and not a.startswith(("http://", "https://")):
                    names += authors_mod.split_names(a)
            found.append((names, "jsonld"))
        for key in _AUTHOR_META:
            vals = self.meta.get(key)
            if not vals:
                continue
            names = []
            for v in vals:
                if key == "twitter:creator" or v.startswith("@"):
                    continue
                parts = authors_mod.split_names(v, strict=False)
                if len(parts) > 1 and self._people(parts[:1]) == []:
                    parts = parts[:1]  # "hessenschau.de, Frankfurt, Germany": the rest is a place
                names += parts
            found.append((names, "opengraph" if key.startswith("article:") else "meta"))
        found.append((self._labelled_authors(), "meta"))
        return found

    def _mixed_case(self, people: list[str]) -> list[str]:
        """``people`` with a name printed in one case only ("JANE DOE", "jane doe") replaced by
        the same name in mixed case where the page gives one: in its metadata authors, or in its
        headline or description ("Deadline Big Media With David Lieberman"). The capitals of a
        visual byline are a style; the page's own spelling is the mixed-case one. Nothing is
        re-cased by rule: "McDONALD" cannot be rebuilt from capitals."""
        if not any(authors_mod.single_case(n) for n in people):
            return people
        others = [n for names, _source in self._metadata_authors for n in names]
        mixed = {n.casefold(): n for n in reversed(others) if not authors_mod.single_case(n)}
        texts = [t for t in (*self._meta_titles, *self.h1s[:2], _first(self.meta.get("og:description")),
                             _first(self.meta.get("description"))) if t]
        out = []
        for name in people:
            if authors_mod.single_case(name):
                found = mixed.get(name.casefold()) or next(
                    (m[0] for t in texts for m in [re.search(rf"\b{re.escape(name)}\b", t, re.I)]
                     if m and not authors_mod.single_case(m[0])), None)
                name = found or name
            out.append(name)
        return out

    def _signature_names(self) -> list[str]:
        """Names in a bold-only paragraph opening or closing the article body
        ("<p><strong>Mohloai Mpesi</strong></p>"): a byline where the page has no other.

        When the body is a single paragraph, its box is searched (the signature is the paragraph
        after it: "<p>…text…</p><p><strong>Marina Mucha</strong></p>"). A bold label ("Also
        read:") or a bold link to another article is no signature.
        """
        el, _source = self.body
        if el is not None and el.tag == "p":
            el = el.getparent()
        if el is None:
            return []
        paras = [p for p in el.iter("p") if p.text_content().strip()]
        for p in paras[:4] + paras[-2:]:
            bold = [c for c in p if c.tag in ("strong", "b")]
            text = " ".join(p.text_content().split())
            if len(bold) != 1 or not 4 < len(text) < 80 or " ".join(
                    bold[0].text_content().split()) != text or text.endswith(":"):
                continue
            if any(not bylines.AUTHOR_HREF.search(a.get("href") or "") for a in bold[0].iter("a")):
                continue  # a bold link to another page: a related story, not the writer
            parts = [authors_mod.clean_name(x) for x in re.split(r"\s*/\s*|\s+(?:and|&|und)\s+", text)]
            if parts and all(x and _NAME_SHAPE.match(x) for x in parts):
                return [x for x in parts if x]
        return []

    def _labelled_authors(self) -> list[str]:
        """Names in a ``twitter:labelN``/``twitter:dataN`` pair labelled "Written by" (Yoast and
        other CMSs write one for link previews)."""
        for n in range(1, 5):
            label = _first(self.meta.get(f"twitter:label{n}"))
            if label and _AUTHOR_LABEL.match(label.strip()):
                data = _first(self.meta.get(f"twitter:data{n}"))
                return authors_mod.split_names(data, strict=False) if data else []
        return []

    @cached_property
    def _ld_ids(self) -> dict[str, dict[str, Any]]:
        return {o["@id"]: o for o in self.jsonld if isinstance(o.get("@id"), str)}

    def _resolve(self, value: Any) -> Any:
        """A JSON-LD ``{"@id": …}`` reference replaced by the object it names (in ``@graph``)."""
        if isinstance(value, dict) and "@id" in value and "name" not in value:
            return self._ld_ids.get(value["@id"], value)
        return value

    def _people(self, names: list[str], *, desks: bool = True) -> list[str]:
        """Names without duplicates and without the publication's own name (or one that opens
        with it: "Help Net Security Sponsored"); ``desks=False`` also drops desk credits ("Gear
        Team", "CNN Staff"): a byline in the page text is read for a person first."""
        own = {authors_mod.squash(n) for n in self.site_names}
        host = (urlsplit(self.url).hostname or "").removeprefix("www.")
        own.add(authors_mod.squash(host))
        own.add(authors_mod.squash(host.split(".")[0]))
        own.discard("")

        def is_own(name: str) -> bool:
            key = authors_mod.squash(name)
            return key in own or any(len(o) >= 5 and key.startswith(o) for o in own)

        return authors_mod.dedupe([n for n in names if not is_own(n)
                                   and (desks or not authors_mod.is_desk(n))])

    @cached_property
    def _headline_el(self) -> HtmlElement | None:
        """The headline element bylines are printed next to: the ``<h1>`` or ``<h2>`` whose
        text is a metadata title, else the ``<h1>`` of :attr:`h1` unless it is the site's name
        (a logo)."""
        keys = {titles.title_key(t) for t in self._meta_titles if t}
        keys.discard("")
        for n, h in enumerate(self.root.iter("h1", "h2")):
            if n >= 40:
                break
            if keys and titles.title_key(h.text_content()) in keys:
                return h
        own = {titles.title_key(n) for n in self.site_names}
        if self.h1 is None or titles.title_key(self.h1) in own:
            return None
        for h in self.root.iter("h1"):
            if " ".join(h.text_content().split()) == self.h1:
                return h
        return None

    def _byline_names(self) -> list[str]:
        """Names from the byline nearest the headline: byline markup (itemprop/rel=author, a
        class naming an author or a byline) or a byline a reader sees ("By Jane Doe").

        Where the candidates disagree, the one nearest the headline (in document order) wins:
        an author box at the end or a teaser's byline loses to the byline under the headline.
        """
        head = self._headline_el
        around: set[HtmlElement] = set(head.iterancestors()) if head is not None else set()
        markup, elements = self._markup_bylines(head, around)

        def with_markup(hits: list[tuple[HtmlElement, list[str]]]) -> list[tuple[HtmlElement, list[str]]]:
            # byline markup inside a visible line gives its names (a role in its own element
            # stays out), the label gives the line's extent (a reviewer's link on the next line)
            return [(line, authors_mod.dedupe([n for el, el_names in elements
                                               if line in el.iterancestors() for n in el_names])
                     or names) for line, names in hits]

        fallback: list[str] = []  # the nearest byline when it names only the site or a desk
        if head is not None:
            # a byline in the headline's box settles it; the body is not read then
            box = bylines.headline_box(head)
            near = [m for m in markup if box in m[0].iterancestors()]
            near += with_markup(self._visible_bylines(head, around, near_headline=True))
            if near:
                inside = all(box in el.iterancestors() for el, _names in near)
                ranked = bylines.by_distance(near, head, box if inside else self.root)
                person = next((names for _el, names in ranked if self._people(names, desks=False)), None)
                if person:
                    return person
                fallback = ranked[0][1]
        found = markup + with_markup(self._visible_bylines(head, around, near_headline=False))
        keys = {frozenset(authors_mod.squash(n) for n in names) for _el, names in found}
        if len(keys) > 1 and head is not None:
            found = bylines.by_distance(found, head, self.root)
        # a person's byline before a desk credit ("By Gear Team" … "Written by Jane Doe")
        person = next((names for _el, names in found if self._people(names, desks=False)), None)
        return person or fallback or (found[0][1] if found else [])

    def _markup_bylines(self, head: HtmlElement | None, around: set[HtmlElement]
                        ) -> tuple[list[tuple[HtmlElement, list[str]]], list[tuple[HtmlElement, list[str]]]]:
        """``(element, names)`` of each byline box in the markup (itemprop/rel=author or a class
        naming an author or a byline: "byline", "entry-author", "post-hero__author",
        "AuthorName"), and of each byline element read.

        Comment threads and related-story teasers are left out; of nested byline elements the
        innermost are read (the outer box adds roles and links: "Ben Silverman Games Editor");
        byline elements that share a box are one byline ("By <a>A</a> and <a>B</a>").
        """
        found_els = list(islice((el for el in bylines.FIND_BYLINES(self.root)
                                 if bylines.is_byline_markup(el) and not _in_comments(el)), 40))
        matched = set(found_els)
        outer: set[HtmlElement] = set()
        for el in found_els:
            for anc in el.iterancestors():
                if anc in matched:
                    outer.add(anc)
        groups: list[tuple[HtmlElement, list[str], set[HtmlElement]]] = []
        elements: list[tuple[HtmlElement, list[str]]] = []
        for el in [e for e in found_els if e not in outer][:12]:
            named = bylines.FIND_ITEMPROP_NAME(el)
            if named:  # schema.org microdata: a declared name, read as metadata is
                names = authors_mod.split_names(named[0].text_content(), strict=False)
            else:
                names = bylines.box_names(el)
            # byline markup may sit in an aside; a bare link to an author page must not
            strict = bylines.bare_author_link(el, matched)
            if not names or bylines.in_furniture(el, head, around, strict=strict) \
                    or bylines.other_credit_before(el):
                continue
            elements.append((el, names))
            group = next((g for g in groups if any(anc in g[2] for anc in el.iterancestors())), None)
            if group is not None:  # a job title or credentials in their own element: no author
                group[1].extend(n for n in names if not authors_mod.is_role(n)
                                and not authors_mod.is_credential(n))
            else:
                groups.append((el, list(names), set(list(el.iterancestors())[:3])))
        return [(el, authors_mod.dedupe(names)) for el, names, _box in groups], elements

    def _visible_bylines(self, head: HtmlElement | None, around: set[HtmlElement], *,
                         near_headline: bool) -> list[tuple[HtmlElement, list[str]]]:
        """``(line element, names)`` of each byline a reader sees after a label ("By Jane Doe",
        "Written by" + the name on the next line, "Posted by X on <day>", "Published <day> by
        X"): next to the headline (``near_headline``), else at either end of the article body
        (an author box).

        A label only counts at the start of a short line (a sentence's "by" is no byline), and
        never in comments, navigation, asides or related-story teasers. Only a few dozen text
        nodes are read, not the page.
        """
        texts: list[tuple[str, HtmlElement]] = []
        body, _source = self.body
        if near_headline:
            if head is not None:
                texts += islice(bylines.texts_beside(head), 30)
                texts += islice(bylines.texts_beside(head, backward=True), 10)
        elif body is not None:
            texts += islice(bylines.texts_beside(body, backward=True), 10)
            texts += islice(bylines.texts_in(body), 20)
            texts += islice(bylines.texts_in(body, backward=True), 40)
            texts += islice(bylines.texts_beside(body), 25)
        found: list[tuple[HtmlElement, list[str]]] = []
        seen: set[HtmlElement] = set()
        for text, box in texts:
            if len(text) > 200 or not bylines.LABEL_HINT.search(text):
                continue
            hit = bylines.names_after_label(text, box)
            if hit and hit[0] not in seen and not _in_comments(hit[0]) \
                    and not bylines.in_furniture(hit[0], head, around):
                seen.add(hit[0])
                found.append(hit)
        return found

    # -- dates ------------------------------------------------------------------------------
    def _structured_dates(self, ld_key: str, meta_keys: tuple[tuple[str, str], ...],
                          itemprop: str) -> Iterator[tuple[dates.Found, str]]:
        """The page's machine-readable dates of one kind, most trusted first: the JSON-LD
        article, meta tags, ``itemprop`` markup, then the JSON-LD WebPage of this URL."""
        found = dates.parse_when(structured.text_of(self.article_ld.get(ld_key)))
        if found:
            yield found, "jsonld"
        for key, source in meta_keys:
            for v in self.meta.get(key, ()):
                found = dates.parse_when(v)
                if found:
                    yield found, source
        for found in self._itemprop_dates.get(itemprop, ()):
            yield found, "html"
        for obj in self._page_objects:
            found = dates.parse_when(structured.text_of(obj.get(ld_key)))
            if found:
                yield found, "jsonld"

    @cached_property
    def _itemprop_dates(self) -> dict[str, list[dates.Found]]:
        """The dates of ``itemprop="datePublished"``/``"dateModified"`` markup, by itemprop
        (one pass over the page for both)."""
        out: dict[str, list[dates.Found]] = {}
        for el in self.root.xpath(".//*[@itemprop='datePublished' or @itemprop='dateModified']"):
            found = dates.parse_when(el.get("datetime") or el.get("content") or el.text_content())
            if found:
                out.setdefault(el.get("itemprop"), []).append(found)
        return out

    @cached_property
    def _page_objects(self) -> list[dict[str, Any]]:
        """JSON-LD WebPage objects describing this very URL (or the only one of the page)."""
        pages = [o for o in self.jsonld if structured.types_of(o) & _PAGE_TYPES]
        if len(pages) <= 1:
            return pages
        return [o for o in pages if any(
            datelines.page_keys(structured.text_of(o.get(k))) & self._page_keys
            for k in ("url", "@id"))][:1]

    @cached_property
    def _page_keys(self) -> frozenset[str]:
        """This page's URLs (address, canonical, og:url) as :func:`datelines.page_keys`."""
        return datelines.page_keys(self.url, self._canonical_raw(), _first(self.meta.get("og:url")))

    @cached_property
    def _furniture(self) -> datelines.Furniture:
        """What is navigation, a sidebar, a comment thread or a teaser list on this page."""
        return datelines.Furniture(self._page_keys)

    @cached_property
    def _datelines(self) -> list[datelines.Dateline]:
        """The dates printed next to the headline (the byline on a page without a headline)."""
        anchor = None
        if self.h1:
            anchor = next((h for h in self.root.iter("h1")
                           if " ".join(h.text_content().split()) == self.h1), None)
        if anchor is None:
            anchor = next((el for el in bylines.FIND_BYLINES(self.root)[:10]
                           if not _in_comments(el)), None)
        if anchor is None:
            return []
        return datelines.near(anchor, self.body[0], self._furniture)

    @cached_property
    def _labelled_dates(self) -> list[datelines.Dateline]:
        """Dates printed after a "Published"/"Posted"/"Erschienen am" label."""
        return datelines.labelled(self.root, self._furniture)

    @cached_property
    def _class_dates(self) -> list[datelines.Dateline]:
        """Dates printed in elements whose class names a date ("date", "datum", "posted-on")."""
        return datelines.classed(self.root, _DATE_CLASS_XPATH, self._furniture)

    def _printed_dates(self) -> Iterator[datelines.Dateline]:
        """Every printed date worth a look, most trusted first: labelled, by the headline, in
        a date class (each kind is looked up only when the one before has nothing left)."""
        yield from self._labelled_dates
        yield from self._datelines
        yield from self._class_dates

    @cached_property
    def _time_elements(self) -> list[tuple[dates.Found, str, HtmlElement]]:
        """``<time>`` elements outside furniture: their machine value and what their line says
        they are ("published", "modified" or "plain")."""
        out = []
        for t in self.root.xpath(_TIME_XPATH)[:30]:
            if self._furniture(t):
                continue
            kind, printed = datelines.kind_of(t)
            found = dates.parse_when(t.get("datetime")) or printed
            if found:
                out.append((found, kind, t))
        return out

    @cached_property
    def _published_found(self) -> tuple[dates.Found | None, str | None]:
        """The publication date and its source (shared by ``published`` and its precision)."""
        found, source = self._published_first()
        if found is None:
            return None, None
        day_only = found.precision == dates.DAY or found.at.time() == dt.time(0)
        modified = self._modified_found[0] if day_only else None
        if modified is not None and found.day() > modified.day():
            # A day published after the last modification: a stamp the CMS sets at every
            # publish (a scheduled post has a time, and is left alone). An earlier printed
            # publication date, labelled or by the headline, is the real one.
            for d in (*self._labelled_dates, *self._datelines):
                if d.kind != datelines.MODIFIED and d.found.day() <= modified.day():
                    found, source = d.found, "html"
                    break
        if day_only:
            refined = self._same_day_time(found.day())
            if refined is not None:
                return refined
        return found, source

    def _published_first(self) -> tuple[dates.Found | None, str | None]:
        """The first publication date of the sources, in order of trust: metadata, a
        ``<time pubdate>``, a "Published" label, the URL, the dateline by the headline, a date
        class, any ``<time>``, then htmldate. "Updated" dates are never taken."""
        for found, source in self._structured_dates("datePublished", _PUBLISHED_META,
                                                    "datePublished"):
            return found, source
        for found, kind, t in self._time_elements:
            if kind != datelines.MODIFIED and (t.get("pubdate") is not None
                                               or "publish" in (t.get("class") or "").lower()):
                return found, "html"
        for d in self._labelled_dates:
            return d.found, "html"
        d = dates.date_from_url(self.url)
        if d:
            return dates.Found(d, dates.DAY), "url"
        for d in self._printed_dates():
            if d.kind != datelines.MODIFIED:
                return d.found, "html"
        for found, kind, _t in self._time_elements:
            if kind != datelines.MODIFIED:
                return found, "html"
        if self._declares_impossible_date:
            # The metadata gives a day that cannot be ("2024-02-30", year 9999): htmldate would
            # read a part of that same value ("2024-02") as a day of its own.
            return None, None
        d = dates.htmldate_guess(deepcopy(self.root), self.url, language=self.language()[0])
        return (dates.Found(d, dates.DAY), "htmldate") if d else (None, None)

    @cached_property
    def _declares_impossible_date(self) -> bool:
        """Whether the JSON-LD article or a publication meta tag gives a publication day that
        is no calendar day, or an implausible one (before 1995, in the future)."""
        declared = [structured.text_of(self.article_ld.get("datePublished")) or "",
                    *(v for key, _ in _PUBLISHED_META for v in self.meta.get(key, ()))]
        return any(dates.impossible_day(v) for v in declared)

    def _same_day_time(self, day: dt.date) -> tuple[dates.Found, str] | None:
        """A publication time of ``day`` given elsewhere on the page (metadata, ``<time>``,
        a dateline with a time by the headline), for a source that gave only the day."""
        values = [(f, s) for f, s in self._structured_dates("datePublished", _PUBLISHED_META,
                                                            "datePublished")]
        values += [(f, "html") for f, kind, _t in self._time_elements if kind != datelines.MODIFIED]
        values += [(d.found, "html") for d in self._datelines if d.kind != datelines.MODIFIED]
        for found, source in values:
            if (found.precision == dates.TIME and found.at.time() != dt.time(0)
                    and found.day() == day):
                return found, source
        return None

    def published(self) -> Field:
        """Publication time: JSON-LD, meta tags, ``itemprop``/``<time>``, a "Published" line,
        the URL, the dateline by the headline, then htmldate. A day is refined by a time of the
        same day given elsewhere on the page."""
        found, source = self._published_found
        return (found.at, source) if found else NONE

    def published_precision(self) -> Field:
        """Precision of ``published``: "day" when the page gives only the day, "time" when it
        gives the time of day too."""
        value, source = self.published()
        if value is None:
            return NONE
        found, _ = self._published_found
        if found is not None and found.at == value:
            return found.precision, source
        # ``published`` was overridden (a site's page class): judge the value itself.
        return dates.precision_of(value), source

    @cached_property
    def _modified_found(self) -> tuple[dates.Found | None, str | None]:
        """The last modification date and its source: metadata, else an "Updated" line."""
        for found, source in self._structured_dates("dateModified", _MODIFIED_META, "dateModified"):
            return found, source
        for d in self._datelines:  # an "Updated …" line by the headline
            if d.kind == datelines.MODIFIED:
                return d.found, "html"
        return None, None

    def modified(self) -> Field:
        """Last modification time: metadata, else a printed "Updated …" line (kept apart from
        the publication time)."""
        found, source = self._modified_found
        return (found.at, source) if found else NONE

    def section(self) -> Field:
        """Section: JSON-LD articleSection, article:section / parsely-section meta."""
        s = structured.text_of(self.article_ld.get("articleSection"))
        if s:
            return s, "jsonld"
        for key, source in (("article:section", "opengraph"), ("parsely-section", "meta"),
                            ("section", "meta"), ("category", "meta")):
            v = _first(self.meta.get(key))
            if v:
                return v, source
        return NONE

    def tags(self) -> Field:
        """Tags/keywords: article:tag, JSON-LD keywords, parsely/news keywords."""
        tags = self.meta.get("article:tag")
        if tags:
            return _split_tags(tags), "opengraph"
        kw = self.article_ld.get("keywords")
        if kw:
            vals = structured.strings_of(kw)
            if vals:
                return _split_tags(vals), "jsonld"
        for key in ("parsely-tags", "news_keywords", "keywords", "sailthru.tags"):
            vals = self.meta.get(key)
            if vals:
                return _split_tags(vals), "meta"
        return NONE

    def dek(self) -> Field:
        """Standfirst: the page's description (JSON-LD, og:description, meta description,
        twitter:description; a full one before one cut with "…"), else a dek/subtitle element in
        the headline's box (never an author bio, a byline or navigation)."""
        title = titles.title_key(self.title()[0])
        found: list[tuple[str, str]] = []
        for raw, source in (
            (structured.text_of(self.article_ld.get("description")), "jsonld"),
            (_first(self.meta.get("og:description")), "opengraph"),
            (_first(self.meta.get("description")), "meta"),
            (_first(self.meta.get("twitter:description")), "meta"),
        ):
            text = " ".join(structured.unescape(_TAG.sub(" ", raw)).split()) if raw else ""
            if len(text) >= 20 and titles.title_key(text) != title:
                found.append((text, source))
        longest = max((len(t) for t, _ in found), default=0)
        for text, source in found:
            # A full description, unless it is a short slogan next to a longer (cut) one.
            if not titles.is_truncated(text) and len(text) * 2 >= longest:
                return text, source
        if found:
            return found[0]
        h1 = next(self.root.iter("h1"), None)
        if h1 is not None:
            # The standfirst sits in the headline's box: search the h1's nearest ancestors.
            box = h1
            for _ in range(3):
                if box.getparent() is None:
                    break
                box = box.getparent()
            for el in box.iter("p", "h2", "div", "span"):
                cls = el.get("class") or ""
                if not cls or not _DEK_CLASSES.search(cls) or _NOT_DEK.search(cls):
                    continue
                text = " ".join(el.text_content().split())
                if 30 <= len(text) <= 400 and el.find(".//p") is None and not text.startswith(
                        ("//", "|", "»")) and not _in_comments(el) and not _in_navigation(el):
                    return text, "html"
        return NONE

    def language(self) -> Field:
        """Language tag from ``<html lang>``, JSON-LD inLanguage, og:locale or Content-Language."""
        lang = self.root.get("lang") or self.root.get("xml:lang")
        if lang:
            return _norm_lang(lang), "html"
        v = structured.text_of(self.article_ld.get("inLanguage"))
        if v:
            return _norm_lang(v), "jsonld"
        for key, source in (("og:locale", "opengraph"), ("content-language", "meta"),
                            ("language", "meta")):
            v = _first(self.meta.get(key))
            if v:
                return _norm_lang(v), source
        return NONE

    def image_url(self) -> Field:
        """Lead image URL (og:image, JSON-LD image, twitter:image), absolute."""
        v = _first(self.meta.get("og:image")) or _first(self.meta.get("og:image:url"))
        if v:
            return urljoin(self.url, v), "opengraph"
        img = self.article_ld.get("image")
        if isinstance(img, list):
            img = img[0] if img else None
        if isinstance(img, dict):
            img = img.get("url") or img.get("contentUrl")
        if isinstance(img, str) and img:
            return urljoin(self.url, img), "jsonld"
        v = _first(self.meta.get("twitter:image"))
        return (urljoin(self.url, v), "meta") if v else NONE

    def image_credit(self) -> Field:
        """Credit of the lead image (JSON-LD creditText/copyrightHolder/author)."""
        img = self.article_ld.get("image")
        for obj in img if isinstance(img, list) else [img]:
            if isinstance(obj, dict):
                for key in ("creditText", "copyrightHolder", "author", "creator"):
                    v = structured.text_of(obj.get(key))
                    if v:
                        return v, "jsonld"
        return NONE

    def canonical_url(self) -> Field:
        """``<link rel=canonical>``, else og:url; absolute."""
        c = self._canonical_raw()
        if c:
            return c, "html"
        v = _first(self.meta.get("og:url"))
        return (urljoin(self.url, v), "opengraph") if v else NONE

    def article_type(self) -> Field:
        """news/review/interview/list/feature/opinion/live from JSON-LD @type, URL and section
        ("live": a live blog, a feed of timestamped updates)."""
        kinds = structured.types_of(self.article_ld) if self.article_ld else set()
        if kinds & _REVIEW_TYPES:
            return "review", "jsonld"
        if "opinionnewsarticle" in kinds:
            return "opinion", "jsonld"
        if "liveblogposting" in kinds or any("liveblogposting" in structured.types_of(o)
                                             for o in self.jsonld if isinstance(o, dict)):
            return "live", "jsonld"
        path = urlsplit(self.url).path.lower()
        section = (self.section()[0] or "").lower()
        words = set(_WORD.findall(path)) | set(_WORD.findall(section))
        if words & {"review", "reviews"}:
            return "review", "url"
        if words & {"interview", "interviews"}:
            return "interview", "url"
        if words & {"opinion", "opinions", "column", "columns", "commentary", "editorial", "oped"}:
            return "opinion", "url"
        if words & {"list", "lists", "ranked", "ranking", "best"} or re.search(r"/\d+-[a-z]", path):
            return "list", "url"
        if words & {"feature", "features", "longform", "longreads", "magazine"}:
            return "feature", "url"
        if self.article_ld or "article" in (_first(self.meta.get("og:type")) or ""):
            return "news", "jsonld" if self.article_ld else "opengraph"
        return NONE

    def rating(self) -> Field:
        """A review's rating ("4/5") from JSON-LD reviewRating."""
        objs = [self.article_ld] + [o for o in self.jsonld if structured.types_of(o) & _REVIEW_TYPES]
        for obj in objs:
            r = obj.get("reviewRating") if isinstance(obj, dict) else None
            if isinstance(r, list):
                r = r[0] if r else None
            if isinstance(r, dict) and r.get("ratingValue") not in (None, ""):
                value = str(r["ratingValue"]).strip()
                best = str(r.get("bestRating") or "").strip()
                return (f"{value}/{best}" if best else value), "jsonld"
        return NONE

    def is_article(self) -> Field:
        """True when the page declares an article or has a body of article length."""
        if self.article_ld:
            return True, "jsonld"
        og = (_first(self.meta.get("og:type")) or "").lower()
        if og == "article":
            return True, "opengraph"
        el, source = self.body
        if el is not None:
            return True, source
        return False, "html"

    def container(self) -> Field:
        """A copy of the body element (the cleaners mutate it); trafilatura when ours finds none."""
        el, source = self.body
        if el is not None:
            return deepcopy(el), source
        fallback = trafilatura_container(self.root, self.url)
        return (fallback, "trafilatura") if fallback is not None else NONE


def trafilatura_container(root: HtmlElement, url: str, *, copy: bool = True,
                          favor_recall: bool = False) -> HtmlElement | None:
    """trafilatura's body as an HTML element (our cleaners see one shape), or ``None``.

    trafilatura changes the tree it reads: ``copy=False`` lends it ``root`` when the caller has
    no further use for it (saves a copy of the page).
    """
    import trafilatura  # a dependency: a broken install must fail loudly, not skip the fallback

    try:
        html = trafilatura.extract(deepcopy(root) if copy else root, url=url, output_format="html",
                                   include_comments=False, include_tables=True,
                                   favor_recall=favor_recall)
    except Exception:  # trafilatura can fail in many ways on odd pages
        return None
    if not html:
        return None
    try:
        tree = etree.fromstring(html, parser=etree.HTMLParser())
    except etree.ParserError:
        return None
    body = tree.find(".//body") if tree is not None else None
    if body is None:
        return None
    from lxml.html import fromstring

    el = fromstring(etree.tostring(body, encoding="unicode"))
    # Only a body of article length is usable (trafilatura returns menus of empty pages too).
    return el if len(" ".join(el.text_content().split())) >= MIN_GOOD else None


def _heading_text(el: HtmlElement) -> str:
    """A heading's text as a reader sees it: ``<br>`` as a space, no script or style text,
    entities left by double escaping decoded, spacing collapsed."""
    if len(el) == 0 or not el.xpath(_HEADING_ODD):
        text = el.text_content()
    else:
        text = "".join(" " if getattr(n, "tag", None) == "br" else str(n)
                       for n in el.xpath(_HEADING_TEXT))
    return titles.plain_text(text, (text,)) or ""


def _is_home_link(el: HtmlElement, text: str) -> bool:
    """True for a logo heading: its whole text is one link to the site's home page."""
    links = el.findall(".//a")
    if len(links) != 1:
        return False
    href = (links[0].get("href") or "").strip()
    parts = urlsplit(href)
    return parts.path in ("", "/") and not parts.query and not parts.fragment \
        and " ".join(links[0].text_content().split()) == text


def _in_comments(el: HtmlElement) -> bool:
    """True for an element in a comment thread (its own or an ancestor's class/id says so)."""
    for e in (el, *el.iterancestors()):
        if e.tag in ("body", "html"):
            return False
        attrs = (e.get("class") or "") + " " + (e.get("id") or "")
        if attrs.strip() and _COMMENTS.search(attrs):
            return True
    return False


def _in_navigation(el: HtmlElement) -> bool:
    """True inside a ``<nav>`` or a nav bar ("navtop", "navbar"): those print today's date."""
    return any(e.tag == "nav" or (e.get("class") or "").lower().startswith("nav")
               for e in el.iterancestors())


def _split_tags(values: list[str]) -> list[str]:
    out: list[str] = []
    seen: set[str] = set()
    for v in values:
        for part in v.split(",") if "," in v else [v]:
            p = " ".join(part.split())
            if p and p.lower() not in seen:
                seen.add(p.lower())
                out.append(p)
    return out


def _norm_lang(v: str) -> str:
    v = v.strip().replace("_", "-")
    parts = v.split("-")
    return "-".join([parts[0].lower(), *(p.upper() if len(p) == 2 else p for p in parts[1:])])


FIELDS: tuple[str, ...] = (
    "title", "authors", "published", "published_precision", "modified", "section", "tags", "dek", "language",
    "image_url", "image_credit", "canonical_url", "article_type", "rating", "is_article",
)

__all__ = ["FIELDS", "ArticlePage", "trafilatura_container"]
