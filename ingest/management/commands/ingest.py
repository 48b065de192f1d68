from django.core.management.base import BaseCommand, CommandError

from ingest.management.progress import Progress
from ingest.pipeline.models import FeedSource
from ingest.pipeline.polling import (
    DEFAULT_DEADLINE,
    DEFAULT_TIMEOUT,
    DEFAULT_WORKERS,
    ingest_file,
    poll_sources,
)
from ingest.pipeline.tasks import schedule_ingest

COLUMNS = [
    ("ID", "source_id", ">"),
    ("Source", "name", "<"),
    ("Status", "status", "<"),
    ("HTTP", "http_status", ">"),
    ("New", "new", ">"),
    ("Updated", "updated", ">"),
    ("Skipped", "skipped", ">"),
    ("Error", "error", "<"),
]


def report_table(reports, *, error_width=70):
    rows = []
    for report in reports:
        row = []
        for _, attribute, _ in COLUMNS:
            value = getattr(report, attribute)
            if attribute == "error":
                value = value or report.warning
                if len(value) > error_width:
                    value = value[: error_width - 1] + "…"
            if attribute == "name" and len(value) > 40:
                value = value[:39] + "…"
            row.append("" if value is None else str(value))
        rows.append(row)
    widths = [
        max([len(title)] + [len(row[index]) for row in rows])
        for index, (title, _, _) in enumerate(COLUMNS)
    ]
    lines = []
    for cells in [[title for title, _, _ in COLUMNS], *rows]:
        parts = []
        for (_, _, align), cell, width in zip(COLUMNS, cells, widths, strict=True):
            parts.append(cell.rjust(width) if align == ">" else cell.ljust(width))
        lines.append("  ".join(parts).rstrip())
    lines.insert(1, "  ".join("-" * width for width in widths))
    return "\n".join(lines)


class Command(BaseCommand):
    help = (
        "Fetch every feed source that is due, tag what it carries and store it as incidents. "
        "Sources are fetched several at once; a slow or broken source never holds up the others."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--source", type=int, action="append", metavar="ID", help="Fetch only this source."
        )
        parser.add_argument(
            "--file",
            action="append",
            metavar="PATH",
            help="Read a local RSS/Atom file instead of fetching (may be given more than once).",
        )
        parser.add_argument(
            "--all", action="store_true", help="Fetch every enabled source, due or not."
        )
        parser.add_argument("--workers", type=int, default=DEFAULT_WORKERS)
        parser.add_argument(
            "--deadline",
            type=float,
            default=DEFAULT_DEADLINE,
            help="Seconds a single feed may take in all (default %(default)s).",
        )
        parser.add_argument("--timeout", type=float, default=DEFAULT_TIMEOUT)
        parser.add_argument(
            "--enqueue",
            action="store_true",
            help="Queue the periodic ingest task for the worker instead of running now.",
        )

    def handle(self, *args, **options):
        if options["enqueue"]:
            result = schedule_ingest()
            self.stdout.write(
                "Ingest is queued for the worker."
                if result
                else "An ingest run is already queued; nothing added."
            )
            return
        if options["file"]:
            reports = self.ingest_files(options["file"], options["source"])
        else:
            reports = self.poll(options)
        if not reports:
            return
        self.stdout.write(report_table(reports))
        totals = {name: sum(getattr(r, name) for r in reports) for name in ("new", "updated")}
        failed = [report for report in reports if report.error]
        self.stdout.write(
            f"{len(reports)} sources: {totals['new']} new, {totals['updated']} updated, "
            f"{len(failed)} with errors."
        )
        one_thing = options["file"] or options["source"]
        if one_thing and failed:
            raise CommandError(failed[0].error)

    def ingest_files(self, paths, source_ids):
        source = None
        if source_ids:
            source = self.get_sources(source_ids)[0]
        reports = []
        for path in paths:
            try:
                reports.append(ingest_file(path, source=source))
            except OSError as error:
                raise CommandError(f"Cannot read {path}: {error.strerror or error}.") from None
        return reports

    def get_sources(self, ids):
        sources = list(FeedSource.objects.filter(pk__in=ids))
        missing = sorted(set(ids) - {source.pk for source in sources})
        if missing:
            raise CommandError(
                f"No feed source with ID {', '.join(map(str, missing))}. "
                "`manage.py sources list` shows them all."
            )
        return sources

    def poll(self, options):
        if options["source"]:
            sources = self.get_sources(options["source"])
            unpollable = [source for source in sources if not source.feed_url]
            if unpollable:
                raise CommandError(
                    f"Source {unpollable[0].pk} ({unpollable[0].name}) was imported from a "
                    "file and has no feed URL to fetch."
                )
        elif options["all"]:
            sources = list(FeedSource.objects.pollable().order_by("pk"))
        else:
            sources = list(FeedSource.objects.due())
        if not sources:
            self.stdout.write("No feed sources are due. Use --all to fetch them anyway.")
            return []
        progress = Progress(self.stdout, len(sources), "Fetching")

        def on_report(report, done, total):
            detail = f"{report.name}: {report.status}"
            if report.new or report.updated:
                detail += f" ({report.new} new, {report.updated} updated)"
            progress.update(done, detail)

        reports = poll_sources(
            sources,
            workers=max(1, options["workers"]),
            timeout=options["timeout"],
            deadline=options["deadline"],
            on_report=on_report,
        )
        progress.finish()
        return reports
