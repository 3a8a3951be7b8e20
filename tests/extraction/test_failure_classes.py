"""Failure classes seen on pages from publishers nobody tuned for, each on a small page written
for it (the pages themselves are not in this repository)."""

from __future__ import annotations

from crawler.items import ArticleItem
from crawler.processing import process_page

URL = "https://paper.example/news/2025/03/04/council-budget"
STORY = ("<p>The council approved the 2025 budget on Tuesday evening after a three-hour debate, "
         "with eleven votes in favour and four against.</p><p>The budget raises spending on "
         "libraries and road repairs and freezes parking fees until next spring, the mayor said.</p>")
FIRST = "The council approved the 2025 budget on Tuesday evening"


def _run(html: str, url: str = URL) -> ArticleItem:
    return process_page(html.encode(), url, validate_item=False)


def test_customer_service_footer_does_not_win_over_a_short_story() -> None:
    footer = (
        "<div class='box'><h3>Customer service</h3><p>Questions about your subscription or "
        "delivery? Call our customer service team on 0800 123 456, Monday to Friday from 8 am to "
        "6 pm, or write to us at service@paper.example.</p><p>Phone: 0800 123 456. Fax: 0800 123 "
        "457. E-mail: service@paper.example. Our offices at 1 Market Street are open from 9 am to "
        "5 pm on weekdays; please bring your subscriber number.</p><p>For advertising call 0800 "
        "123 458 or e-mail ads@paper.example; for letters to the editor write to "
        "letters@paper.example. Copyright © 2025 The Paper. All rights reserved.</p></div>")
    item = _run(f"<html><body><div class='main'><h1>Council passes budget</h1>{STORY}</div>"
                f"{footer}</body></html>")
    assert item.body[0].startswith(FIRST)
    assert not any("0800" in p or "Customer service" in p for p in item.body)
    assert "furniture" in item.field_sources["body"]
    assert ("furniture-text", "Customer service") in item.removed


def test_breaking_news_ticker_ahead_of_the_article_stays_out() -> None:
    ticker = ("<div class='ticker'><h2>Breaking News</h2><ul>" + "".join(
        f"<li><a href='/n{i}'>Other story number {i} about the weather and the traffic on the "
        f"bridge today</a></li>" for i in range(8)) + "</ul></div>")
    item = _run(f"<html><body>{ticker}<article><h1>Council passes budget</h1>{STORY}"
                f"{STORY.replace('council', 'committee')}</article></body></html>")
    assert item.body[0].startswith(FIRST)
    assert not any("Other story" in p or "Breaking" in p for p in item.body)


def test_tracking_pixel_markup_is_no_text() -> None:
    for pixel in ("<noscript><img height='1' width='1' src='https://px.example/t?id=1'/></noscript>",
                  "<p>&lt;img height=\"1\" width=\"1\" style=\"display:none\" "
                  "src=\"https://px.example/tr?id=1&amp;ev=PageView&amp;noscript=1\"/&gt;</p>"):
        item = _run(f"<html><body><article><h1>Council passes budget</h1>{pixel}{STORY}"
                    "</article></body></html>")
        assert item.body[0].startswith(FIRST), pixel
        assert not any("<img" in p for p in item.body)


def test_list_post_keeps_its_intro() -> None:
    """The body starts at the intro, not several paragraphs down at the first list entry."""
    entries = "".join(
        f"<h2>{i}. Film number {i}</h2><p>Film {i} is a remarkable piece of work about time and "
        f"memory, with a lead performance people still talk about.</p>" for i in range(10, 0, -1))
    item = _run("<html><body><article><h1>The 10 best sci-fi films of the decade</h1>"
                "<p>We watched every science-fiction film released since 2015, some twice, and "
                "argued about them for weeks.</p><p>Here is the list we could all live with, from "
                f"the quiet ones to the loud ones.</p><div class='list'>{entries}</div></article>"
                "</body></html>", "https://mag.example/best-sci-fi-films")
    assert item.body[0].startswith("We watched every science-fiction film")
    assert item.body[2] == "10. Film number 10"
