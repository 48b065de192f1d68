"""The demo podcast: the show at /podcasts/ and three short episodes whose audio (spoken
summaries, a few seconds each) and artwork are committed in podcasts/demo_media/. Loaded by
`manage.py load_demo`; anything already present (same slug or title) is left as it is."""

from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from django.core.files import File
from wagtail.images import get_image_model

from cirsite.base.models import RiskType, Sector

from .demo_artwork import episode_artwork
from .models import (
    EpisodeAudio,
    EpisodeGuest,
    EpisodePage,
    EpisodeRelatedStory,
    PodcastIndexPage,
    ShowHost,
)

DEMO_MEDIA = Path(__file__).resolve().parent / "demo_media"
LONDON = ZoneInfo("Europe/London")

ARTWORK_TITLE = "cirsite podcast artwork"

SHOW = {
    "slug": "podcasts",
    "title": "The cirsite podcast",
    "description": "Conversations with the people who keep organisations running when a cyber "
    "attack or an outage hits: risk managers, insurers, continuity planners and the "
    "engineers who rebuild the systems. One episode a month, about twenty-five minutes.",
    "author": "cirsite",
    "owner_name": "cirsite editorial team",
    "owner_email": "podcast@cirsite.example",
    "language": "en-gb",
    "category": "Business",
    "subcategory": "Management",
    "show_type": "episodic",
    "copyright": "© cirsite",
    "search_description": "The cirsite podcast: cyber risk, insurance and business continuity.",
}

HOSTS = ["daniel-mercer"]

TRANSPORT_CAPTIONS = """WEBVTT

00:00:00.000 --> 00:00:05.000
This is the cirsite podcast, and this episode is about cyber risk in the transportation
industry.

00:00:05.000 --> 00:00:15.000
Airlines, ports, rail operators and logistics firms run on tightly linked systems, so one
infected supplier or one encrypted booking platform can stop goods and passengers moving.

00:00:15.000 --> 00:00:37.000
We look back at the shipping line, the fuel pipeline, the airport and the freight companies,
and ask what operators and their insurers should test before the next one.
"""

EPISODES = [
    {
        "slug": "welcome-to-the-cirsite-podcast",
        "title": "Welcome to the cirsite podcast",
        "audio": ("welcome-trailer.mp3", "Trailer: welcome to the cirsite podcast"),
        "summary": "What the show is about and who it is for, in under a minute.",
        "show_notes": "<p>A short introduction to the cirsite podcast: monthly conversations "
        "about cyber incidents, the insurance market's response to them, and the continuity "
        "plans that decide how long an outage lasts.</p>",
        "episode_type": "trailer",
        "season_number": 1,
        "episode_number": None,
        "went_out": datetime(2022, 3, 21, 7, 0, tzinfo=LONDON),
        "transcript": "Welcome to the cirsite podcast. Every month we talk to the people who "
        "keep organisations running when a cyber attack or an outage hits: risk managers, "
        "insurers and continuity planners. Subscribe wherever you get your podcasts.",
        "sectors": [],
        "risk_types": [],
        "guests": [],
        "related": [],
    },
    {
        "slug": "cyber-risk-in-the-transportation-industry",
        "title": "Cyber risk in the transportation industry",
        "audio": ("transportation-cyber-risk.mp3", "Cyber risk in the transportation industry"),
        "summary": "Why airlines, ports, railways and logistics firms are such attractive "
        "targets, what recent attacks on the sector have cost, and what operators and their "
        "insurers should rehearse before the next one.",
        "show_notes": "<p>Transport runs on schedules that leave no slack, and on systems "
        "shared between operators, agents, ports and freight forwarders. That makes the sector "
        "unusually exposed: an attacker does not need to reach the aircraft or the ship, only "
        "the booking, ticketing, cargo or crew-planning system that everything else waits "
        "for.</p>"
        "<h3>In this episode</h3>"
        "<ul><li>How the 2017 NotPetya malware took down a global shipping line's network and "
        "left port terminals working by hand</li>"
        "<li>The 2021 ransomware attack that led a US fuel pipeline operator to shut its "
        "pipeline as a precaution, and the queues at filling stations that followed</li>"
        "<li>Early 2022: ransomware at an airport ground-services company delaying flights, "
        "and a freight forwarder shutting its systems for weeks</li>"
        "<li>Where business-interruption cover and cyber cover meet, and the gaps between "
        "them</li>"
        "<li>Three exercises for continuity planners: losing the booking platform, losing a "
        "key supplier, and running the operation with no network at all</li></ul>",
        "episode_type": "full",
        "season_number": 1,
        "episode_number": 1,
        "went_out": datetime(2022, 4, 12, 7, 0, tzinfo=LONDON),
        "transcript": "This is the cirsite podcast, and this episode is about cyber risk in "
        "the transportation industry.\n\nAirlines, ports, rail operators and logistics firms "
        "run on tightly linked systems, so one infected supplier or one encrypted booking "
        "platform can stop goods and passengers moving.\n\nWe look back at the shipping line "
        "that lost its network to malware in 2017, the fuel pipeline shut down by ransomware "
        "in 2021, and the airport and freight companies hit early in 2022, and we ask what "
        "operators and their insurers should test before the next one.",
        "captions": TRANSPORT_CAPTIONS,
        "sectors": ["transport-logistics"],
        "risk_types": ["ransomware", "malware", "supply-chain", "outage"],
        "guests": [
            {
                "name": "Priya Raman",
                "affiliation": "Head of operational resilience at a UK rail operator "
                "(a fictional guest for the demo)",
            },
            {
                "name": "Tom Alder",
                "affiliation": "Cyber underwriter (a fictional guest for the demo)",
            },
        ],
        "related": [
            "royal-mail-international-exports-halted-by-ransomware",
            "faulty-security-update-grounds-flights-and-gp-systems",
        ],
    },
    {
        "slug": "running-on-paper-nhs-111-outage",
        "title": "Running on paper: lessons from the NHS 111 outage",
        "audio": ("nhs-111-outage-lessons.mp3", "Running on paper: lessons from NHS 111"),
        "summary": "A ransomware attack on a software supplier sent NHS 111 call handlers back "
        "to paper for days. What it teaches anyone whose operation depends on one provider.",
        "show_notes": "<p>In August 2022 the managed-service provider behind the Adastra "
        "patient-management system was hit by ransomware and isolated its health and care "
        "environments. We talk through what contingency looked like on the ground and how "
        "to plan for a supplier outage that hits every customer at once.</p>",
        "episode_type": "full",
        "season_number": 1,
        "episode_number": 2,
        "went_out": datetime(2022, 9, 6, 7, 0, tzinfo=LONDON),
        "transcript": "This is the cirsite podcast. In this episode we look at what happened "
        "when a software supplier to NHS 111 was hit by ransomware, and call handlers went "
        "back to paper for days. We talk about concentration risk, how to write a contingency "
        "plan that assumes your supplier is down too, and what the regulator said afterwards.",
        "sectors": ["healthcare", "technology-media-telecoms"],
        "risk_types": ["ransomware", "supply-chain", "outage"],
        "guests": [
            {
                "name": "Dr Helen Shaw",
                "affiliation": "Business-continuity lead at an NHS trust "
                "(a fictional guest for the demo)",
            }
        ],
        "related": ["nhs-111-software-supplier-hit-by-cyberattack"],
    },
]


