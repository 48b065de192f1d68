"""Ingest benchmark: generated feeds served from a local HTTP server on 127.0.0.1, fetched,
parsed, tagged and stored end to end into a fresh SQLite database, in one process.

    .venv/bin/python bench/ingest.py [--feeds 100] [--items 50] [--dead-feeds 200 20]

Prints new items per second and peak memory for the first run, the same for an unchanged
second run (everything skipped), then a run of many feeds of which some never answer, with
its wall time against the per-feed deadline. Nothing leaves the machine.
"""

import argparse
import http.server
import os
import random
import resource
import sys
import tempfile
import threading
import time
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from pathlib import Path
from xml.sax.saxutils import escape

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

ORGANISATIONS = [
    ("a regional NHS trust", "hospital appointments"),
    ("a high-street bank", "online banking"),
    ("a county council", "council tax services"),
    ("a university", "student records"),
    ("a water company", "customer billing"),
    ("a logistics firm", "parcel tracking"),
    ("a car maker", "production lines"),
    ("an online retailer", "checkout"),
    ("a managed-service provider", "client systems"),
    ("a law firm", "case files"),
]
EVENTS = [
    "was hit by a ransomware attack that encrypted servers",
    "reported a data breach after customer records were exposed",
    "said a phishing email led to a business email compromise",
    "suffered a distributed denial of service attack",
    "found attackers had exploited a zero-day vulnerability in its VPN",
    "said stolen credentials were used to take over staff accounts",
    "lost an unencrypted laptop holding personal data",
    "sent a spreadsheet of personal details to the wrong recipients",
    "was targeted by a state-linked espionage group",
]
AFTERMATH = [
    "Services ran on contingency plans for several days.",
    "The regulator has been informed and an investigation is under way.",
    "Customers were told to watch for suspicious messages.",
    "Some systems remain offline while they are rebuilt.",
    "The attack reached it through a software supplier.",
]


def generated_feed(number, items, rng):
    now = datetime(2025, 6, 1, tzinfo=UTC)
    entries = []
    for item in range(items):
        organisation, service = rng.choice(ORGANISATIONS)
        text = (
            f"{organisation.capitalize()} {rng.choice(EVENTS)}, disrupting {service}. "
            f"{rng.choice(AFTERMATH)} Incident reference {number}-{item}."
        )
        published = now - timedelta(hours=number * items + item)
        entries.append(
            "<item>"
            f"<title>{escape(organisation.capitalize())} incident {number}-{item}</title>"
            f"<link>https://bench-{number}.example/incidents/{item}</link>"
            f"<guid isPermaLink='false'>bench-{number}-{item}</guid>"
            f"<pubDate>{format_datetime(published)}</pubDate>"
            f"<description>{escape('<p>' + escape(text) + '</p>')}</description>"
            "</item>"
        )
    return (
        "<?xml version='1.0' encoding='utf-8'?><rss version='2.0'><channel>"
        f"<title>Bench feed {number}</title><link>https://bench-{number}.example/</link>"
        f"<description>Generated</description>{''.join(entries)}</channel></rss>"
    ).encode()


class FeedServer:
    """Serves /feed/<n>.xml from memory; /silent/<n> accepts and never answers."""

    def __init__(self):
        self.feeds = {}
        self.stopping = threading.Event()
        owner = self

        class Handler(http.server.BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.0"

            def do_GET(self):
                if self.path.startswith("/silent/"):
                    owner.stopping.wait(600)
                    return
                body = owner.feeds.get(self.path)
                if body is None:
                    self.send_error(404)
                    return
                self.send_response(200)
                self.send_header("Content-Type", "application/rss+xml; charset=utf-8")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args):
                pass

        class Server(http.server.ThreadingHTTPServer):
            daemon_threads = True
            request_queue_size = 256

        self.server = Server(("127.0.0.1", 0), Handler)
        self.port = self.server.server_address[1]
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def url(self, path):
        return f"http://127.0.0.1:{self.port}{path}"

    def stop(self):
        self.stopping.set()
        self.server.shutdown()


