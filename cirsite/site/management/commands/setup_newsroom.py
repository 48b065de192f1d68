from django.core.management.base import BaseCommand

from cirsite.site.newsroom import EDITORS, WORKFLOW_NAME, WRITERS, setup_newsroom


class Command(BaseCommand):
    help = (
        f'Create the "{WRITERS}" and "{EDITORS}" groups with their page, image and author '
        f'permissions, and the "{WORKFLOW_NAME}" workflow (writers submit, editors approve and '
        "publish) on the home page. Safe to run again."
    )

    def handle(self, *args, **options):
        setup_newsroom()
        self.stdout.write(
            self.style.SUCCESS(f"{WRITERS}, {EDITORS} and the {WORKFLOW_NAME} workflow are set up.")
        )
