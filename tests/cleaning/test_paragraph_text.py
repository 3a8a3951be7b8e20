"""Container → paragraph text: words of elements a stylesheet lays out as blocks stay apart."""

from __future__ import annotations

import pytest
from lxml import html

from crawler.cleaning.paragraphs import paragraphs_of


@pytest.mark.parametrize("markup, text", [
    # The Quietus chart entry: artist, album and label are sibling inline elements.
    ("<h2><span><a>Steve Davis &amp; Gaz Williams</a><em>Shipwreck</em><span>Rack</span></span></h2>",
     "Steve Davis & Gaz Williams Shipwreck Rack"),
    ("<p>Hosted by: <span>Omny Studio</span><span>4.9 ★</span></p>", "Hosted by: Omny Studio 4.9 ★"),
    # Boundaries that are not word breaks.
    ("<p><span class='dropcap'>T</span>he film was <b>great</b>.</p>", "The film was great."),
    ("<p>Held in Madrid.<sup>15</sup> Next</p>", "Held in Madrid.15 Next"),
    ("<p>an American<sup>1</sup> artist</p>", "an American1 artist"),
    ("<p>Taylor <a>Swift</a>‘s new album</p>", "Taylor Swift‘s new album"),
    ("<p>the <a>iPhone</a>s and <i>Dune</i>: Part Two</p>", "the iPhones and Dune: Part Two"),
])
def test_inline_boundaries(markup: str, text: str) -> None:
    paragraphs, _ = paragraphs_of(html.fromstring(f"<div>{markup}</div>"))
    assert paragraphs == [text]



@pytest.mark.parametrize("markup, items", [
    ("<ol><li>Catan</li><li>Root</li></ol>", ["1. Catan", "2. Root"]),
    ("<ol start='9'><li>Catan</li><li>Root</li></ol>", ["9. Catan", "10. Root"]),
    ("<ol reversed><li>Catan</li><li>Root</li><li>Heat</li></ol>", ["3. Catan", "2. Root", "1. Heat"]),
    ("<ol><li value='5'>Catan</li><li>Root</li></ol>", ["5. Catan", "6. Root"]),
    ("<ul><li>Catan</li><li>Root</li></ul>", ["Catan", "Root"]),
])
def test_ordered_list_items_keep_the_number_readers_see(markup: str, items: list[str]) -> None:
    paragraphs, _ = paragraphs_of(html.fromstring(f"<div>{markup}</div>"))
    assert paragraphs == items
