"""Text rules on paragraphs: what goes, what must stay."""

from __future__ import annotations

from typing import ClassVar

import pytest

from crawler.cleaning import clean_paragraphs
from crawler.cleaning.rules import is_share_row
from crawler.sites.base import Site

BODY = [
    "The director confirmed on Tuesday that the sequel starts shooting in London next spring.",
    "Its cast includes the three leads of the first film, the studio said in a statement.",
]


@pytest.mark.parametrize("junk, rule", [
    ("RELATED: 'Dune' Sequel Sets Its Release Date", "related-link"),
    ("Read More: The 10 Best Horror Movies of the Decade", "related-link"),
    ("KEEP READING: Why the Franchise Still Works", "related-link"),
    ("Share Share Tweet Email", "share-row"),
    ("Facebook Twitter Pinterest Email Copy Link", "share-row"),
    ("Photo by Christopher McQuarrie", "photo-credit"),
    ("Photo: Netflix", "photo-credit"),
    ("Image via Warner Bros.", "photo-credit"),
    ("(Getty Images)", "photo-credit"),
    ("Subscribe to our newsletter for the latest movie news.", "newsletter"),
    ("Sign up for Variety's daily newsletter. For the latest news, follow us on Facebook.",
     "newsletter"),
    ("Click here to read the full interview.", "click-here"),
    ("Advertisement", "advertisement"),
    ("Story continues below advertisement", "advertisement"),
    ("12 Comments", "comment-count"),
])
def test_junk_paragraphs_go(junk: str, rule: str) -> None:
    kept, removed = clean_paragraphs([BODY[0], junk, BODY[1]])
    assert kept == BODY
    assert removed == [(rule, junk)]


@pytest.mark.parametrize("sentence", [
    "Photos from the set show the star in costume, and fans have already noticed a detail.",
    "Related to that, the studio is also developing a prequel series for the streamer.",
    "The photo by Annie Leibovitz became the most famous image of the band. It hung everywhere.",
    "Share prices of the studio rose 4% after the announcement.",
    "Email newsletters are how most readers now find the show, the producer said.",
    "Click-through rates on trailers have dropped, the report says.",
    "Subscribers to the streamer will be able to watch it from Friday.",
])
def test_real_sentences_stay(sentence: str) -> None:
    kept, removed = clean_paragraphs([BODY[0], sentence, BODY[1]])
    assert kept == [BODY[0], sentence, BODY[1]]
    assert removed == []


def test_teaser_after_share_row_goes_but_not_article_text() -> None:
    teaser = "Next Week's Big Premiere Revealed The showrunner tells us everything."
    kept, removed = clean_paragraphs([*BODY, "Share Share Tweet Email", teaser])
    assert kept == BODY
    assert ("next-article-teaser", teaser) in removed
    # A share row in the middle of a long article does not cut the article after it.
    long_rest = [f"Paragraph {i} of the review goes on about the film's pacing and score." for i in
                 range(6)]
    kept, removed = clean_paragraphs([BODY[0], "Share Tweet Email", *long_rest])
    assert kept == [BODY[0], *long_rest]
    assert removed == [("share-row", "Share Tweet Email")]


def test_share_row_detection() -> None:
    assert is_share_row("Share Share Tweet Email")
    assert is_share_row("Share on Facebook Share on X Copy link")
    assert not is_share_row("Share this with your friends, she told the audience at the premiere.")
    assert not is_share_row("Email")


def test_site_junk_patterns_apply() -> None:
    class Demo(Site):
        slug = "demo"
        name = "Demo"
        base_url = "https://demo.example/"
        junk_patterns: ClassVar[tuple[str, ...]] = (r"Demo Originals: .*",)

    kept, removed = clean_paragraphs([BODY[0], "Demo Originals: Watch our new show", BODY[1]],
                                     Demo)
    assert kept == BODY
    assert removed == [("site:Demo Originals: .*", "Demo Originals: Watch our new show")]
