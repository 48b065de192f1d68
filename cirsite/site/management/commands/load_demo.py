from django.core.management.base import BaseCommand
from django.db import transaction

from articles import demo_content as stories
from articles.models import ArticlePage, Author
from cirsite.site.demo_content import ensure_home_page, link_demo_episodes, link_demo_incidents
from cirsite.site.newsroom import setup_newsroom
from ingest import demo_content as incidents
from podcasts import demo_content as podcasts


class Command(BaseCommand):
    help = (
        "Load the demo site: home page, stories and authors, the podcast and its episodes, "
        "incident feed sources and incidents. Safe to run again: nothing is added twice."
    )

    def handle(self, *args, **options):
        with transaction.atomic():
            home = ensure_home_page()
            setup_newsroom(home)
            # Incidents first, so that each story's first revision links the ones it reports.
            incidents.load(home)
            stories.load(home, before_publish=link_demo_incidents)
            authors = {author.slug: author for author in Author.objects.all()}
            podcasts.load(
                home,
                hosts=[authors[slug] for slug in podcasts.HOSTS if slug in authors],
                stories={story.slug: story for story in ArticlePage.objects.all()},
            )
            link_demo_episodes()
        self.stdout.write(self.style.SUCCESS("Demo content is in place."))
