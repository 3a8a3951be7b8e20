"""The bounded distinct counter behind discovery/article_links and discovery/skipped_not_due."""

from __future__ import annotations

from crawler.distinct import DistinctCounter


def _urls(start: int, stop: int) -> list[str]:
    return [f"https://variety.example/2025/film/news/story-{i}/" for i in range(start, stop)]


def test_exact_while_small_whatever_the_repeats() -> None:
    counter = DistinctCounter()
    for url in _urls(0, 500) * 3:
        counter.add(url)
    assert len(counter) == 500 and counter.exact
    other = DistinctCounter()
    for url in _urls(400, 700):
        other.add(url)
    assert counter.union_len(other) == 700
    assert counter.union_len(other) - len(other) == 400  # in counter, not in other


def test_past_the_exact_limit_memory_stays_bounded_and_the_count_close() -> None:
    counter = DistinctCounter(exact_limit=1_000)
    urls = _urls(0, 60_000)
    for url in urls + urls[:10_000]:
        counter.add(url)
    assert not counter.exact
    assert counter._hashes is None and len(counter._registers or b"") == 2 ** 14
    assert abs(len(counter) - 60_000) / 60_000 < 0.03  # 0.81 % standard error; 3 % is > 3 sigma
    small = DistinctCounter()
    for url in _urls(55_000, 65_000):
        small.add(url)
    assert abs(counter.union_len(small) - 65_000) / 65_000 < 0.03
    assert abs(small.union_len(counter) - 65_000) / 65_000 < 0.03
