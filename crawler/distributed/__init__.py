"""Several machines, one frontier: the crawl's scheduler and dupefilter in Redis (scrapy-redis).

``SCHEDULER_BACKEND=redis`` (with ``REDIS_URL``) makes every ``news`` crawler of the same site
(or start URL) a worker of one shared frontier, wherever it runs:

- :mod:`.keys`: the Redis keys of a job (a site's crawl) and of its current run;
- :mod:`.scheduler`: :class:`~.scheduler.RedisFrontier`, scrapy-redis's scheduler with
  requests taken reliably (a taken request stays in the worker's in-flight hash until what
  came of it is durable), dead workers' requests returned to the frontier, Redis outages
  ridden out, and the close once the frontier has been empty ``REDIS_IDLE_CLOSE`` seconds;
- :mod:`.seen`: the run's seen-set (scrapy-redis's dupefilter on Scrapy's fingerprints,
  a per-run key with an expiry);
- :mod:`.ledger` and :mod:`.middleware`: when a taken request's outcome is durable (its items
  stored or spooled by the archive pipeline), so that it can leave the in-flight hash;
- :mod:`.codec`: requests as JSON in Redis (not pickle: a Redis that others can write to must
  not run code in the workers).

The record of what was fetched stays ``url_state`` in the archive; Redis holds only the
frontier of the runs going on.
"""
