from django.core.management.base import BaseCommand
from django.db import transaction

from cirsite.site.demo_content import ensure_home_page, link_demo_coverage


class Command(BaseCommand):
    help = (
        "Load the demo site: home page, stories and authors, the podcast and its episodes, "
        "incident feed sources and incidents. Safe to run again: nothing is added twice."
    )

    def handle(self, *args, **options):
        from articles import demo_content as stories
        from cirsite.site.newsroom import setup_newsroom
        from ingest import demo_content as incidents
        from podcasts import demo_content as podcasts

        with transaction.atomic():
            home = ensure_home_page()
            setup_newsroom(home)
            for part in (stories, podcasts, incidents):
                part.load(home)
            link_demo_coverage()
        self.stdout.write(self.style.SUCCESS("Demo content is in place."))
