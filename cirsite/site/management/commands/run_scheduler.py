import contextlib
import signal
import sys

from django.core.management.base import BaseCommand, CommandError

from cirsite.site.scheduling import run_forever


class Command(BaseCommand):
    help = (
        "Run Wagtail's scheduled publishing (go-live and expiry) every few seconds until "
        "stopped. Safe to run on several machines at once: each pass takes a shared lock."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--interval",
            type=float,
            default=10.0,
            help="Seconds between passes (default %(default)s).",
        )

    def handle(self, *args, **options):
        interval = options["interval"]
        if not 0.5 <= interval <= 3600:
            raise CommandError("--interval must be between 0.5 and 3600 seconds.")
        # A supervisor stops us with SIGTERM; leave between passes, not with a traceback.
        signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
        self.stdout.write(f"Scheduled publishing every {interval:g} s; Ctrl-C stops it.")
        with contextlib.suppress(KeyboardInterrupt):
            run_forever(interval, stdout=self.stdout)
