from urllib.parse import urlsplit

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from ingest.pipeline.models import FeedSource


def describe_due(source, now, due_ids):
    if source.pk in due_ids:
        return "now"
    if not source.enabled or source.is_file_import or source.next_due_at is None:
        return "-"
    minutes = int((source.next_due_at - now).total_seconds() // 60)
    return f"in {minutes // 60}h{minutes % 60:02d}m" if minutes >= 60 else f"in {minutes}m"


class Command(BaseCommand):
    help = "Add and list the feed sources that ingest polls."

    def add_arguments(self, parser):
        actions = parser.add_subparsers(dest="action", required=True, metavar="ACTION")
        add = actions.add_parser("add", help="Add a feed source.")
        add.add_argument("url", help="The feed's public http(s) address.")
        add.add_argument("--name", help="A name for editors (default: the site's host name).")
        add.add_argument("--site-url", default="", help="The publisher's home page.")
        add.add_argument(
            "--interval", type=int, default=60, help="Minutes between fetches (default 60)."
        )
        add.add_argument("--disabled", action="store_true", help="Add it switched off.")
        actions.add_parser("list", help="List every source with its health.")
        enable = actions.add_parser("enable", help="Switch sources on.")
        enable.add_argument("ids", nargs="+", type=int, metavar="ID")
        disable = actions.add_parser("disable", help="Switch sources off.")
        disable.add_argument("ids", nargs="+", type=int, metavar="ID")

    def handle(self, *args, **options):
        getattr(self, f"handle_{options['action']}")(options)

    def handle_add(self, options):
        url = options["url"].strip()
        if FeedSource.objects.filter(feed_url=url).exists():
            existing = FeedSource.objects.get(feed_url=url)
            raise CommandError(f"{url} is already source {existing.pk} ({existing.name}).")
        name = (options["name"] or urlsplit(url).hostname or url)[:200]
        if options["interval"] < 1:
            raise CommandError("--interval must be at least 1 minute.")
        source = FeedSource(
            name=name,
            feed_url=url,
            site_url=options["site_url"],
            poll_interval=options["interval"],
            enabled=not options["disabled"],
        )
        try:
            source.full_clean()
        except ValidationError as error:
            problems = "; ".join(
                f"{field.replace('_', ' ')}: {' '.join(messages)}"
                for field, messages in error.message_dict.items()
            )
            raise CommandError(f"Cannot add {url}: {problems}") from None
        source.save()
        state = "enabled" if source.enabled else "disabled"
        self.stdout.write(f"Added source {source.pk}: {source.name} <{source.feed_url}> ({state}).")

    def handle_list(self, options):
        sources = list(FeedSource.objects.order_by("pk"))
        if not sources:
            self.stdout.write("No feed sources yet. Add one with `manage.py sources add URL`.")
            return
        now = timezone.now()
        due_ids = set(FeedSource.objects.due(now).values_list("pk", flat=True))
        header = ["ID", "Health", "Due", "Fails", "Items", "Name", "Feed URL / last error"]
        rows = []
        for source in sources:
            detail = source.feed_url or "(imported from a file)"
            if source.redirect_to:
                detail += f" -> moved to {source.redirect_to} (confirm in the admin)"
            if source.last_error:
                detail += f" | {source.last_error}"
            rows.append(
                [
                    str(source.pk),
                    source.health,
                    describe_due(source, now, due_ids),
                    str(source.consecutive_failures),
                    str(source.items_found),
                    source.name[:40],
                    detail,
                ]
            )
        widths = [max(len(row[i]) for row in [header, *rows]) for i in range(len(header) - 1)]
        for row in [header, *rows]:
            cells = [cell.ljust(width) for cell, width in zip(row, widths, strict=False)]
            self.stdout.write("  ".join([*cells, row[-1]]).rstrip())

    def _set_enabled(self, ids, enabled):
        found = FeedSource.objects.filter(pk__in=ids)
        missing = sorted(set(ids) - set(found.values_list("pk", flat=True)))
        if missing:
            raise CommandError(f"No feed source with ID {', '.join(map(str, missing))}.")
        found.update(enabled=enabled, next_due_at=None)
        self.stdout.write(f"{'Enabled' if enabled else 'Disabled'} {len(ids)} source(s).")

    def handle_enable(self, options):
        self._set_enabled(options["ids"], True)

    def handle_disable(self, options):
        self._set_enabled(options["ids"], False)
