"""The demo site's skeleton: the home page as the default site's root, site settings.
Each app adds its own demo content from its ``demo_content`` module; every step is
idempotent so `load_demo` can run on every `make run`."""

from urllib.parse import urlsplit

from django.conf import settings
from django.db import transaction
from wagtail.coreutils import get_supported_content_language_variant
from wagtail.models import Locale, Page, Site

from cirsite.base.models import SiteSettings
from cirsite.site.models import HomePage, TopicIndexPage


def root_node():
    """The tree's root; Wagtail's migrations create it, but a flushed database has none."""
    Locale.objects.get_or_create(
        language_code=get_supported_content_language_variant(settings.LANGUAGE_CODE)
    )
    root = Page.get_first_root_node()
    if root is None:
        root = Page.add_root(instance=Page(title="Root", slug="root"))
    return root


@transaction.atomic
def ensure_home_page():
    home = HomePage.objects.first()
    if home is None:
        home = HomePage(
            title="Cyber risk news",
            slug="cirsite",
            seo_title="cirsite: cyber risk news for risk and insurance professionals",
            search_description="News, podcasts and a tracker of public cyber incidents for "
            "risk, insurance and business-continuity professionals.",
        )
        root_node().add_child(instance=home)
        home.save_revision().publish()

    base = urlsplit(settings.BASE_URL)
    site = Site.objects.filter(is_default_site=True).first() or Site(is_default_site=True)
    site.root_page = home
    site.hostname = base.hostname
    site.port = base.port or (443 if base.scheme == "https" else 80)
    site.site_name = settings.WAGTAIL_SITE_NAME
    site.save()
    # Wagtail's first migration leaves a plain "Welcome" page as the site root; retire it
    # once nothing points at it.
    Page.objects.filter(
        depth=2, content_type__model="page", content_type__app_label="wagtailcore"
    ).exclude(sites_rooted_here__isnull=False).delete()
    SiteSettings.for_site(site)
    TopicIndexPage.ensure_under(home)
    return home
