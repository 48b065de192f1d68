from django.core.management.base import BaseCommand

from ingest.incidents.models import Incident
from ingest.management.progress import Progress
from ingest.pipeline.retag import retag_incidents
from ingest.pipeline.tag import get_tagger


class Command(BaseCommand):
    help = (
        "Tag stored incidents again with the current vocabulary. Labels an editor confirmed "
        "or corrected are never changed."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--status",
            choices=[choice for choice, _ in Incident.Status.choices],
            action="append",
            help="Only incidents with this status (may be given more than once).",
        )
        parser.add_argument(
            "--stale",
            action="store_true",
            help="Only incidents tagged by an older version of the vocabulary.",
        )
        parser.add_argument("--batch-size", type=int, default=200)

    def handle(self, *args, **options):
        incidents = Incident.objects.all()
        if options["status"]:
            incidents = incidents.filter(status__in=options["status"])
        tagger = get_tagger()
        if options["stale"]:
            incidents = incidents.exclude(tagger_version=str(tagger.version))
        total = incidents.count()
        if not total:
            self.stdout.write("No incidents to re-tag.")
            return
        progress = Progress(self.stdout, total, "Re-tagging")
        counts = retag_incidents(
            incidents,
            tagger=tagger,
            batch_size=max(1, options["batch_size"]),
            on_progress=lambda done, total: progress.update(done),
        )
        progress.finish()
        self.stdout.write(
            f"Re-tagged {counts.incidents} incidents: {counts.tags_changed} tags changed on "
            f"{counts.incidents_changed} incidents; {counts.editor_kept} incidents kept the "
            "tags an editor set."
        )
