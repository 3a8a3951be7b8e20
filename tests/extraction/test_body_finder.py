"""The generic body finder on small hand-made pages: live-blog intro, output shape."""

from __future__ import annotations

from lxml.html import document_fromstring

from crawler.extraction.body_finder import find_body

SENTENCE = ("The ceremony at the arena was hosted by three first-timers and featured live "
            "performances by several of the nominated acts, the organisers said on Saturday.")


def _post(n: int, paragraphs: int) -> str:
    body = "".join(f"<p>{SENTENCE} Update {n}.{k}.</p>" for k in range(paragraphs))
    return (f'<div class="post"><time>2 March 2024 22:{10 + n}</time>'
            f"<h3>Update number {n} from the arena</h3>{body}</div>")


def test_live_blog_body_keeps_the_intro_above_the_feed() -> None:
    intro = "".join(f"<p>{SENTENCE} Intro {k}.</p>" for k in range(2))
    feed = "".join(_post(n, 3 if n < 2 else 1) for n in range(6))
    html = (f"<html><body><header><h1>Awards night: live</h1></header>"
            f'<div id="main">{intro}<div class="feed">{feed}</div></div>'
            f"<footer><p>{SENTENCE}</p></footer></body></html>")
    cand = find_body(document_fromstring(html))
    assert cand is not None
    assert cand.element.get("id") == "main"


def test_article_with_headed_sections_is_not_a_feed() -> None:
    sections = "".join(f"<section><h2>Part {n}</h2><p>{SENTENCE} Part {n}.</p></section>"
                       for n in range(4))
    html = (f"<html><body><h1>Title</h1><div id='wrap'><p>{SENTENCE}</p>"
            f"<article id='story'>{sections}</article></div></body></html>")
    cand = find_body(document_fromstring(html))
    assert cand is not None
    # The sections hold nearly all the text: the article is the body, the intro paragraph is
    # not worth the score the wrapper loses.
    assert cand.element.get("id") in ("story", "wrap")


def test_text_after_a_comment_node_counts() -> None:
    def score(extra: str) -> float:
        root = document_fromstring(f"<html><body><div><p>{SENTENCE}</p><p>{SENTENCE}</p>"
                                   f"{extra}</div></body></html>")
        cand = find_body(root)
        assert cand is not None
        return cand.score

    # Plain text after a comment is "other" text like any other: it lowers the score.
    assert score("<!-- x -->Menu Home News Sport Weather") < score("<!-- x -->")


def test_no_body_on_a_page_of_links() -> None:
    links = "".join(f"<li><a href='/{n}'>Story number {n} of the day</a></li>" for n in range(30))
    assert find_body(document_fromstring(f"<html><body><ul>{links}</ul></body></html>")) is None


def test_class_words_ignore_the_words_of_a_text_slug() -> None:
    from lxml.html import fragment_fromstring

    from crawler.extraction.body_finder import class_words

    slide = fragment_fromstring(
        '<div class="slide keyline" id="zendaya-promoted-dune-part-two-in-london">x</div>')
    assert "promoted" not in class_words(slide) and "slide" in class_words(slide)
    promo = fragment_fromstring('<div class="c-promoted-box">x</div>')
    assert "promoted" in class_words(promo)
