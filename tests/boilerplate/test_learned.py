"""Removing learned boilerplate from real pages, and the guards that keep real text."""

from __future__ import annotations

from dataclasses import replace

import pytest

from crawler.cleaning.learned import MAX_WORDS, LearnedBoilerplate, LearnedLibrary
from crawler.processing import process_page
from learned_segments import normalize_segment
from tests.boilerplate.conftest import ANCHORS, LONG, PROMPT, inject, rollingstone_pages

RULE = "learned:rollingstone"


def library(*texts: str) -> LearnedLibrary:
    """A library that 'learned' ``texts`` for every site (normalised, as the archive gives them)."""
    segments = [normalize_segment(t) for t in texts]
    return LearnedLibrary(lambda site: segments)


@pytest.fixture(params=list(ANCHORS))
def page(request: pytest.FixtureRequest) -> tuple[str, bytes]:
    """(url, html) of one real Rolling Stone page with the prompt and the long blurb added."""
    name, url, html = next(p for p in rollingstone_pages() if p[0] == request.param)
    return url, inject(html, ANCHORS[name], PROMPT, LONG)


def test_normalised_form_ignores_case_spacing_and_typography() -> None:
    assert normalize_segment("  Don\u2019t  MISS\u00a0our \u201cweekly\u201d\nnewsletter \u2014 ever ") == \
        "don't miss our \"weekly\" newsletter - ever"
    assert normalize_segment("Season 2") != normalize_segment("Season 3"), "digits are kept"


def test_learned_segment_is_removed_and_recorded(page: tuple[str, bytes]) -> None:
    url, html = page
    plain = process_page(html, url)
    assert PROMPT in plain.body and LONG in plain.body, "the text rules must leave both in"
    cleaned = process_page(html, url, learned=library(PROMPT, LONG))
    # exactly the prompt goes: the long blurb and every unique paragraph stay, in order
    assert cleaned.body == [p for p in plain.body if p != PROMPT]
    assert cleaned.removed == [*plain.removed, (RULE, PROMPT)]
    assert len(LONG.split()) > MAX_WORDS


def test_without_a_library_nothing_learned_is_removed(page: tuple[str, bytes]) -> None:
    url, html = page
    assert process_page(html, url, learned=None).body == process_page(html, url).body
    empty = process_page(html, url, learned=LearnedLibrary(lambda site: []))
    assert empty.body == process_page(html, url).body


def test_variants_of_the_segment_match() -> None:
    name, url, html = rollingstone_pages()[1]
    variant = PROMPT.upper().replace("THIS? ", "THIS?\n  \u00a0")
    item = process_page(inject(html, ANCHORS[name], variant), url, learned=library(PROMPT))
    assert [normalize_segment(t) for r, t in item.removed if r == RULE] == [normalize_segment(PROMPT)]
    assert normalize_segment(PROMPT) not in {normalize_segment(p) for p in item.body}


def test_guards_first_paragraph_long_paragraph_and_share() -> None:
    _, url, html = next(p for p in rollingstone_pages() if p[0].startswith("donna"))
    item = process_page(html, url)
    body = list(item.body)
    assert len(body) == 8
    # the lede is never removed, even when it is learned
    first = replace(item, body=list(body), removed=[])
    LearnedBoilerplate("rollingstone", frozenset({normalize_segment(body[0])})).apply(first)
    assert first.body == body and first.removed == []
    # a paragraph over MAX_WORDS words is never removed, even when it repeats
    long_at = next(i for i, p in enumerate(body) if i and len(p.split()) > MAX_WORDS)
    counted = [normalize_segment(body[long_at])]
    assert not LearnedBoilerplate.from_segments("rollingstone", counted).segments, "not even learned"
    long = replace(item, body=list(body), removed=[])
    LearnedBoilerplate("rollingstone", frozenset({normalize_segment(body[long_at])})).apply(long)
    assert long.body == body and long.removed == []
    # at most 30% of the paragraphs (2 of 8): two go, three would be a copy and nothing goes
    short = [i for i, p in enumerate(body) if i and len(p.split()) <= MAX_WORDS]
    two = replace(item, body=list(body), removed=[])
    LearnedBoilerplate("rollingstone", frozenset(normalize_segment(body[i]) for i in short[:2])).apply(two)
    assert two.body == [p for i, p in enumerate(body) if i not in short[:2]]
    assert [r for r, _ in two.removed] == [RULE, RULE]
    three = replace(item, body=list(body), removed=[])
    LearnedBoilerplate("rollingstone", frozenset(normalize_segment(body[i]) for i in short[:3])).apply(three)
    assert three.body == body and three.removed == []


def test_a_paragraph_containing_a_segment_is_kept() -> None:
    name, url, html = rollingstone_pages()[0]
    longer = PROMPT + " Our critics pick the five new albums worth your weekend."
    item = process_page(inject(html, ANCHORS[name], longer), url, learned=library(PROMPT))
    assert longer in item.body
    assert not [r for r, _ in item.removed if r == RULE]


def test_another_sites_set_does_not_apply() -> None:
    name, url, html = rollingstone_pages()[0]
    item = process_page(inject(html, ANCHORS[name], PROMPT), url)
    LearnedBoilerplate("variety", frozenset({normalize_segment(PROMPT)})).apply(item)
    assert PROMPT in item.body


def test_library_loads_each_site_once() -> None:
    calls: list[str] = []

    def load(site: str) -> list[str]:
        calls.append(site)
        return [normalize_segment(PROMPT), normalize_segment(LONG)]

    lib = LearnedLibrary(load)
    assert lib.for_site(None) is None
    first = lib.for_site("rollingstone")
    assert lib.for_site("rollingstone") is first
    assert first is not None and first.segments == {normalize_segment(PROMPT)}, "long ones are left out"
    assert calls == ["rollingstone"]
