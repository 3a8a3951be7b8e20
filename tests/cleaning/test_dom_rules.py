"""DOM rules on a body container: hidden text, junk class names, figures."""

from __future__ import annotations

from lxml.html import fragment_fromstring

from crawler.cleaning import body_text, strip_junk
from crawler.cleaning.rules import hidden_class
from crawler.items import ArticleItem

PARA = ("<p>The director confirmed on Tuesday that the sequel starts shooting in London next "
        "spring, the studio said.</p>")
PARA2 = "<p>Its cast includes the three leads of the first film, the studio said.</p>"


def _clean(html: str, authors: list[str] | None = None) -> ArticleItem:
    item = ArticleItem(url="https://example.com/a")
    item.authors = authors or []
    item.container = fragment_fromstring(f"<div>{html}</div>")
    strip_junk(item, None)
    body_text(item, None)
    return item


def test_screen_reader_only_labels_go() -> None:
    item = _clean(f'<div class="visually-hidden">Article content</div>{PARA}'
                  f'<span class="sr-only">Share this article in your social network</span>{PARA2}')
    assert item.body == [PARA[3:-4], PARA2[3:-4]]
    assert ("hidden", "Article content") in item.removed


def test_hidden_class_detection() -> None:
    assert hidden_class("visually-hidden")
    assert hidden_class("c-header__visually-hidden")
    assert hidden_class("lrv-a-screen-reader-only")
    assert hidden_class("identity-screen__more-offer hidden")
    assert not hidden_class("md:sr-only")  # hidden on some screens only
    assert not hidden_class("hidden md:block")
    assert not hidden_class("md:not-sr-only")
    assert not hidden_class("overflow-hidden")
    assert not hidden_class("hidden-xs")


def test_compound_junk_class_inside_a_layout_token() -> None:
    item = _clean(f'{PARA}<div class="thb-article-tags"><span>Tags</span> <a>Steve Bannon</a>'
                  f'</div><div class="nnr-ab-author-info-container">Jason Miciak writes.</div>')
    assert len(item.body) == 1
    assert [rule for rule, _ in item.removed] == ["boilerplate", "boilerplate"]


def test_figure_without_figcaption_is_a_caption() -> None:
    item = _clean(f'<figure><img src="a.jpg"><div>Allen Weisselberg arrives at court. '
                  f'<a href="/l">Purchase Licensing Rights</a></div></figure>{PARA}')
    assert len(item.body) == 1
    assert any("Allen Weisselberg arrives" in c for c in item.captions)


def test_pull_quote_and_footnotes_go() -> None:
    item = _clean(f'{PARA}<blockquote class="pullquote">The sequel starts in London.</blockquote>'
                  f'<ol class="wp-block-footnotes"><li>Gallery site, consulted 2025. ↩︎</li></ol>')
    assert len(item.body) == 1


def test_author_box_after_the_text_goes() -> None:
    item = _clean(f"{PARA}<p>Jason Miciak</p><p>Jason Miciak is an associate editor.</p>",
                  authors=["Jason Miciak"])
    assert len(item.body) == 1
    assert ("author-box", "Jason Miciak") in item.removed


def test_italic_line_under_a_photo_in_its_paragraph_is_a_caption() -> None:
    """The Gateway Pundit (WordPress): <p><img><br><em>caption</em></p>."""
    item = _clean(f'<p><img src="a.jpg" width="1169" height="568"><br> <em>Bryan Kohberger enters '
                  f'Idaho courtroom</em></p>{PARA}')
    assert item.captions == ["Bryan Kohberger enters Idaho courtroom"]
    assert len(item.body) == 1


def test_caption_box_named_image_text_is_a_caption() -> None:
    """TimesLive: <div class="image-text"><span class="description">...</span></div>."""
    item = _clean(f'<div class="image-text"><span class="description">Finance minister Enoch '
                  f'Godongwana with Sars commissioner Edward Kieswetter. File image</span></div>{PARA}')
    assert item.captions and item.captions[0].startswith("Finance minister Enoch Godongwana")
    assert len(item.body) == 1


def test_paragraph_opening_with_an_icon_or_holding_text_stays() -> None:
    emoji = '<p><img class="emoji" src="e.png"> <em>Spoilers ahead</em></p>'
    icon = '<p><img src="i.png" width="16" height="16"><em>Spoilers ahead for the finale</em></p>'
    text = '<p><img src="a.jpg"><br> The premiere drew <em>record</em> numbers, the network said.</p>'
    for markup in (emoji, icon, text):
        item = _clean(markup + PARA)
        assert len(item.body) == 2, markup
        assert item.captions == []


def test_div_with_a_photo_and_a_caption_line_is_a_figure() -> None:
    """Evening Standard: <div><div><picture><img></picture></div><div>caption</div><div>ES</div></div>."""
    box = ('<div><div><picture><img src="blair.jpg" width="3365" height="5044"></picture></div>'
           '<div class="sc-eBMEME">Former Prime Minister Tony Blair</div><div class="sc-dC">ES</div></div>')
    item = _clean(box + PARA)
    assert len(item.body) == 1
    assert item.captions == ["Former Prime Minister Tony Blair ES"]


def test_div_with_a_photo_and_a_heading_or_text_stays() -> None:
    listicle = '<div><img src="catan.jpg"><h2>1. Catan</h2></div>'
    prose = ('<div><img src="set.jpg"><div>The first trailer shows the cast on location in Morocco, '
             'where most of the film was shot over the summer, and the studio says a second one '
             'follows next month with a first look at the villain, whose casting has been kept '
             'secret since the project was announced two years ago.</div></div>')
    for markup in (listicle, prose):
        item = _clean(markup + PARA)
        assert len(item.body) == 2, markup


def test_similar_links_box_between_paragraphs_goes() -> None:
    """CBC: <ul class="similarLinks"> with one related headline between two paragraphs."""
    box = ('<div><ul class="similarLinks"><li class="similarListItem"><a href="/x" class="similarLink">'
           'Who is Ismail Haniyeh, the Hamas political leader killed in Iran?</a></li></ul></div>')
    item = _clean(PARA + box + PARA2)
    assert len(item.body) == 2


CARD = ('<div class="card"><figure><img src="t.jpg" width="982" height="726"></figure>'
        '<h3><a href="https://news.example/brits-post-office-b2506025.html">Wronged postmistress in '
        'Post Office scandal takes the stage at the Brits</a></h3><p>Jo Hamilton appeared alongside '
        'Monica Dolan, who played her in the hit ITV drama</p></div>')


def test_lone_teaser_card_in_the_text_goes() -> None:
    """The Independent live blog: a linked headline and its summary inside a post."""
    item = _clean(PARA + CARD + PARA2)
    assert len(item.body) == 2
    assert any(rule == "link-card" for rule, _ in item.removed)


def test_series_of_linked_entries_and_partly_linked_headings_stay() -> None:
    series = (CARD.replace("Wronged", "First").replace("Jo Hamilton", "Alan Bates")
              + CARD.replace("Wronged", "Second"))
    item = _clean(PARA + series + PARA2)
    assert len(item.body) == 6
    partly = ('<div><h3>The finale of <a href="/show">Shogun</a> explained</h3>'
              '<p>What the last scene means.</p></div>')
    item = _clean(PARA + partly + PARA2)
    assert len(item.body) == 4
