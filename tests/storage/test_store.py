"""Storing batches: identity and dedup rules, versions, aliases, captures, one transaction."""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import zoneinfo

import pytest
import sqlalchemy as sa

from storage import Archive, StoreError
from storage.captures import decompress_html
from tests.storage.factory import DAY1, DAY2, URL, make_record, paragraphs


def rows(archive: Archive, sql: str) -> list[dict]:
    columns, values = archive.query(sql)
    return [dict(zip(columns, row, strict=True)) for row in values]


def test_new_then_unchanged_then_version(archive: Archive) -> None:
    first = make_record()
    (new,) = archive.store([first])
    assert (new.status, new.version_no) == ("new", 1)

    later = DAY1 + dt.timedelta(days=3)
    (same,) = archive.store([dataclasses.replace(first, fetched_at=later, capture=None)])
    assert (same.status, same.article_id, same.version_no) == ("unchanged", new.article_id, 1)
    (article,) = archive.articles()
    assert article["last_seen_at"] == later
    assert article["first_seen_at"] == first.fetched_at

    edited = first.body.replace("Paragraph 3", "Paragraph three, corrected,") + "\n\nUpdate: more."
    (version,) = archive.store([make_record(body=edited, title="Oscars recap (updated)")])
    assert (version.status, version.version_no) == ("version", 2)
    assert version.article_id == new.article_id

    (article,) = archive.articles()
    assert article["body"] == edited and article["current_version"] == 2
    assert article["title"] == "Oscars recap (updated)"
    versions = rows(archive, "SELECT version_no, body, diff_summary FROM article_versions "
                             "ORDER BY version_no")
    assert [v["body"] for v in versions] == [first.body, edited]  # nothing overwritten
    assert versions[0]["diff_summary"] is None
    assert versions[1]["diff_summary"] == "+2/-1 paragraphs; title changed"
    assert archive.stats()["versions"] == 2


def test_each_version_keeps_its_removed_segments(archive: Archive) -> None:
    archive.store([make_record(removed=[("share_row", "Share Share"), ("related", "RELATED: x")])])
    archive.store([make_record(body=paragraphs("a new text"), removed=[("teaser", "Next: y")])])
    found = rows(archive, "SELECT v.version_no, r.rule, r.text FROM removed_segments r "
                          "JOIN article_versions v ON v.id = r.article_version_id "
                          "ORDER BY v.version_no, r.id")
    assert [(r["version_no"], r["rule"], r["text"]) for r in found] == [
        (1, "share_row", "Share Share"), (1, "related", "RELATED: x"), (2, "teaser", "Next: y")]


def test_batch_is_one_transaction(archive: Archive) -> None:
    commits: list[int] = []
    sa.event.listen(archive.engine, "commit", lambda conn: commits.append(1))
    batch = [make_record(f"https://variety.example/news/story-{i}/", body=paragraphs(f"story {i}"))
             for i in range(60)]
    outcomes = archive.store(batch)
    assert [o.status for o in outcomes] == ["new"] * 60
    assert len(commits) == 1
    assert archive.stats()["articles"] == 60


def test_failed_batch_writes_nothing(archive: Archive) -> None:
    good = [make_record(f"https://variety.example/news/ok-{i}/") for i in range(3)]
    naive = make_record("https://variety.example/news/bad/", published_at=dt.datetime(2025, 3, 1))
    with pytest.raises(StoreError, match="naive datetime") as caught:
        archive.store([*good, naive])
    assert isinstance(caught.value.__cause__, ValueError)
    stats = archive.stats()
    assert [stats[k] for k in ("articles", "versions", "captures", "aliases")] == [0, 0, 0, 0]
    assert rows(archive, "SELECT COUNT(*) AS n FROM sites")[0]["n"] == 0


def test_same_identity_twice_in_one_batch(archive: Archive) -> None:
    first = make_record()
    outcomes = archive.store([first, first, make_record(body=paragraphs("rewritten"))])
    assert [(o.status, o.version_no) for o in outcomes] == [
        ("new", 1), ("unchanged", 1), ("version", 2)]
    assert len({o.article_id for o in outcomes}) == 1


