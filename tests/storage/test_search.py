"""Full-text search: the query syntax, ranking and filters, and an index that follows every write,
on SQLite (FTS5) and PostgreSQL (tsvector + GIN)."""

from __future__ import annotations

import datetime as dt

import pytest
import sqlalchemy as sa

from storage import Archive, SearchSyntaxError, SightingRecord
from storage.engine import create_archive_engine
from storage.migration_runner import upgrade
from storage.search import Term, fts5_match, parse, snippet, tsquery_text
from tests.storage import example_archive
from tests.storage.conftest import ArchiveTarget
from tests.storage.factory import DAY1, make_record, paragraphs

# --- the syntax (no database) -----------------------------------------------------------------


@pytest.mark.parametrize(("query", "fts5", "tsquery"), [
    ("tom cruise", '("tom" AND "cruise")', "'tom' & 'cruise'"),
    ('"tom cruise"', '("tom cruise")', "('tom' <-> 'cruise')"),
    ("nominat*", '("nominat" *)', "'nominat':*"),
    ('"mission imposs"*', '("mission imposs" *)', "('mission' <-> 'imposs':*)"),
    ("oscars OR emmys", '(("oscars" OR "emmys"))', "('oscars' | 'emmys')"),
    ("cruise oscars OR emmys", '("cruise" AND ("oscars" OR "emmys"))', "'cruise' & ('oscars' | 'emmys')"),
    ("oscars -trailer", '("oscars") NOT "trailer"', "'oscars' & !'trailer'"),
    ('oscars NOT "box office"', '("oscars") NOT "box office"', "'oscars' & !('box' <-> 'office')"),
    ("oscars AND emmys", '("oscars" AND "emmys")', "'oscars' & 'emmys'"),
    ("spider-man Nyong'o", '("spider man" AND "Nyong o")', "('spider' <-> 'man') & ('Nyong' <-> 'o')"),
    # FTS5 keywords and quotes in a word stay words: every term is a quoted string
    ("NEAR or and", '("NEAR" AND "or" AND "and")', "'NEAR' & 'or' & 'and'"),
    ("tom & jerry", '("tom" AND "jerry")', "'tom' & 'jerry'"),
])
def test_the_syntax_translates_to_both_engines(query: str, fts5: str, tsquery: str) -> None:
    parsed = parse(query)
    assert fts5_match(parsed) == fts5
    assert tsquery_text(parsed) == tsquery


@pytest.mark.parametrize(("query", "message"), [
    ('"tom cruise', "unclosed quote"),
    ("oscars OR", "OR at the end"),
    ("OR oscars", "OR must stand between"),
    ("a OR OR b", "OR must stand between"),
    ("-trailer OR teaser", "OR must stand between"),
    ("teaser OR -trailer", "excluded term cannot be one side of OR"),
    ("-trailer", "only excludes"),
    ("   ", "nothing to search for"),
    ("&& !!", "nothing to search for"),
    ("*", "'*' must end a word"),
    ("oscars NOT", "NOT at the end"),
])
def test_malformed_queries_are_one_line_errors(query: str, message: str) -> None:
    with pytest.raises(SearchSyntaxError, match=message) as caught:
        parse(query)
    assert "\n" not in str(caught.value)


def test_snippet_marks_hits_around_the_densest_part() -> None:
    body = ("Opening words of a long story.\n\n" + " ".join(["filler"] * 60)
            + " Tom Cruise jumped; Cruise waved.\n\nThe end.")
    text = snippet(body, parse("cruise"), ("<", ">"))
    assert "Tom <Cruise> jumped; <Cruise> waved. ¶ The end." in text
    assert text.startswith("…") and not text.endswith("…")
    assert snippet("Beyoncé sang.", parse("beyonce")) == "[Beyoncé] sang."
    assert snippet("Nominations and nominees.", parse("nomin*")) == "[Nominations] and [nominees]."
    assert snippet("", parse("x")) == ""
    assert parse('"a b"*').required == ((Term(("a", "b"), prefix=True),),)


# --- searching, on both engines -----------------------------------------------------------------

