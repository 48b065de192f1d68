from django.db import models
from wagtail.admin.panels import FieldPanel
from wagtail.contrib.settings.models import BaseSiteSetting, register_setting

from cirsite.base.process_memo import ALL, SITE, copy_of, remembered


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

    @classmethod
    def for_site(cls, site):
        # Every page shows them (title, footer, social tags): remembered between requests.
        if site is None:
            return super().for_site(site)
        read = super().for_site
        return copy_of(remembered(("site-settings", site.pk), (SITE, ALL), lambda: read(site)))
