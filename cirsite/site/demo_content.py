"""The demo site's skeleton: the home page as the default site's root, site settings.
Each app adds its own demo content from its ``demo_content`` module; every step is
idempotent so `load_demo` can run on every `make run`."""

from datetime import timedelta
from urllib.parse import urlsplit

from django.conf import settings
from django.db import transaction
from wagtail.coreutils import get_supported_content_language_variant
from wagtail.models import Locale, Page, Site

from articles.models import ArticlePage
from cirsite.base.models import SiteSettings
from cirsite.site.models import HomePage, TopicIndexPage
from ingest.incidents.coverage import StoryIncident
from ingest.models import Incident
from podcasts.models import EpisodePage, StoryEpisode


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


# Stories, the episodes that discuss them and the incidents they report, as an editor would
# link them on the story's edit form: (story slug, episode slugs, incident title fragments).
DEMO_COVERAGE = [
    (
        "nhs-111-software-supplier-hit-by-cyberattack",
        ["running-on-paper-nhs-111-outage"],
        ["NHS 111 software supplier Advanced"],
    ),
    ("jaguar-land-rover-cyberattack-stops-production", [], ["Jaguar Land Rover halts"]),
    ("marks-and-spencer-online-orders-halted", [], ["Marks and Spencer pauses"]),
    ("co-op-member-data-extracted", [], ["Co-op takes systems offline"]),
    ("collins-aerospace-check-in-attack-disrupts-european-airports", [], ["Collins Aerospace"]),
    ("kido-nursery-data-stolen-by-extortion-group", [], ["London nursery chain"]),
    ("legal-aid-agency-data-breach", [], ["Legal Aid Agency"]),
    ("sharepoint-toolshell-zero-day-exploited", [], ["SharePoint zero-day"]),
    ("change-healthcare-ransomware-paralyses-claims", [], ["Change Healthcare"]),
    ("snowflake-customer-accounts-raided", [], ["Snowflake customer", "AT&T says call"]),
    ("bybit-loses-1-5bn-in-ether-theft", [], ["Bybit loses"]),
    ("coinbase-bribed-insiders-leak-customer-data", [], ["Coinbase discloses"]),
    ("salt-typhoon-breaches-us-telecoms", [], ["Salt Typhoon"]),
    ("internet-archive-hit-by-ddos-and-breach", [], ["Internet Archive"]),
    ("mod-afghan-data-leak-revealed", [], ["Afghan applicants"]),
    ("lumma-stealer-infrastructure-seized", [], ["Lumma Stealer"]),
    ("mgm-resorts-help-desk-call-leads-to-shutdown", [], ["MGM Resorts"]),
    ("southern-water-confirms-data-stolen", [], ["Southern Water"]),
    ("synnovis-attack-disrupts-london-hospitals", [], ["Synnovis attack"]),
    ("british-library-ransomware-takes-catalogue-offline", [], ["British Library"]),
    ("faulty-security-update-grounds-flights-and-gp-systems", [], ["Faulty security update"]),
    ("royal-mail-international-exports-halted-by-ransomware", [], ["Royal Mail"]),
    ("capita-cyber-incident-hits-pension-schemes", [], ["Capita confirms"]),
    ("moveit-zero-day-reaches-payroll-clients", [], ["MOVEit"]),
    ("electoral-commission-discloses-long-running-intrusion", [], ["Electoral Commission"]),
    ("psni-spreadsheet-error-exposes-every-officer", [], ["Police service publishes"]),
]


def link_demo_incidents(story):
    """Links a new demo story to the incidents it reports before its first revision."""
    for slug, _episode_slugs, incident_titles in DEMO_COVERAGE:
        if slug != story.slug:
            continue
        for fragment in incident_titles:
            for incident in Incident.objects.filter(title__icontains=fragment):
                story.incident_links.add(StoryIncident(incident=incident))


@transaction.atomic
def link_demo_episodes():
    """Links stories to the episodes that discuss them, which exist only after the stories
    (an episode lists its stories): once, in a new published revision, keeping the story's
    publication date."""
    for story_slug, episode_slugs, _incident_titles in DEMO_COVERAGE:
        if not episode_slugs:
            continue
        story = ArticlePage.objects.filter(slug=story_slug).first()
        if story is None or story.episode_links.exists():
            continue
        for episode in EpisodePage.objects.filter(slug__in=episode_slugs):
            story.episode_links.add(StoryEpisode(episode=episode))
        first_published = story.first_published_at
        story.save_revision().publish()
        # Publishing stamps "now"; the demo shows the story revised once, a few days after
        # it went out, when the episode was linked.
        ArticlePage.objects.filter(pk=story.pk).update(
            first_published_at=first_published,
            last_published_at=first_published + timedelta(days=4, hours=2),
        )
