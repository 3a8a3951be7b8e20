"""Text is text: no mojibake, markup or entity soup in what we extract."""

from __future__ import annotations

from pathlib import Path

from crawler.evaluation import load_cases, read_html, split_of
from crawler.processing import process_page

STORY = "".join(
    f"<p>Paragraph {n}: the café reopened on Monday, and it’s busier than before, the owner "
    f"said of the queue outside.</p>" for n in range(5))


def _mojibake(text: str) -> str:
    """What a CMS that reads UTF-8 as cp1252 and writes it back does to text."""
    return text.encode("utf-8").decode("cp1252")


def test_mojibake_in_the_page_is_repaired_in_title_and_body() -> None:
    html = (f"<html><head><title>{_mojibake('Café society – it’s back')}</title></head><body>"
            f"<article><h1>{_mojibake('Café society – it’s back')}</h1>{_mojibake(STORY)}"
            "</article></body></html>").encode()
    item = process_page(html, "https://news.example/2025/03/cafe", validate_item=False)
    assert item.title == "Café society – it’s back"
    assert item.body[0].startswith("Paragraph 0: the café reopened on Monday, and it’s busier")
    assert item.field_sources["text"] == "mojibake repaired"


def test_correct_text_is_left_alone() -> None:
    html = f"<html><body><article><h1>Köln “Premiere”</h1>{STORY}</article></body></html>"
    item = process_page(html.encode("utf-8"), "https://news.example/2025/03/koeln", validate_item=False)
    assert item.body[0].startswith("Paragraph 0: the café reopened on Monday, and it’s busier")
    assert "text" not in item.field_sources


def test_real_page_with_double_encoded_no_break_spaces(corpus_dir: Path) -> None:
    """Embrace's pages carry "Â\\xa0" (a UTF-8 no-break space read as cp1252) after sentences."""
    case = next(c for c in load_cases(corpus_dir, manifests=("cases-wcxb-articles.jsonl",))
                if c["id"] == "wcxb/embrace-pet-insurance/4912")
    assert split_of(case["publisher"]) == "tuning"
    assert "Â".encode() in read_html(case["html"])
    item = process_page(read_html(case["html"]), case["url"], validate_item=False)
    assert not any("Â" in p for p in item.body)
    assert any("$32.21 for cats." in p for p in item.body)
