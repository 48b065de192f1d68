"""Template tags for metadata: absolute URLs, social cards and JSON-LD."""

from django import template
from django.utils.html import format_html

from cirsite.base import seo
from cirsite.base.models import TOPIC_KINDS, SiteSettings

register = template.Library()


@register.filter
def absolute(path):
    """A root-relative path (or a full URL, unchanged) under settings.BASE_URL."""
    return seo.absolute_url(str(path or ""))


@register.simple_tag
def topic_index_url(kind):
    """The sectors or risk-types page; its address is fixed (see TopicIndexPage)."""
    return f"/{TOPIC_KINDS[kind].path}/"


@register.simple_tag(takes_context=True)
def page_absolute_url(context, page):
    return seo.page_absolute_url(page, context.get("request"))


@register.simple_tag
def social_card(page):
    """What a page shows when shared: image (absolute URL and size) and description."""
    rendition = seo.social_image_rendition(page) if page is not None else None
    image = seo.social_image(page) if page is not None else None
    return {
        "description": (getattr(page, "social_text", "") or getattr(page, "meta_description", ""))
        if page is not None
        else "",
        "image_url": seo.absolute_url(rendition.url) if rendition else "",
        "image_width": rendition.width if rendition else None,
        "image_height": rendition.height if rendition else None,
        "image_alt": image.default_alt_text if image else "",
    }


def _site_settings(context):
    request = context.get("request")
    return SiteSettings.for_request(request) if request is not None else None


def _script(data):
    return format_html('<script type="application/ld+json">{}</script>', seo.json_ld(data))


@register.simple_tag(takes_context=True)
def story_json_ld(context, page):
    return _script(seo.news_article(page, context.get("request"), _site_settings(context)))


@register.simple_tag(takes_context=True)
def website_json_ld(context):
    return _script(seo.website(_site_settings(context)))
