"""Full-text search of the articles: one query syntax, run on SQLite FTS5 and PostgreSQL.

The syntax users type (``scrapy archive search``, :meth:`storage.Archive.search`)::

    tom cruise          both words, anywhere in the title or body, any order
    "tom cruise"        the phrase: these words, in this order
    nominat*            a prefix: nominated, nomination, nominations ...; "mission imposs"*
    oscars OR emmys     either; binds tighter than the default AND: ``a b OR c`` is a AND (b OR c)
    -trailer            without it (also ``NOT trailer``, ``-"box office"``); AND may be written

Case and accents do not matter (``beyonce`` finds "Beyoncé"); words are runs of letters and
digits, so ``spider-man`` is the phrase "spider man". There is no stemming: ``nominated`` does
not find "nomination" (``nominat*`` does), and no stop words. The query becomes an FTS5 MATCH
expression on SQLite (the ``articles_fts`` table, ranked by bm25) and a ``to_tsquery`` text on
PostgreSQL (the ``articles.search_vector`` column, ranked by ts_rank); both indexes come from
migration 0006 and follow every write. A query the syntax does not allow raises
:class:`~storage.errors.SearchSyntaxError` with a one-line message.
"""

from __future__ import annotations

import bisect
import datetime as dt
import functools
import re
import unicodedata
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Select, literal_column, select, table, text
from sqlalchemy.orm import Session

from storage.errors import SearchSyntaxError
from storage.models import Article, Site

#: The SQLite FTS5 table and the PostgreSQL column and index of migration 0006 (not in the models).
FTS_TABLE = "articles_fts"
VECTOR_COLUMN = "search_vector"
VECTOR_INDEX = "ix_articles_search_vector"
#: How much more a word in the title counts than one in the body (bm25 column weight; on
#: PostgreSQL the title is weighted A, the body D).
TITLE_WEIGHT = 10.0
#: Characters of body shown in a snippet, and how many of them come before its first hit.
SNIPPET_CHARS = 160
SNIPPET_LEAD = 40
#: Marks around the words that matched, in snippets.
DEFAULT_MARKS = ("[", "]")

WORD = re.compile(r"[^\W_]+")
_KEYWORDS = ("AND", "OR", "NOT")


@dataclass(frozen=True)
class Term:
    """A word or phrase (``words`` in order); ``prefix``: its last word is a prefix."""

    words: tuple[str, ...]
    prefix: bool = False


@dataclass(frozen=True)
class SearchQuery:
    """Every group of ``required`` must match (a group: any of its terms); no ``excluded`` term may."""

    required: tuple[tuple[Term, ...], ...]
    excluded: tuple[Term, ...] = ()


# --- the syntax ------------------------------------------------------------------------------

def parse(query: str) -> SearchQuery:
    """The :class:`SearchQuery` of a user's ``query``; :class:`SearchSyntaxError` when malformed."""
    groups: list[list[Term]] = []
    excluded: list[Term] = []
    negate = want_or_operand = False
    for kind, term in _lex(unicodedata.normalize("NFC", query), query):
        if kind == "AND":
            if want_or_operand or negate:
                raise SearchSyntaxError(f"AND cannot follow OR or NOT in {query!r}")
        elif kind == "NOT":
            if negate or want_or_operand:
                raise SearchSyntaxError(f"NOT must be followed by a word or phrase in {query!r}")
            negate = True
        elif kind == "OR":
            if not groups or not groups[-1] or want_or_operand or negate:
                raise SearchSyntaxError(f"OR must stand between two words or phrases in {query!r}")
            want_or_operand = True
        else:
            assert term is not None
            excluded_term = negate or kind == "-term"
            if excluded_term and want_or_operand:
                raise SearchSyntaxError(f"an excluded term cannot be one side of OR in {query!r}")
            if excluded_term:
                excluded.append(term)
                groups.append([])  # an empty group marks its place: "-a OR b" is refused
            elif want_or_operand:
                groups[-1].append(term)
            else:
                groups.append([term])
            negate = want_or_operand = False
    if want_or_operand or negate:
        raise SearchSyntaxError(f"{'OR' if want_or_operand else 'NOT'} at the end of {query!r} "
                                "needs a word or phrase after it")
    required = tuple(tuple(g) for g in groups if g)
    if not required:
        if excluded:
            raise SearchSyntaxError(f"{query!r} only excludes: add a word or phrase to search for")
        raise SearchSyntaxError(f"nothing to search for in {query!r}: give words, a \"phrase\" or a prefix*")
    return SearchQuery(required, tuple(excluded))