@pytest.fixture
def example(archive: Archive) -> Archive:
    example_archive.fill(archive)
    return archive


def _ids(hits: list[dict]) -> list[int]:
    return [h["id"] for h in hits]


CRUISE, BOX_OFFICE, OSCARS, WEDNESDAY = 1, 2, 3, 4


@pytest.mark.parametrize(("query", "expected"), [
    ("tom cruise", [CRUISE]),
    ("cruise TOM", [CRUISE]),                     # any order, any case
    ('"tom cruise"', [CRUISE]),
    ('"cruise tom"', []),                         # a phrase keeps its order
    ('"mission impossible"', [CRUISE]),           # "Mission: Impossible": punctuation between
    ('"mission imposs"*', [CRUISE]),
    ("oscar", []),                                # no stemming ...
    ("wednesday OR anora", [WEDNESDAY, OSCARS]),
    ("oscars -theaters", [OSCARS]),
    ("oscars NOT box", [OSCARS]),
    ("ortega jenna", [WEDNESDAY]),
    ("xylophonist", []),
])
def test_queries_find_the_same_articles_on_both_engines(example: Archive, query: str,
                                                        expected: list[int]) -> None:
    assert sorted(_ids(example.search(query))) == sorted(expected)


def test_hits_are_ranked_title_first_with_scores_and_snippets(example: Archive) -> None:
    hits = example.search("oscar*")  # ... a prefix finds "Oscars"
    assert _ids(hits) == [BOX_OFFICE, OSCARS]  # the title and the body, then the title only
    assert hits[0]["score"] > hits[1]["score"] > 0
    first = hits[0]
    assert first["site"] == "deadline" and first["title"] == "Box office: a quiet weekend before the Oscars"
    assert first["canonical_url"] == example_archive.BOX_OFFICE
    assert str(first["published_date"]) == "2025-03-02"
    assert "waited for the [Oscars]. ¶ Mickey 17 opens next Friday." in first["snippet"]
    title_hit = example.search("cruise")[0]
    assert title_hit["id"] == CRUISE and title_hit["snippet"].startswith("Tom [Cruise] will return")
    assert example.search("cruise", marks=("<b>", "</b>"))[0]["snippet"].startswith("Tom <b>Cruise</b>")


def test_filters_and_limit(example: Archive) -> None:
    assert _ids(example.search("oscars", site="variety")) == [OSCARS]
    assert _ids(example.search("oscars", site="nosuchsite")) == []
    assert _ids(example.search("oscars", since=dt.date(2025, 3, 3))) == [OSCARS]
    assert _ids(example.search("oscars", until=dt.date(2025, 3, 2))) == [BOX_OFFICE]
    day = dt.date(2025, 3, 2)
    assert _ids(example.search("oscars", since=day, until=day)) == [BOX_OFFICE]
    assert len(example.search("the", limit=2)) == 2
    assert _ids(example.search("the")) and sorted(_ids(example.search("the"))) == [1, 2, 3]  # no stop words


def test_accents_and_case_are_ignored(archive: Archive) -> None:
    archive.store([make_record("https://x.example/a/", title="BEYONCÉ and Zoë Kravitz",
                               body="Renée Zellweger met Penélope Cruz in Düsseldorf.")])
    for query in ("beyonce", "Beyoncé", "zoe", "renee zellweger", '"penelope cruz"', "dusseldorf", "DÜSS*"):
        assert len(archive.search(query)) == 1, query


def test_a_malformed_query_raises_before_searching(example: Archive) -> None:
    with pytest.raises(SearchSyntaxError, match="unclosed quote"):
        example.search('"tom')


# --- the index follows every write ----------------------------------------------------------------

