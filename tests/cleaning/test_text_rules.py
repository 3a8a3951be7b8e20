"""Text rules on paragraphs: what goes, what must stay."""

from __future__ import annotations

from typing import ClassVar

import pytest

from crawler.cleaning import clean_paragraphs
from crawler.cleaning.rules import is_share_row
from crawler.cleaning.text import trim_author_tail
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


@pytest.mark.parametrize("junk, rule", [
    ("Purchase Licensing Rights", "ui-furniture"),
    ("Our Standards: The Thomson Reuters Trust Principles.", "ui-furniture"),
    ("Sign In or Create an Account", "ui-furniture"),
    ("Don't have an account? Create Account", "ui-furniture"),
    ("View more offers", "ui-furniture"),
    ("Share this article in your social network", "ui-furniture"),
    ("We apologize, but this video has failed to load.", "ui-furniture"),
    ("Show Caption", "ui-furniture"),
    ("Image Credit", "ui-furniture"),
    ("Share your feedback to help improve our site!", "ui-furniture"),
    ("Reuse this content", "ui-furniture"),
    ("Explore more on these topics", "ui-furniture"),
    ("Tags", "ui-furniture"),
    ("✕", "ui-furniture"),
    ("Close", "ui-furniture"),
    ("Click to Read More and View Comments", "ui-furniture"),
    ("Got a story? Get in touch with our news team by emailing us at webnews@metro.co.uk.",
     "ui-furniture"),
    ("Follow Metro.co.uk on Twitter and Facebook for the latest news updates.", "ui-furniture"),
    ("For the latest breaking news from the Daily Star, sign up for our newsletters .",
     "newsletter"),
    ("Just R20 for the first month. Support independent journalism by subscribing to our digital "
     "news package.", "subscribe"),
    ("See it at AmazonSee it at Razer", "shop-button"),
    # Lines from real pages (Eneba, Book Riot, The Quietus, The Guardian, Modern Farmer).
    ("Get the Catan Board Game on Amazon", "shop-button"),
    ("Get the Frosthaven Video Game on Eneba", "shop-button"),
    ("Stream it on Netflix", "shop-button"),
    ("How useful was this post?", "rating-widget"),
    ("Click on a star to rate it!", "rating-widget"),
    ("Average rating 4.6 / 5. Vote count: 4285", "rating-widget"),
    ("No votes so far! Be the first to rate this post.", "rating-widget"),
    ("Join All Access to unlock members-only content Get access to exclusive content and features "
     "with an All Access subscription on Book Riot.", "subscribe"),
    ("Read Review|More on Ghold", "related-link"),
    ("More on Anthony Child", "related-link"),
    ("To browse all of the Guardian’s best books of 2025, visit guardianbookshop.com. Delivery "
     "charges may apply.", "commerce-note"),
    ("Republish our articles for free, online or in print, under a Creative Commons license.",
     "ui-furniture"),
    ("Follow us", "ui-furniture"),
    ("Jump to:", "ui-furniture"),
    ("Submit", "ui-furniture"),
    ("Buy Now", "ui-furniture"),
    ("Get in touch with our news team by emailing us at webnews@metro.co.uk.", "ui-furniture"),
    ("Enjoying our latest content?", "ui-furniture"),
    ("Follow TechRadar on Google News and add us as a preferred source to get our expert news, "
     "reviews, and opinion in your feeds.", "ui-furniture"),
    ("Five Books aims to keep its book recommendations and interviews up to date. If you are the "
     "interviewee and would like to update your choice of books (or even just what you say about them) "
     "please email us at [email protected]", "contact-note"),  # Cloudflare hides the address
    ("Got a tip? Email us at tips@example.com.", "contact-note"),
    ("Members watch AD-FREE here", "click-here"),
    ("Listen to the audio podcast here", "click-here"),
    ("Watch the full video on the Science Fiction channel", "click-here"),
    ("Crédits photos : Bestimage", "photo-credit"),
    ("Foto: dpa", "photo-credit"),
    ("Ende des Videobeitrags", "ui-furniture"),
    ("Weitere Informationen", "ui-furniture"),
    ("Plus special access to select articles and other premium content with your account - free of "
     "charge.", "subscribe"),
    ("AFP, MANILA", "dateline"),
    ("or", "ui-furniture"),
    ("You Can Also Check: Gold Rate in Bhopal | Silver Rate in Bhopal | Bank Holidays in Bhopal",
     "related-link"),
    ("This is a breaking new story - more to follow", "status-note"),
    ("cancel email link bookmark Save", "share-row"),
    ("___", "separator"),
    ("*****", "separator"),
    ("@robhastings", "bare-url"),
    ("By MELISSA GOLDIN", "byline"),
    ("By TPN, in News, Portugal, Business, Property, Tourism · 31 Jan 2025, 20:02 · 0 Comments", "byline"),
    ("Our community members are treated to special offers, promotions, and adverts from us and our "
     "partners. You can check out at any time. Read our Privacy Notice", "newsletter"),
    ("1709415900", "timestamp"),
    ("8:02PM", "timestamp"),
    ("Roisin O'Connor2 March 2024 22:17", "timestamp"),
    ("21 mins ago11:48 Jon King", "timestamp"),
    ("20:42KEY EVENT", "timestamp"),
])
def test_furniture_lines_go(junk: str, rule: str) -> None:
    kept, removed = clean_paragraphs([BODY[0], junk, BODY[1]])
    assert kept == BODY
    assert removed == [(rule, junk)]


