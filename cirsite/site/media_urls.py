from django.conf import settings
from django.urls import re_path

from cirsite.site.media_serving import serve_media

prefix = settings.MEDIA_URL.lstrip("/")

urlpatterns = [re_path(rf"^{prefix}(?P<path>.+)$", serve_media, name="media")]
