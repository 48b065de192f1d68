"""Render time and SQL queries per page type, with 1,000 stories in a fresh SQLite database.

    .venv/bin/python bench/pages.py [--stories 1000] [--repeat 25]

Seeds the stories (10 authors, 40 free tags, three shared hero images, every sector and risk
type) into a temporary database and media folder, then renders each page type through
Django's test client: one warm-up (image renditions, per-process caches), then ``--repeat``
renders with the full-page cache emptied before each, so every figure is a real render.
Prints the median and the 90th percentile render time and the queries of one render; the
last column is the median time of a full-page cache hit. Nothing leaves the machine.
"""

import argparse
import math
import os
import shutil
import statistics
import sys
import tempfile
import time
from datetime import timedelta
from pathlib import Path

PROJECT = Path(__file__).resolve().parent.parent
FIXTURE_IMAGE = PROJECT / "tests" / "articles" / "fixtures" / "server-room.jpg"


def configure(workdir):
    # WhiteNoise warns about a missing static folder; the bench does not serve static files.
    (workdir / "static").mkdir(exist_ok=True)
    os.environ.update(
        {
            "SECRET_KEY": "bench-only-secret-key-0123456789-abcdefghijklmnopqrstuvwxyz",
            "DEBUG": "0",
            "BASE_URL": "http://testserver",
            "ALLOWED_HOSTS": "testserver",
            "CIRSITE_VAR_DIR": str(workdir),
            "MEDIA_ROOT": str(workdir / "media"),
            "INGEST_TASK_BACKEND": "immediate",
            "LOG_LEVEL": "ERROR",
        }
    )
    os.environ.pop("DATABASE_URL", None)
    os.environ.pop("REDIS_URL", None)
    # The test settings: pages render without a collectstatic manifest.
    os.environ["DJANGO_SETTINGS_MODULE"] = "tests.settings"
    sys.path.insert(0, str(PROJECT))
    import django

    django.setup()


def seed(count):
    """Stories added straight into the page tree (no revisions), as many as asked."""
    from django.core.management import call_command
    from django.db import transaction

    call_command("migrate", verbosity=0)
    with transaction.atomic():
        return seed_stories(count)


def seed_stories(count):
    from django.core.files.images import ImageFile
    from django.utils import timezone

    from articles.models import ArticleIndexPage, ArticlePage, ArticlePageAuthor, Author
    from cirsite.base.models import CustomImage, RiskType, Sector
    from cirsite.site.demo_content import ensure_home_page

    home = ensure_home_page()
    index = ArticleIndexPage(title="News", slug="news", introduction="Every story.")
    home.add_child(instance=index)
    index.save_revision().publish()

    images = []
    for number in range(3):
        with open(FIXTURE_IMAGE, "rb") as handle:
            image = CustomImage(title=f"Hero {number}", alt_text="Server racks")
            image.file.save(f"hero-{number}.jpg", ImageFile(handle), save=False)
            image.save()
            images.append(image)
    authors = [
        Author.objects.create(
            name=f"Writer {n}", slug=f"writer-{n}", role="Reporter", bio="<p>Bio.</p>"
        )
        for n in range(10)
    ]
    sectors, risks = list(Sector.objects.all()), list(RiskType.objects.all())
    start = timezone.now() - timedelta(hours=count)
    paragraph = (
        "<p>" + "The provider isolated its hosting environment while it investigated. " * 8 + "</p>"
    )
    for number in range(count):
        when = start + timedelta(hours=number)
        story = ArticlePage(
            title=f"Bench story {number:04d} about a ransomware outage",
            slug=f"bench-story-{number:04d}",
            standfirst="A supplier's outage became its customers' outage for several days.",
            body=[
                {"type": "paragraph", "value": paragraph},
                {"type": "fact_box", "value": {"title": "Key facts", "facts": ["One", "Two"]}},
                {"type": "paragraph", "value": paragraph},
            ],
            hero_image=images[number % 3],
            live=True,
            first_published_at=when,
            last_published_at=when,
        )
        story.article_authors = [
            ArticlePageAuthor(author=authors[number % 10], sort_order=0),
            ArticlePageAuthor(author=authors[(number + 3) % 10], sort_order=1),
        ]
        story.sectors = [sectors[number % len(sectors)]]
        story.risk_types = [risks[number % len(risks)], risks[(number + 5) % len(risks)]]
        story.tags.add(*[f"tag-{(number + k) % 40}" for k in range(3)])
        index.add_child(instance=story)
    return ArticlePage.objects.order_by("-first_published_at").first()


class QueryCounter:
    """Counts the statements a render sends to the database (works with DEBUG off)."""

    def __init__(self):
        self.count = 0

    def __call__(self, execute, sql, params, many, context):
        self.count += 1
        return execute(sql, params, many, context)


def measure(client, path, repeat):
    from django.db import connection

    from cirsite.site.page_cache import invalidate_pages

    response = client.get(path)
    assert response.status_code == 200, (path, response.status_code)
    timings = []
    for _ in range(repeat):
        invalidate_pages()
        began = time.perf_counter()
        client.get(path)
        timings.append(time.perf_counter() - began)
    invalidate_pages()
    counter = QueryCounter()
    with connection.execute_wrapper(counter):
        client.get(path)
    hits = []
    for _ in range(repeat):
        began = time.perf_counter()
        client.get(path)
        hits.append(time.perf_counter() - began)
    timings.sort()
    return {
        "median": statistics.median(timings) * 1000,
        "p90": timings[max(math.ceil(len(timings) * 0.9) - 1, 0)] * 1000,
        "queries": counter.count,
        "cached": statistics.median(hits) * 1000,
    }


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--stories", type=int, default=1000)
    parser.add_argument("--repeat", type=int, default=25)
    args = parser.parse_args()

    workdir = Path(tempfile.mkdtemp(prefix="cirsite-bench-pages-"))
    try:
        configure(workdir)
        began = time.perf_counter()
        newest = seed(args.stories)
        seconds = time.perf_counter() - began
        print(f"Seeded {args.stories} stories in {seconds:.1f} s (SQLite, {workdir})")
        from django.test import Client

        client = Client()
        pages = {
            "home": "/",
            "news listing, page 1": "/news/",
            "news listing, page 40": "/news/?page=40",
            "story": newest.url,
            "sector page": "/sectors/healthcare/",
            "risk type page": "/risks/ransomware/",
            "feed: all stories": "/feeds/stories/",
            "feed: one sector": "/feeds/sectors/healthcare/",
            "search": "/search/?q=ransomware&sector=healthcare",
            "news sitemap": "/news-sitemap.xml",
        }
        print(f"{'page':<24} {'median ms':>10} {'p90 ms':>8} {'queries':>8} {'cache hit ms':>13}")
        for name, path in pages.items():
            figures = measure(client, path, args.repeat)
            print(
                f"{name:<24} {figures['median']:>10.1f} {figures['p90']:>8.1f} "
                f"{figures['queries']:>8} {figures['cached']:>13.2f}"
            )
    finally:
        shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    main()