@pytest.mark.parametrize("line", [
    # Lines from real article bodies that look a little like furniture: they stay.
    "The 1975",
    "Apollo 13",
    "Update: February 29, 2024",
    "£79.99, Lakeland",
    "Oxford, Mississippi; Wednesday, 9 p.m. EST",
    "COMMODITIES AT 7:18 a.m. ET",
    "2/26/2015 7:11 AM PST BY TMZ STAFF",
    "Follow Roxane Gay on social media: Twitter, Facebook, Goodreads",
    "Buy: check price at Amazon UK, check price at Amazon US",
    "Image quality matters more than resolution, the cinematographer said.",
    "Close to 2,000 fans queued overnight for the premiere.",
    "More on the cast later.",
    "Watch the trailer below.",
    "Or not.",
    "This is a developing story about a studio in trouble, and the cast knows it, the director said.",
    "This is a developing story and will be updated.",  # tells readers the text will change
    "LEAVE KYLIE ALONE, KEMP.",
    "Warner Bros., Netflix and Apple all passed on the script, the producer said.",
    "Ende der Saison kehrt die Serie mit neuen Folgen zurück.",
    "Themen wie Verlust und Trauer ziehen sich durch das ganze Album.",
    "Read our full review here.",  # a roundup's pointer to its review: text readers keep
    "Watch the trailer on YouTube",
    "Fans can stream the whole season on Netflix starting Friday, the streamer said.",
    "Get the whole family together for a game night on Sunday.",
    "Submit your questions for the cast before Friday.",
    "By Christmas, the studio hopes to have a director attached to the sequel.",
    "Video games outsold films for the third year running.",
])
def test_lines_like_furniture_stay(line: str) -> None:
    kept, removed = clean_paragraphs([BODY[0], line, BODY[1]])
    assert kept == [BODY[0], line, BODY[1]]
    assert removed == []


def test_repeated_short_label_goes_but_short_lines_seen_a_few_times_stay() -> None:
    label = "Get Tickets"
    paragraphs = [p for i in range(8) for p in (f"{i + 1}. Festival number {i + 1}", label,
                                                 BODY[i % 2])]
    kept, removed = clean_paragraphs(paragraphs)
    assert label not in kept
    assert removed.count(("repeated-label", label)) == 8
    # Spec lines repeated a few times in a review ("Weight", "DPI") are content.
    specs = [BODY[0], "Weight", "60g", "DPI", BODY[1], "Weight", "55g", "DPI"]
    kept, removed = clean_paragraphs(specs)
    assert kept == specs and removed == []


def test_paragraph_repeated_verbatim_appears_once() -> None:
    quote = ("“I never thought the show would last a season, let alone ten,” she said of the "
             "series finale.")
    kept, removed = clean_paragraphs([BODY[0], quote, BODY[1], quote])
    assert kept == [BODY[0], quote, BODY[1]]
    assert removed == [("duplicate", quote)]
    # Short lines (list items, spec values) may repeat.
    kept, _ = clean_paragraphs([BODY[0], "Where to watch: Netflix", BODY[1],
                                "Where to watch: Netflix"])
    assert kept.count("Where to watch: Netflix") == 2


def test_author_box_at_the_tail_goes() -> None:
    bio = ("Jason Miciak is an associate editor and opinion writer. He is a trained attorney who "
           "writes about politics.")
    kept, removed = trim_author_tail([*BODY, "Jason Miciak", bio], ["Jason Miciak"])
    assert kept == BODY
    assert removed == [("author-box", "Jason Miciak"), ("author-box", bio)]
    # A closing line that names the author but is no bio stays.
    contact = "Jason Miciak can be reached at jmiciak@example.com."
    kept, removed = trim_author_tail([*BODY, contact], ["Jason Miciak"])
    assert kept == [*BODY, contact] and removed == []
    # The author's name in the middle of the article is not a tail.
    kept, removed = trim_author_tail(["Jason Miciak", *BODY], ["Jason Miciak"])
    assert kept == ["Jason Miciak", *BODY] and removed == []


def test_author_bio_with_a_short_first_name_goes() -> None:
    """Occupy Democrats: the byline says Stephanie Bazzle, the bio "Steph Bazzle covers ..."."""
    bio = "Steph Bazzle covers politics and theocracy. Follow Steph on Twitter @imjustasteph."
    kept, removed = trim_author_tail([*BODY, "Stephanie Bazzle", bio], ["Stephanie Bazzle"])
    assert kept == BODY and [r[1] for r in removed] == ["Stephanie Bazzle", bio]
    other = "Stephen Bazzle, her brother, is a lawyer in Ohio."
    kept, _ = trim_author_tail([*BODY, other], ["Stephanie Bazzle"])
    assert kept[-1] == other