def test_moved_date_with_near_identical_text_is_a_version(archive: Archive) -> None:
    (first,) = archive.store([make_record()])
    fixed = make_record(published_at=DAY2, body=make_record().body + " (corrected)")
    (moved,) = archive.store([fixed])
    assert (moved.status, moved.article_id, moved.version_no) == ("version", first.article_id, 2)
    (article,) = archive.articles()
    assert article["published_date"] == DAY2.date() and article["published_at"] == DAY2
    diff = rows(archive, "SELECT diff_summary FROM article_versions WHERE version_no = 2")
    assert "date 2025-03-01 → 2025-03-02" in diff[0]["diff_summary"]


def test_reused_url_on_another_day_with_other_text_is_a_new_article(archive: Archive) -> None:
    (last_year,) = archive.store([make_record()])
    (this_year,) = archive.store([make_record(published_at=DAY1.replace(year=2026),
                                              body=paragraphs("the 2026 ceremony"))])
    assert this_year.status == "new" and this_year.article_id != last_year.article_id
    assert archive.stats()["articles"] == 2


def test_no_date_is_kept_with_first_seen_date_and_found_again(archive: Archive) -> None:
    (first,) = archive.store([make_record(published_at=None)])
    (article,) = archive.articles()
    assert article["date_is_fallback"] is True
    assert article["published_date"] == (DAY1 + dt.timedelta(hours=2)).date()
    assert article["published_at"] is None
    assert archive.stats()["fallback_dates"] == 1

    next_day = make_record(published_at=None, fetched_at=DAY2 + dt.timedelta(hours=5))
    (again,) = archive.store([next_day])
    assert (again.status, again.article_id) == ("unchanged", first.article_id)
    (changed,) = archive.store([make_record(published_at=None, body=paragraphs("other"),
                                            fetched_at=DAY2 + dt.timedelta(days=3))])
    assert (changed.status, changed.article_id) == ("version", first.article_id)
    assert archive.stats()["articles"] == 1


def test_a_date_found_later_replaces_the_fallback(archive: Archive) -> None:
    (first,) = archive.store([make_record(published_at=None)])
    (dated,) = archive.store([make_record(published_at=DAY1)])
    assert (dated.status, dated.article_id) == ("version", first.article_id)
    (article,) = archive.articles()
    assert article["date_is_fallback"] is False and article["published_at"] == DAY1


def test_aliases_resolve_to_the_same_article(archive: Archive) -> None:
    tracking = URL + "?utm_source=twitter&utm_medium=social"
    amp = URL + "amp/"
    (first,) = archive.store([make_record(tracking, canonical_url=URL, aliases=[amp])])
    assert {r["alias_url"] for r in rows(archive, "SELECT alias_url FROM url_aliases")} == {
        tracking, amp}

    # The AMP page, whose canonical link was not found, is still the same article.
    (via_amp,) = archive.store([make_record(amp, canonical_url=amp)])
    assert (via_amp.status, via_amp.article_id) == ("unchanged", first.article_id)
    # A syndicated copy naming our canonical URL as an alias of its own URL.
    copy = "https://syndicated.example/oscars-recap/"
    (synd,) = archive.store([make_record(copy, canonical_url=copy, aliases=[URL])])
    assert (synd.status, synd.article_id) == ("unchanged", first.article_id)
    assert archive.stats()["articles"] == 1
    assert copy in {r["alias_url"] for r in rows(archive, "SELECT alias_url FROM url_aliases")}


def test_captures_are_compressed_with_the_raw_sha256(archive: Archive) -> None:
    html = ("<html><body>" + "<p>Très bien — ünïcode</p>" * 2000 + "</body></html>").encode()
    archive.store([make_record(html=html)])
    (capture,) = rows(archive, "SELECT url, status, headers, html, sha256 FROM captures")
    stored = bytes(capture["html"])
    assert len(stored) < len(html) // 10
    assert decompress_html(stored) == html
    assert capture["sha256"] == hashlib.sha256(html).hexdigest()
    assert capture["status"] == 200
    latest = archive.latest_capture(URL)
    assert latest is not None and latest.html == html
    assert latest.headers["ETag"] == '"abc"' and latest.headers["Content-Type"].startswith("text/")


