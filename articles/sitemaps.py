"""The Google News sitemap: stories first published in the last two days.

The general sitemap.xml is Wagtail's (every live page that is not hidden from search
engines); Google News wants a separate, short one with publication names and dates."""

from datetime import timedelta

from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_safe

from cirsite.base.http_caching import shared_cache
from cirsite.base.models import SiteSettings
from cirsite.base.seo import page_absolute_url

from .models import ArticlePage

NEWS_WINDOW = timedelta(days=2)
# Google reads at most 1,000 URLs from a news sitemap.
NEWS_SITEMAP_LIMIT = 1000


def recent_stories(now=None):
    since = (now or timezone.now()) - NEWS_WINDOW
    return (
        ArticlePage.objects.live()
        .public()
        .filter(first_published_at__gte=since, noindex=False)
        .order_by("-first_published_at")
        .only("id", "title", "first_published_at", "url_path", "path", "depth")[:NEWS_SITEMAP_LIMIT]
    )


@require_safe
@shared_cache
def news_sitemap(request):
    site_settings = SiteSettings.for_request(request)
    entries = [
        {
            "loc": page_absolute_url(story, request),
            "title": story.title,
            "published": story.first_published_at,
        }
        for story in recent_stories()
    ]
    return render(
        request,
        "articles/news_sitemap.xml",
        {"entries": entries, "publication": site_settings.publisher_name},
        content_type="application/xml; charset=utf-8",
    )