def test_share_row_split_into_one_word_paragraphs_goes() -> None:
    """AP News: each share button is its own line."""
    row = ["Copy", "Email", "Facebook", "X", "Reddit", "LinkedIn", "Pinterest", "Flipboard", "Print"]
    kept, removed = clean_paragraphs([BODY[0], *row, BODY[1]])
    assert kept == BODY
    assert removed == [("share-row", " ".join(row))]


def test_one_word_lines_that_are_not_a_share_row_stay() -> None:
    lines = ["Email", "Drama", "Print"]
    kept, _ = clean_paragraphs([BODY[0], *lines, BODY[1]])
    assert kept == [BODY[0], *lines, BODY[1]]


def test_read_more_card_goes_with_its_headline_but_not_a_sentence() -> None:
    card = "Michigan primary a test for Biden as key voters turn away over Gaza war"
    kept, removed = clean_paragraphs([BODY[0], card, "Read more", BODY[1]])
    assert kept == BODY
    assert removed == [("related-link", card), ("read-more", "Read more")]
    kept, removed = clean_paragraphs([BODY[0], "Read more"])
    assert kept == [BODY[0]] and removed == [("read-more", "Read more")]


def test_about_the_author_box_at_the_tail_goes() -> None:
    box = ["ABOUT THE AUTHOR", "Yasmine Hassan", "Producer",
           "Yasmine Hassan is a producer filing stories on the Middle East for CBC.", "Related Stories"]
    kept, removed = clean_paragraphs([*BODY, *box])
    assert kept == BODY
    assert [r[1] for r in removed] == [box[-1], *box[:-1]]


def test_about_the_author_far_from_the_end_stays() -> None:
    body = ["About the author", *[f"{BODY[0]} ({i})" for i in range(12)]]
    kept, removed = clean_paragraphs(body)
    assert kept == body and removed == []


def test_tags_and_related_heading_at_the_tail_go() -> None:
    """ok-magazin.de: a German "you may also like" heading, then the "Themen" label and a tag."""
    tail = ["Diese Artikel könnten dich auch interessieren:", "Themen", "Tod"]
    kept, removed = clean_paragraphs([*BODY, *tail])
    assert kept == BODY
    assert sorted(r[1] for r in removed) == sorted(tail)


def test_tags_label_followed_by_text_stays() -> None:
    body = [*BODY, "Tags", "The studio has not said when the second season will start filming."]
    kept, _ = clean_paragraphs(body)
    assert kept[-1] == body[-1]


def test_byline_left_as_text_at_the_top_of_the_body_goes() -> None:
    from crawler.cleaning.text import trim_byline_head

    text = "The festival opens on Friday with a film nobody has seen yet, the organisers said."
    for head in (["by Natalia Keogan"], ["By", "Lauren"], ["By Haley Hoekstra • March 12, 2025"],
                 ["By Chris McNamara ⋅ Founder and Editor-in-Chief ⋅ Updated May 6, 2025"],
                 ["Written by:", "Jane Doe"]):
        kept, removed = trim_byline_head([*head, text], [])
        assert kept == [text], head
        assert [r for r, _ in removed] == ["byline"] * len(head)


def test_sentences_opening_with_by_stay() -> None:
    from crawler.cleaning.text import trim_byline_head

    for first in ("By the end of the tour, the band had played forty shows.",
                  "By 2030, the city plans to open three new cinemas.",
                  "By far the best episode of the season, and the shortest."):
        paragraphs = [first, "The rest of the article."]
        assert trim_byline_head(paragraphs, []) == (paragraphs, [])
    # Deeper in the article a "By ..." line is not looked at.
    paragraphs = ["One.", "Two.", "Three.", "By Jane Doe"]
    assert trim_byline_head(paragraphs, ["Jane Doe"])[0] == paragraphs


def test_furniture_labels_on_their_own_line_go_but_sentences_stay() -> None:
    from crawler.cleaning.text import paragraph_rule

    for label in ("Table of Contents", "Learn more", "Back to top", "Like this:", "5 min read",
                  "Get a demo", "Start free trial", "Written by", "Add a comment",
                  "Thank you! Your submission has been received!"):
        assert paragraph_rule(label) == "furniture-label", label
    for line in ("Learn more about the cast of the film.", "Contact us at the box office.",
                 "Back in 2019, the band split.", "Conclusion", "Frequently Asked Questions",
                 "Read more of her reviews in the print edition."):
        assert paragraph_rule(line) is None, line


def test_markup_printed_as_text_goes() -> None:
    from crawler.cleaning.text import paragraph_rule

    assert paragraph_rule('<img height="1" width="1" style="display:none" '
                          'src="https://px.example/tr?id=1&ev=PageView&noscript=1"/>') == "markup"
    assert paragraph_rule("<iframe src='https://player.example/1'></iframe>") == "markup"
    # Code in an article about HTML is text the article shows.
    assert paragraph_rule("Use <img> with an alt attribute for every picture.") is None