def _lex(text: str, original: str) -> list[tuple[str, Term | None]]:
    """``text`` as ("AND"|"OR"|"NOT", None) and ("term"|"-term", Term) tokens."""
    tokens: list[tuple[str, Term | None]] = []
    i, n = 0, len(text)
    while i < n:
        if text[i].isspace():
            i += 1
            continue
        negated = text[i] == "-" and i + 1 < n and not text[i + 1].isspace()
        if negated:
            i += 1
        if text[i] == '"':
            end = text.find('"', i + 1)
            if end < 0:
                raise SearchSyntaxError(f"unclosed quote in {original!r}")
            raw, i = text[i + 1:end], end + 1
            prefix = i < n and text[i] == "*"
            while i < n and text[i] == "*":
                i += 1
        else:
            end = i
            while end < n and not text[end].isspace() and text[end] != '"':
                end += 1
            raw, i = text[i:end], end
            if not negated and raw in _KEYWORDS:
                tokens.append((raw, None))
                continue
            prefix = raw.endswith("*")
        words = tuple(WORD.findall(raw))
        if not words:
            if prefix:
                raise SearchSyntaxError(f"'*' must end a word (prefix*) in {original!r}")
            continue  # punctuation only: nothing the index holds
        tokens.append(("-term" if negated else "term", Term(words, prefix)))
    return tokens


def fts5_match(query: SearchQuery) -> str:
    """``query`` as an SQLite FTS5 MATCH expression (every term a quoted string)."""
    def term(t: Term) -> str:
        return '"' + " ".join(t.words) + '"' + (" *" if t.prefix else "")

    def group(g: tuple[Term, ...]) -> str:
        return term(g[0]) if len(g) == 1 else "(" + " OR ".join(term(t) for t in g) + ")"

    expression = "(" + " AND ".join(group(g) for g in query.required) + ")"
    return expression + "".join(f" NOT {term(t)}" for t in query.excluded)


def tsquery_text(query: SearchQuery) -> str:
    """``query`` as a PostgreSQL ``to_tsquery`` text (lexemes quoted, phrases with ``<->``)."""
    def term(t: Term) -> str:
        lexemes = [f"'{w}'" for w in t.words]
        if t.prefix:
            lexemes[-1] += ":*"
        return lexemes[0] if len(lexemes) == 1 else "(" + " <-> ".join(lexemes) + ")"

    def group(g: tuple[Term, ...]) -> str:
        return term(g[0]) if len(g) == 1 else "(" + " | ".join(term(t) for t in g) + ")"

    return " & ".join([*(group(g) for g in query.required), *(f"!{term(t)}" for t in query.excluded)])


# --- searching -------------------------------------------------------------------------------