def test_new_versions_replace_the_indexed_text(archive: Archive) -> None:
    url = "https://variety.example/2025/film/news/casting-1/"
    archive.store([make_record(url, title="Casting news", body="Zendaya joins the sequel.")])
    assert _ids(archive.search("zendaya")) == [1]
    outcome = archive.store([make_record(url, title="Casting update", body="Florence Pugh joins the sequel.",
                                         fetched_at=DAY1 + dt.timedelta(days=1))])[0]
    assert outcome.status == "version"
    assert archive.search("zendaya") == [] and archive.search("casting news") == []
    assert _ids(archive.search("pugh")) == _ids(archive.search("casting update")) == [1]
    archive.mark_seen([SightingRecord(url, DAY1 + dt.timedelta(days=2))])  # a 304: text does not move
    assert _ids(archive.search("florence")) == [1]


def test_every_article_of_a_batch_is_indexed(archive: Archive) -> None:
    words = ["alpha", "bravo", "charlie", "delta", "echo", "foxtrot", "golf", "hotel", "india", "juliet"]
    archive.store([make_record(f"https://variety.example/story-{i}/", title=f"Story {i}",
                               body=paragraphs(f"story {i}", 2) + f"\n\nCodeword {w}{i}.")
                   for i, w in enumerate(words * 5)])
    for i, w in enumerate(words * 5):
        assert [h["title"] for h in archive.search(f"{w}{i}")] == [f"Story {i}"]
    assert len(archive.search("codeword", limit=100)) == 50


def test_sqlite_index_matches_its_content_table(tmp_path) -> None:
    """FTS5's own check that the external-content index holds exactly the articles' text."""
    with Archive.open(f"sqlite:///{tmp_path / 'a.db'}") as archive:
        example_archive.fill(archive)
        archive.store([make_record(example_archive.OSCARS, title="Oscars: all the winners",
                                   published_at=dt.datetime(2025, 3, 3, 4, 0, tzinfo=dt.UTC),
                                   body="A new text.", fetched_at=dt.datetime(2025, 3, 4, tzinfo=dt.UTC))])
        check = "INSERT INTO articles_fts (articles_fts, rank) VALUES ('integrity-check', 1)"
        with archive.engine.begin() as conn:
            conn.exec_driver_sql(check)
            conn.exec_driver_sql("DELETE FROM articles WHERE id = 4")
            conn.exec_driver_sql(check)
        assert archive.search("wednesday") == []


def test_upgrade_indexes_existing_articles(archive_target: ArchiveTarget) -> None:
    """An archive of revision 0004 with articles: migrating builds their index (and views)."""
    engine = create_archive_engine(archive_target.url, schema=archive_target.schema)
    try:
        upgrade(engine, schema=archive_target.schema, revision="0004")
        with engine.begin() as conn:
            conn.execute(sa.text(
                "INSERT INTO articles (canonical_url, published_date, date_is_fallback, authors, tags,"
                " title, body, word_count, body_sha256, field_sources, first_seen_at, last_seen_at,"
                " current_version) VALUES ('https://variety.example/old-1/', '2019-04-15', false, '[]',"
                " '[]', 'An old premiere', 'Keanu Reeves at the premiere.', 5, 'x', '{}',"
                " '2019-04-16 10:00:00+00:00', '2019-04-16 10:00:00+00:00', 1)"))
    finally:
        engine.dispose()
    with archive_target.open(migrate=True) as archive:
        assert [h["title"] for h in archive.search("keanu reeves")] == ["An old premiere"]
        assert archive.query("SELECT site, articles FROM site_daily")[1] == [(None, 1)]


# --- reading through read-only connections ------------------------------------------------------

def test_search_and_full_text_sql_on_a_read_only_archive(any_archive_url: str) -> None:
    with Archive.open(any_archive_url, migrate=True) as archive:
        example_archive.fill(archive)
    with Archive.open(any_archive_url, read_only=True) as reader:
        assert _ids(reader.search('"tom cruise"')) == [CRUISE]
        if reader.engine.dialect.name == "sqlite":
            sql = ("SELECT rowid FROM articles_fts WHERE articles_fts MATCH 'cruise' "
                   "ORDER BY bm25(articles_fts)")
        else:
            sql = "SELECT id FROM articles WHERE search_vector @@ to_tsquery('simple', 'cruise')"
        assert reader.query(sql) == (reader.query(sql)[0], [(CRUISE,)])
