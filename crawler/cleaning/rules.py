"""Every generic cleaning rule in one place (DOM rules, then text rules), plus the site's own.

A rule has a name; each removal it makes is recorded in ``item.removed`` as ``(name, text)``.
Site rules come from the ``Site`` class (``junk_selectors``: CSS, ``junk_patterns``: regexes that
must match a whole paragraph) and are named ``site:<selector or pattern>``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING

from lxml.cssselect import CSSSelector

from crawler.extraction.body_finder import BOILERPLATE_WORDS, CONTENT_WORDS, class_words

if TYPE_CHECKING:
    from crawler.sites.base import Site

# --- DOM rules ----------------------------------------------------------------------------------

#: Removed without a record: they never show as text.
INVISIBLE_TAGS = frozenset({"script", "style", "noscript", "template", "link", "meta", "svg",
                            "canvas", "map", "object", "embed", "source", "track", "param"})
#: Interactive or furniture elements (rule "furniture").
FURNITURE_TAGS = frozenset({"nav", "aside", "footer", "menu", "dialog", "form", "button", "input",
                            "select", "textarea", "label", "header"})
#: Embedded players/posts: recorded in ``item.embeds`` by URL, never body text.
EMBED_HOSTS = re.compile(
    r"(?:youtube(?:-nocookie)?\.com|youtu\.be|vimeo\.com|instagram\.com|twitter\.com|(?<![a-z])x\.com|"
    r"tiktok\.com|facebook\.com|spotify\.com|soundcloud\.com|dailymotion\.com|twitch\.tv|"
    r"jwplayer|jwplatform|brightcove|apple\.com/|reddit\.com|threads\.net|bsky\.app|giphy\.com|"
    r"imdb\.com/video|streamable\.com|podcasts\.apple|megaphone\.fm|art19\.com|omny\.fm)",
    re.I,
)
#: Other iframes are embeds when their URL says so; trackers and buttons are not.
GENERIC_EMBED = re.compile(r"/embed|embed\.|player|/video|/audio|/podcast|iframe\.html", re.I)
NOT_EMBED = re.compile(
    r"doubleclick|googlesyndication|googletagmanager|/plugins/like|/plugins/share|counter\.|"
    r"\.gif(?:\?|$)|pixel|adserver|amazon-adsystem|about:blank|widget_iframe", re.I)
EMBED_BLOCK_CLASSES = frozenset({
    "twitter-tweet", "twitter-video", "instagram-media", "tiktok-embed", "reddit-embed",
    "bluesky-embed", "text-post-media", "fb-post", "fb-video", "embed-youtube", "youtube-player",
    "wp-block-embed", "embed", "embedded-content", "social-embed", "video-embed", "jwplayer",
})
CAPTION_CLASSES = frozenset({"caption", "wp-caption-text", "image-caption", "photo-caption",
                             "media-caption", "figure-caption", "figcaption", "img-caption"})
CREDIT_CLASSES = frozenset({"credit", "image-credit", "photo-credit", "media-credit", "copyright",
                            "img-credit", "credits", "attribution"})
#: Boilerplate class/id words for blocks inside the body (shared with the body finder), minus
#: words that are too often part of real content wrappers once we are inside the article.
BODY_JUNK_WORDS = (BOILERPLATE_WORDS - {"tags", "skip", "banner", "carousel", "masthead", "widget",
                                        "gpt", "modal", "bio", "menu"}) | {
    "author-bio", "author-box", "authorbox", "about-author", "author-info", "newsletter-signup",
    "inline-ad", "ad-container", "ad-wrapper", "ad-slot", "related-content", "related-articles",
    "related-posts", "read-next", "more-from", "also-read", "social-share", "share-bar",
    "share-buttons", "sharing-tools", "article-tags", "tag-links", "post-tags", "comment-count",
    "comments-count", "affiliate-disclaimer", "next-post", "prev-post", "post-navigation",
    "subscribe-box", "promo-box", "nativo", "teads", "piano", "zephr", "slideshow-promo",
}
#: class/id words of headline furniture inside the body: bylines, datelines, kickers.
BYLINE_WORDS = frozenset({
    "byline", "bylines", "author", "authors", "author-name", "dateline", "timestamp", "date",
    "dates", "published", "pubdate", "publish-date", "post-date", "entry-date", "article-date",
    "meta", "article-meta", "post-meta", "entry-meta", "kicker", "eyebrow", "overline",
    "breadcrumb", "breadcrumbs", "reading-time", "read-time", "updated",
})
#: Most characters a byline/dateline block may hold.
BYLINE_MAX_CHARS = 200
#: Text before the headline inside the body (kicker, section label) is dropped up to this size.
PRE_HEADLINE_MAX_CHARS = 300
#: Headings that open a block of links to other articles.
RELATED_HEADING = re.compile(
    r"^\W*(?:related(?:\s+\w+){0,2}|more\s+(?:from|on|in|about|like\s+this|stories|news|articles|"
    r"to\s+(?:read|explore))\b.*|(?:most|more)\s+(?:read|popular|viewed|shared)\b.*|"
    r"(?:you|we\s+think\s+you)\s+(?:may|might|will)\s+(?:also\s+)?(?:like|enjoy|be\s+interested)\b.*|"
    r"recommended(?:\s+\w+){0,3}|read\s+(?:more|next|also)\b.*|keep\s+reading\b.*|"
    r"(?:what\s+)?to\s+read\s+next|trending(?:\s+\w+){0,3}|popular(?:\s+\w+){0,3}|"
    r"top\s+stories|latest(?:\s+\w+){0,2}|up\s+next|editor'?s\s+picks?|recent\s+posts?|"
    r"don'?t\s+miss\b.*|also\s+(?:read|see)\b.*|see\s+also|further\s+reading|"
    r"around\s+the\s+web|from\s+our\s+partners|sponsored\s+stories|promoted\s+stories|"
    r"(?:more|other)\s+\w+\s+(?:news|stories|articles))\W*$",
    re.I,
)
HIDDEN_STYLE = re.compile(r"display\s*:\s*none|visibility\s*:\s*hidden", re.I)


def is_junk_block(el: object) -> bool:
    """True for a block whose class/id words say share/newsletter/related/promo/ad/bio/..."""
    words = class_words(el)  # type: ignore[arg-type]
    return bool(words & BODY_JUNK_WORDS) and not (words & CONTENT_WORDS)


# --- text rules ---------------------------------------------------------------------------------

_LABELS = (
    r"related(?:\s+(?:story|stories|article|articles|content|reading|link|links|video|coverage))?"
    r"|read\s+(?:more|next|also|this|the\s+latest)|keep\s+reading|continue\s+reading|see\s+also"
    r"|also\s+(?:read|see|on\s+\S+)|more(?:\s+(?:from|on|coverage|news|stories)\b[^:]{0,40})?"
    r"|recommended(?:\s+reading)?|must\s+read|don'?t\s+miss|you\s+(?:may|might)\s+also\s+like"
    r"|check\s+out|up\s+next|trending|editor'?s\s+picks?|sponsored|advertisement|latest"
    r"|listen|watch(?:\s+(?:now|next|more|the\s+video))?|more\s+coverage|top\s+stories"
)
#: Rules on whole paragraphs: (name, compiled pattern, max words). A paragraph matching a pattern
#: from its start (``match``) and not longer than max words is junk.
TEXT_RULES: tuple[tuple[str, re.Pattern[str], int], ...] = (
    ("related-link", re.compile(rf"^\s*(?:{_LABELS})\s*(?::|>>|»|\|)\s*\S", re.I), 40),
    ("related-link", re.compile(r"^\s*(?:RELATED|READ MORE|MORE|WATCH|LISTEN)\s*[-–—]\s+\S"), 40),
    ("photo-credit", re.compile(
        r"^\s*[\[(]?\s*(?:(?:main|top|header|featured|lead|cover|hero)\s+)?(?:photo(?:graph)?s?|images?|"
        r"pictures?|pics?|illustrations?|artwork|gifs?|videos?|stills?|credits?|source|via)"
        r"(?:\s*(?:by|:|via|courtesy(?:\s+of)?|credit\s*:?|copyright|©)|\s*[-–—]\s)\s*\S", re.I), 16),
    ("photo-credit", re.compile(
        r"^\s*[\[(]?\s*(?:©|\(c\)|copyright\b|courtesy\s+of\b|getty\s+images|shutterstock|"
        r"ap\s+photo|reuters|afp\s+via)\s*[^.!?]*[\])]?\s*$", re.I), 12),
    ("newsletter", re.compile(
        r"^(?=.*\b(?:newsletter|inbox|mailing list|e-?mail updates|daily digest)\b)"
        r"(?=.*\b(?:sign(?:\s|-)?up|subscribe|get|join|delivered|receive|enter your)\b).*$", re.I), 40),
    ("subscribe", re.compile(
        r"^\s*(?:subscribe|sign\s+up|become\s+a\s+(?:member|subscriber)|support\s+our\s+journalism"
        r"|already\s+a\s+subscriber)\b.*$", re.I), 25),
    ("click-here", re.compile(r"^\s*(?:click|tap)\s+here\b.*$", re.I), 30),
    ("follow-us", re.compile(
        r"^\s*(?:follow|like|join)\s+(?:us|@\w+)\b.*\b(?:on|at)\s+(?:facebook|twitter|instagram|"
        r"x|tiktok|threads|youtube|bluesky|google\s+news|linkedin)\b.*$", re.I), 30),
    ("comment-count", re.compile(
        r"^\s*(?:\d+\s+comments?|comments?\s*\(\d+\)|view\s+comments?|show\s+comments?|"
        r"leave\s+a\s+(?:comment|reply)|join\s+the\s+(?:conversation|discussion)|"
        r"comments?\s+(?:are\s+)?closed\.?)\s*$", re.I), 8),
    ("post-navigation", re.compile(
        r"^\s*(?:previous|next|older|newer)\s+(?:post|article|story|entry)\b.{0,120}$|"
        r"^\s*(?:like|loading)\s*(?:loading)?\W*$|^\s*recent\s+posts\s*$", re.I), 25),
    ("advertisement", re.compile(
        r"^\s*(?:advertisement|advertisements?|ad|ads|sponsored(?:\s+content)?|paid\s+content|"
        r"(?:story|article)\s+continues\s+(?:below|after)(?:\s+(?:this\s+)?(?:advertisement|ad))?|"
        r"continue\s+reading\s+(?:below|the\s+main\s+story)|scroll\s+(?:down\s+)?to\s+continue.*|"
        r"skip\s+advert(?:isement)?|close\s+ad|ad\s+loading|remove\s+ads)\W*$", re.I), 10),
    ("affiliate-note", re.compile(
        r"^.*\b(?:we|may)\s+(?:may\s+)?(?:earn|receive)\s+(?:a\s+)?(?:small\s+)?(?:commission|"
        r"affiliate)\b.*$", re.I), 50),
)
#: Words of a share row ("Share Share Tweet Email", "Facebook Twitter Email Copy Link").
SHARE_WORDS = frozenset({
    "share", "shares", "shared", "tweet", "email", "e-mail", "mail", "pin", "pinterest", "facebook",
    "twitter", "x", "linkedin", "whatsapp", "reddit", "flipboard", "print", "copy", "link", "url",
    "copied", "comment", "comments", "save", "messenger", "telegram", "sms", "text", "more",
    "threads", "bluesky", "tumblr", "pocket", "this", "article", "story", "on", "via", "gift",
    "options", "close",
})
SHARE_PLATFORMS = frozenset({"share", "tweet", "facebook", "twitter", "pinterest", "linkedin",
                             "whatsapp", "reddit", "flipboard", "email", "threads", "bluesky",
                             "messenger", "tumblr"})
SHARE_TOKEN = re.compile(r"[a-z][a-z-]*|\d+")
SENTENCE_END = re.compile(r"[.!?…]['\"”’)\]]*\s*$")
#: Teasers after a share row at the page tail: at most this many paragraphs / words.
TEASER_MAX_PARAGRAPHS = 3
TEASER_MAX_WORDS = 80


def is_share_row(text: str) -> bool:
    """True for a paragraph made only of share-button words ("Share Share Tweet Email")."""
    tokens = SHARE_TOKEN.findall(text.lower())
    if not tokens or len(tokens) > 14 or len(text) > 120:
        return False
    if not all(t in SHARE_WORDS or t.isdigit() for t in tokens):
        return False
    platforms = {t for t in tokens if t in SHARE_PLATFORMS}
    return "share" in platforms or "tweet" in platforms or len(platforms) >= 2


@dataclass(frozen=True)
class SiteRules:
    """A site's compiled rules."""

    selectors: tuple[tuple[str, CSSSelector], ...]
    patterns: tuple[tuple[str, re.Pattern[str]], ...]


@lru_cache(maxsize=256)
def site_rules(site: type[Site] | None) -> SiteRules:
    """The compiled ``junk_selectors``/``junk_patterns`` of a site (cached per class)."""
    if site is None:
        return SiteRules((), ())
    sels = tuple((f"site:{s}", CSSSelector(s)) for s in getattr(site, "junk_selectors", ()) or ())
    pats = tuple((f"site:{p}", re.compile(p, re.I | re.S))
                 for p in getattr(site, "junk_patterns", ()) or ())
    return SiteRules(sels, pats)