def setup_django(server):
    workdir = Path(tempfile.mkdtemp(prefix="cirsite-bench-"))
    os.environ.setdefault("SECRET_KEY", "bench-only-secret-key")
    os.environ["CIRSITE_VAR_DIR"] = str(workdir)
    os.environ.pop("DATABASE_URL", None)
    os.environ["INGEST_ALLOWED_PRIVATE_HOSTS"] = f"127.0.0.1:{server.port}"
    os.environ["INGEST_TASK_BACKEND"] = "immediate"
    os.environ.setdefault("LOG_LEVEL", "ERROR")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cirsite.settings")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    return workdir


def peak_rss_mb():
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def timed_run(sources, **options):
    from ingest.pipeline.polling import poll_sources

    started = time.perf_counter()
    reports = poll_sources(sources, **options)
    return reports, time.perf_counter() - started


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--feeds", type=int, default=100)
    parser.add_argument("--items", type=int, default=50)
    parser.add_argument("--dead-feeds", type=int, nargs=2, default=[200, 20], metavar=("N", "DEAD"))
    parser.add_argument("--deadline", type=float, default=10.0)
    parser.add_argument("--workers", type=int, default=32)
    parser.add_argument("--profile", metavar="FILE", help="Write a cProfile of the first run.")
    args = parser.parse_args()

    server = FeedServer()
    setup_django(server)
    from ingest.models import FeedSource, Incident
    from ingest.pipeline.tag import get_tagger

    rng = random.Random(5)
    for number in range(args.feeds):
        server.feeds[f"/feed/{number}.xml"] = generated_feed(number, args.items, rng)
    sources = [
        FeedSource.objects.create(name=f"Bench {n}", feed_url=server.url(f"/feed/{n}.xml"))
        for n in range(args.feeds)
    ]
    started = time.perf_counter()
    get_tagger()
    print(f"tagger built in {time.perf_counter() - started:.2f} s (once per process)")
    print(f"after setup: peak RSS {peak_rss_mb():.0f} MB")
    load = ", ".join(f"{value:.1f}" for value in os.getloadavg())
    print(f"machine: {os.cpu_count()} CPUs, load average {load} (other work skews the figures)")

    profiler = None
    if args.profile:
        import cProfile

        profiler = cProfile.Profile()
        profiler.enable()
    reports, seconds = timed_run(sources, workers=args.workers, deadline=args.deadline)
    if profiler is not None:
        profiler.disable()
        profiler.dump_stats(args.profile)
    new = sum(report.new for report in reports)
    errors = [report for report in reports if report.error]
    print(
        f"first run: {args.feeds} feeds x {args.items} items: {new} new in {seconds:.2f} s "
        f"= {new / seconds:.0f} new items/s end to end (fetch, parse, tag, store); "
        f"{len(errors)} errors; peak RSS {peak_rss_mb():.0f} MB"
    )
    assert Incident.objects.count() == new

    for source in sources:
        source.refresh_from_db()
    reports, seconds = timed_run(sources, workers=args.workers, deadline=args.deadline)
    skipped = sum(report.skipped for report in reports)
    print(
        f"unchanged rerun: {skipped} skipped, {sum(r.new + r.updated for r in reports)} "
        f"written in {seconds:.2f} s = {skipped / seconds:.0f} items/s; "
        f"peak RSS {peak_rss_mb():.0f} MB"
    )

    total, dead = args.dead_feeds
    # The silent ones spread through the list, so they hold fetch threads from the start.
    silent_numbers = set(range(0, total, max(total // dead, 1))[:dead]) if dead else set()
    mixed = []
    for number in range(total):
        if number in silent_numbers:
            url = server.url(f"/silent/{number}")
        else:
            path = f"/small/{number}.xml"
            server.feeds[path] = generated_feed(10_000 + number, 5, rng)
            url = server.url(path)
        mixed.append(FeedSource.objects.create(name=f"Mixed {number}", feed_url=url))
    reports, seconds = timed_run(mixed, workers=args.workers, deadline=args.deadline)
    silent = sum(1 for report in reports if report.error)
    print(
        f"{total} feeds, {silent} never answering: finished in {seconds:.2f} s with a "
        f"per-feed deadline of {args.deadline:.0f} s (over by {seconds - args.deadline:+.2f} s); "
        f"{sum(r.new for r in reports)} new items from the others"
    )
    server.stop()


if __name__ == "__main__":
    main()
