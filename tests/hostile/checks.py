"""The assertions every hostile case gets: one outcome it may have, its notes, and no junk."""

from __future__ import annotations

from collections.abc import Sequence

from tests.hostile.cases import Case
from tests.hostile.harness import NOTES, CrawlResult, junk, outcome_counts


def check_case(case: Case, result: CrawlResult) -> None:
    """The case was fetched and ended in exactly one allowed outcome, with a log line naming
    its URL and its reason, the notes it must carry, and, when stored, no junk."""
    assert result.fetches(case.path) >= 1, f"{case.path} was never requested"
    outcomes = result.outcomes(case.path, *case.also)
    lines = "\n".join(result.lines(case.path, *case.also)) or "(no line names it)"
    assert len(outcomes) == 1, f"{case.id}: outcomes {sorted(outcomes)}\n{lines}"
    (outcome,) = outcomes
    assert outcome in case.allowed, f"{case.id}: {outcome}, expected one of {sorted(case.allowed)}\n{lines}"
    notes = result.notes(case.path, *case.also)
    required = case.notes | (case.stored_notes if outcome == "stored" else frozenset())
    assert required <= notes, f"{case.id}: notes {sorted(notes)} lack {sorted(required - notes)}\n{lines}"
    unexpected = notes - required - case.maybe
    assert not unexpected, f"{case.id}: unexpected notes {sorted(unexpected)}\n{lines}"
    if outcome != "stored":
        return
    article = result.articles[case.path]
    problems = junk(article)
    assert not problems, f"{case.id}: junk stored: {problems}"
    if case.title is not None:
        assert article["title"] == case.title, f"{case.id}: title {article['title']!r}"
    body = article["body"]
    for paragraph in case.include:
        assert paragraph in body, f"{case.id}: paragraph missing or altered: {paragraph[:80]!r}"
    stored_text = " ".join(
        str(v) for v in (article["title"], article["dek"], body, article["authors"], article["captions"])
    )
    for text in case.exclude:
        assert text not in stored_text, f"{case.id}: {text!r} stored"
    if case.reference is not None:
        foreign = [p for p in body.split("\n\n") if not case.reference.from_page(p)]
        assert not foreign, f"{case.id}: paragraphs not from the page: {[p[:80] for p in foreign]}"


def check_crawl(result: CrawlResult, cases: Sequence[Case]) -> None:
    """The crawl ended normally, without a traceback, and each outcome and note stat counts
    exactly the cases that had it (a stat per reason)."""
    assert result.returncode in (0, 2), result.log[-3000:]  # 2: degraded, expected with so many errors
    assert "Traceback" not in result.log, result.log[result.log.find("Traceback") - 2000 :][:6000]
    assert result.stats.get("finish_reason") is None  # a string, not a counter: read below
    assert "'finish_reason': 'finished'" in result.log
    assert not any(k.startswith(("spider_exceptions", "log_count/CRITICAL")) for k in result.stats)
    counts = outcome_counts(result, [(c.path, *c.also) for c in cases])
    for stat_name, count in counts.items():
        assert result.stat(stat_name) == count, f"{stat_name}: {result.stat(stat_name)}, {count} cases"
    for note, (_, stat_name) in NOTES.items():
        if stat_name is not None:
            having = sum(note in result.notes(c.path, *c.also) for c in cases)
            assert result.stat(stat_name) == having, f"{stat_name}: {result.stat(stat_name)}, {having} cases"