def test_identical_capture_is_stored_once(archive: Archive) -> None:
    archive.store([make_record(html=b"<html>same</html>")])
    later = DAY1 + dt.timedelta(days=1)
    archive.store([make_record(html=b"<html>same</html>", fetched_at=later)])
    assert archive.stats()["captures"] == 1
    archive.store([make_record(html=b"<html>ads changed</html>", fetched_at=later)])
    assert archive.stats()["captures"] == 2


def test_datetimes_read_back_timezone_aware_utc(archive: Archive) -> None:
    paris = zoneinfo.ZoneInfo("Europe/Paris")
    published = dt.datetime(2025, 3, 2, 0, 30, tzinfo=paris)  # still 1 March in UTC
    archive.store([make_record(published_at=published, modified_at=published)])
    (article,) = archive.articles()
    for key in ("published_at", "modified_at", "first_seen_at", "last_seen_at"):
        assert article[key].utcoffset() == dt.timedelta(0), key
    assert article["published_at"] == published
    assert article["published_date"] == dt.date(2025, 3, 1)


def test_published_precision_is_stored_and_follows_the_date(archive: Archive) -> None:
    """A day stays a day (midnight UTC + "day"), a time a time; a record without a date leaves
    the stored one, and its precision, alone."""
    day = dt.datetime(2025, 3, 1, tzinfo=dt.UTC)
    archive.store([make_record(published_at=day, published_precision="day")])
    (article,) = archive.articles()
    assert (article["published_at"], article["published_precision"]) == (day, "day")

    timed = dt.datetime(2025, 3, 1, 13, 18, tzinfo=dt.UTC)
    archive.store([make_record(published_at=timed, published_precision="time",
                               body=paragraphs("a corrected text"))])
    (article,) = archive.articles()
    assert (article["published_at"], article["published_precision"]) == (timed, "time")

    archive.store([make_record(published_at=None, published_precision=None,
                               body=paragraphs("a corrected text") + "\n\nUpdate: more.")])
    (article,) = archive.articles()
    assert article["current_version"] == 3
    assert (article["published_at"], article["published_precision"]) == (timed, "time")


def test_undated_record_has_no_precision(archive: Archive) -> None:
    archive.store([make_record(published_at=None, published_precision="day")])
    (article,) = archive.articles()
    assert article["published_at"] is None and article["published_precision"] is None


def test_large_text_round_trips(archive: Archive) -> None:
    body = "\n\n".join(f"{i:05d} " + "x" * 995 for i in range(100))  # ~100 KB
    title = "T" * 5000
    archive.store([make_record(body=body, title=title, image_credit="c" * 2000)])
    (article,) = archive.articles()
    assert article["body"] == body and len(article["body"]) > 100_000
    assert article["title"] == title and article["word_count"] == 200


@pytest.mark.postgres
def test_two_writers_storing_the_same_new_article_both_succeed(request: pytest.FixtureRequest,
                                                               tmp_path) -> None:
    """Writer A inserts a new article and holds its transaction open; writer B stores the same
    article, waits on the unique index, is refused when A commits, and stores its batch again:
    it finds A's row and the article is unchanged. One article, no error."""
    import threading
    import time

    from storage.writer import BatchWriter
    from tests.storage.conftest import archive_target_for

    target = archive_target_for("postgresql", request, tmp_path)
    record = make_record()
    with target.open(migrate=True) as a, target.open() as b:
        outcome: dict[str, object] = {}

        def store_b() -> None:
            try:
                outcome["b"] = b.store([record])
            except Exception as exc:  # reported by the assertion below
                outcome["b"] = exc

        with a._session("writer A", write=True) as session:
            (first,) = BatchWriter(session).store_all([record])
            writer_b = threading.Thread(target=store_b)
            writer_b.start()
            time.sleep(1.0)  # B is now blocked on A's uncommitted row
            assert writer_b.is_alive()
        writer_b.join(timeout=30)
        assert first.status == "new"
        assert not isinstance(outcome["b"], Exception), outcome["b"]
        (second,) = outcome["b"]
        assert (second.status, second.article_id) == ("unchanged", first.article_id)
        assert len(list(a.articles())) == 1
