"""A busy day of the page cache, simulated in virtual time: hit ratio under `make run`'s
deployment (two web workers, each with its own local-memory store).

    .venv/bin/python bench/cache_day.py [--rate 3] [--workers 2] [--seed 1]

A story is published every 20 minutes and an ingest run lands every 10; readers arrive at
``--rate`` requests per second, over a third of them on one shared story link that carries
fresh tracking parameters each time. Keys (tracking parameters dropped, only the parameters a
view reads kept) and tags come from cirsite.site.page_cache; an entry is a hit while its
tags' generations are unchanged and it is younger than PAGE_CACHE_STORE_SECONDS
(PAGE_CACHE_CLOCK_SECONDS for the tracker, whose periods move with the clock).
"""

import argparse
import os
import random
import sys
from collections import Counter
from pathlib import Path

PROJECT = Path(__file__).resolve().parent.parent
DAY = 24 * 3600
SECTORS, RISKS = 9, 10
# The parameters each kind of page reads (as the page cache records them).
READS = {
    "news": {"page"},
    "tracker": {"sector", "risk", "period", "chart", "page"},
    "search": {"q", "sector", "risk", "kind", "page"},
}


def setup_django():
    os.environ.setdefault("SECRET_KEY", "cache-day-simulation-only")
    os.environ["DATABASE_URL"] = "sqlite://:memory:"
    os.environ.pop("REDIS_URL", None)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cirsite.settings")
    sys.path.insert(0, str(PROJECT))
    import django

    django.setup()


def zipf_choice(rng, n, s=1.1):
    weights = [1 / (rank + 1) ** s for rank in range(n)]
    return rng.choices(range(n), weights=weights)[0]


class Site:
    def __init__(self, rng):
        self.rng = rng
        self.stories = []  # (page id, sector, risks), newest last
        self.generations = Counter()
        self.next_id = 1000
        for _ in range(60):
            self.add_story()

    def add_story(self):
        self.next_id += 1
        story = (self.next_id, self.rng.randrange(SECTORS), {self.rng.randrange(RISKS)})
        self.stories.append(story)
        return story


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rate", type=float, default=3.0, help="requests per second")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    setup_django()
    from django.conf import settings

    from cirsite.site import page_cache as pc

    rng = random.Random(args.seed)
    site = Site(rng)
    ttl, clock_ttl = settings.PAGE_CACHE_STORE_SECONDS, settings.PAGE_CACHE_CLOCK_SECONDS
    shared_story = site.stories[-1]

    def bump(tags):
        for tag in tags | {pc.ANY}:
            site.generations[tag] += 1

    def story_request(story, tracked):
        page_id, sector, risks = story
        tags = {pc.SITE, pc.page_tag(page_id), pc.sector_tag(sector)}
        tags |= {pc.risk_tag(r) for r in risks}
        related = [s for s in site.stories[-40:] if s[1] == sector and s is not story][-4:]
        tags |= {pc.page_tag(s[0]) for s in related}
        query = {"utm_source": "share", "utm_campaign": str(rng.random())} if tracked else {}
        return f"/news/story-{page_id}/", query, tags, set()

    def next_request():
        roll = rng.random()
        if roll < 0.35:
            return "shared story", story_request(shared_story, tracked=True)
        if roll < 0.50:
            return "home", ("/", {}, {pc.SITE, pc.STORIES, pc.EPISODES, pc.INCIDENTS}, set())
        if roll < 0.65:
            story = site.stories[-1 - zipf_choice(rng, len(site.stories))]
            return "other story", story_request(story, tracked=rng.random() < 0.3)
        if roll < 0.73:
            query = {"page": str(zipf_choice(rng, 5) + 1)} if rng.random() < 0.4 else {}
            if rng.random() < 0.2:
                query["fbclid"] = str(rng.random())
            return "news listing", ("/news/", query, {pc.SITE, pc.STORIES}, READS["news"])
        if roll < 0.80:
            query = rng.choice(
                [{}, {"sector": "healthcare"}, {"risk": "ransomware"}, {"period": "30d"}]
            )
            tags = {pc.SITE, pc.INCIDENTS}
            return "tracker", ("/incidents/", query, tags, READS["tracker"])
        if roll < 0.85:
            return "stories RSS", ("/feeds/stories/", {}, {pc.SITE, pc.STORIES}, set())
        if roll < 0.88:
            return "podcast RSS", ("/podcasts/feed/", {}, {pc.SITE, pc.EPISODES}, set())
        if roll < 0.93:
            topic = zipf_choice(rng, SECTORS + RISKS)
            label = pc.sector_tag(topic) if topic < SECTORS else pc.risk_tag(topic - SECTORS)
            tab = rng.choices(["stories", "podcasts", "incidents"], weights=[8, 1, 1])[0]
            tags = {"stories": {label}, "podcasts": {pc.EPISODES}, "incidents": {pc.INCIDENTS}}
            return "topic page", (f"/topics/{topic}/{tab}/", {}, {pc.SITE} | tags[tab], set())
        if roll < 0.97:
            incident = zipf_choice(rng, 300)
            tags = {pc.SITE, pc.incident_tag(incident)}
            return "incident", (f"/incidents/{incident}/", {}, tags, set())
        query = {"q": f"term{zipf_choice(rng, 400)}"}
        return "search", ("/search/", query, {pc.ANY}, READS["search"])

    stores = [{} for _ in range(args.workers)]
    hits, totals = Counter(), Counter()
    publish_every, ingest_every = 20 * 60, 10 * 60
    next_publish, next_ingest = publish_every, ingest_every
    now = 0.0
    while now < DAY:
        now += rng.expovariate(args.rate)
        while next_publish <= now or next_ingest <= now:
            if next_publish <= next_ingest:
                page_id, sector, risks = site.add_story()
                bump(
                    {pc.STORIES, pc.page_tag(page_id), pc.sector_tag(sector)}
                    | {pc.risk_tag(r) for r in risks}
                )
                next_publish += publish_every
            else:
                # A run adds new incidents and revises a couple already on the tracker.
                revised = {pc.incident_tag(rng.randrange(300)) for _ in range(2)}
                bump({pc.INCIDENTS} | revised)
                next_ingest += ingest_every
        kind, (path, query, tags, reads) = next_request()
        kept = [(k, v) for k, v in query.items() if not pc.is_tracking_parameter(k) and k in reads]
        key = pc.entry_key("http://site" + path, reads, kept)
        tags = tags | {pc.ALL}
        stamp = tuple(sorted((tag, site.generations[tag]) for tag in tags))
        store = stores[rng.randrange(args.workers)]
        entry = store.get(key)
        totals[kind] += 1
        lifetime = clock_ttl if path == "/incidents/" else ttl
        if entry is not None and entry[0] == stamp and now - entry[1] < lifetime:
            hits[kind] += 1
        else:
            store[key] = (stamp, now)

    total, hit = sum(totals.values()), sum(hits.values())
    print(
        f"{total:,} requests in a simulated day ({args.rate:g}/s, {args.workers} workers, "
        f"{DAY // publish_every} publishes, {DAY // ingest_every} ingest runs, "
        f"entries kept {ttl} s, tracker {clock_ttl} s)"
    )
    for kind, count in totals.most_common():
        print(f"  {kind:<14} {count:>8,} requests  hit ratio {hits[kind] / count:6.1%}")
    print(f"hit ratio: {hit / total:.1%}")


if __name__ == "__main__":
    main()