def search_articles(session: Session, query: str, *, site: str | None = None,
                    since: dt.date | None = None, until: dt.date | None = None, limit: int = 20,
                    marks: tuple[str, str] = DEFAULT_MARKS) -> list[dict[str, Any]]:
    """The ``limit`` best articles for ``query`` (see the module's syntax), best first.

    Only ``site``'s articles, and those published (their ``published_date``) from ``since`` to
    ``until`` inclusive, when given. Each hit: id, site, canonical_url, published_date, title,
    score (higher is better; bm25 on SQLite, ts_rank on PostgreSQL: not comparable across
    engines) and snippet (body words around the hits, matched words between ``marks``).
    """
    if limit < 1:
        raise ValueError(f"limit must be at least 1, not {limit}")
    parsed = parse(query)
    where: list[str] = []
    params: dict[str, Any] = {"limit": limit}
    if site is not None:
        where.append("a.site_id = (SELECT id FROM sites WHERE slug = :site)")
        params["site"] = site
    if since is not None:
        where.append("a.published_date >= :since")
        params["since"] = since
    if until is not None:
        where.append("a.published_date <= :until")
        params["until"] = until
    if session.get_bind().dialect.name == "sqlite":
        ranked = _sqlite_hits(session, fts5_match(parsed), where, params)
    else:
        ranked = _postgresql_hits(session, tsquery_text(parsed), where, params)
    if not ranked:
        return []
    rows = {row.id: row for row in session.execute(
        select(Article.id, Site.slug, Article.canonical_url, Article.published_date, Article.title,
               Article.body).outerjoin(Site, Article.site_id == Site.id)
        .where(Article.id.in_([article_id for article_id, _ in ranked])))}
    return [{"id": article_id, "site": rows[article_id].slug,
             "canonical_url": rows[article_id].canonical_url,
             "published_date": rows[article_id].published_date, "title": rows[article_id].title,
             "score": float(score), "snippet": snippet(rows[article_id].body, parsed, marks)}
            for article_id, score in ranked]


def matching_ids(query: str, dialect: str) -> Select[tuple[int]]:
    """The ids of the articles matching ``query`` (the same as :func:`search_articles`, unranked
    and unlimited), as a SELECT for ``IN``: exports' ``--query``."""
    parsed = parse(query)
    if dialect == "sqlite":
        return (select(literal_column("articles_fts.rowid")).select_from(table("articles_fts"))
                .where(text("articles_fts MATCH :fts_match").bindparams(fts_match=fts5_match(parsed))))
    matched = Article.__table__.alias("fts_articles")
    return select(matched.c.id).where(text(
        "fts_articles.search_vector @@ to_tsquery('simple', archive_fold(:fts_query))"
    ).bindparams(fts_query=tsquery_text(parsed)))


def _sqlite_hits(session: Session, match: str, where: list[str], params: dict[str, Any]
                 ) -> list[tuple[int, float]]:
    # bm25 is lower for better hits: negated, so that a higher score is better on both engines
    join = " JOIN articles a ON a.id = articles_fts.rowid" if where else ""
    sql = (f"SELECT articles_fts.rowid, -bm25(articles_fts, {TITLE_WEIGHT}, 1.0) AS score "
           f"FROM articles_fts{join} WHERE articles_fts MATCH :match"
           + "".join(f" AND {w}" for w in where)
           + " ORDER BY score DESC, articles_fts.rowid DESC LIMIT :limit")
    return [(r[0], r[1]) for r in session.execute(text(sql), {**params, "match": match})]


def _postgresql_hits(session: Session, tsquery: str, where: list[str], params: dict[str, Any]
                     ) -> list[tuple[int, float]]:
    # normalization 1: the rank divided by 1 + log(document length), as bm25 favours short texts
    sql = ("SELECT a.id, ts_rank(a.search_vector, q, 1) AS score "
           "FROM articles a, to_tsquery('simple', archive_fold(:tsquery)) AS q "
           "WHERE a.search_vector @@ q" + "".join(f" AND {w}" for w in where)
           + " ORDER BY score DESC, a.id DESC LIMIT :limit")
    return [(r[0], r[1]) for r in session.execute(text(sql), {**params, "tsquery": tsquery})]


# --- snippets --------------------------------------------------------------------------------

def _fold_table() -> dict[int, str]:
    """Latin letters with accents → the same letter without (one character for one)."""
    table = {}
    for cp in [*range(0xC0, 0x250), *range(0x1E00, 0x1F00)]:
        parts = unicodedata.normalize("NFD", chr(cp))
        if len(parts) > 1 and parts[0].isascii() and parts[0].isalpha() and all(
                unicodedata.combining(c) for c in parts[1:]):
            table[cp] = parts[0]
    return table


