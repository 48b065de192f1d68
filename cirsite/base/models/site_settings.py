from django.db import models
from wagtail.admin.panels import FieldPanel
from wagtail.contrib.settings.models import BaseSiteSetting, register_setting


@register_setting(icon="site")
class SiteSettings(BaseSiteSetting):
    """What the publisher edits about the site as a whole."""

    publisher_name = models.CharField(max_length=120, default="cirsite")
    tagline = models.CharField(
        max_length=200, default="Cyber risk news for risk, insurance and continuity professionals"
    )
    x_handle = models.CharField("X handle", max_length=40, blank=True, help_text="Without the @.")
    contact_email = models.EmailField(blank=True)

    panels = [
        FieldPanel("publisher_name"),
        FieldPanel("tagline"),
        FieldPanel("x_handle"),
        FieldPanel("contact_email"),
    ]

    class Meta:
        verbose_name = "Site settings"
