"""Public incident and security-news feeds a new site starts with, all switched off.

Nothing in `make run` or the tests may reach the internet, so every default is seeded
disabled; an editor switches the ones they want on in the admin (Incidents → Feed sources)
or with `manage.py sources enable ID`. Addresses change: a source that moves shows its new
address for an editor to confirm, and one that is gone disables itself."""

from ingest.pipeline.models import FeedSource

DEFAULT_SOURCES = [
    {
        "name": "NCSC (UK) news",
        "feed_url": "https://www.ncsc.gov.uk/api/1/services/v1/news-rss-feed.xml",
        "site_url": "https://www.ncsc.gov.uk/",
    },
    {
        "name": "CISA news (US)",
        "feed_url": "https://www.cisa.gov/news.xml",
        "site_url": "https://www.cisa.gov/",
    },
    {
        "name": "CISA cybersecurity advisories (US)",
        "feed_url": "https://www.cisa.gov/cybersecurity-advisories/all.xml",
        "site_url": "https://www.cisa.gov/",
    },
    {
        "name": "The Record",
        "feed_url": "https://therecord.media/feed",
        "site_url": "https://therecord.media/",
    },
    {
        "name": "BleepingComputer",
        "feed_url": "https://www.bleepingcomputer.com/feed/",
        "site_url": "https://www.bleepingcomputer.com/",
    },
    {
        "name": "DataBreaches.net",
        "feed_url": "https://databreaches.net/feed/",
        "site_url": "https://databreaches.net/",
    },
    {
        "name": "The Register: security",
        "feed_url": "https://www.theregister.com/security/headlines.atom",
        "site_url": "https://www.theregister.com/security/",
    },
    {
        "name": "Krebs on Security",
        "feed_url": "https://krebsonsecurity.com/feed/",
        "site_url": "https://krebsonsecurity.com/",
    },
    {
        "name": "SecurityWeek",
        "feed_url": "https://www.securityweek.com/feed/",
        "site_url": "https://www.securityweek.com/",
    },
    {
        "name": "Help Net Security",
        "feed_url": "https://www.helpnetsecurity.com/feed/",
        "site_url": "https://www.helpnetsecurity.com/",
    },
]


def seed_default_sources():
    """Add the defaults that are missing, disabled. A source already present (same feed URL)
    is left exactly as an editor set it. Returns the number added."""
    existing = set(FeedSource.objects.values_list("feed_url", flat=True))
    missing = [
        FeedSource(enabled=False, poll_interval=60, **source)
        for source in DEFAULT_SOURCES
        if source["feed_url"] not in existing
    ]
    FeedSource.objects.bulk_create(missing)
    return len(missing)
