from cirsite.base.seo import PublicSitemap
from ingest.incidents.models import Incident


class IncidentSitemap(PublicSitemap):
    """Tracked incidents readers may see, for sitemap.xml."""

    changefreq = "weekly"
    limit = 5000

    def items(self):
        return Incident.objects.public().only("pk", "updated_at")

    def lastmod(self, incident):
        return incident.updated_at
