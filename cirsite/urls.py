from django.templatetags.static import static
from django.urls import include, path
from django.utils.functional import lazy
from django.views.generic import RedirectView
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.contrib.sitemaps import Sitemap as PageSitemap
from wagtail.contrib.sitemaps.views import sitemap
from wagtail.documents import urls as wagtaildocs_urls

from cirsite.site import health, views
from ingest.incidents.sitemaps import IncidentSitemap

urlpatterns = [
    path("admin/", include(wagtailadmin_urls)),
    path("documents/", include(wagtaildocs_urls)),
    path("search/", views.search, name="search"),
    path(
        "sitemap.xml",
        sitemap,
        {
            "sitemaps": {
                "pages": PageSitemap,
                "incidents": IncidentSitemap,
            }
        },
        name="sitemap",
    ),
    path("favicon.ico", RedirectView.as_view(url=lazy(static, str)("brand/favicon.ico"))),
    path("robots.txt", views.robots_txt, name="robots_txt"),
    path("healthz", health.healthz, name="healthz"),
    path("", include("articles.urls")),
    path("", include("podcasts.urls")),
    path("", include("ingest.incidents.urls")),
    path("", include("cirsite.site.media_urls")),
    path("", include(wagtail_urls)),
]

handler404 = "cirsite.site.views.page_not_found"
handler500 = "cirsite.site.views.server_error"
