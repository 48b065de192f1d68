"""Episodes and tracked incidents for the site-wide pages' tests, made through the podcasts
and ingest apps' own models (no audio: the home page and listings do not play it)."""

from django.utils import timezone

from cirsite.base.models import RiskType, Sector


def make_show(home):
    from podcasts.models import PodcastIndexPage
    from tests.articles.stories import fixture_image

    show = PodcastIndexPage(
        title="The cirsite podcast",
        slug="podcasts",
        description="Conversations about cyber risk.",
        author="cirsite",
        owner_name="cirsite editors",
        owner_email="podcast@example.org",
        language="en-gb",
        category="Business",
        subcategory="Management",
        show_type="episodic",
        artwork=fixture_image("images/artwork-1400-rgb.jpg", "Show artwork"),
    )
    home.add_child(instance=show)
    show.save_revision().publish()
    return show


def publish_episode(show, title, *, sectors=(), risk_types=(), went_out=None, summary=""):
    from podcasts.models import EpisodePage

    episode = EpisodePage(
        title=title,
        summary=summary or f"In this episode: {title}.",
        release_date=went_out or timezone.now(),
        live=False,
    )
    episode.sectors = [Sector.objects.get(slug=slug) for slug in sectors]
    episode.risk_types = [RiskType.objects.get(slug=slug) for slug in risk_types]
    show.add_child(instance=episode)
    episode.save_revision().publish()
    episode.refresh_from_db()
    return episode


def track_incident(title, *, summary="", sectors=(), risk_types=(), published_at=None, status=None):
    from ingest.incidents.models import Incident, index_incidents

    incident = Incident.objects.create(
        title=title,
        summary=summary or f"Reported: {title}.",
        canonical_url=f"https://news.example.org/{title.lower().replace(' ', '-')}",
        published_at=published_at or timezone.now(),
        **({"status": status} if status else {}),
    )
    incident.sectors.set([Sector.objects.get(slug=slug) for slug in sectors])
    incident.risk_types.set([RiskType.objects.get(slug=slug) for slug in risk_types])
    # Incidents are indexed for search explicitly by ingest, not on every save.
    index_incidents([incident])
    return incident


def track_incidents_in_bulk(count, *, first_number=0, start=None):
    """``count`` public incidents with labels, written in a few bulk inserts (as an ingest
    run of a large archive would leave them), spread over the taxonomy and recent weeks."""
    from datetime import timedelta

    from ingest.incidents.models import Incident, IncidentRiskType, IncidentSector

    sectors, risks = list(Sector.objects.all()), list(RiskType.objects.all())
    start = start or timezone.now() - timedelta(days=20)
    numbers = range(first_number, first_number + count)
    incidents = Incident.objects.bulk_create(
        Incident(
            title=f"Bulk incident {number:04d}",
            summary=f"Reported: bulk incident {number}.",
            canonical_url=f"https://news.example.org/bulk-incident-{number:04d}",
            published_at=start + timedelta(minutes=30 * (number - first_number)),
        )
        for number in numbers
    )
    IncidentSector.objects.bulk_create(
        IncidentSector(incident=incident, sector=sectors[number % len(sectors)])
        for number, incident in zip(numbers, incidents, strict=True)
    )
    IncidentRiskType.objects.bulk_create(
        IncidentRiskType(incident=incident, risk_type=risks[(number + k) % len(risks)])
        for number, incident in zip(numbers, incidents, strict=True)
        for k in (0, 4)
    )
    return incidents
