"""Donation/sign-up pitches, image metadata, tables of contents and link lists."""

from __future__ import annotations

import pytest
from lxml.html import fragment_fromstring

from crawler.cleaning import body_text, clean_paragraphs, strip_junk
from crawler.items import ArticleItem

PARA = ("<p>The director confirmed on Tuesday that the sequel starts shooting in London next "
        "spring, the studio said.</p>")
PARA2 = "<p>Its cast includes the three leads of the first film, the studio said.</p>"
TEXT, TEXT2 = PARA[3:-4], PARA2[3:-4]


def _clean(html: str) -> ArticleItem:
    item = ArticleItem(url="https://example.com/a")
    item.container = fragment_fromstring(f"<div>{html}</div>")
    strip_junk(item, None)
    body_text(item, None)
    return item


@pytest.mark.parametrize("junk, rule", [
    ("Dear Reader - The enemies of freedom are choking off our resources. Since many asked for it, "
     "we now have a way for you to support The Daily Example directly - thank you!", "support-pitch"),
    ("Five Books interviews are expensive to produce. If you've enjoyed this interview, please "
     "support us by donating a small amount.", "support-pitch"),
    ("Want to support Playful Void or Bathtub Reviews? Donate to or join my Ko-fi!", "support-pitch"),
    ("To sign up for all those benefits, and to help us keep bringing you the kind of music you're "
     "about to read about below, you can click here.", "support-pitch"),
    ("Support Five Books", "support-pitch"),
    ("Have a module, adventure or supplement you'd like me to review? Read my review policy here.",
     "support-pitch"),
    ("I use affiliate links where I can, to keep reviewing sustainable!", "affiliate-note"),
    ("landscape-medium", "image-metadata"),
    ("center", "image-metadata"),
    ("Jane Doe / Contributor via Getty Images and John Roe / Contributor via Getty Images",
     "photo-credit"),
    ("https://www.example-festival.com/tickets/", "bare-url"),
])
def test_pitch_and_metadata_lines_go(junk: str, rule: str) -> None:
    kept, removed = clean_paragraphs([TEXT, junk, TEXT2])
    assert kept == [TEXT, TEXT2]
    assert removed == [(rule, junk)]


@pytest.mark.parametrize("sentence", [
    "MPs are supposed to declare gifts and donations to the parliamentary authorities within 28 days,"
    " and please note that the rules were tightened last year.",
    "I don't know if that's a lot compared to the rest of the staff (or even you, Dear Reader).",
    "The band will support Oasis on the tour, which opens in Cardiff next summer.",
    "Support acts were announced on Friday.",
    "www.webmd.com",
])
def test_sentences_like_pitches_stay(sentence: str) -> None:
    kept, removed = clean_paragraphs([sentence])
    assert kept == [sentence] and removed == []


def test_table_of_contents_and_its_link_list_go() -> None:
    toc = ('<div class="heading-h4">Table of Contents</div><ol>'
           '<li><a href="#a">Best for Backpackers: Bishop Pass 15</a></li>'
           '<li><a href="#b">Best for Car Campers: Siesta Hooded 20</a></li></ol>')
    item = _clean(f"{PARA}{toc}{PARA2}")
    assert item.body == [TEXT, TEXT2]
    assert ("table-of-contents", "Table of Contents") in item.removed


def test_contents_heading_before_text_stays() -> None:
    item = _clean(f"<h2>Contents</h2>{PARA}{PARA2}")
    assert item.body == ["Contents", TEXT, TEXT2]


def test_latest_from_heading_and_its_links_go() -> None:
    box = ('<section><div class="widget-title"><div class="h2">Latest from Shopping Essentials</div>'
           '</div><ul><li><a href="/1">Top foundations for mature skin</a></li>'
           '<li><a href="/2">Simba mattress review: 365 days of sleep testing</a></li></ul></section>')
    item = _clean(f"{PARA}{PARA2}{box}")
    assert item.body == [TEXT, TEXT2]


def test_link_list_in_its_own_box_goes_but_a_list_among_paragraphs_stays() -> None:
    links = ('<ul><li><a href="/1">How the government raises and spends money</a></li>'
             '<li><a href="/2">Budget: Key points at a glance</a></li></ul>')
    tags = ('<div class="topics"><div><div><a href="/t/1">Recession</a></div>'
            '<div><a href="/t/2">GDP</a></div></div></div>')
    item = _clean(f"{PARA}<div>{links}</div>{PARA2}{tags}")
    assert item.body == [TEXT, TEXT2]
    assert ("link-list", "RecessionGDP") in item.removed
    item = _clean(f"{PARA}{links}{PARA2}")  # part of the text: kept
    assert item.body == [TEXT, "How the government raises and spends money",
                         "Budget: Key points at a glance", TEXT2]
