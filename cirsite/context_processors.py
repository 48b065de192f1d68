from django.utils.functional import SimpleLazyObject

from cirsite.models import RiskType, Sector


def site_navigation(request):
    """Sectors and risk types for the site's navigation, queried only if a template uses them."""
    return {
        "nav_sectors": SimpleLazyObject(lambda: list(Sector.objects.all())),
        "nav_risk_types": SimpleLazyObject(lambda: list(RiskType.objects.all())),
    }