_FOLD = _fold_table()


def fold(text: str) -> str:
    """``text`` without the accents of Latin letters, as the index compares words; as long as
    ``text``, so that offsets in one are offsets in the other."""
    return text.translate(_FOLD)


@functools.lru_cache(maxsize=64)
def _hit_pattern(query: SearchQuery) -> re.Pattern[str]:
    """A regular expression matching the words of ``query``'s terms (prefixes: any word they
    begin) in :func:`fold`-ed, lower-case text; the word before a match is checked apart (a
    pattern that starts with its words is found much faster)."""
    words, prefixes = set(), set()
    for term in (t for g in query.required for t in g):
        words.update(fold(w).lower() for w in (term.words[:-1] if term.prefix else term.words))
        if term.prefix:
            prefixes.add(fold(term.words[-1]).lower())
    alternatives = [re.escape(p) + r"[^\W_]*" for p in sorted(prefixes, key=len, reverse=True)]
    alternatives += [re.escape(w) for w in sorted(words, key=len, reverse=True)]
    return re.compile("(?:" + "|".join(alternatives) + r")(?![^\W_])")


def snippet(body: str, query: SearchQuery, marks: tuple[str, str] = DEFAULT_MARKS,
            size: int = SNIPPET_CHARS) -> str:
    """About ``size`` characters of ``body`` (whole words) around its densest hits of ``query``'s
    terms, the hits between ``marks``, paragraph breaks as " ¶ ", "…" where the body goes on."""
    if not WORD.search(body):
        return ""
    folded = fold(body).lower()  # as long as body: the one letter lower() lengthens (İ) is folded
    hits = []
    for m in _hit_pattern(query).finditer(folded):
        if m.start() == 0 or not folded[m.start() - 1].isalnum():
            hits.append(m.span())
            if len(hits) == 1000:
                break
    start = max(min(_best_window([s for s, _ in hits], size) if hits else 0, len(body) - size), 0)
    end = min(start + size, len(body))
    while 0 < start < end and body[start - 1].isalnum() and body[start].isalnum():
        start += 1  # not from the middle of a word ...
    while start < end < len(body) and body[end - 1].isalnum() and body[end].isalnum():
        end -= 1  # ... nor to the middle of one
    pieces, cursor = ["…" if WORD.search(body, 0, start) else body[:start]], start
    for hit_start, hit_end in hits:
        if start <= hit_start and hit_end <= end:
            pieces += [body[cursor:hit_start], marks[0], body[hit_start:hit_end], marks[1]]
            cursor = hit_end
    pieces += [body[cursor:end], "…" if WORD.search(body, end) else body[end:]]
    return " ".join("".join(pieces).replace("\n\n", " ¶ ").split())


def _best_window(starts: list[int], size: int) -> int:
    """Where the ``size``-character window holding the most hits begins (earliest on ties), a
    little before its first hit."""
    best_start, best_count = 0, -1
    for hit in starts[:500]:
        start = max(hit - SNIPPET_LEAD, 0)
        count = bisect.bisect_left(starts, start + size) - bisect.bisect_left(starts, start)
        if count > best_count:
            best_start, best_count = start, count
    return best_start


# --- what Alembic's comparison leaves alone ---------------------------------------------------

def in_models(name: str | None, type_: str, parent_names: dict[str, Any]) -> bool:
    """Alembic ``include_name`` hook: False for the search index's tables, column and index,
    which migration 0006 creates beside the models (autogenerate must not drop them)."""
    if name is None:
        return True
    if type_ == "table":
        return not name.startswith(FTS_TABLE)
    if type_ == "column":
        return not (parent_names.get("table_name") == "articles" and name == VECTOR_COLUMN)
    if type_ == "index":
        return name != VECTOR_INDEX
    return True
