"""Hostile and broken input: the cases, each an answer of the local mirror at its own path and
what the crawl may make of it.

Made from the recorded real pages (tests/hostile/pages.py), mutated, and from synthetic ones.
Every case names the outcomes it may have (``stored``, ``dropped/<reason>``,
``skipped/not_html``, ``failed/<exception>``), the notes its log lines must carry
(``charset_guessed``, ``cut_short`` ...; see tests/hostile/harness.py) and, when stored, what
its article must hold and must not hold. Discovery cases (sitemaps, feeds, traps) are in
tests/hostile/discovery_cases.py.
"""

from __future__ import annotations

import gzip
import json
import random
import re
import zlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import cache

from crawler.loopback import Answer, Stream
from tests.hostile.pages import (
    PARAGRAPHS,
    TITLE,
    Reference,
    jsonld,
    references,
    slug,
    synthetic,
)

HTML = {"Content-Type": "text/html; charset=utf-8"}
#: The settings of the transport crawl (the cases below are sized for them).
MAXSIZE = 1024 * 1024
WARNSIZE = 512 * 1024
TIMEOUT = 3
#: Stored with any outcome: a page may lose its date to a mutation.
INCIDENTAL = frozenset({"no_date"})
#: Outcomes of a page that may or may not still hold an article.
STORED_OR_DROPPED = frozenset({"stored", "dropped/not_an_article", "dropped/empty_body"})


@dataclass(repr=False)
class Case:
    """One hostile answer and what the crawl may make of it."""

    category: str
    name: str
    answer: Answer
    allowed: frozenset[str]
    #: Notes its log lines must carry whatever the outcome, and those only if it is stored.
    notes: frozenset[str] = frozenset()
    stored_notes: frozenset[str] = frozenset()
    #: Notes it may carry besides.
    maybe: frozenset[str] = INCIDENTAL
    #: When stored: its title, paragraphs its body holds, text found nowhere in the article.
    title: str | None = None
    include: tuple[str, ...] = ()
    exclude: tuple[str, ...] = ()
    #: When stored: every paragraph must come from this real page.
    reference: Reference | None = None
    #: Other paths the case needs (redirect targets), served as given.
    extra: dict[str, Answer] = field(default_factory=dict)
    #: Other URLs its log lines may name instead of its own (where it redirects to).
    redirects_to: tuple[str, ...] = ()

    @property
    def also(self) -> tuple[str, ...]:
        """Paths and URLs that stand for this case in the log: its extra paths, its targets."""
        return (*self.extra, *self.redirects_to)

    @property
    def id(self) -> str:
        return f"{self.category}-{self.name}"

    def __repr__(self) -> str:
        return f"Case({self.id})"

    @property
    def path(self) -> str:
        return f"/hostile/{self.category}/{self.name}/"

    @property
    def page(self) -> bytes | None:
        """The body as a saved page would hold it (for ``scrapy extract``), when it is bytes."""
        body = self.answer[2]
        return body if isinstance(body, bytes) else None


def _stored(
    category: str, name: str, data: bytes | str, *, headers: dict[str, str] | None = None, **kwargs: object
) -> Case:
    body = data.encode("utf-8") if isinstance(data, str) else data
    kwargs.setdefault("allowed", frozenset({"stored"}))
    return Case(category, name, (200, headers or HTML, body), **kwargs)  # type: ignore[arg-type]


def _ref_case(category: str, name: str, ref: Reference, mutate, **kwargs: object) -> Case:
    """A case made of a real page re-homed at its path, then mutated (bytes → bytes)."""
    case = Case(category, name, (200, HTML, b""), frozenset({"stored"}))
    data = mutate(ref.page.rehomed(case.path))
    kwargs.setdefault("reference", ref)
    kwargs.setdefault("allowed", frozenset({"stored"}))
    return _stored(category, name, data, **kwargs)


# --- truncated HTML ----------------------------------------------------------------------------


