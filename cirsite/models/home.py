from django.apps import apps
from django.db import models
from wagtail.admin.panels import FieldPanel

from .pages import BasePage


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

    class Meta:
        verbose_name = "home page"

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        ArticlePage = apps.get_model("articles", "ArticlePage")
        stories = ArticlePage.objects.listing()
        lead = self.lead_story if self.lead_story and self.lead_story.live else None
        if lead is None:
            lead = stories.first()
        context["lead_story"] = lead
        context["latest_stories"] = list(stories.exclude(pk=getattr(lead, "pk", None))[:8])
        context["latest_episodes"] = self.latest_episodes()
        context["latest_incidents"] = self.latest_incidents()
        context["sectors"] = list(apps.get_model("cirsite", "Sector").objects.all())
        context["risk_types"] = list(apps.get_model("cirsite", "RiskType").objects.all())
        return context

    def latest_episodes(self, limit=4):
        try:
            EpisodePage = apps.get_model("podcasts", "EpisodePage")
        except LookupError:
            return []
        return list(EpisodePage.objects.listing()[:limit])

    def latest_incidents(self, limit=6):
        try:
            Incident = apps.get_model("ingest", "Incident")
        except LookupError:
            return []
        return list(Incident.objects.public()[:limit])