def ensure_artwork():
    Image = get_image_model()
    image = Image.objects.filter(title=ARTWORK_TITLE).first()
    if image is None:
        with open(DEMO_MEDIA / "cirsite-podcast-artwork.jpg", "rb") as handle:
            image = Image(
                title=ARTWORK_TITLE,
                alt_text="The words “cirsite podcast” in white on dark blue, with an orange "
                "circle.",
                file=File(handle, name="cirsite-podcast-artwork.jpg"),
            )
            image.save()
    return image


def ensure_audio(filename, title):
    audio = EpisodeAudio.objects.filter(title=title).first()
    if audio is None:
        with open(DEMO_MEDIA / filename, "rb") as handle:
            audio = EpisodeAudio(title=title, file=File(handle, name=filename))
            audio.full_clean()
            audio.save()
    return audio


def ensure_show(home_page, artwork, hosts):
    show = PodcastIndexPage.objects.child_of(home_page).filter(slug=SHOW["slug"]).first()
    if show is not None:
        return show
    show = PodcastIndexPage(artwork=artwork, **SHOW)
    for author in hosts:
        show.hosts.add(ShowHost(author=author))
    show.first_published_at = datetime(2022, 3, 21, 7, 0, tzinfo=LONDON)
    home_page.add_child(instance=show)
    show.save_revision().publish()
    return show


def ensure_episode(show, data, stories):
    if EpisodePage.objects.child_of(show).filter(slug=data["slug"]).exists():
        return
    episode = EpisodePage(
        slug=data["slug"],
        title=data["title"],
        summary=data["summary"],
        show_notes=data["show_notes"],
        audio=ensure_audio(*data["audio"]),
        episode_type=data["episode_type"],
        season_number=data["season_number"],
        episode_number=data["episode_number"],
        release_date=data["went_out"],
        transcript=data["transcript"],
        captions=data.get("captions", ""),
        artwork=episode_artwork(
            data["slug"],
            f"E{data['episode_number']}" if data["episode_type"] == "full" else "Trailer",
            f"Season {data['season_number']}" if data["season_number"] else "The cirsite podcast",
        ),
    )
    episode.first_published_at = data["went_out"]
    episode.sectors.set(Sector.objects.filter(slug__in=data["sectors"]))
    episode.risk_types.set(RiskType.objects.filter(slug__in=data["risk_types"]))
    for guest in data["guests"]:
        episode.guests.add(EpisodeGuest(**guest))
    for slug in data["related"]:
        story = stories.get(slug)
        if story is not None:
            episode.related_story_links.add(EpisodeRelatedStory(story=story))
    show.add_child(instance=episode)
    episode.save_revision().publish()


def load(home_page, hosts, stories):
    """The show and its episodes. ``hosts`` are the authors who present it (in HOSTS order)
    and ``stories`` maps story slugs to the stories that episodes discuss; the site's demo
    loader passes them in, since podcasts do not import the stories app."""
    show = ensure_show(home_page, ensure_artwork(), hosts)
    for data in EPISODES:
        ensure_episode(show, data, stories)
