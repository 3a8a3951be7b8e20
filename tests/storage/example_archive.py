"""The small archive behind README "Querying the archive": its example outputs are this archive's.

Four articles of two sites, stored through :meth:`storage.Archive.store` like a crawl's: one
article changes (a second version with a new title and paragraph), one gives its date in
Pacific time late in the evening (filed under the next UTC day), one gives no date at all
(filed under the day it was first seen, ``date_is_fallback``).
"""

from __future__ import annotations

import datetime as dt

from storage import Archive, SiteInfo
from tests.storage.factory import make_record

UTC = dt.UTC
PACIFIC = dt.timezone(dt.timedelta(hours=-8))

CRUISE = "https://variety.example/2025/film/news/tom-cruise-mission-impossible-1236000001/"
OSCARS = "https://variety.example/2025/film/awards/oscars-winners-list-1236000002/"
BOX_OFFICE = "https://deadline.example/2025/03/box-office-weekend-1236000003/"
WEDNESDAY = "https://deadline.example/2025/03/netflix-renews-wednesday-1236000004/"

CRUISE_BODY = (
    "Tom Cruise will return as Ethan Hunt in the eighth and final Mission: Impossible film.\n\n"
    "The stunt the star rehearsed for a year, hanging from a biplane, opens the film.\n\n"
    "Paramount will release it in theaters in May."
)


def fill(archive: Archive) -> None:
    """Store the example articles (and their versions) in ``archive``."""
    archive.ensure_sites([SiteInfo("variety", "Variety", "https://variety.example"),
                          SiteInfo("deadline", "Deadline", "https://deadline.example")])
    archive.store([
        make_record(CRUISE, site="variety", title="Tom Cruise returns for a final Mission: Impossible",
                    authors=["Jane Doe"], section="Film", image_url="https://variety.example/cruise.jpg",
                    published_at=dt.datetime(2025, 3, 1, 9, 30, tzinfo=UTC), published_precision="time",
                    fetched_at=dt.datetime(2025, 3, 1, 11, 30, tzinfo=UTC), body=CRUISE_BODY),
        make_record(BOX_OFFICE, site="deadline", title="Box office: a quiet weekend before the Oscars",
                    authors=["Anthony D'Alessandro"], section="Box Office",
                    image_url="https://deadline.example/box-office.jpg",
                    published_at=dt.datetime(2025, 3, 1, 23, 30, tzinfo=PACIFIC),
                    published_precision="time", fetched_at=dt.datetime(2025, 3, 2, 9, 0, tzinfo=UTC),
                    body="Theaters were quiet this weekend as audiences waited for the Oscars.\n\n"
                         "Mickey 17 opens next Friday."),
    ])
    archive.store([
        make_record(CRUISE, site="variety", title="Tom Cruise confirms the final Mission: Impossible",
                    authors=["Jane Doe"], section="Film", image_url="https://variety.example/cruise.jpg",
                    published_at=dt.datetime(2025, 3, 1, 9, 30, tzinfo=UTC), published_precision="time",
                    fetched_at=dt.datetime(2025, 3, 2, 8, 0, tzinfo=UTC),
                    body=CRUISE_BODY + "\n\nCruise confirmed that it is his last outing as Hunt."),
        make_record(OSCARS, site="variety", title="Oscars 2025: the complete winners list",
                    authors=[], section="Awards", published_at=dt.datetime(2025, 3, 3, 4, 0, tzinfo=UTC),
                    published_precision="time", fetched_at=dt.datetime(2025, 3, 3, 5, 0, tzinfo=UTC),
                    body="Anora won Best Picture at the 97th Academy Awards.\n\n"
                         "Mikey Madison won Best Actress; Adrien Brody won Best Actor."),
        make_record(WEDNESDAY, site="deadline", title="Netflix renews Wednesday for a third season",
                    authors=[], section=None, published_at=None,
                    fetched_at=dt.datetime(2025, 3, 3, 10, 0, tzinfo=UTC),
                    body="Netflix has renewed Wednesday, starring Jenna Ortega, for a third season."),
    ])
