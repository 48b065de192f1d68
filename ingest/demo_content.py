"""Demo incidents and feed sources, loaded by `manage.py load_demo`.

The incidents come from feed files in ``ingest/demo_feeds/`` (written for cirsite about
publicly reported incidents) and go through exactly the path of `manage.py ingest --file`:
parse, normalise, tag, store. The real default feeds are added switched off, so the demo
never reaches the internet. Running it again adds nothing twice."""

from pathlib import Path

from ingest.pipeline.default_sources import seed_default_sources
from ingest.pipeline.polling import ingest_file

DEMO_FEEDS = Path(__file__).resolve().parent / "demo_feeds"


def demo_feed_files():
    return sorted(path for path in DEMO_FEEDS.iterdir() if path.suffix in {".rss", ".atom"})


def load(home_page):
    seed_default_sources()
    for path in demo_feed_files():
        report = ingest_file(path)
        if report.error:
            raise RuntimeError(f"The demo feed {path.name} could not be read: {report.error}")
