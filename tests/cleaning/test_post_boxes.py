"""CMS post boxes in the body: the article's own box stays, boxes of other posts go."""

from __future__ import annotations

from pathlib import Path

import pytest
from lxml.html import fragment_fromstring

from crawler.cleaning import body_text, strip_junk
from crawler.evaluation import load_cases, read_html, split_of
from crawler.items import ArticleItem
from crawler.processing import process_page

TEXT = "".join(f"<p>Step {n}: the garden spray takes three ingredients and ten minutes, and it works "
               f"on aphids and beetles alike without harming the bees that visit the squash.</p>"
               for n in range(1, 4))


def _clean(html: str) -> ArticleItem:
    item = ArticleItem(url="https://blog.example/2015/07/garden-spray.html")
    item.container = fragment_fromstring(f"<div>{html}</div>")
    strip_junk(item, None)
    body_text(item, None)
    return item


def test_the_post_box_with_the_headline_stays_even_with_a_thumbnail() -> None:
    """WordPress marks every post that has a featured image "has-post-thumbnail": a state of the
    box, not a thumbnail block."""
    item = _clean('<article class="post-14828 post type-post has-post-thumbnail hentry">'
                  f"<h1>Organic garden spray</h1>{TEXT}</article>")
    assert len(item.body) == 3
    assert not [r for r, _ in item.removed if r in ("boilerplate", "related-post")]


def test_other_post_boxes_go_when_the_articles_own_box_is_known() -> None:
    teaser = ('<article class="post-{n} post type-post has-post-thumbnail hentry">'
              '<h2><a href="/p{n}">Another post {n}</a></h2><p>A short summary of post {n}.</p></article>')
    item = _clean('<article class="post-1 post type-post hentry">'
                  f"<h1>Organic garden spray</h1>{TEXT}</article>"
                  + "".join(teaser.format(n=n) for n in (2, 3)))
    assert all("Another post" not in p for p in item.body)
    assert [r for r, _ in item.removed].count("related-post") == 2


def test_a_page_that_is_a_listing_of_posts_keeps_them() -> None:
    entry = ('<div class="post-{n} type-post hentry"><h2>Resource {n}</h2>'
             '<p>Lesson plans and templates for teachers of Spanish, level {n}.</p></div>')
    item = _clean("<h1>Spanish resources</h1>" + "".join(entry.format(n=n) for n in range(1, 6)))
    assert sum("Lesson plans" in p for p in item.body) == 5


@pytest.fixture(scope="module")
def prairie_case(corpus_dir: Path) -> dict:
    cases = load_cases(corpus_dir, manifests=("cases-wcxb-articles.jsonl",))
    case = next(c for c in cases if c["id"] == "wcxb/the-prairie-homestead/4660")
    assert split_of(case["publisher"]) == "tuning"
    return case


def test_real_blog_post_with_thumbnail_class_keeps_its_text(prairie_case: dict) -> None:
    """The whole article used to go as "boilerplate" (its box is "has-post-thumbnail")."""
    item = process_page(read_html(prairie_case["html"]), prairie_case["url"], validate_item=False)
    text = " ".join(item.body)
    assert "I didn’t exactly grow up in an “organic” household." in text
    assert len(item.body) >= 30
