"""Every site module: required attributes, start URLs, article URL pattern, domain ownership.

The example URLs are real ones, found in public repositories (fixtures, feed lists, scrapers,
robots.txt copies) and in the navigation of the recorded pages under tests/fixtures/sites/.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from cssselect import GenericTranslator, SelectorError

from crawler.sites import all_sites, get_site, site_for_url
from crawler.sites.base import Site

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "sites"

SLUGS = {
    "collider", "screenrant", "cbr", "movieweb", "slashfilm", "variety", "deadline",
    "hollywoodreporter", "indiewire", "rollingstone", "billboard",
}

ARTICLES: dict[str, list[str]] = {
    "collider": [
        "https://collider.com/mission-impossible-7-image-tom-cruise/",
        "https://collider.com/jaeden-martell-mr-harrigans-phone-interview-stephen-king/",
        "https://collider.com/best-movies-on-netflix-streaming/",
        "https://collider.com/fast-10-trailer-release-date/",
        "https://collider.com/tenet-review/",  # two words, the second says "one article"
    ],
    "screenrant": [
        "https://screenrant.com/wrath-of-man-2021-movie-reviews/",
        "https://screenrant.com/star-trek-next-generation-data-make-no-sense-illogical/",
        "https://screenrant.com/karate-kid-mr-miyagi-wise-inspiring-quotes/",
        "https://screenrant.com/one-piece-day-2022-july-manga-25th-anniversary/",
        "https://screenrant.com/gtfo-using-terminals-tips-tricks/",
        "http://screenrant.com/revenge-of-the-sith-to-be-pg-13-vic-281/",
    ],
    "cbr": [
        "https://www.cbr.com/m-pox-mutant-plague-explained/",
        "https://www.cbr.com/kakao-entertainment-manwha-manga-app-tachiyomi-legal-threats/",
        "https://www.cbr.com/digimon-best-digivolution-sequences/",
        "https://www.cbr.com/10-actors-multiple-roles-same-show/",
        "https://www.cbr.com/slay-spire-world-lore/",
    ],
    "movieweb": [
        "https://movieweb.com/best-anime-2025-ranked-dandadan-chainsaw-man-takopis-original-sin",
        "https://movieweb.com/100-meters-review/",
        "https://movieweb.com/best-romance-anime/",
        "https://movieweb.com/anime-releasing-january-2026/",
        "https://movieweb.com/most-watched-tv-shows-2000s/",
        "https://movieweb.com/samuel-l-jackson-robert-downey-jr-reunite-oscars/",
    ],
    "slashfilm": [
        "https://www.slashfilm.com/1836400/apple-tv-plus-sci-fi-series-nasa-astronaut-approval-accuracy-for-all-mankind/",
        "https://www.slashfilm.com/1717150/best-sitcoms-all-time-ranked/",
    ],
    "variety": [
        "https://variety.com/2025/film/global/jim-jarmusch-mubi-israel-father-mother-sister-brother-venice-film-festival-1236502496/",
        "https://variety.com/2023/digital/news/io9-ai-generated-star-wars-article-errors-1235662194/",
        "https://variety.com/2026/legit/reviews/daniel-radcliffe-every-brilliant-thing-broadway-review-1236685975/",
        "https://variety.com/2020/tv/news/greys-anatomy-ellen-pompeo-debbie-allen-krista-vernoff-chandra-wilson-1234816801/",
        "http://variety.com/2007/film/reviews/i-m-not-there-3-1200556650/",
        "https://variety.com/2015/tv/news/jessica-jones-mike-colter-luke-cage-netflix-1201843290/",
    ],
    "deadline": [
        "http://www.deadline.com/2013/06/deadline-big-media-with-david-lieberman-episode-38/",
        "https://deadline.com/2020/04/coronavirus-house-nancy-pelosi-kevin-mccarthy-1202916132/",
        "https://deadline.com/2023/11/elon-musk-x-twitter-ibm-1235615481/",
        "https://deadline.com/2024/11/mafia-hunters-ndrangheta-beetz-brothers-interview-1236183636",
        "https://deadline.com/2022/08/fox-news-viewership-july-tucker-carlson-1235084361/",
    ],
    "hollywoodreporter": [
        "https://www.hollywoodreporter.com/movies/movie-news/liev-schrieber-debra-messing-reject-israeli-film-boycott-1236385658/",
        "https://www.hollywoodreporter.com/tv/tv-news/itv-drama-believe-me-daniel-mays-black-cab-rapist-1236566643/",
        "http://www.hollywoodreporter.com/heat-vision/new-star-wars-movies-avoid-697893",
    ],
    "indiewire": [
        "https://www.indiewire.com/features/general/love-death-robots-season-3-jibaro-animation-netflix-1234726800/",
        "https://www.indiewire.com/news/breaking-news/san-francisco-castro-theatre-reopen-a24-pillion-1235176128/",
        "https://www.indiewire.com/2019/12/jumanji-the-next-level-review-1202195895/",
        "https://www.indiewire.com/2019/01/live-stream-oscar-nominations-watch-academy-award-2019-nominees-1202036450/",
    ],
    "rollingstone": [
        "https://www.rollingstone.com/tv-movies/tv-movie-features/shogun-finale-review-1235007316/",
        "https://www.rollingstone.com/music/music-news/donna-kelce-taylor-swift-the-tortured-poets-department-best-work-1235010328/",
        "https://www.rollingstone.com/culture-council/articles/what-american-crime-film-teach-doing-whats-right-whats-easy-1235086762/",
        "https://www.rollingstone.com/music/music-album-reviews/bad-bunny-x100pre-album-review-772379/",
        "https://www.rollingstone.com/music/music-lists/best-guitarists-1234814010/",
        "http://www.rollingstone.com/music/news/naughty-by-nature-opp-inside-story-20150102",
        "https://www.rollingstone.com/music/albumreviews/tempest-20120830",
    ],
    "billboard": [
        "https://www.billboard.com/music/music-news/stray-kids-thank-fans-5-star-number-1-billboard-200-1235352544/",
        "https://www.billboard.com/music/music-news/taylor-swift-wins-favorite-female-artist-at-2010-peoples-choice-awards-960796/",
        "https://www.billboard.com/music/awards/2019-peoples-choice-awards-winners-8543205/",
        "https://www.billboard.com/music/rb-hip-hop/kodak-black-pleads-guilty-assault-sexual-assault-case-8520186/",
        "https://www.billboard.com/music/reviews/michael-jacksons-off-the-wall-at-35-classic-track-by-track-6214222/",
        "http://www.billboard.com/articles/news/7541930/leonard-cohen-new-album-corrects-ready-to-die-reports",
        "http://www.billboard.com/articles/columns/chart-beat/6769255/bob-dylan-first-number-1-top-rock-albums",
    ],
}

NOT_ARTICLES: dict[str, list[str]] = {
    "collider": [
        "https://collider.com/",
        "https://collider.com/feed/",
        "https://collider.com/feed/category/tv-news/",
        "https://collider.com/sitemap.xml",
        "https://collider.com/sitemap-2026-09-part1-articles.xml",
        "https://collider.com/wp-content/uploads/inception_movie_poster_banner_01.jpg",
    ],
    "screenrant": [
        "https://screenrant.com/",
        "https://screenrant.com/tv-news/",
        "https://screenrant.com/movie-news/",
        "https://screenrant.com/movie-reviews/",
        "https://screenrant.com/tv-interviews/",
        "https://screenrant.com/tag/lazarus/",
        "https://screenrant.com/feed/movie-news/",
        "https://screenrant.com/post_google_news.xml",
        "https://screenrant.com/wp-content/uploads/2017/02/Guardians-of-the-Galaxy-Baby-Groot-and-Drax.jpg",
    ],
    "cbr": [
        "https://www.cbr.com/category/comics/reviews",
        "https://www.cbr.com/feed/category/movies/news-movies/",
        "https://www.cbr.com/feed/",
        "https://www.cbr.com/wp-content/uploads/2019/08/Blackbeard-Devil-Fruit-in-One-Piece-Cropped.jpg",
    ],
    "movieweb": [
        "https://movieweb.com/",
        "https://movieweb.com/tag/anime/",
        "https://movieweb.com/tag/tv-show/dandadan/",
        "https://movieweb.com/author/archie-fenn/",
        "https://movieweb.com/movie-news/",
        "https://movieweb.com/tv-lists/",
        "https://movieweb.com/what-to-watch/",
        "https://movieweb.com/work-with-us/",
        "https://movieweb.com/videos/",
        "https://movieweb.com/movies/2024/",
        "https://movieweb.com/movie/cruella/",
        "https://movieweb.com/page/our-editorial-guidelines/",
        "https://movieweb.com/feed/",
        "https://movieweb.com/rss/movie-reviews/",
        "https://movieweb.com/new-movies/",
    ],
    "slashfilm": [
        "https://www.slashfilm.com/feed/",
        "https://www.slashfilm.com/category/movies/",
        "https://www.slashfilm.com/category/features/slashfilmcast/",
        "https://www.slashfilm.com/sitemap_index.xml",
        "https://www.slashfilm.com/img/gallery/homelanders-season-3-arc-is-a-scary-look-at-our-current-hellscape/l-intro-1654265961.jpg",
    ],
    "variety": [
        "https://variety.com/",
        "https://variety.com/feed/",
        "https://variety.com/v/film/feed/",
        "https://variety.com/v/film/news/",
        "https://variety.com/news-sitemap.xml",
        "https://variety.com/video/frankie-shaw-smilf-feminist-show/",
        "https://variety.com/genre/",
    ],
    "deadline": [
        "http://www.deadline.com/2013/06/",
        "http://www.deadline.com/tag/tivo/",
        "http://www.deadline.com/author/dlieberman/",
        "http://www.deadline.com/feed/",
        "http://www.deadline.com/comments/feed/",
        "http://www.deadline.com/big-media-podcast/",
        "https://deadline.com/category/film/feed/",
        "https://deadline.com/news-sitemap.xml",
        "http://deadline.com/privacy-policy/",
    ],
    "hollywoodreporter": [
        "https://www.hollywoodreporter.com/feed/",
        "https://www.hollywoodreporter.com/t/artificial-intelligence/feed/",
        "https://www.hollywoodreporter.com/c/news/",
        "https://www.hollywoodreporter.com/c/movies/",
        "https://www.hollywoodreporter.com/c/news/theater-news/",
        "https://www.hollywoodreporter.com/c/arts/tv/feed/",
        "https://www.hollywoodreporter.com/news-sitemap.xml",
        "https://www.hollywoodreporter.com/wp-content/uploads/2019/06/forrest_gump-photofest_still_2-h_2019.jpg",
    ],
    "indiewire": [
        "https://www.indiewire.com/",
        "https://www.indiewire.com/feed/",
        "https://www.indiewire.com/c/film/",
        "https://www.indiewire.com/c/film/feed/",
        "https://www.indiewire.com/c/criticism/movies/feed/?paged=2",
        "https://www.indiewire.com/?p=1202195895",
        "https://www.indiewire.com/wp-content/uploads/2019/12/nightingale-1.jpeg?w=675",
    ],
    "rollingstone": [
        "https://www.rollingstone.com/",
        "https://www.rollingstone.com/music/music-news/",
        "https://www.rollingstone.com/tv-movies/tv-movie-features/",
        "https://www.rollingstone.com/t/shogun/",
        "https://www.rollingstone.com/author/alan-sepinwall/",
        "https://www.rollingstone.com/video/",
        "https://www.rollingstone.com/culture-council/",
        "https://www.rollingstone.com/culture/culture-pictures/2018-people-died-obituary-photos-773061/",
        "https://www.rollingstone.com/movies/movie-pictures/golden-globes-red-carpet-2019-775507/",
        "https://www.rollingstone.com/movies/movie-videos/ethan-hawke-the-rolling-stone-interview-776498/",
        "https://www.rollingstone.com/news-sitemap.xml",
        "https://www.rollingstone.com/?redirurl=/politics/news/greed-and-debt-the-true-story-of-mitt-romney-and-bain-capital-20120829",
    ],
    "billboard": [
        "https://www.billboard.com/feed/",
        "https://www.billboard.com/c/music/music-news/",
        "https://www.billboard.com/c/music/music-news/feed/",
        "https://www.billboard.com/c/chart-beat/feed/",
        "https://www.billboard.com/music/justin-bieber/news",
        "https://www.billboard.com/charts/artist-100",
        "http://www.billboard.com/artist/331058/peter-paul-and-mary/biography",
    ],
}


def _fixture_urls() -> list[tuple[str, str]]:
    out = []
    for path in sorted(FIXTURES.glob("*/*.json")):
        out.append((path.parent.name, json.loads(path.read_text(encoding="utf-8"))["url"]))
    return out


def _kind(url: str) -> int:
    """0 sitemap, 1 feed, 2 section page (the order start_urls must follow)."""
    path = urlsplit(url).path.lower()
    if path.endswith(".xml") and ("sitemap" in path or "news" in path):
        return 0
    if "/feed" in path or "/rss" in path or path.endswith((".rss", ".xml")):
        return 1
    return 2


def test_every_site_is_registered() -> None:
    assert set(all_sites()) == SLUGS


@pytest.mark.parametrize("slug", sorted(SLUGS))
def test_required_attributes(slug: str) -> None:
    site = get_site(slug)
    assert issubclass(site, Site)
    assert site.slug == slug
    assert site.name and site.name.strip() == site.name
    assert site.enabled
    assert site.domains and all(d == d.lower() and not d.startswith("www.") for d in site.domains)
    assert urlsplit(site.base_url).scheme == "https"
    assert site.owns(site.base_url)
    assert site.article_url_pattern
    re.compile(site.article_url_pattern)
    for sel in (*((site.body_selector,) if site.body_selector else ()), *site.junk_selectors):
        try:
            GenericTranslator().css_to_xpath(sel)
        except SelectorError as exc:  # pragma: no cover - the message is the point
            pytest.fail(f"{slug}: bad CSS selector {sel!r}: {exc}")
    for pat in site.junk_patterns:
        rx = re.compile(pat)
        assert not rx.fullmatch(""), f"{slug}: junk pattern {pat!r} matches an empty paragraph"


@pytest.mark.parametrize("slug", sorted(SLUGS))
def test_start_urls(slug: str) -> None:
    site = get_site(slug)
    assert site.start_urls, f"{slug} has no start URLs"
    assert len(set(site.start_urls)) == len(site.start_urls)
    kinds = [_kind(u) for u in site.start_urls]
    assert kinds[0] == 0, f"{slug}: start with a sitemap"
    assert kinds == sorted(kinds), f"{slug}: sitemaps first, then feeds, then sections"
    for url in site.start_urls:
        assert urlsplit(url).scheme == "https", url
        assert site.owns(url), url
        assert site_for_url(url) is site, url
        assert not site.is_article_url(url), f"{slug}: start URL taken for an article: {url}"


@pytest.mark.parametrize(
    ("slug", "url"), [(s, u) for s, urls in ARTICLES.items() for u in urls] + _fixture_urls()
)
def test_article_urls_accepted(slug: str, url: str) -> None:
    site = get_site(slug)
    assert site.owns(url)
    assert site.is_article_url(url) is True, url


@pytest.mark.parametrize(("slug", "url"), [(s, u) for s, urls in NOT_ARTICLES.items() for u in urls])
def test_non_article_urls_rejected(slug: str, url: str) -> None:
    site = get_site(slug)
    assert site.owns(url)
    assert site.is_article_url(url) is False, url


def test_examples_cover_every_site() -> None:
    assert set(ARTICLES) == SLUGS
    assert set(NOT_ARTICLES) == SLUGS


@pytest.mark.parametrize("slug", sorted(SLUGS))
def test_owns(slug: str) -> None:
    site = get_site(slug)
    domain = site.domains[0]
    assert site.owns(f"https://{domain}/x/")
    assert site.owns(f"https://www.{domain}/x/")
    assert site.owns(f"http://WWW.{domain.upper()}/x/")
    assert not site.owns(f"https://not{domain}/x/")
    assert not site.owns(f"https://{domain}.example.org/x/")
    assert not site.owns(f"https://example.org/{domain}/")
    others = [s for s in SLUGS if s != slug]
    for other in others:
        assert not site.owns(get_site(other).base_url), (slug, other)
    assert site_for_url(f"https://www.{domain}/2024/some-article-1234567/") is site
