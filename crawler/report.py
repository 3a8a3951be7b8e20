"""The archive report (``scrapy archive report``): one self-contained HTML file.

:func:`render_report` turns :class:`storage.report_data.ReportData` into HTML with the charts
drawn here as inline SVG: no script, no stylesheet or font to fetch, nothing that needs a
network (a Content-Security-Policy forbids every fetch and every script). Every text from the
archive (titles, site names, rule names, URLs) is escaped; links go only to http(s) URLs.

Hand-drawn rather than a chart library: the charts are bars and coloured grids (per-site rows,
a verdict timeline, a coverage heat map), a few lines each, and a library would bring either
JavaScript to inline or chart types without grids.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Iterable
from html import escape
from urllib.parse import urlsplit

from storage.report_data import COVERAGE_FIELDS, ReportData

#: Sites drawn as rows of their own in the articles-per-day chart; the rest share one row.
DAILY_SITES = 15
VERDICT_COLOURS = {"healthy": "#2f9e5f", "degraded": "#e3a21a", "failed": "#d1433b",
                   "unfinished": "#9aa3ad"}
NOT_IN_RUN = "#eef0f3"
BAR = "#3b6fb6"
RULE_BAR = "#8a5cc2"
WIDTH = 1040
LABEL = 190          # left column of site / rule names
FONT = 12
_CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:"
_STYLE = """
body{font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,"DejaVu Sans",sans-serif;color:#1d232b;
margin:0;background:#f6f7f9}
main{max-width:1080px;margin:0 auto;padding:24px 20px 40px}
h1{font-size:24px;margin:0 0 4px}h2{font-size:18px;margin:0 0 4px}
section{background:#fff;border:1px solid #dfe3e8;border-radius:8px;padding:16px 18px;margin:16px 0}
.meta,.note{color:#5b6470;font-size:13px;margin:0 0 10px}
.totals{display:flex;gap:28px;flex-wrap:wrap;margin:12px 0 0}
.totals div{font-size:13px;color:#5b6470}.totals b{display:block;font-size:20px;color:#1d232b}
svg{display:block;max-width:100%;height:auto}svg text{font-family:inherit;fill:#1d232b}
.legend{display:flex;gap:14px;font-size:12px;color:#5b6470;margin:6px 0 0}
.legend i{display:inline-block;width:11px;height:11px;border-radius:2px;margin-right:4px;vertical-align:-1px}
table{border-collapse:collapse;width:100%;font-size:13px}
th,td{text-align:left;padding:4px 8px;border-bottom:1px solid #eceff2;vertical-align:top}
th{color:#5b6470;font-weight:600}td.site{font-weight:600;white-space:nowrap}td.day{white-space:nowrap;color:#5b6470}
.flag{color:#b06d00;font-size:12px}.empty{color:#5b6470;font-style:italic}
a{color:#2455a4;text-decoration:none}a:hover{text-decoration:underline}
"""


def render_report(data: ReportData, *, archive_url: str, generated_at: dt.datetime) -> str:
    """The whole report as one HTML document (UTF-8 text)."""
    sites = len(data.coverage)
    span = f"{data.oldest} to {data.newest}" if data.oldest else "none"
    totals = "".join(f"<div><b>{escape(value)}</b>{escape(name)}</div>" for name, value in (
        ("articles", f"{data.articles:,}"), ("sites", f"{sites:,}"), ("published", span),
        ("crawl runs shown", f"{len(data.runs):,}"), ("cleaning rules", f"{data.rules:,}")))
    parts = [
        "<!doctype html>",
        '<html lang="en"><head><meta charset="utf-8">',
        f'<meta http-equiv="Content-Security-Policy" content="{_CSP}">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>Archive report {escape(generated_at.strftime('%Y-%m-%d %H:%M'))} UTC</title>",
        f"<style>{_STYLE}</style></head><body><main>",
        "<h1>Archive report</h1>",
        f'<p class="meta">{escape(archive_url)} · generated {escape(_stamp(generated_at))} UTC</p>',
        f'<div class="totals">{totals}</div>',
        _daily_section(data),
        _coverage_section(data),
        _rules_section(data),
        _verdict_section(data),
        _newest_section(data),
        "</main></body></html>",
    ]
    return "\n".join(parts) + "\n"


# --- sections ------------------------------------------------------------------------------------

def _section(key: str, title: str, note: str, body: str) -> str:
    return (f'<section id="{key}"><h2>{escape(title)}</h2><p class="note">{note}</p>'
            f"{body}</section>")


def _daily_section(data: ReportData) -> str:
    days = (data.last_day - data.first_day).days + 1
    note = (f"Articles by publication day (UTC), {data.first_day} to {data.last_day} ({days} days); "
            "each site's row has its own scale (its busiest day fills the row).")
    if data.before_window:
        note += (f" {_n(data.before_window, 'article')} published before {data.first_day} "
                 f"{'is' if data.before_window == 1 else 'are'} not shown.")
    note = escape(note)
    if not data.daily:
        return _section("daily", "Articles per site per day", note,
                        '<p class="empty">No article was published in these days.</p>')
    return _section("daily", "Articles per site per day", note, _daily_chart(data, days))


def _coverage_section(data: ReportData) -> str:
    note = escape("Share of each site's articles that have the field; date: a publication date "
                  "the page gave (not the day the crawler first saw it).")
    if not data.coverage:
        return _section("coverage", "Field coverage per site", note,
                        '<p class="empty">The archive has no articles.</p>')
    return _section("coverage", "Field coverage per site", note, _coverage_chart(data))


def _rules_section(data: ReportData) -> str:
    shown = len(data.removed)
    note = escape(f"Segments the cleaning rules removed from stored versions, per rule "
                  f"({shown} of {data.rules} rules, most segments first).")
    if not data.removed:
        return _section("removed", "Removed junk per rule", note,
                        '<p class="empty">No segment has been removed.</p>')
    return _section("removed", "Removed junk per rule", note, _rules_chart(data))


def _verdict_section(data: ReportData) -> str:
    note = escape(f"Health verdict of each site in the {len(data.runs)} newest crawl runs, oldest "
                  "on the left; the top row is the run's overall verdict.")
    if not data.runs:
        return _section("runs", "Crawl run verdicts", note,
                        '<p class="empty">No crawl run has been recorded.</p>')
    legend = "".join(f'<span><i style="background:{colour}"></i>{escape(name)}</span>'
                     for name, colour in (*VERDICT_COLOURS.items(), ("not in the run", NOT_IN_RUN)))
    return _section("runs", "Crawl run verdicts", note,
                    _verdict_chart(data) + f'<div class="legend">{legend}</div>')


def _newest_section(data: ReportData) -> str:
    note = escape("The newest articles of each site by publication day.")
    rows = []
    for site in (c.site for c in data.coverage):
        for i, article in enumerate(data.newest_articles.get(site, [])):
            name = f'<td class="site">{escape(site)}</td>' if i == 0 else "<td></td>"
            flag = ' <span class="flag">(first seen)</span>' if article.date_is_fallback else ""
            title = escape(article.title or "(no title)")
            if _safe_link(article.canonical_url):
                title = f'<a href="{escape(article.canonical_url)}">{title}</a>'
            rows.append(f'<tr>{name}<td class="day">{article.published_date.isoformat()}{flag}</td>'
                        f"<td>{title}</td><td>{escape(', '.join(article.authors))}</td></tr>")
    if not rows:
        return _section("newest", "Newest articles per site", note,
                        '<p class="empty">The archive has no articles.</p>')
    return _section("newest", "Newest articles per site", note,
                    "<table><thead><tr><th>site</th><th>published</th><th>title</th><th>authors</th>"
                    f"</tr></thead><tbody>{''.join(rows)}</tbody></table>")


# --- charts --------------------------------------------------------------------------------------

def _daily_chart(data: ReportData, days: int) -> str:
    """One row of bars per site (the busiest :data:`DAILY_SITES`, then the others together)."""
    totals = sorted(data.daily.items(), key=lambda kv: (-sum(kv[1].values()), kv[0]))
    rows = [(site, counts) for site, counts in totals[:DAILY_SITES]]
    if len(totals) > DAILY_SITES:
        others: dict[dt.date, int] = {}
        for _, counts in totals[DAILY_SITES:]:
            for day, n in counts.items():
                others[day] = others.get(day, 0) + n
        rows.append((f"{len(totals) - DAILY_SITES} other sites", others))
    plot_x, plot_w = LABEL, WIDTH - LABEL - 90
    step = plot_w / days
    row_h, top = 34, 4
    height = top + row_h * len(rows) + 26
    out = [_svg_open("daily", WIDTH, height, "Articles per site per day")]
    for r, (site, counts) in enumerate(rows):
        y0 = top + r * row_h
        base = y0 + row_h - 6
        peak = max(counts.values())
        out.append(_label(site, 8, base - 6, 24))
        out.append(f'<line x1="{plot_x}" y1="{base}" x2="{plot_x + plot_w}" y2="{base}" stroke="#d5dae0"/>')
        for day, n in sorted(counts.items()):
            x = plot_x + (day - data.first_day).days * step
            h = max((row_h - 10) * n / peak, 1.5)
            out.append(f'<rect class="mark" x="{x:.2f}" y="{base - h:.2f}" '
                       f'width="{max(step * 0.8, 2):.2f}" height="{h:.2f}" fill="{BAR}">'
                       f"<title>{escape(site)} {day}: {_n(n, 'article')}</title></rect>")
        out.append(f'<text x="{plot_x + plot_w + 8}" y="{base - 6}" font-size="{FONT - 1}">'
                   f"{sum(counts.values()):,} · max {peak}/day</text>")
    axis_y = top + row_h * len(rows)
    for day in _ticks(data.first_day, days):
        x = plot_x + (day - data.first_day).days * step + step * 0.4
        out.append(f'<line x1="{x:.2f}" y1="{axis_y - 2}" x2="{x:.2f}" y2="{axis_y + 3}" stroke="#8b949e"/>'
                   f'<text x="{x:.2f}" y="{axis_y + 16}" font-size="{FONT - 1}" text-anchor="middle">'
                   f"{day.isoformat()}</text>")
    out.append("</svg>")
    return "".join(out)


def _coverage_chart(data: ReportData) -> str:
    """A heat map: one row per site, one column per field, the cell's shade its share."""
    cell_w, row_h, top = 110, 26, 24
    plot_x = LABEL + 70
    height = top + row_h * len(data.coverage) + 4
    width = plot_x + cell_w * len(COVERAGE_FIELDS) + 4
    out = [_svg_open("coverage", width, height, "Field coverage per site")]
    out.append(f'<text x="{LABEL + 60}" y="16" font-size="{FONT - 1}" text-anchor="end">articles</text>')
    for c, name in enumerate(COVERAGE_FIELDS):
        out.append(f'<text x="{plot_x + c * cell_w + cell_w / 2}" y="16" font-size="{FONT}" '
                   f'text-anchor="middle" font-weight="600">{name}</text>')
    for r, site in enumerate(data.coverage):
        y = top + r * row_h
        out.append(_label(site.site, 8, y + 17, 24))
        out.append(f'<text x="{LABEL + 60}" y="{y + 17}" font-size="{FONT - 1}" text-anchor="end">'
                   f"{site.articles:,}</text>")
        for c, name in enumerate(COVERAGE_FIELDS):
            share = site.share(name)
            fill, ink = _shade(share)
            x = plot_x + c * cell_w
            out.append(f'<rect class="mark" x="{x + 1}" y="{y + 1}" width="{cell_w - 2}" '
                       f'height="{row_h - 2}" rx="3" fill="{fill}"><title>{escape(site.site)} {name}: '
                       f"{site.present[name]:,} of {site.articles:,}</title></rect>"
                       f'<text x="{x + cell_w / 2}" y="{y + 17}" font-size="{FONT}" text-anchor="middle" '
                       f'style="fill:{ink}">{share:.0%}</text>')
    out.append("</svg>")
    return "".join(out)


def _rules_chart(data: ReportData) -> str:
    """Horizontal bars: segments removed per rule."""
    row_h, top = 22, 4
    plot_x, plot_w = LABEL + 110, WIDTH - LABEL - 110 - 110
    peak = max(rule.segments for rule in data.removed)
    height = top + row_h * len(data.removed) + 4
    out = [_svg_open("removed", WIDTH, height, "Removed junk segments per rule")]
    for r, rule in enumerate(data.removed):
        y = top + r * row_h
        w = max(plot_w * rule.segments / peak, 1.5)
        out.append(_label(rule.rule, 8, y + 15, 40))
        out.append(f'<rect class="mark" x="{plot_x}" y="{y + 3}" width="{w:.2f}" height="{row_h - 6}" '
                   f'rx="2" fill="{RULE_BAR}"><title>{escape(rule.rule)}: {_n(rule.segments, "segment")}'
                   f"</title></rect>"
                   f'<text x="{plot_x + w + 6:.2f}" y="{y + 15}" font-size="{FONT - 1}">'
                   f"{_n(rule.segments, 'segment')}</text>")
    out.append("</svg>")
    return "".join(out)


def _verdict_chart(data: ReportData) -> str:
    """A grid: one column per run (oldest left), the overall row, then one row per site."""
    sites = sorted({site for run in data.runs for site in run.sites})
    rows = [("all sites", None), *((site, site) for site in sites)]
    plot_x = LABEL
    cell_w = min(40.0, (WIDTH - plot_x - 10) / len(data.runs))
    row_h, top = 24, 4
    label_h = 92
    grid_h = row_h * len(rows)
    height = top + grid_h + label_h
    out = [_svg_open("runs", WIDTH, height, "Crawl run verdicts over time")]
    for r, (name, site) in enumerate(rows):
        y = top + r * row_h
        out.append(_label(name, 8, y + 16, 24, bold=site is None))
        for c, run in enumerate(data.runs):
            verdict = run.verdict if site is None else run.sites.get(site)
            fill = VERDICT_COLOURS.get(verdict or "", NOT_IN_RUN if verdict is None else "#6b7280")
            what = verdict or "not in the run"
            x = plot_x + c * cell_w
            out.append(f'<rect class="mark" x="{x + 1:.2f}" y="{y + 1}" width="{cell_w - 2:.2f}" '
                       f'height="{row_h - 2}" rx="2" fill="{fill}"><title>run {run.id} ({escape(run.kind)}, '
                       f"{_stamp(run.started_at)}) {escape(name)}: {escape(what)}</title></rect>")
    every = max(1, math.ceil(len(data.runs) * 16 / (WIDTH - plot_x)))
    for c, run in enumerate(data.runs):
        if c % every and c != len(data.runs) - 1:
            continue
        x = plot_x + c * cell_w + cell_w / 2 + 4
        y = top + grid_h + 6
        out.append(f'<text x="{x:.2f}" y="{y}" font-size="{FONT - 2}" text-anchor="end" '
                   f'transform="rotate(-65 {x:.2f} {y})">#{run.id} '
                   f'{run.started_at.strftime("%m-%d %H:%M")}</text>')
    out.append("</svg>")
    return "".join(out)


# --- helpers -------------------------------------------------------------------------------------

def _svg_open(key: str, width: float, height: float, title: str) -> str:
    return (f'<svg class="chart" id="chart-{key}" data-chart="{key}" xmlns="http://www.w3.org/2000/svg" '
            f'width="{width:.0f}" height="{height:.0f}" viewBox="0 0 {width:.0f} {height:.0f}" role="img" '
            f'aria-label="{escape(title)}">')


def _label(text: str, x: float, y: float, chars: int, bold: bool = False) -> str:
    """A left-column label cut to ``chars`` characters (the whole text as its tooltip)."""
    shown = text if len(text) <= chars else text[:chars - 1] + "…"
    weight = ' font-weight="600"' if bold else ""
    return (f'<text x="{x}" y="{y}" font-size="{FONT}"{weight}><title>{escape(text)}</title>'
            f"{escape(shown)}</text>")


def _shade(share: float) -> tuple[str, str]:
    """Fill and text colour of a coverage cell: pale for none, deep teal for all."""
    low, high = (238, 242, 245), (22, 120, 120)
    rgb = tuple(round(a + (b - a) * share) for a, b in zip(low, high, strict=True))
    return "#" + "".join(f"{v:02x}" for v in rgb), "#ffffff" if share >= 0.55 else "#1d232b"


def _ticks(first: dt.date, days: int, most: int = 8) -> Iterable[dt.date]:
    step = max(1, math.ceil(days / most))
    return (first + dt.timedelta(days=d) for d in range(0, days, step))


def _n(count: int, noun: str) -> str:
    return f"{count:,} {noun}{'' if count == 1 else 's'}"


def _stamp(when: dt.datetime) -> str:
    return when.astimezone(dt.UTC).strftime("%Y-%m-%d %H:%M")


def _safe_link(url: str) -> bool:
    """Only http(s) URLs become links (a stored ``javascript:`` URL stays text)."""
    try:
        return urlsplit(url).scheme.lower() in ("http", "https")
    except ValueError:
        return False
