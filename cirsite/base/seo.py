"""Absolute URLs and structured data for search engines, social cards, feeds and sitemaps.

Everything that leaves the site (feeds, share links, JSON-LD, sitemaps) is built on
settings.BASE_URL, so it is the same whichever host name a request came in on."""

import json
import re
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.sitemaps import Sitemap as DjangoSitemap
from django.utils.safestring import mark_safe

SOCIAL_IMAGE_SPEC = "fill-1200x630"
JSON_LD_ESCAPES = {ord("<"): "\\u003C", ord(">"): "\\u003E", ord("&"): "\\u0026"}
ROOT_RELATIVE_ATTRIBUTE = re.compile(r'(\s(?:src|href|poster)=")/(?!/)')
SRCSET_ATTRIBUTE = re.compile(r'(\ssrcset=")([^"]*)(")')


class PublicSitemap(DjangoSitemap):
    """A sitemap section whose addresses are on the public BASE_URL, like every other
    absolute link, whatever host the request came in on."""

    def get_protocol(self, protocol=None):
        return urlsplit(settings.BASE_URL).scheme

    def get_domain(self, site=None):
        return urlsplit(settings.BASE_URL).netloc


def absolute_url(path):
    if not path:
        return settings.BASE_URL + "/"
    if path.startswith(("http://", "https://")):
        return path
    return settings.BASE_URL + (path if path.startswith("/") else "/" + path)


def absolute_links(html):
    """``html`` with every root-relative link, image source and srcset candidate on BASE_URL.

    Feed readers and podcast apps show content away from our site, where "/media/..." means
    nothing."""
    html = ROOT_RELATIVE_ATTRIBUTE.sub(lambda m: m.group(1) + settings.BASE_URL + "/", html)

    def absolute_srcset(match):
        candidates = []
        for candidate in match.group(2).split(","):
            candidate = candidate.strip()
            if candidate.startswith("/") and not candidate.startswith("//"):
                candidate = settings.BASE_URL + candidate
            candidates.append(candidate)
        return match.group(1) + ", ".join(candidates) + match.group(3)

    return SRCSET_ATTRIBUTE.sub(absolute_srcset, html)


def page_absolute_url(page, request=None):
    """The page's public address under BASE_URL (Wagtail's own full_url follows the Site
    record, which a deployment may not keep in step with the public host name)."""
    parts = page.get_url_parts(request)
    if parts is None:
        return None
    return absolute_url(parts[2])


def social_image(page):
    """The image shown when a page is shared: its own social image, else its hero. A page
    that can read its images and their renditions in one go (a story) does so first."""
    attach = getattr(page, "attach_images_with_renditions", None)
    if attach is not None:
        attach()
    return getattr(page, "social_image", None) or getattr(page, "hero_image", None)


def social_image_rendition(page):
    # The social card and the JSON-LD both ask: looked up once per page object.
    if "_social_image_rendition" not in page.__dict__:
        image = social_image(page)
        rendition = image.get_rendition(SOCIAL_IMAGE_SPEC) if image is not None else None
        page.__dict__["_social_image_rendition"] = rendition
    return page.__dict__["_social_image_rendition"]


def publisher(site_settings):
    name = getattr(site_settings, "publisher_name", "") or settings.WAGTAIL_SITE_NAME
    return {"@type": "Organization", "name": name, "url": absolute_url("/")}


def news_article(page, request=None, site_settings=None):
    """schema.org NewsArticle for a story."""
    url = page_absolute_url(page, request)
    data = {
        "@context": "https://schema.org",
        "@type": "NewsArticle",
        "headline": page.title[:110],
        "description": page.meta_description,
        "mainEntityOfPage": url,
        "url": url,
        "datePublished": page.first_published_at.isoformat() if page.first_published_at else None,
        "dateModified": (page.last_published_at or page.first_published_at).isoformat()
        if (page.last_published_at or page.first_published_at)
        else None,
        "author": [
            _without_empty(
                {
                    "@type": "Person",
                    "name": author.name,
                    "jobTitle": author.role or None,
                    "url": _absolute_or_none(author.get_absolute_url()),
                }
            )
            for author in page.authors
        ],
        "publisher": publisher(site_settings),
        "articleSection": [sector.name for sector in page.sector_list],
        "keywords": [tag.name for tag in page.tag_list],
    }
    rendition = social_image_rendition(page)
    if rendition is not None:
        data["image"] = [absolute_url(rendition.url)]
    return _without_empty(data)


def website(site_settings=None):
    """schema.org WebSite with the sitelinks search box pointing at our search page."""
    name = getattr(site_settings, "publisher_name", "") or settings.WAGTAIL_SITE_NAME
    return {
        "@context": "https://schema.org",
        "@type": "WebSite",
        "name": name,
        "url": absolute_url("/"),
        "publisher": publisher(site_settings),
        "potentialAction": {
            "@type": "SearchAction",
            "target": {
                "@type": "EntryPoint",
                "urlTemplate": absolute_url("/search/") + "?q={search_term_string}",
            },
            "query-input": "required name=search_term_string",
        },
    }


def json_ld(data):
    """JSON for a <script type="application/ld+json">, safe against a "</script>" inside.

    With <, > and & escaped the text can neither end the element nor open a comment, so it
    is marked safe for templates as it stands."""
    return mark_safe(
        json.dumps(data, ensure_ascii=False, sort_keys=True).translate(JSON_LD_ESCAPES)
    )


def _absolute_or_none(path):
    return absolute_url(path) if path else None


def _without_empty(data):
    return {key: value for key, value in data.items() if value not in (None, "", [])}
