"""Stories, episodes and incidents meet: the demo's NHS 111 story promotes its episode and
the incident it reports, the episode lists the story, the incident lists its coverage."""

import pytest
from bs4 import BeautifulSoup

pytestmark = pytest.mark.django_db

STORY = "/news/nhs-111-software-supplier-hit-by-cyberattack/"
EPISODE = "/podcasts/running-on-paper-nhs-111-outage/"


def soup_of(client, path):
    response = client.get(path)
    assert response.status_code == 200, (path, response.status_code)
    return BeautifulSoup(response.content, "html.parser")


def test_story_episode_and_incident_link_to_each_other(client, demo_site):
    story = soup_of(client, STORY)
    promo = story.select_one(".promo")
    assert "Listen" in promo.select_one(".kicker").get_text()
    assert promo.a["href"] == EPISODE + "#listen"
    tracked = story.select_one(".tracked a")
    assert "Advanced" in tracked.get_text()

    episode = soup_of(client, EPISODE)
    discussed = [a["href"] for a in episode.select("#related-heading + ul a")]
    assert STORY in discussed

    incident = soup_of(client, tracked["href"])
    coverage = [a["href"] for a in incident.select(".coverage a")]
    assert coverage == [STORY]


def test_story_shows_reading_time_and_updated_date(client, demo_site):
    story = soup_of(client, STORY)
    assert story.select_one(".story__reading-time").get_text().endswith("min read")
    updated = story.select_one(".story__updated time")["datetime"]
    published = story.select_one(".story__meta time")["datetime"]
    assert updated > published


def test_episode_player_carries_vtt_captions_and_a_share_box(client, demo_site):
    episode = soup_of(client, "/podcasts/cyber-risk-in-the-transportation-industry/")
    track = episode.select_one("audio track[kind=captions]")
    assert track is not None
    captions = client.get(track["src"])
    assert captions["Content-Type"].startswith("text/vtt")
    assert captions.content.startswith(b"WEBVTT")
    share = episode.select_one(".share")
    assert share.h2.get_text() == "Share episode"
    assert {a.get_text(" ", strip=True).split(" (")[0] for a in share.select("a")} >= {
        "LinkedIn",
        "Email",
        "Link to this episode",
    }
    chips = episode.select(".story__footer .tag")
    assert chips and all(chip.name == "a" and chip["href"].startswith("/") for chip in chips)


def test_home_page_has_play_buttons_for_episodes(client, demo_site):
    home = soup_of(client, "/")
    plays = home.select("a.play")
    assert plays and all(a["href"].endswith("#listen") for a in plays)


def test_favicon_and_theme_colour(client, demo_site):
    favicon = client.get("/favicon.ico")
    assert favicon.status_code == 302
    assert favicon["Location"].endswith("brand/favicon.ico")
    home = soup_of(client, "/")
    assert home.find("meta", attrs={"name": "theme-color"})["content"] == "#0b2545"
    assert home.find("link", rel="apple-touch-icon")
    assert home.find("link", rel="icon", type="image/svg+xml")
