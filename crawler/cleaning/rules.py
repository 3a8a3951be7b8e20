"""Every generic cleaning rule in one place (DOM rules, then text rules), plus the site's own.

A rule has a name; each removal it makes is recorded in ``item.removed`` as ``(name, text)``.
Site rules come from the ``Site`` class (``junk_selectors``: CSS, ``junk_patterns``: regexes that
must match a whole paragraph) and are named ``site:<selector or pattern>``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from itertools import pairwise
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
                             "media-caption", "figure-caption", "figcaption", "img-caption",
                             "image-text", "image-description", "img-description",
                             "photo-description", "picture-caption"})
#: Tags whose text, alone after a picture in its paragraph, is that picture's caption
#: (``<p><img …><br><em>Bryan Kohberger enters Idaho courtroom</em></p>``).
CAPTION_INLINE_TAGS = frozenset({"em", "i", "small", "cite"})
#: Longest caption held in such a paragraph (characters).
INLINE_CAPTION_MAX_CHARS = 300
#: Most text a picture box (a ``<div>`` with a photo and its caption/credit) may hold.
PICTURE_BOX_MAX_CHARS = 250
#: Pictures smaller than this (width or height, pixels) are icons or emoji, not photos.
ICON_MAX_PX = 64
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
    "footnotes", "wp-block-footnotes", "slider", "pullquote", "pull-quote", "featured-image",
    "post-thumbnail", "similar", "similarlinks",
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
    r"top\s+stories|latest(?:\s+\w+){0,2}|latest\s+(?:from|in|on)\b.*|up\s+next|editor'?s\s+picks?|recent\s+posts?|"
    r"don'?t\s+miss\b.*|also\s+(?:read|see)\b.*|see\s+also|further\s+reading|"
    r"around\s+the\s+web|from\s+our\s+partners|sponsored\s+stories|promoted\s+stories|"
    r"(?:more|other)\s+\w+\s+(?:news|stories|articles)|"
    r"(?:diese\s+artikel\s+|das\s+)?k(?:ö|oe)nnten?\s+(?:dich|sie|euch)\s+auch\s+interessieren|"
    r"mehr\s+zum\s+thema|weitere\s+(?:artikel|nachrichten)|lesen\s+sie\s+auch|auch\s+interessant|"
    r"(?:à\s+)?lire\s+aussi|sur\s+le\s+m[êe]me\s+sujet)\W*$",
    re.I,
)
#: Headings of a list of links to the article's own sections.
TOC_HEADING = re.compile(
    r"^\W*(?:table\s+of\s+contents|contents|in\s+this\s+(?:article|story|guide|post)|jump\s+to(?:\s+\w+)?|"
    r"skip\s+to(?:\s+\w+)?|on\s+this\s+page|quick\s+links)\W*$", re.I)
#: The list after a table-of-contents heading goes when at least this share of its text is links.
TOC_MIN_LINK_SHARE = 0.7
#: A list of nothing but links (rule "link-list"): at most this many characters, no link longer
#: than a headline, and at least this share of its text in links.
LINK_LIST_MAX_CHARS = 1000
LINK_LIST_MAX_LINK = 120
LINK_LIST_MIN_SHARE = 0.9
#: Most text a lone teaser card (linked headline, short standfirst, picture) may hold.
LINK_CARD_MAX_CHARS = 400
HIDDEN_STYLE = re.compile(
    r"display\s*:\s*none|visibility\s*:\s*hidden|clip\s*:\s*rect\(\s*0(?:px)?[\s,]+0", re.I)
#: Class tokens of text that only screen readers get ("sr-only", "visually-hidden"): labels such as
#: "Article content" repeated before every paragraph. Responsive variants ("md:sr-only") and
#: their undoing ("not-sr-only") are visible somewhere and do not count.
_SR_ONLY_TOKEN = re.compile(
    r"^(?:[a-z0-9]+[-_]+)*(?:sr-only|sronly|screen-?reader(?:-text|-only)?|visually-?hidden|"
    r"visuallyhidden|offscreen|a11y-hidden)$")
#: Plain "hidden" class tokens (shown later by a script, e.g. paywall offers).
_HIDDEN_TOKEN = frozenset({"hidden", "is-hidden", "hide", "u-hide", "js-hidden"})


@lru_cache(maxsize=8192)
def hidden_class(cls: str) -> bool:
    """True when a class attribute hides the element from sighted readers."""
    tokens = cls.lower().split()
    if any(":" in t for t in tokens):
        return False  # responsive utility classes: visible at some width
    return any(t in _HIDDEN_TOKEN or (_SR_ONLY_TOKEN.match(t) and "not-" not in t)
               for t in tokens)


#: A CMS post box longer than this is not a teaser card of a listing.
POST_CARD_MAX_CHARS = 800
#: First parts of class tokens that state a property of the box, not what it is
#: (WordPress's "has-post-thumbnail" on every post with a featured image).
_STATE_PREFIXES = frozenset({"has", "is", "with", "no", "without", "show", "hide", "can"})
_COMPOUND_JUNK = frozenset(w for w in BODY_JUNK_WORDS if "-" in w)
_TOKEN_SPLIT = re.compile(r"[\s]+")
_PART_SPLIT = re.compile(r"[-_]+")


@lru_cache(maxsize=8192)
def _compound_junk(raw: str) -> bool:
    """True when a class/id token holds a compound junk word between other parts
    ("thb-article-tags", "nnr-ab-author-info-container"): ``class_words`` gives no parts of
    tokens that name a layout slot, but a two-word junk name inside one still counts."""
    for token in _TOKEN_SPLIT.split(raw.lower()):
        parts = [p for p in _PART_SPLIT.split(token) if p]
        if parts and parts[0] in _STATE_PREFIXES:
            continue  # "has-post-thumbnail": the box *has* a thumbnail, it is not one
        if len(parts) > 2 and any(f"{a}-{b}" in _COMPOUND_JUNK for a, b in pairwise(parts)):
            return True
    return False


def is_junk_block(el: object) -> bool:
    """True for a block whose class/id words say share/newsletter/related/promo/ad/bio/..."""
    words = class_words(el)  # type: ignore[arg-type]
    if words & CONTENT_WORDS:
        return False
    if words & BODY_JUNK_WORDS:
        return True
    raw = f"{el.get('class') or ''} {el.get('id') or ''}"  # type: ignore[attr-defined]
    return _compound_junk(raw)


# --- text rules ---------------------------------------------------------------------------------

#: Labels of a tag list (English, German, French); a line of just one of them is furniture.
TAG_LABEL_WORDS = (r"tags|topics|filed\s+under|themen|schlagw(?:ö|oe)rter|schlagworte|stichw(?:ö|oe)rter|"
                   r"mots-cl[ée]s|[ée]tiquettes")
_LABELS = (
    r"related(?:\s+(?:story|stories|article|articles|content|reading|link|links|video|coverage))?"
    r"|read\s+(?:more|next|also|this|the\s+latest)|keep\s+reading|continue\s+reading|see\s+also"
    r"|also\s+(?:read|see|on\s+\S+)|more(?:\s+(?:from|on|coverage|news|stories)\b[^:]{0,40})?"
    r"|recommended(?:\s+reading)?|must\s+read|don'?t\s+miss|you\s+(?:may|might)\s+also\s+like"
    r"|check\s+out|(?:you\s+can\s+)?also\s+check|up\s+next|trending|editor'?s\s+picks?|sponsored|advertisement|latest"
    r"|listen|watch(?:\s+(?:now|next|more|the\s+video))?|more\s+coverage|top\s+stories"
)
#: Rules on whole paragraphs: (name, compiled pattern, max words). A paragraph matching a pattern
#: from its start (``match``) and not longer than max words is junk.
TEXT_RULES: tuple[tuple[str, re.Pattern[str], int], ...] = (
    ("related-link", re.compile(rf"^\s*(?:{_LABELS})\s*(?::|>>|»|\|)\s*\S", re.I), 40),
    ("related-link", re.compile(r"^\s*(?:RELATED|READ MORE|MORE|WATCH|LISTEN)\s*[-–—]\s+\S"), 40),
    ("photo-credit", re.compile(
        r"^\s*[\[(]?\s*(?:(?:main|top|header|featured|lead|cover|hero)\s+)?(?:photo(?:graph)?s?|images?|"
        r"pictures?|pics?|illustrations?|artwork|gifs?|videos?|stills?|credits?|source|via|"
        r"cr[ée]dits?\s+photos?|fotos?|bild(?:er|quelle|nachweis)?|quelle)"
        r"(?:\s*(?:by|:|via|courtesy(?:\s+of)?|credit\s*:?|copyright|©)|\s*[-–—]\s)\s*\S", re.I), 16),
    ("photo-credit", re.compile(
        r"^\s*[\[(]?\s*(?:©|\(c\)|copyright\b|courtesy\s+of\b|getty\s+images|shutterstock|"
        r"ap\s+photo|reuters|afp\s+via)\s*[^.!?]*[\])]?\s*$", re.I), 12),
    ("newsletter", re.compile(
        r"^(?=.*\b(?:newsletters?|inbox|mailing list|e-?mail updates|daily digest)\b)"
        r"(?=.*\b(?:sign(?:ing)?(?:\s|-)?up|subscrib\w*|get|join|delivered|receive|enter your)\b).*$",
        re.I), 40),
    ("subscribe", re.compile(
        r"^\s*(?:subscribe|sign\s+up|become\s+a\s+(?:member|subscriber)|support\s+our\s+journalism"
        r"|already\s+a\s+subscriber)\b.*$", re.I), 25),
    ("click-here", re.compile(r"^\s*(?:click|tap)\s+here\b.*$", re.I), 30),
    # Link lines to the same piece elsewhere: "Listen to the audio podcast here", "Members watch
    # AD-FREE here", "Watch the full video on the Science Fiction channel".
    ("click-here", re.compile(
        r"^\s*(?:[\w-]+\s+)?(?:watch|listen(?:\s+to)?|download|stream)\b[^.!?]{0,60}\bhere\W*$|"
        r"^\s*watch\s+the\s+full\s+(?:video|episode|interview)\s+on\s+[^.!?]{1,50}$", re.I), 10),
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
    ("ui-furniture", re.compile(
        r"^\W*(?:purchase\s+licensing\s+rights|reprints?\s+(?:and|&)\s+permissions|"
        r"our\s+(?:editorial\s+)?standards\s*:.*|reuse\s+this\s+content|"
        r"(?:sign|log)\s*in(?:\s+or\s+(?:create|register|sign\s*up)(?:\s+(?:an|a\s+free|your))?"
        r"(?:\s+account)?)?(?:\s+to\s+continue)?|sign\s*up\s*log\s*in|"
        r"(?:don'?t|do\s+not)\s+have\s+an\s+account\??.*|already\s+have\s+an\s+account\??.*|"
        r"create\s+(?:a\s+free\s+|an\s+|your\s+)?account|view\s+more\s+offers|"
        r"continue\s+with\s+(?:google|apple|facebook|email|orcid)|access\s+through\s+your\s+institution|"
        r"share\s+(?:this|the)\s+(?:article|story|post)(?:\s+(?:in|on|with)\s+your\s+social\s+networks?)?|"
        r"(?:we\s+apologi[sz]e,?\s+but\s+)?this\s+video\s+has\s+failed\s+to\s+load\.?|"
        r"try\s+refreshing\s+your\s+browser,?(?:\s+or)?.*|"
        r"close|submit|or|follow\s+us|jump\s+to|video|buy\s+now|shop\s+now|(?:check|see)\s+(?:the\s+)?price|"
        r"(?:view|see|get)\s+(?:the\s+)?deal|from\s+around\s+the\s+web|get\s+in\s+touch\s+with\s+our\s+news\s+team\b.*|"
        r"enjoying\s+(?:our|this)\s+(?:latest\s+)?(?:content|article|journalism)\?.*|"
        r"follow\s+\S+(?:\s+\S+){0,2}\s+on\s+google\s+news\s+and\s+add\s+us\b.*|"
        r"republish!?|republish\s+(?:this|our)\s+(?:article|story|"
        r"articles|stories)\b.*|explore\s+other\s+topics|[✕×✖]|(?:show|hide|view)\s+captions?|image(?:\s+(?:credit|alt|size|position|caption))?|"
        r"open\s+this\s+photo\s+in\s+gallery|share\s+your\s+feedback\s+to\s+help\s+improve\s+our\s+site|"
        r"explore\s+more\s+on\s+these\s+topics|skip\s+to\s+(?:main\s+)?content|skip\s+past\s+\w+\s+promotion|"
        r"click\s+to\s+(?:read\s+more\s+and\s+view\s+comments|hide|expand|show)|"
        r"would\s+you\s+like\s+to\s+comment\s+on\s+this\s+article|story\s+saved|"
        r"you\s+can\s+find\s+this\s+story\s+in\s+my\s+bookmarks.*|copy\s+link|link\s+copied|"
        r"please\s+enter\s+a\s+valid\s+email(?:\s+address)?|join\s+.{1,40}\s+for\s+access\s+to\s+this\s+content|"
        rf"(?:latest|recommended)\s+videos(?:\s+from)?|(?:categories|{TAG_LABEL_WORDS})\s*:?|"
        # Box labels of German public broadcasters ("Videobeitrag" ... "Ende des Videobeitrags").
        r"(?:video|audio|bild)beitrag|ende\s+(?:des|der)\s+\w+(?:\s+\w+)?|weitere\s+informationen|"
        r"ad\s*block\s+users\s*:.*|(?:you\s+)?(?:are\s+)?using\s+an\s+ad\s*blocker.*|"
        r"(?:got\s+a|do\s+you\s+have\s+a)\s+story(?:\s+to\s+(?:tell|share))?\s*\?.*|"
        r"[^.?!]{0,60}\?\s+get\s+in\s+touch\s+(?:at|with|by)\b.*|for\s+more\s+stories\s+like\s+this\b.*|"
        r"get\s+the\s+latest\b.{0,60}\bjoin\s+us\s+on\s+(?:whatsapp|telegram)|"
        r"follow\s+\S+(?:\s+\S+){0,2}\s+on\s+(?:twitter|facebook|google\s+news|x|instagram)\b.{0,40}"
        r"\bfor\s+the\s+latest\b.*)\W*$", re.I), 40),
    ("subscribe", re.compile(
        r"^(?=.*(?:\b(?:for|at)\s+(?:just|only)\s+\S+\s+(?:a|per|for\s+the\s+first)\s+(?:month|week|year)\b|"
        r"\bsupport\s+(?:independent|quality|our)\s+journalism\b.*\bsubscrib|"
        r"^just\s+\S+\s+for\s+the\s+first\s+(?:month|week|year)\b)).*$", re.I), 45),
    ("shop-button", re.compile(
        r"^(?:\s*(?:see|buy|shop|check)\s+(?:it|now|price)?\s*(?:at|on|from)\s+[\w&.'’ -]{2,30}?\s*)+$",
        re.I), 16),
    # Affiliate and store buttons: "Get the Catan Board Game on Amazon", "Stream it on Netflix".
    ("shop-button", re.compile(
        r"^\s*(?:get|buy|grab|order|pre-?order|shop|stream|watch|rent|download|play|listen\s+to)\s+"
        r"[^.!?]{1,70}?\s+(?:on|at|from|via)\s+(?:amazon|eneba|walmart|best\s*buy|target|ebay|gamestop|"
        r"steam|apple\s+(?:tv\+?|music|books)|itunes|google\s+play|fandango|barnes\s*(?:&|and)\s*noble|"
        r"bookshop|waterstones|audible|spotify|netflix|hulu|disney\+|(?:hbo\s+)?max|prime\s+video|"
        r"peacock|paramount\+|playstation\s+store|nintendo\s+eshop|humble\s+bundle|gog)(?:\.com|\.org)?"
        r"\W*$", re.I), 14),
    # Star-rating widgets of blog plugins ("How useful was this post? Click on a star to rate it!").
    ("rating-widget", re.compile(
        r"^\s*(?:how\s+(?:useful|helpful)\s+was\s+this\s+(?:post|article|page)\??|"
        r"click\s+on\s+a\s+star\s+to\s+rate\s+it!?|"
        r"average\s+rating:?\s+[\d.]+\s*/\s*\d+\.?\s*vote\s+count:?\s*[\d,.]+\.?|"
        r"no\s+votes\s+so\s+far!?\s*be\s+the\s+first\s+to\s+rate\s+this\s+(?:post|article)\.?|"
        r"we\s+are\s+sorry\s+that\s+this\s+(?:post|article)\s+was\s+not\s+useful\s+for\s+you!?|"
        r"let\s+us\s+improve\s+this\s+(?:post|article)!?|"
        r"tell\s+us\s+how\s+we\s+can\s+improve\s+this\s+(?:post|article)\??|"
        r"as\s+you\s+found\s+this\s+(?:post|article)\s+useful\.*|rate\s+this\s+(?:post|article)!?)\s*$",
        re.I), 20),
    # Paywall offers inside the text ("Join All Access to unlock members-only content ...").
    ("subscribe", re.compile(
        r"^.*\bunlock\s+(?:all\s+)?(?:members?-only|exclusive|premium|subscriber(?:-only)?|full)\s+"
        r"(?:content|access|articles?|stories)\b.*$", re.I), 60),
    # "Read Review | More on Ghold": links to a name's other pages under a list entry.
    ("related-link", re.compile(
        r"^\s*(?i:read\s+(?:the\s+)?(?:full\s+)?review\s*\|\s*)?(?i:more\s+on)\s+"
        r"(?:[A-Z0-9À-Þ][\w'’&.,-]*\s*)+$"), 10),
    # Notes to readers with the newsroom's address ("... please email us at editor@fivebooks.com").
    ("contact-note", re.compile(
        r"^.*\b(?:e-?mail|contact|write\s+to|reach)\s+us\s+(?:at|on|via)\s+"
        r"(?:[\w.+-]+@[\w-]+\.[\w.]+|\[email\s+protected\]).*$", re.I), 60),
    ("subscribe", re.compile(
        r"^.*\b(?:content|articles?|access)\s+with\s+your\s+(?:free\s+)?account\b.*\bfree\s+of\s+charge\b.*$",
        re.I), 30),
    # A wire dateline on its own line: "AFP, MANILA", "Reuters, LONDON".
    ("dateline", re.compile(
        r"^(?:AFP|AP|Reuters|Bloomberg|CNA|Kyodo|Xinhua|Yonhap|dpa|EFE|ANSA|PA|IANS|PTI|ANI|"
        r"Agencies|Staff\s+writers?)(?:\s+and\s+\w+)?,\s+[A-Z][A-Z .'’-]{2,40}$"), 8),
    # "This is a breaking news story - more to follow": the wire's placeholder, not the story.
    ("status-note", re.compile(
        r"^\W*this\s+(?:is\s+a\s+)?(?:breaking|developing)\s+(?:new(?:s)?\s+)?story\b[^.!?]{0,40}"
        r"\bmore\s+to\s+follow\W*$", re.I), 20),
    ("commerce-note", re.compile(r"^.*\bdelivery\s+charges\s+may\s+apply\b.*$", re.I), 40),
    ("affiliate-note", re.compile(
        r"^.*\b(?:we|may)\s+(?:may\s+)?(?:earn|receive)\s+(?:a\s+)?(?:small\s+)?(?:commission|"
        r"affiliate)\b.*$", re.I), 50),
    ("affiliate-note", re.compile(r"^.*\b(?:i|we)\s+use\s+affiliate\s+links?\b.*$", re.I), 50),
    # A plea for money or sign-ups addressed to the reader ("Dear Reader - ... support us directly",
    # "If you've enjoyed this interview, please support us by donating", "... join my Ko-fi!").
    ("support-pitch", re.compile(
        r"^(?=.*(?:\b(?:by|a|one-off|small)\s+donat\w+|\bdonate\s+(?:to|now|today)\b|\bko-?fi\b|\bpatreon\b|\bsupport\s+(?:us|our\s+work|[^.?!]{1,40}?\s+directly)\b|"
        r"\bhelp\s+us\s+keep\b|\bsign\s+up\s+for\s+all\b|\bexclusive\s+to\s+our\s+(?:subscribers|members|supporters)\b|"
        r"\bbecome\s+a\s+(?:regular\s+)?(?:supporter|patron|paying\s+member)\b))"
        r"(?=.*(?:\bplease\b|\bconsider\b|\bif\s+you(?:'ve|’ve|\s+have)?\s+(?:enjoyed|liked|like|enjoy)\b|"
        r"\bwant\s+to\s+support\b|^dear\s+reader\b|\bclick\s+here\b|\bthank\s+you\b|"
        r"\bsubscribers\s+(?:can|get|receive|enjoy)\b)).*$", re.I), 100),
    ("support-pitch", re.compile(
        r"^\s*[Ss]upport\s+(?:us|our\s+(?:work|journalism|site)|"
        r"[A-Z][\w'’.-]*(?:\s+[A-Z][\w'’.-]*){0,2})\W*$"), 4),
    ("support-pitch", re.compile(
        r"^(?:have|got)\s+an?\s+[^?]{1,80}\byou['’]?d\s+like\s+(?:me|us)\s+to\s+(?:review|cover|feature)\?.*$",
        re.I), 60),
    # Image-layout tokens and credits a gallery script leaves as text ("landscape-medium",
    # "Jane Doe / Contributor via Getty Images"), and bare link addresses.
    ("image-metadata", re.compile(
        r"^(?:(?:landscape|portrait|square|wide|full)-(?:small|medium|large|wide|full)|center|centre|"
        r"align(?:left|right|center|none))$", re.I), 1),
    ("photo-credit", re.compile(
        r"^[^.!?]{1,120}(?:\s/\s|\bvia\s+)[^.!?]{0,40}\b(?:getty\s+images|shutterstock|alamy|imago|"
        r"ap\s+photo|afp)(?:\s+and\s+[^.!?]{1,120})?$", re.I), 24),
    ("bare-url", re.compile(r"^https?://\S+$", re.I), 1),
    ("bare-url", re.compile(r"^@\w{2,30}$"), 1),  # a lone social handle under the text
    # A line of punctuation only ("___", "*****", "¯"): a drawn separator, no words.
    ("separator", re.compile(r"^[\W_]+$"), 1),
    # "Read more" under a linked headline card (the card's headline goes with it, see text.py).
    ("read-more", re.compile(r"^\W*read\s+more\W*$", re.I), 2),
    # Bylines left as text: "By MELISSA GOLDIN", "By TPN, in News, Portugal · 31 Jan 2025 · 0 Comments".
    ("byline", re.compile(r"^By\s+[A-Z][\w.'’-]*(?:\s+(?:and\s+)?[A-Z][\w.'’-]*){0,4}$"), 8),
    ("byline", re.compile(r"^By\s[^.!?]{1,160}\b\d+\s+[Cc]omments?$"), 30),
    # Page furniture on a line of its own: navigation and table-of-contents labels, buttons that
    # call to act, widget and form messages, byline and comment labels. Only whole
    # lines: "Learn more about the cast" or "Contact us at ..." in a sentence stay.
    ("furniture-label", re.compile(
        r"^(?:table of contents|on this page|jump to(?: \w+){0,2}|"
        r"skip to (?:main )?content|back(?: to (?:top|blog|news|articles?|posts?|all \w+))?|"
        r"(?:learn|read|see|view|show|load) (?:more|all)|get started(?: (?:for free|today|now))?|"
        r"contact us(?: today)?|get a (?:free )?(?:quote|demo)|(?:watch|book|request|schedule) (?:a )?demo|"
        r"start (?:your )?(?:free trial|now)|(?:download|apply|join|shop|buy|order) (?:now|today)|"
        r"try (?:it )?(?:for )?free|like this:|(?:add|leave|post) a (?:comment|reply)|"
        r"(?:written|edited|reviewed|fact[- ]checked) by:?|"
        r"last (?:updated|modified):?|\d+ min(?:ute)?s? read|who curated this article\?|"
        r"thank you! your submission has been received!|"
        r"oops! something went wrong while submitting the form\.?|"
        r"add (?:us )?as a preferred source on google)[.!]?$", re.I), 8),
    # Markup printed as text (an escaped <noscript> tracking pixel, an embed code): a paragraph
    # that is nothing but tags of elements that hold no prose.
    ("markup", re.compile(r"^(?:<\s*(?:img|iframe|script|noscript|link|meta|style|source|embed|"
                          r"object|param|video|audio|br|hr|input)\b[^<>]*>\s*(?:</\s*\w+\s*>\s*)*)+$",
                          re.I), 80),
    # Sign-up small print: "... special offers, promotions ... Read our Privacy Notice".
    ("newsletter", re.compile(
        r"^.*\b(?:special\s+offers|promotions)\b.*\bprivacy\s+(?:policy|notice)\b.*$", re.I), 60),
)
#: Words of a share row ("Share Share Tweet Email", "Facebook Twitter Email Copy Link").
SHARE_WORDS = frozenset({
    "share", "shares", "shared", "tweet", "email", "e-mail", "mail", "pin", "pinterest", "facebook",
    "twitter", "x", "linkedin", "whatsapp", "reddit", "flipboard", "print", "copy", "link", "url",
    "copied", "comment", "comments", "save", "messenger", "telegram", "sms", "text", "more",
    "threads", "bluesky", "tumblr", "pocket", "this", "article", "story", "on", "via", "gift",
    "options", "close", "cancel", "bookmark", "bookmarks",
})
SHARE_PLATFORMS = frozenset({"share", "tweet", "facebook", "twitter", "pinterest", "linkedin",
                             "whatsapp", "reddit", "flipboard", "email", "threads", "bluesky",
                             "messenger", "tumblr"})
SHARE_TOKEN = re.compile(r"[a-z][a-z-]*|\d+")
#: Date/time pieces of a live-blog post header ("Roisin O'Connor2 March 2024 22:17", "8:02PM",
#: "21 mins ago11:48 Jon King", "1709415900"): a paragraph of these plus at most a short name
#: is furniture.
_MONTHS = (r"jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|"
           r"sept?(?:ember)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?")
TIMESTAMP_PIECE = re.compile(
    r"\b(?:\d+\s*(?:s|secs?|seconds?|m|mins?|minutes?|h|hrs?|hours?|d|days?)\s+ago|just\s+now|"
    r"\d{9,13}|(?:[01]?\d|2[0-3]):[0-5]\d(?:\s*[ap]\.?m\.?)?|(?:1[0-2]|0?\d)(?:\.[0-5]\d)?\s*[ap]\.?m\.?|"
    r"\d{1,2}/\d{1,2}/\d{2,4}|\d{4}-\d{2}-\d{2}|"
    rf"\d{{1,2}}(?:st|nd|rd|th)?\s+(?:{_MONTHS})\.?,?(?:\s+\d{{4}})?|"
    rf"(?:{_MONTHS})\.?\s+\d{{1,2}}(?:st|nd|rd|th)?(?:,?\s+\d{{4}})?|"
    r"(?:mon|tues?|wed(?:nes)?|thu(?:rs)?|fri|sat(?:ur)?|sun)(?:day)?|today|yesterday|"
    r"gmt|bst|utc|[ecmp][sd]?t|updated|published|key\s+event)\b",
    re.I)
#: The pieces above that date a line by themselves (a bare weekday or zone does not).
TIMESTAMP_STRONG = re.compile(
    r"\d[:.]\d\d|\d\s*[ap]\.?m|\bago\b|\d{9}|\d/\d|\d-\d\d-|[a-z]\.?,?\s+\d|\d\s+[a-z]", re.I)
TIMESTAMP_NAME = re.compile(r"^[A-Z][a-z'’][\w'’.-]*(?:\s+[A-Z][a-z'’][\w'’.-]*){0,3}$")
SENTENCE_END = re.compile(r"[.!?…]['\"”’)\]]*\s*$")
#: A line of at most LABEL_MAX_WORDS words seen LABEL_MIN_REPEATS times in one body is a label.
LABEL_MAX_WORDS = 4
LABEL_MIN_REPEATS = 8
#: A paragraph of at least this many words seen again later in the body is a pull quote or a
#: repeated promo: only its first copy is kept.
DUPLICATE_MIN_WORDS = 12
#: A share row split into one-word paragraphs ("Copy", "Email", "Facebook", "X", ...) counts when
#: at least this many such paragraphs follow each other.
SHARE_RUN_MIN = 3
#: The headline of a linked card before a "Read more" line: at most this many words.
CARD_HEADLINE_MAX_WORDS = 25
#: A tags label ("Tags", "Themen") this close to the end, followed only by short lines (the tags).
TAGS_LABEL = re.compile(rf"^\W*(?:{TAG_LABEL_WORDS})\W*$", re.I)
TAGS_TAIL = 8
TAG_MAX_WORDS = 4
#: "About the author" this close to the end starts the author box: it and all after it go.
ABOUT_AUTHOR = re.compile(r"^\W*about\s+the\s+authors?\W*$", re.I)
ABOUT_AUTHOR_TAIL = 10
#: Teasers after a share row at the page tail: at most this many paragraphs / words.
TEASER_MAX_PARAGRAPHS = 3
TEASER_MAX_WORDS = 80


def is_share_row(text: str) -> bool:
    """True for a paragraph made only of share-button words ("Share Share Tweet Email")."""
    if len(text) > 120:
        return False
    tokens = SHARE_TOKEN.findall(text.lower())
    if not tokens or len(tokens) > 14:
        return False
    if not all(t in SHARE_WORDS or t.isdigit() for t in tokens):
        return False
    platforms = {t for t in tokens if t in SHARE_PLATFORMS}
    # four or more button words ("cancel email link bookmark Save") are a row without a platform
    return "share" in platforms or "tweet" in platforms or len(platforms) >= 2 or len(tokens) >= 4


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
