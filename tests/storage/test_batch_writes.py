"""A batch is written set-wise: a bounded number of statements whatever its size, and the
records of one batch still see each other (alias moves, identical captures)."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import event

from storage import Archive
from tests.storage.factory import DAY2, make_record, paragraphs


def statements(archive: Archive, records: list) -> int:
    """How many SQL statements (an executemany counts once) storing ``records`` sends."""
    sent: list[str] = []

    def count(conn, cursor, statement, *args) -> None:
        sent.append(statement)

    event.listen(archive.engine, "before_cursor_execute", count)
    try:
        archive.store(records)
    finally:
        event.remove(archive.engine, "before_cursor_execute", count)
    return len(sent)


def test_statements_per_batch_do_not_grow_with_its_size(archive: Archive) -> None:
    def batch(start: int, size: int) -> list:
        return [make_record(f"https://variety.example/2025/film/news/story-{i}/", aliases=[
            f"https://variety.example/2025/film/news/story-{i}/amp/"], body=paragraphs(f"story {i}"))
            for i in range(start, start + size)]

    archive.store(batch(0, 1))  # the first store also registers the site
    small = statements(archive, batch(1, 2))
    large = statements(archive, batch(100, 40))
    assert large == small, (small, large)  # row by row, 40 articles would take hundreds more
    assert archive.stats()["articles"] == 43 and archive.stats()["captures"] == 43


def test_a_later_record_takes_over_an_alias_of_an_earlier_one_in_the_same_batch(archive: Archive) -> None:
    shared = "https://variety.example/shared-link/"
    first = make_record("https://variety.example/2025/film/news/one-1111/", aliases=[shared],
                        body=paragraphs("one"))
    second = make_record("https://variety.example/2025/film/news/two-2222/", aliases=[shared],
                         body=paragraphs("two"), published_at=DAY2)  # another day, other text: new
    a, b = archive.store([first, second])
    assert a.status == b.status == "new" and a.article_id != b.article_id
    _, rows = archive.query(f"SELECT article_id FROM url_aliases WHERE alias_url = '{shared}'")
    assert rows == [(b.article_id,)]
    # ... and a third record under the shared URL alone is found as the second article
    third = make_record(shared, canonical_url="https://variety.example/2025/film/news/two-2222/",
                        body=paragraphs("two"), published_at=DAY2, fetched_at=DAY2 + dt.timedelta(hours=5))
    (c,) = archive.store([third])
    assert (c.status, c.article_id) == ("unchanged", b.article_id)


def test_the_same_page_twice_in_one_batch_keeps_one_capture(archive: Archive) -> None:
    record = make_record()
    later = make_record(fetched_at=record.fetched_at + dt.timedelta(hours=1))
    archive.store([record, later])
    assert archive.stats()["captures"] == 1
    state = archive.get_url_state(record.url)
    assert state is not None and state.last_fetched_at == later.fetched_at
