from django.urls import include, path
from django.views.generic import TemplateView
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.contrib.sitemaps.views import sitemap
from wagtail.documents import urls as wagtaildocs_urls

from cirsite import views

urlpatterns = [
    path("admin/", include(wagtailadmin_urls)),
    path("documents/", include(wagtaildocs_urls)),
    path("search/", views.search, name="search"),
    path("sitemap.xml", sitemap, name="sitemap"),
    path(
        "robots.txt",
        TemplateView.as_view(template_name="cirsite/robots.txt", content_type="text/plain"),
        name="robots_txt",
    ),
    path("", include("articles.urls")),
    path("", include("podcasts.urls")),
    path("", include("ingest.urls")),
    path("", include("cirsite.media_urls")),
    path("", include(wagtail_urls)),
]

handler404 = "cirsite.views.page_not_found"
handler500 = "cirsite.views.server_error"