def truncated() -> Iterator[Case]:
    """Real pages cut at a share of their bytes, inside a tag and inside a UTF-8 character."""
    for ref in references(5):
        base = ref.page.rehomed("/x/")
        for share in (0.03, 0.15, 0.35, 0.6, 0.85):
            yield _cut(ref, f"{slug(ref.page.name)}-at-{int(share * 100)}pct", int(len(base) * share))
        tag = base.find(b"<p", len(base) // 2)
        yield _cut(ref, f"{slug(ref.page.name)}-inside-a-tag", tag + 3)
        char = next(i for i in range(len(base) // 2, len(base)) if base[i] >= 0xC0)
        yield _cut(ref, f"{slug(ref.page.name)}-inside-a-character", char + 1)


def _cut(ref: Reference, name: str, at: int) -> Case:
    case = Case("truncated", name, (200, HTML, b""), STORED_OR_DROPPED)
    data = ref.page.rehomed(case.path)[:at]
    # A page that stops inside its content says so when stored; one that happens to stop right
    # after a tag cannot be told from a page leaving out </body></html> (HTML allows that).
    ends_in_tag = data.rstrip().endswith(b">")
    return _stored(
        "truncated",
        name,
        data,
        allowed=STORED_OR_DROPPED,
        reference=ref,
        stored_notes=frozenset() if ends_in_tag else frozenset({"cut_short"}),
        maybe=INCIDENTAL | {"unreadable_jsonld"},
    )


# --- charsets -------------------------------------------------------------------------------

_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?[\w.:-]+["']?[^>]*>""", re.I)
#: A paragraph in windows-1252 (curly quotes, an e acute), as an ad pasted into a UTF-8 page.
_CP1252_AD = "<p>Caf\u00e9 society \u201cspecial\u201d \u2013 book now</p>".encode("cp1252")
#: Article text quoting Japanese (Shift-JIS and EUC-JP cases): English words for the body
#: finder, Japanese for the charset.
_JAPANESE = tuple(
    f"{english} The studio's statement read: {japanese}"
    for english, japanese in zip(
        PARAGRAPHS[:3],
        (
            "「続編の製作を正式に決定しました。監督と主要キャストの多くが続投に合意しています。」",
            "「大都市の映画館では夜の回が軒並み満席となりました。追加の上映も行います。」",
            "「来月から欧州とアジアで公開を拡大する予定です。公開日はまだ決まっていません。」",
        ),
        strict=True,
    )
)
_LATIN = (
    "Die Premiere in M\u00fcnchen war ein gro\u00dfer Erfolg: Das Publikum feierte die Regisseurin "
    "und ihr Ensemble, und die Kritiker lobten die \u00fcberraschende Wendung am Ende des Films.",
    "Le r\u00e9alisateur a confirm\u00e9 qu'une suite \u00e9tait en pr\u00e9paration, apr\u00e8s un "
    "premier week-end d'exploitation qui a d\u00e9pass\u00e9 toutes les pr\u00e9visions des "
    "analystes du secteur.",
    "El estreno en Espa\u00f1a est\u00e1 previsto para el oto\u00f1o, con una campa\u00f1a de "
    "promoci\u00f3n que incluir\u00e1 entrevistas con el reparto y proyecciones especiales en "
    "varias ciudades del pa\u00eds.",
    *PARAGRAPHS[:2],
)


def _strip_charset(data: bytes) -> bytes:
    """A page without its ``<meta charset>``."""
    return _META_CHARSET.sub(b"", data)


def _as_cp1252(data: bytes) -> bytes:
    """A UTF-8 page without its ``<meta charset>``, in windows-1252 (other characters as
    character references)."""
    return _strip_charset(data).decode("utf-8").encode("cp1252", "xmlcharrefreplace")


def charsets() -> Iterator[Case]:
    """Real pages re-encoded in windows-1252 with a missing or wrong charset, a UTF-8 page with
    windows-1252 bytes in it, Latin-1, Shift-JIS and UTF-16 pages declared wrongly or not at all."""
    for ref in references(4, non_ascii=True):
        name = slug(ref.page.name)
        strip, cp1252 = _strip_charset, _as_cp1252
        common = {"reference": ref, "title": ref.title, "include": ref.body}
        yield _ref_case(
            "charset",
            f"{name}-cp1252-no-charset",
            ref,
            cp1252,
            headers={"Content-Type": "text/html"},
            notes=frozenset({"charset_guessed"}),
            **common,
        )
        yield _ref_case(
            "charset",
            f"{name}-cp1252-header-says-utf-8",
            ref,
            cp1252,
            notes=frozenset({"charset_guessed"}),
            **common,
        )
        yield _ref_case(
            "charset",
            f"{name}-cp1252-meta-says-utf-8",
            ref,
            lambda d: _as_cp1252(d).replace(b"<head>", b'<head><meta charset="utf-8">', 1),
            headers={"Content-Type": "text/html"},
            notes=frozenset({"charset_guessed"}),
            **common,
        )
        yield _ref_case(
            "charset",
            f"{name}-cp1252-header-says-shift-jis",
            ref,
            cp1252,
            headers={"Content-Type": "text/html; charset=Shift_JIS"},
            maybe=INCIDENTAL | {"charset_guessed"},
            **common,
        )
        yield _ref_case(
            "charset",
            f"{name}-utf-8-header-says-latin-1",
            ref,
            strip,
            headers={"Content-Type": "text/html; charset=ISO-8859-1"},
            **common,
        )
        yield _ref_case(
            "charset",
            f"{name}-utf-8-with-cp1252-bytes",
            ref,
            lambda d: (
                d.replace(b"</article>", _CP1252_AD + b"</article>", 1)
                if b"</article>" in d
                else d.replace(b"</body>", _CP1252_AD + b"</body>", 1)
            ),
            notes=frozenset({"charset_guessed"}),
            **common,
        )
        yield _ref_case(
            "charset",
            f"{name}-utf-8-cut-in-last-character",
            ref,
            lambda d: d.rstrip() + "\u2019".encode()[:2],
            **common,
        )
    latin = synthetic(paragraphs=_LATIN, charset=None)
    yield _stored(
        "charset",
        "latin-1-no-charset",
        latin.encode("latin-1"),
        headers={"Content-Type": "text/html"},
        include=_LATIN[:3],
        title=TITLE,
        notes=frozenset({"charset_guessed"}),
    )
    yield _stored(
        "charset",
        "latin-1-header-says-utf-8",
        latin.encode("latin-1"),
        include=_LATIN[:3],
        title=TITLE,
        notes=frozenset({"charset_guessed"}),
    )
    yield _stored(
        "charset",
        "latin-1-declared-in-meta",
        synthetic(paragraphs=_LATIN, charset="iso-8859-1").encode("latin-1"),
        headers={"Content-Type": "text/html"},
        include=_LATIN[:3],
        title=TITLE,
    )
    title = "Studio Confirms Sequel: 続編の製作を正式に発表"
    japanese = synthetic(title=title, paragraphs=_JAPANESE, charset=None)
    sjis = japanese.encode("shift_jis")
    yield _stored(
        "charset",
        "shift-jis-declared-in-meta-header-says-utf-8",
        synthetic(title=title, paragraphs=_JAPANESE, charset="Shift_JIS").encode("shift_jis"),
        include=_JAPANESE,
        title=title,
    )
    yield _stored(
        "charset",
        "shift-jis-header-says-latin-1",
        sjis,
        headers={"Content-Type": "text/html; charset=iso-8859-1"},
        include=_JAPANESE,
        title=title,
        notes=frozenset({"charset_guessed"}),
    )
    yield _stored(
        "charset",
        "shift-jis-no-charset",
        sjis,
        headers={"Content-Type": "text/html"},
        include=_JAPANESE,
        title=title,
        notes=frozenset({"charset_guessed"}),
    )
    yield _stored(
        "charset",
        "euc-jp-no-charset",
        japanese.encode("euc_jp"),
        headers={"Content-Type": "text/html"},
        include=_JAPANESE,
        title=title,
        notes=frozenset({"charset_guessed"}),
    )
    page = synthetic(charset=None)
    yield _stored(
        "charset",
        "utf-16-le-declared-without-bom",
        page.encode("utf-16-le"),
        headers={"Content-Type": "text/html; charset=utf-16"},
        include=PARAGRAPHS,
        title=TITLE,
    )
    yield _stored(
        "charset",
        "utf-16-be-declared-without-bom",
        page.encode("utf-16-be"),
        headers={"Content-Type": "text/html; charset=utf-16be"},
        include=PARAGRAPHS,
        title=TITLE,
    )
    yield _stored(
        "charset", "utf-16-with-bom-header-says-utf-8", page.encode("utf-16"), include=PARAGRAPHS, title=TITLE
    )
    yield _stored(
        "charset",
        "utf-8-declared-unknown-charset",
        synthetic(charset="x-no-such-charset"),
        headers={"Content-Type": "text/html; charset=klingon"},
        include=PARAGRAPHS,
        title=TITLE,
    )


# --- binary and other non-HTML bodies served as text/html ------------------------------------


def _pdf() -> bytes:
    """A small PDF whose streams hold plain article text (as many do)."""
    text = " ".join(PARAGRAPHS).encode()
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /Contents 4 0 R >>",
        b"<< /Length %d >>\nstream\nBT /F1 12 Tf 72 712 Td (%s) Tj ET\nendstream" % (len(text), text),
    ]
    body = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n" + b"".join(
        b"%d 0 obj\n%s\nendobj\n" % (i + 1, o) for i, o in enumerate(objects)
    )
    return body + b"trailer\n<< /Root 1 0 R >>\n%%EOF\n"


def binary() -> Iterator[Case]:
    """Files and data served as ``text/html``, and mislabelled or unlabelled bodies."""
    rnd = random.Random(12)
    article = synthetic().encode()
    not_html = frozenset({"dropped/not_html"})
    bodies = {
        "pdf-document": _pdf(),
        "png-image": b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + rnd.randbytes(8000),
        "jpeg-image": b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + rnd.randbytes(8000),
        "gif-image": b"GIF89a\x01\x00\x01\x00" + rnd.randbytes(2000),
        "zip-archive": b"PK\x03\x04\x14\x00\x00\x00" + rnd.randbytes(8000),
        "gzip-of-an-article-without-content-encoding": gzip.compress(article),
        "mp4-video": b"\x00\x00\x00\x18ftypmp42" + rnd.randbytes(8000),
        "woff2-font": b"wOF2\x00\x01\x00\x00" + rnd.randbytes(4000),
        "windows-executable": b"MZ\x90\x00\x03\x00" + rnd.randbytes(4000),
        "random-bytes": rnd.randbytes(20000),
        "every-byte-value": bytes(range(256)) * 40,
        "json-api-answer": json.dumps(
            {
                "articles": [{"title": TITLE, "body": " ".join(PARAGRAPHS)}] * 5,
                "html": "<p>" + PARAGRAPHS[0] + "</p>",
            }
        ).encode(),
        "plain-text-article": ("\n\n".join([TITLE, *PARAGRAPHS])).encode(),
        "csv-export": (
            "id,title,body\n" + "".join(f'{i},"{TITLE}","{p}"\n' for i, p in enumerate(PARAGRAPHS))
        ).encode(),
        "empty-body": b"",
        "only-whitespace": b" \r\n\t\n" * 100,
        "only-nul-bytes": b"\x00" * 30000,
    }
    for name, body in bodies.items():
        yield _stored("binary", name, body, allowed=not_html)
    yield _stored(
        "binary",
        "pdf-labelled-application-pdf",
        _pdf(),
        headers={"Content-Type": "application/pdf"},
        allowed=frozenset({"skipped/not_html"}),
    )
    yield _stored(
        "binary",
        "article-labelled-image-png",
        article,
        headers={"Content-Type": "image/png"},
        allowed=frozenset({"skipped/not_html"}),
    )
    yield _stored(
        "binary",
        "png-without-content-type",
        bodies["png-image"],
        headers={},
        allowed=frozenset({"skipped/not_html", "dropped/not_html"}),
    )
    yield _stored(
        "binary", "article-without-content-type", article, headers={}, include=PARAGRAPHS, title=TITLE
    )


# --- deep nesting ----------------------------------------------------------------------------


def nesting() -> Iterator[Case]:
    """Pages nested 10,000 levels deep (and more) before, around or after the article."""
    deep = frozenset({"dropped/too_deep"})
    body = "".join(f"<p>{p}</p>" for p in PARAGRAPHS)
    yield _stored(
        "nesting",
        "10000-divs-around-the-article",
        synthetic(before="<div>" * 10000, after="</div>" * 10000),
        allowed=deep,
    )
    yield _stored("nesting", "10000-unclosed-divs", synthetic(before="<div>" * 10000), allowed=deep)
    yield _stored("nesting", "100000-unclosed-spans", synthetic(before="<span>" * 100000), allowed=deep)
    yield _stored("nesting", "3000-nested-tables", synthetic(before="<table><tr><td>" * 3000), allowed=deep)
    yield _stored("nesting", "5000-nested-lists", synthetic(before="<ul><li>" * 5000), allowed=deep)
    yield _stored(
        "nesting", "10000-nested-bold", synthetic(before="<b>" * 10000, after="</b>" * 10000), allowed=deep
    )
    yield _stored(
        "nesting",
        "10000-nested-links",
        synthetic(before="<a href='/x'>" * 10000),
        allowed=deep | {"dropped/not_an_article"},
    )
    yield _stored(
        "nesting",
        "10000-divs-after-the-article",
        synthetic(after="<div>" * 10000 + body),
        include=PARAGRAPHS,
        title=TITLE,
        notes=frozenset({"too_deep"}),
    )
    yield _stored(
        "nesting",
        "200-divs-within-the-limit",
        synthetic(before="<div>" * 200, after="</div>" * 200),
        include=PARAGRAPHS,
        title=TITLE,
    )
    for ref in references(2):
        name = slug(ref.page.name)
        # What the head holds (JSON-LD articleBody, a description) may still make an article.
        yield _ref_case(
            "nesting",
            f"{name}-10000-divs-before-the-body",
            ref,
            lambda d: re.sub(rb"<body[^>]*>", lambda m: m.group() + b"<div>" * 10000, d, count=1),
            allowed=deep | {"stored"},
            stored_notes=frozenset({"too_deep"}),
        )
        yield _ref_case(
            "nesting",
            f"{name}-10000-divs-at-the-end",
            ref,
            lambda d: d.replace(b"</body>", b"<section>" * 10000 + b"</body>"),
            include=ref.body[:1],
            title=ref.title,
            notes=frozenset({"too_deep"}),
        )


# --- JSON-LD ---------------------------------------------------------------------------------


def _in_head(script: str | bytes):
    script = script.encode() if isinstance(script, str) else script
    return lambda data: data.replace(b"</head>", script + b"</head>", 1)


def json_ld() -> Iterator[Case]:
    """Giant, deeply nested, malformed and ill-typed JSON-LD in real pages' heads."""
    marker = "HOSTILE-JSONLD-MARKER"
    article = {"@context": "https://schema.org", "@type": "NewsArticle"}
    scripts = {
        "giant-headline": jsonld({**article, "headline": marker * 150_000}),  # under DOWNLOAD_WARNSIZE
        "giant-article-body": jsonld({**article, "articleBody": (marker + " buy now ") * 90_000}),
        "giant-author-name": jsonld({**article, "author": {"@type": "Person", "name": marker * 50_000}}),
        "100000-nested-arrays": '<script type="application/ld+json">'
        + "[" * 100_000
        + "]" * 100_000
        + "</script>",
        "50000-nested-objects": '<script type="application/ld+json">'
        + '{"a":' * 50_000
        + "1"
        + "}" * 50_000
        + "</script>",
        "headline-nested-900-deep": '<script type="application/ld+json">{"@type":"NewsArticle","headline":'
        + "[" * 900
        + f'"{marker}"'
        + "]" * 900
        + "}</script>",
        "unclosed-object": '<script type="application/ld+json">{"@type":"NewsArticle","headline":"'
        + marker
        + '","datePublished":"2024-01-0',
        "wrong-types": jsonld(
            {
                **article,
                "headline": {"x": [1, 2]},
                "datePublished": [1, {"a": 2}],
                "author": 123,
                "@graph": "graph",
                "keywords": {"a": 1},
                "image": 7,
            }
        ),
        "non-finite-numbers": '<script type="application/ld+json">{"@type":"NewsArticle","headline":NaN,'
        '"alternativeHeadline":Infinity,"datePublished":1e400,"wordCount":-Infinity}</script>',
        "type-is-a-number": jsonld({"@type": 42, "headline": marker}),
        "graph-of-strings": jsonld({"@graph": [marker] * 1000}),
        "markup-in-headline": jsonld(
            {**article, "headline": f"<script>{marker}()</script><img src=x onerror=1>"}
        ),
        "2000-scripts": jsonld({"@type": "WebPage", "name": marker}) * 2000,
        "nul-and-escapes-in-strings": '<script type="application/ld+json">{"@type":"NewsArticle",'
        '"author":{"name":"A\\u0000B\\ud800C"},"description":"x\\u0007y"}</script>',
        "script-end-inside-a-string": '<script type="application/ld+json">{"@type":"NewsArticle",'
        '"headline":"a</script><p>' + marker + '</p>"}</script>',
    }
    # (the markup's "</script>" ends the JSON-LD script early, in a browser too)
    unreadable = {
        "100000-nested-arrays",
        "50000-nested-objects",
        "unclosed-object",
        "script-end-inside-a-string",
        "markup-in-headline",
    }
    refs = references(3)
    for i, (name, script) in enumerate(scripts.items()):
        ref = refs[i % len(refs)]
        yield _ref_case(
            "jsonld",
            name,
            ref,
            _in_head(script),
            include=ref.body[:3],
            exclude=(marker,),
            notes=frozenset({"unreadable_jsonld"} if name in unreadable else ()),
            maybe=INCIDENTAL | ({"unreadable_jsonld"} if name == "headline-nested-900-deep" else set()),
        )


# --- scripts, comments and markup in odd places ------------------------------------------------


def _after_paragraph(ref: Reference, index: int, insert: bytes) -> tuple[object, int]:
    """A mutation inserting ``insert`` at the start of the page's ``index``-th body paragraph
    (or the next one whose first words the raw page shows as they are), and its index."""
    text = ref.page.html.decode("utf-8")
    for n in range(index, len(ref.body)):
        start = " ".join(ref.body[n].split()[:4])
        if text.count(start) == 1:
            break
    else:
        raise AssertionError(f"no paragraph of {ref.page.name} after {index} found in its HTML")

    def mutate(data: bytes) -> bytes:
        page = data.decode("utf-8")
        at = page.index(start)
        return (page[:at] + insert.decode("utf-8") + page[at:]).encode("utf-8")

    return mutate, n


def markup() -> Iterator[Case]:
    """Scripts, styles, comments and other hidden markup inside and around the article text."""
    marker = "HOSTILE-MARKUP-MARKER"
    m = marker.encode()
    inserts = {
        "script-inside-a-paragraph": b"<script>document.write('<p>" + m + b"</p>')</script>",
        "script-end-tag-in-a-js-string": b"<script>var s = '<\\/script><p>"
        + m
        + b"</p>'; var t = 1;</script>",
        "style-inside-the-article": b"<style>p::before{content:'" + m + b"'}</style>",
        "noscript-inside-the-article": b"<noscript><p>" + m + b" please enable JavaScript</p></noscript>",
        "template-inside-the-article": b"<template><p>" + m + b"</p></template>",
        "conditional-comment": b"<!--[if IE]><p>" + m + b"</p><![endif]-->",
        "comment-inside-a-paragraph": b"<!-- <p>" + m + b"</p> -->",
        "cdata-section": b"<![CDATA[" + m + b"]]>",
        "processing-instruction": b"<?php echo '" + m + b"'; ?>",
        "svg-with-a-script": b"<svg><script>var x='" + m + b"';</script><title>" + m + b"</title></svg>",
        "iframe-srcdoc": b'<iframe srcdoc="<p>' + m + b'</p>"></iframe>',
        "inline-event-handler": b"<span onclick=\"alert('" + m + b'\')" data-x="' + m + b'"></span>',
        "json-script-block": b'<script type="application/json">{"text": "<p>' + m + b'</p>"}</script>',
        "select-options": b"<select><option>" + m + b"</option></select>",
    }
    refs = references(4)
    for i, (name, insert) in enumerate(inserts.items()):
        ref = refs[i % len(refs)]
        mutate, n = _after_paragraph(ref, 1, insert)
        yield _ref_case(
            "markup", name, ref, mutate, include=(*ref.body[:n], *ref.body[n + 1 : n + 3]), exclude=(marker,)
        )
    ref = refs[0]
    yield _ref_case(
        "markup",
        "unclosed-comment-swallows-the-rest",
        ref,
        _after_paragraph(ref, 2, b"<!-- " + m)[0],
        allowed=STORED_OR_DROPPED,
        exclude=(marker,),
    )
    yield _ref_case(
        "markup",
        "comment-in-the-title",
        ref,
        lambda d: re.sub(rb"<title>", b"<title><!-- " + m + b" -->", d, count=1),
        exclude=(marker,),
        include=ref.body[:2],
    )
    yield _ref_case(
        "markup",
        "script-after-the-end-of-the-document",
        ref,
        lambda d: d + b"<script>document.write('<p>" + m + b"</p>')</script><!-- " + m,
        include=ref.body[:2],
        exclude=(marker,),
    )
    yield _ref_case(
        "markup",
        "plaintext-element-in-the-footer",
        ref,
        lambda d: d.replace(b"</body>", b"<plaintext>" + m + b"</body>", 1),
        include=ref.body[:2],
        exclude=(marker,),
    )


# --- NUL bytes and control characters --------------------------------------------------------


def _sprinkle(data: bytes, byte: bytes, every: int) -> bytes:
    """``byte`` after every ``every``-th space (ASCII positions: no character is split)."""
    parts = data.split(b" ")
    return b" ".join(p + (byte if i % every == 0 else b"") for i, p in enumerate(parts))


def nul_bytes() -> Iterator[Case]:
    """NUL bytes and other control characters in text, tags, the title and the JSON-LD."""
    refs = references(3)
    control = frozenset({"stored", "dropped/not_html"})
    noted = frozenset({"control_characters"})
    yield _ref_case(
        "nul",
        "nul-after-every-tenth-space",
        refs[0],
        lambda d: _sprinkle(d, b"\x00", 10),
        include=refs[0].body[:3],
        title=refs[0].title,
        stored_notes=noted,
    )
    yield _ref_case(
        "nul",
        "nul-after-every-space",
        refs[1],
        lambda d: _sprinkle(d, b"\x00", 1),
        include=refs[1].body[:3],
        title=refs[1].title,
        stored_notes=noted,
    )
    yield _ref_case(
        "nul",
        "nul-inside-tag-names",
        refs[2],
        lambda d: d.replace(b"<p>", b"<p\x00>"),
        allowed=STORED_OR_DROPPED,
        stored_notes=noted,
    )
    yield _ref_case(
        "nul",
        "nul-in-the-title",
        refs[0],
        lambda d: d.replace(b"<title>", b"<title>\x00\x00"),
        include=refs[0].body[:2],
        stored_notes=noted,
    )
    yield _ref_case(
        "nul",
        "nul-escapes-in-json-ld",
        refs[1],
        _in_head(
            '<script type="application/ld+json">{"@type":"NewsArticle","headline":"A\\u0000B","author":'
            '{"name":"C\\u0000D"}}</script>'
        ),
        include=refs[1].body[:2],
    )
    yield _ref_case(
        "nul",
        "escape-sequences-after-every-twentieth-space",
        refs[2],
        lambda d: _sprinkle(d, b"\x1b\x07", 20),
        allowed=control,
        include=refs[2].body[:2],
        stored_notes=noted,
    )
    yield _ref_case(
        "nul",
        "backspaces-and-form-feeds",
        refs[0],
        lambda d: _sprinkle(d, b"\x08\x0c", 15),
        allowed=control,
        include=refs[0].body[:2],
        stored_notes=noted,
    )
    # cp1252 punctuation read as Latin-1 upstream: "\x92" (a C1 control) for "’" and so on
    c1 = {"’": "\x92", "‘": "\x91", "“": "\x93", "”": "\x94", "–": "\x96", "—": "\x97", "…": "\x85"}
    yield _ref_case(
        "nul",
        "punctuation-as-c1-controls",
        refs[1],
        lambda d: d.decode().translate(str.maketrans(c1)).encode(),
        include=refs[1].body,
        title=refs[1].title,
        maybe=INCIDENTAL | {"unreadable_jsonld"},
    )  # between JSON tokens, they break it
    yield _ref_case(
        "nul",
        "noncharacters-after-every-twelfth-space",
        refs[1],
        lambda d: _sprinkle(d, "\ufffe\uffff".encode(), 12),
        include=refs[1].body[:3],
    )
    yield _ref_case(
        "nul",
        "byte-order-marks-in-the-middle",
        refs[2],
        lambda d: _sprinkle(d, "\ufeff".encode(), 9),
        include=refs[2].body[:2],
    )
    yield _ref_case(
        "nul",
        "bidi-overrides-in-the-title",
        refs[0],
        lambda d: d.replace(b"<title>", "<title>\u202e\u200b".encode()),
        include=refs[0].body[:2],
    )
    yield _stored(
        "nul",
        "mostly-nul-page",
        b"\x00" * 20000 + synthetic().encode() + b"\x00" * 20000,
        allowed=frozenset({"stored", "dropped/not_html"}),
        stored_notes=noted,
    )


# --- dates -----------------------------------------------------------------------------------


def dates() -> Iterator[Case]:
    """Invalid, far-future and absurd publication dates in JSON-LD, meta tags, <time> and URLs."""
    values = {
        "year-9999": "9999-12-31T23:59:59Z",
        "year-1": "0001-01-01T00:00:00Z",
        "month-13-day-45": "2024-13-45",
        "five-digit-year": "99999-01-01",
        "empty": "",
        "february-30th": "2024-02-30T10:00:00Z",
        "offset-of-99-hours": "2024-05-01T10:00:00+99:00",
        "year-2999": "2999-01-01T00:00:00Z",
        "before-the-web": "1969-12-31T23:59:59Z",
        "words": "tomorrow at noon",
        "huge-number": 1e20,
        "null": None,
    }
    for name, value in values.items():
        head = jsonld(
            {
                "@context": "https://schema.org",
                "@type": "NewsArticle",
                "headline": TITLE,
                "datePublished": value,
                "dateModified": value,
            }
        )
        # a real day with an absurd offset may be kept as that day (the junk check bounds it)
        day_kept = name == "offset-of-99-hours"
        yield _stored(
            "dates",
            f"json-ld-{name}",
            synthetic(head=head),
            include=PARAGRAPHS,
            title=TITLE,
            notes=frozenset() if day_kept else frozenset({"no_date"}),
        )
    yield _stored(
        "dates",
        "meta-published-time-in-3000",
        synthetic(head='<meta property="article:published_time" content="3000-01-01T00:00:00Z">'),
        include=PARAGRAPHS,
        title=TITLE,
        notes=frozenset({"no_date"}),
    )
    yield _stored(
        "dates",
        "time-element-year-9999",
        synthetic(before='<time datetime="9999-01-01T00:00:00Z">January 1, 9999</time>'),
        include=PARAGRAPHS,
        title=TITLE,
        notes=frozenset({"no_date"}),
    )
    yield _stored(
        "dates",
        "dateline-in-the-year-2999",
        synthetic(before="<p class='byline'>By Jane Doe | Published March 3, 2999</p>"),
        include=PARAGRAPHS,
        title=TITLE,
        notes=frozenset({"no_date"}),
    )


# --- the transport crawl: sizes, compression bombs, redirects, slow and broken servers ---------


@cache
def _bomb(megabytes: int, wbits: int = 31, unit: bytes = b"\0") -> bytes:
    """``megabytes`` MiB of ``unit`` repeated, compressed (gzip: wbits 31, zlib: 15)."""
    packer = zlib.compressobj(9, zlib.DEFLATED, wbits)
    chunk = unit * ((1 << 20) // len(unit))
    return b"".join([packer.compress(chunk) for _ in range(megabytes)] + [packer.flush()])


def _brotli_bomb(megabytes: int) -> bytes | None:
    try:
        import brotli
    except ImportError:
        return None
    return brotli.compress(b"\0" * (megabytes << 20), quality=5)


def sizes_and_bombs() -> Iterator[Case]:
    """Pages over DOWNLOAD_MAXSIZE (announced or not) and decompression bombs."""
    ignored = frozenset({"failed/IgnoreRequest"})
    cancelled = frozenset({"failed/DownloadCancelledError"})
    page = synthetic(after="<!--" + "x" * (MAXSIZE + 4096) + "-->").encode()
    yield _stored("size", "over-maxsize-with-content-length", page, allowed=cancelled)
    yield Case(
        "size",
        "over-maxsize-chunked",
        (200, HTML, Stream([page[i : i + 65536] for i in range(0, len(page), 65536)])),
        cancelled,
        notes=frozenset({"warnsize"}),
    )  # warned on the way
    yield Case(
        "size",
        "over-maxsize-with-a-lying-short-length",
        (200, HTML, Stream([page], length=1000)),
        frozenset({"stored", "failed/ResponseFailed", "failed/ResponseDataLossError"}),
        maybe=INCIDENTAL | {"cut_short"},
    )
    padded = synthetic(after="<!--" + "x" * (WARNSIZE + 4096) + "-->").encode()
    yield _stored(
        "size",
        "over-warnsize-under-maxsize",
        padded,
        include=PARAGRAPHS,
        title=TITLE,
        notes=frozenset({"warnsize"}),
    )
    gz = {**HTML, "Content-Encoding": "gzip"}
    yield _stored("bomb", "gzip-64mb-of-zeros", _bomb(64), headers=gz, allowed=ignored)
    yield _stored("bomb", "gzip-64mb-of-nested-divs", _bomb(64, unit=b"<div>"), headers=gz, allowed=ignored)
    yield _stored(
        "bomb",
        "deflate-64mb-of-zeros",
        _bomb(64, wbits=15),
        headers={**HTML, "Content-Encoding": "deflate"},
        allowed=ignored,
    )
    yield _stored(
        "bomb",
        "gzip-twice-64mb",
        gzip.compress(_bomb(64)),
        headers={**HTML, "Content-Encoding": "gzip, gzip"},
        allowed=ignored,
    )
    yield _stored("bomb", "gzip-bomb-with-a-small-content-length", _bomb(64), headers=gz, allowed=ignored)
    brotli = _brotli_bomb(64)
    if brotli is not None:  # without brotli installed Scrapy leaves the body as it is: binary
        yield _stored(
            "bomb",
            "brotli-64mb-of-zeros",
            brotli,
            headers={**HTML, "Content-Encoding": "br"},
            allowed=ignored | {"dropped/not_html"},
        )
    yield _stored(
        "bomb",
        "gzip-header-on-a-plain-body",
        synthetic().encode(),
        headers=gz,
        allowed=frozenset({"failed/IgnoreRequest", "failed/BadGzipFile", "dropped/not_html", "stored"}),
        include=PARAGRAPHS,
    )
    yield _stored(
        "bomb",
        "gzip-stream-cut-short",
        gzip.compress(synthetic().encode())[:300],
        headers=gz,
        allowed=frozenset(
            {
                "failed/IgnoreRequest",
                "stored",
                "dropped/not_an_article",
                "dropped/empty_body",
                "dropped/not_html",
            }
        ),
        maybe=INCIDENTAL | {"cut_short"},
    )


def redirects() -> Iterator[Case]:
    """Redirect loops and chains, meta refresh loops, bad and missing Location headers."""
    base = "/hostile/redirect/"
    article = synthetic().encode()
    ignored = frozenset({"failed/IgnoreRequest"})
    loop = frozenset({"redirect_loop"})
    yield Case(
        "redirect",
        "loop-of-two",
        (301, {"Location": f"{base}loop-of-two-b/"}, b""),
        ignored,
        notes=loop,
        extra={f"{base}loop-of-two-b/": (302, {"Location": f"{base}loop-of-two/"}, b"")},
    )
    yield Case("redirect", "to-itself", (302, {"Location": f"{base}to-itself/"}, b""), ignored, notes=loop)
    yield Case(
        "redirect",
        "to-itself-with-a-307",
        (307, {"Location": f"{base}to-itself-with-a-307/"}, b""),
        ignored,
        notes=loop,
    )
    chain = {
        f"{base}chain-of-25-{i}/": (301, {"Location": f"{base}chain-of-25-{i + 1}/"}, b"")
        for i in range(1, 26)
    }
    yield Case(
        "redirect",
        "chain-of-25",
        (301, {"Location": f"{base}chain-of-25-1/"}, b""),
        ignored,
        notes=frozenset({"redirect_too_many"}),
        extra=chain,
    )
    short = {
        f"{base}chain-of-5-{i}/": (301, {"Location": f"{base}chain-of-5-{i + 1}/"}, b"") for i in range(1, 5)
    }
    short[f"{base}chain-of-5-5/"] = (200, HTML, article)
    yield Case(
        "redirect",
        "chain-of-5-to-an-article",
        (301, {"Location": f"{base}chain-of-5-1/"}, b""),
        frozenset({"stored"}),
        include=PARAGRAPHS,
        title=TITLE,
        extra=short,
    )
    refresh = b'<html><head><meta http-equiv="refresh" content="0; url=%s"></head><body>Moved</body></html>'
    yield _stored(
        "redirect",
        "meta-refresh-to-itself",
        refresh % f"{base}meta-refresh-to-itself/".encode(),
        allowed=ignored,
        notes=loop,
    )
    yield Case(
        "redirect",
        "meta-refresh-loop-of-two",
        (200, HTML, refresh % f"{base}meta-refresh-loop-of-two-b/".encode()),
        ignored,
        notes=loop,
        extra={
            f"{base}meta-refresh-loop-of-two-b/": (
                200,
                HTML,
                refresh % f"{base}meta-refresh-loop-of-two/".encode(),
            )
        },
    )
    yield Case(
        "redirect",
        "without-location",
        (301, {"Content-Type": "text/html"}, b"moved"),
        frozenset({"failed/HttpError"}),
    )
    for name, location in {
        "to-javascript": "javascript:alert(1)",
        "to-a-data-url": "data:text/html,<p>hi</p>",
        "to-a-local-file": "file:///etc/passwd",
        "to-ftp": "ftp://127.0.0.1/x",
    }.items():
        yield Case(
            "redirect",
            name,
            (302, {"Location": location}, b""),
            frozenset(
                {
                    "failed/IgnoreRequest",
                    "failed/BlockedAddress",
                    "failed/ValueError",
                    "failed/NotSupported",
                    "failed/HttpError",
                }
            ),
        )
    yield Case(
        "redirect",
        "to-another-loopback-address",
        (302, {"Location": "http://127.0.0.2:9/x-y-z/"}, b""),
        frozenset({"failed/BlockedAddress", "failed/IgnoreRequest"}),
        redirects_to=("http://127.0.0.2:9/x-y-z/",),
    )
    yield Case(
        "redirect",
        "to-a-pdf",
        (301, {"Location": f"{base}to-a-pdf-target/"}, b""),
        frozenset({"dropped/not_html"}),
        extra={f"{base}to-a-pdf-target/": (200, HTML, _pdf())},
    )
    yield Case(
        "redirect",
        "to-a-10kb-url",
        (301, {"Location": f"{base}{'x' * 10_000}/"}, b""),
        frozenset({"failed/HttpError", "failed/IgnoreRequest"}),
        redirects_to=(f"{base}{'x' * 10_000}/",),
    )


def slow_and_broken() -> Iterator[Case]:
    """Trickling, stalling and lying servers, odd statuses and header floods."""
    timeout = frozenset({"failed/DownloadTimeoutError"})
    article = synthetic().encode()
    yield Case(
        "slow", "one-byte-a-second-for-30-seconds", (200, HTML, Stream([b"<"] * 30, interval=1.0)), timeout
    )
    yield Case(
        "slow",
        "article-at-one-kilobyte-a-second",
        (200, HTML, Stream([article[i : i + 1024] for i in range(0, len(article), 1024)] * 4, interval=1.0)),
        timeout,
    )
    yield Case("slow", "headers-then-silence", (200, HTML, Stream([b"", b""], interval=30.0)), timeout)
    yield Case(
        "slow", "silence-before-the-headers", (200, HTML, Stream([], interval=0.0, delay=30.0)), timeout
    )
    lost = frozenset({"failed/ResponseDataLossError", "failed/ResponseFailed"})
    half = article[: len(article) // 2]
    yield Case(
        "slow",
        "closed-before-the-announced-length",
        (200, HTML, Stream([half], length=len(article), abort=True)),
        lost,
    )
    yield Case("slow", "chunked-then-closed", (200, HTML, Stream([half], abort=True)), lost)
    yield Case("status", "500-with-an-article-body", (500, HTML, article), frozenset({"failed/HttpError"}))
    yield Case("status", "404-with-an-article-body", (404, HTML, article), frozenset({"failed/HttpError"}))
    yield Case(
        "status", "204-no-content", (204, HTML, b""), frozenset({"failed/HttpError", "dropped/not_html"})
    )
    yield Case("status", "200-with-an-empty-body", (200, HTML, b""), frozenset({"dropped/not_html"}))
    yield Case("status", "status-999", (999, HTML, article), frozenset({"failed/HttpError"}))
    flood = {f"X-Flood-{i}": "y" * 100 for i in range(1000)}
    yield Case(
        "status",
        "1000-response-headers",
        (200, {**HTML, **flood}, article),
        frozenset({"stored", "failed/ResponseFailed", "failed/ResponseNeverReceived"}),
        include=PARAGRAPHS,
        title=TITLE,
    )
    yield Case(
        "status",
        "a-64kb-header-value",
        (200, {**HTML, "X-Huge": "z" * 65536}, article),
        frozenset(
            {"stored", "failed/ResponseFailed", "failed/ResponseNeverReceived", "failed/DownloadFailedError"}
        ),
        include=PARAGRAPHS,
        title=TITLE,
    )


# --- all of them ---------------------------------------------------------------------------------

#: The categories crawled together in one crawl each.
DOCUMENT_CATEGORIES = (truncated, charsets, binary, nesting, json_ld, markup, nul_bytes, dates)
TRANSPORT_CATEGORIES = (sizes_and_bombs, redirects, slow_and_broken)


@cache
def document_cases() -> tuple[Case, ...]:
    return _unique([c for make in DOCUMENT_CATEGORIES for c in make()])


@cache
def transport_cases() -> tuple[Case, ...]:
    return _unique([c for make in TRANSPORT_CATEGORIES for c in make()])


def _unique(cases: list[Case]) -> tuple[Case, ...]:
    ids = [c.id for c in cases]
    assert len(ids) == len(set(ids)), sorted(i for i in ids if ids.count(i) > 1)
    return tuple(cases)
