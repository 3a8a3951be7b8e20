"""Text is text: mojibake (UTF-8 read as Latin-1/cp1252 somewhere upstream, "cafÃ©",
"Itâ€™s", "Â\xa0") repaired in extracted text.

Pages are decoded correctly (see ``decoding``); these characters are in the page's own bytes,
double-encoded by its CMS. ftfy's ``fix_encoding`` undoes exactly that and nothing else (no
quote uncurling, no entity decoding). It is slow on a whole page (~170 ms), so it runs on the
extracted fields and on the text nodes of the body container (before whitespace is collapsed,
which would split "Â" from the no-break space it came with), and only where plain substring
tests find the tell-tale characters.
"""

from __future__ import annotations

import re

from lxml.html import HtmlElement

_MARKERS = ("Ã", "Â", "â€")
#: A C1 control character on its own, not in a sequence of UTF-8 read as Latin-1 ("â\x80\x99"):
#: windows-1252 punctuation read as Latin-1 upstream ("\x92" for "’"), shown as windows-1252.
_LONE_C1 = re.compile("(?<![\xc2-\xf4\x80-\x9f])[\x80-\x9f](?![\x80-\xbf])")


def _suspect(text: str) -> bool:
    return any(m in text for m in _MARKERS) or _LONE_C1.search(text) is not None


def _as_cp1252(match: re.Match[str]) -> str:
    return match.group().encode("latin-1").decode("cp1252", "ignore")  # 5 bytes are unassigned


def repair(text: str) -> str:
    """``text`` with double-encoded (mojibake) characters restored and lone C1 control
    characters read as windows-1252 (the same object when it has none)."""
    if not _suspect(text):
        return text
    if any(m in text for m in _MARKERS):
        import ftfy  # only text with mojibake pays for the import

        text = ftfy.fix_encoding(text)
    return _LONE_C1.sub(_as_cp1252, text)


def repair_tree(root: HtmlElement) -> int:
    """Repair the text and tail of every element under ``root`` in place; how many changed."""
    changed = 0
    for el in root.iter():
        for attr in ("text", "tail"):
            value = getattr(el, attr)
            if value and _suspect(value):
                fixed = repair(value)
                if fixed != value:
                    setattr(el, attr, fixed)
                    changed += 1
    return changed
