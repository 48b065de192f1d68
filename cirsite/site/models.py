from django.apps import apps
from django.db import models
from wagtail.admin.panels import FieldPanel

from cirsite.base.models import BasePage, RiskType, Sector


class HomePage(BasePage):
    """The front page: an editor-chosen lead story, then everything else fills itself."""

    lead_story = models.ForeignKey(
        "articles.ArticlePage",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="The story at the top of the front page; the newest story if left empty.",
    )
    introduction = models.CharField(max_length=255, blank=True)

    content_panels = BasePage.content_panels + [
        FieldPanel("lead_story", heading="Lead story"),
        FieldPanel("introduction"),
    ]

    max_count = 1
    parent_page_types = ["wagtailcore.Page"]
    template = "cirsite/home_page.html"

    latest_count = 8

    class Meta:
        verbose_name = "home page"

    @property
    def meta_description(self):
        return self.search_description or self.introduction

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        ArticlePage = apps.get_model("articles", "ArticlePage")
        stories = ArticlePage.objects.listing()
        lead = None
        if self.lead_story_id:
            lead = stories.filter(pk=self.lead_story_id).first()
        latest = list(stories.exclude(pk=getattr(lead, "pk", None))[: self.latest_count + 1])
        if lead is None and latest:
            lead = latest.pop(0)
        context["lead_story"] = lead
        context["latest_stories"] = latest[: self.latest_count]
        context["latest_episodes"] = self.latest_episodes()
        context["podcast_show"] = self.podcast_show()
        context["latest_incidents"] = self.latest_incidents()
        context["sectors"] = list(Sector.objects.all())
        context["risk_types"] = list(RiskType.objects.all())
        return context

    # The apps below import cirsite.base.models, so their models are looked up, not imported.
    def latest_episodes(self, limit=4):
        return list(apps.get_model("podcasts", "EpisodePage").objects.listing()[:limit])

    def podcast_show(self):
        """The show whose feed the front page advertises (the first live one)."""
        PodcastIndexPage = apps.get_model("podcasts", "PodcastIndexPage")
        return PodcastIndexPage.objects.live().public().order_by("path").first()

    def latest_incidents(self, limit=6):
        return list(apps.get_model("ingest", "Incident").objects.public()[:limit])


class PageCacheGeneration(models.Model):
    """How many times what a tag names has changed, shared by every process that serves or
    changes the site (see cirsite.site.page_cache). ``generation`` is the site-wide change
    counter at the tag's last change, so a process catches up by reading the rows above the
    last counter it saw."""

    tag = models.CharField(max_length=120, primary_key=True)
    generation = models.BigIntegerField(default=0, db_index=True)

    class Meta:
        verbose_name = "page cache generation"

    def __str__(self):
        return f"{self.tag}: {self.generation}"
