"""A reader searches for stories, episodes and incidents, narrowing by sector, risk type
and kind; results are paginated and kept out of search engines."""

from datetime import datetime, timedelta

import pytest
from bs4 import BeautifulSoup
from django.utils import timezone

from cirsite.base.models import Sector
from tests.articles.stories import paragraph, publish_story
from tests.site.content import make_show, publish_episode, track_incident


def search(client, **params):
    response = client.get("/search/", params)
    assert response.status_code == 200
    return response, BeautifulSoup(response.content, "html.parser")


def hits(html):
    return [
        (li["class"][1].removeprefix("result--"), li.select_one(".result__title a").get_text())
        for li in html.select("li.result")
    ]


@pytest.fixture
def catalogue(site_root, news_index, reporter):
    show = make_show(site_root)
    publish_story(
        news_index,
        "Pathology supplier ransomware",
        authors=[reporter],
        sectors=["healthcare"],
        risk_types=["ransomware", "supply-chain"],
        standfirst="Blood tests delayed across London hospitals.",
    )
    publish_story(
        news_index,
        "Bank hit by ransomware",
        authors=[reporter],
        sectors=["financial-services"],
        risk_types=["ransomware"],
    )
    publish_story(
        news_index,
        "Phishing at a council",
        authors=[reporter],
        sectors=["public-sector"],
        risk_types=["phishing"],
    )
    publish_episode(
        show, "Ransomware and insurers", sectors=["financial-services"], risk_types=["ransomware"]
    )
    track_incident("Clinic ransomware incident", sectors=["healthcare"], risk_types=["ransomware"])
    track_incident("Dismissed ransomware rumour", sectors=["healthcare"], status="dismissed")


def test_search_finds_stories_episodes_and_incidents(client, catalogue):
    _, html = search(client, q="ransomware")
    found = hits(html)
    assert ("story", "Pathology supplier ransomware") in found
    assert ("story", "Bank hit by ransomware") in found
    assert ("episode", "Ransomware and insurers") in found
    assert ("incident", "Clinic ransomware incident") in found
    assert ("incident", "Dismissed ransomware rumour") not in found
    assert ("story", "Phishing at a council") not in found
    assert html.select_one(".results__count").get_text() == "4 results for “ransomware”"


def test_search_matches_the_standfirst(client, catalogue):
    _, html = search(client, q="blood tests")
    assert hits(html) == [("story", "Pathology supplier ransomware")]


def test_filters_by_sector_risk_type_and_kind(client, catalogue):
    _, html = search(client, q="ransomware", sector="healthcare")
    assert sorted(hits(html)) == [
        ("incident", "Clinic ransomware incident"),
        ("story", "Pathology supplier ransomware"),
    ]
    _, html = search(client, q="ransomware", kind="episode")
    assert hits(html) == [("episode", "Ransomware and insurers")]
    _, html = search(client, q="ransomware", kind="story", sector="financial-services")
    assert hits(html) == [("story", "Bank hit by ransomware")]
    _, html = search(client, risk="phishing")
    assert hits(html) == [("story", "Phishing at a council")]
    # The form remembers the choices.
    _, html = search(client, q="ransomware", kind="incident", sector="healthcare")
    assert html.select_one("#search-kind option[selected]")["value"] == "incident"
    assert html.select_one("#search-sector option[selected]")["value"] == "healthcare"


def test_unknown_filter_values_are_ignored_not_errors(client, catalogue):
    _, html = search(client, q="ransomware", sector="nowhere", kind="spaceship", page="x")
    assert len(hits(html)) == 4


def test_results_are_paginated_and_keep_the_filters(client, news_index, reporter):
    start = timezone.now() - timedelta(days=20)
    for number in range(12):
        publish_story(
            news_index,
            f"Outage report {number:02d}",
            authors=[reporter],
            sectors=["energy-utilities"],
            published_at=start + timedelta(days=number),
        )
    _, first = search(client, q="outage", sector="energy-utilities")
    assert len(hits(first)) == 10
    assert first.select_one(".pagination a[rel=next]").get_text() == "Next page"
    next_link = first.select_one(".pagination a[rel=next]")["href"]
    assert (
        "page=2" in next_link and "sector=energy-utilities" in next_link and "q=outage" in next_link
    )
    _, second = search(client, q="outage", sector="energy-utilities", page="2")
    assert len(hits(second)) == 2
    assert not {title for _, title in hits(first)} & {title for _, title in hits(second)}


def test_nothing_found_says_so(client, catalogue):
    _, html = search(client, q="zebra crossings")
    assert hits(html) == []
    assert "Nothing matches" in html.get_text()


def test_results_are_hidden_from_search_engines(client, catalogue):
    response, html = search(client, q="ransomware")
    assert response["X-Robots-Tag"] == "noindex"
    assert html.find("meta", attrs={"name": "robots"})["content"] == "noindex"
    empty, html = search(client)
    assert empty["X-Robots-Tag"] == "noindex"
    assert "Type a word" in html.get_text()


# ---- Search a reader can trust: names the site shows, phrases, typos, counts, sort, marks ----


def count_of(html, selector):
    """The number in "Stories (3)" of a filter link or option."""
    return int(html.select_one(selector).get_text().rsplit("(", 1)[1].rstrip(")"))


@pytest.fixture
def linked_catalogue(catalogue, news_index, second_reporter):
    """The catalogue plus a story by a second author that reports a tracked incident whose
    organisation is named nowhere in the story's own text, and a tagged story."""
    from ingest.incidents.coverage import StoryIncident

    incident = track_incident(
        "Managed service provider breached",
        sectors=["technology-media-telecoms"],
        risk_types=["supply-chain"],
    )
    incident.organisations = ["Northwind Hosting"]
    incident.save()
    from ingest.incidents.models import index_incidents

    index_incidents([incident])
    story = publish_story(
        news_index,
        "Customers of a hosting firm report outages",
        authors=[second_reporter],
        sectors=["technology-media-telecoms"],
        risk_types=["outage"],
        tags=["Cloud hosting"],
        standfirst="Several firms lost their websites for a day.",
    )
    story.incident_links.add(StoryIncident(incident=incident))
    story.save_revision().publish()
    return story


def test_a_risk_type_name_finds_everything_tagged_with_it(client, catalogue):
    """ "Supply chain" appears in no title or text: only the tag says so."""
    from articles.models import ArticlePage

    tagged = ArticlePage.objects.live().filter(risk_types__slug="supply-chain").count()
    _, html = search(client, q="supply chain", kind="story")
    assert len(hits(html)) == tagged == 1
    assert hits(html) == [("story", "Pathology supplier ransomware")]
    _, quoted = search(client, q='"supply chain"', kind="story")
    assert hits(quoted) == hits(html)


def test_a_sector_name_finds_stories_episodes_and_incidents(client, catalogue):
    _, html = search(client, q="financial services")
    assert sorted(hits(html)) == [
        ("episode", "Ransomware and insurers"),
        ("story", "Bank hit by ransomware"),
    ]
    _, html = search(client, q="healthcare")
    assert sorted(hits(html)) == [
        ("incident", "Clinic ransomware incident"),
        ("story", "Pathology supplier ransomware"),
    ]


def test_an_author_name_finds_their_stories_and_their_page(client, linked_catalogue):
    _, html = search(client, q="Daniel Mercer")
    assert hits(html) == [("story", "Customers of a hosting firm report outages")]
    assert html.select_one(".result__byline").get_text() == "By Daniel Mercer"
    _, html = search(client, q="Hannah Okafor")
    assert len(hits(html)) == 3 and {kind for kind, _ in hits(html)} == {"story"}


def test_an_organisation_finds_its_incident_and_the_story_that_reports_it(client, linked_catalogue):
    _, html = search(client, q="Northwind Hosting")
    assert sorted(hits(html)) == [
        ("incident", "Managed service provider breached"),
        ("story", "Customers of a hosting firm report outages"),
    ]
    _, html = search(client, q="cloud hosting", kind="story")
    assert hits(html) == [("story", "Customers of a hosting firm report outages")]


def test_a_quoted_phrase_finds_the_words_together_only(client, news_index, reporter):
    publish_story(news_index, "Water supply cut after attack", standfirst="A chain of events.")
    publish_story(news_index, "Supply chain attack on a water firm", standfirst="Via a vendor.")
    _, loose = search(client, q="supply chain")
    assert len(hits(loose)) == 2
    _, quoted = search(client, q='"supply chain"')
    assert hits(quoted) == [("story", "Supply chain attack on a water firm")]
    _, unmatched = search(client, q='"supply chain')
    assert hits(unmatched) == [("story", "Supply chain attack on a water firm")]


def test_a_misspelt_word_is_corrected_and_the_reader_may_decline(client, catalogue):
    _, html = search(client, q="ransomeware")
    assert len(hits(html)) == 4
    notice = html.select_one(".search-notice")
    assert "Showing results for ransomware" in notice.get_text()
    decline = notice.select_one("a")
    assert decline.get_text() == "Search instead for “ransomeware”"
    response = client.get("/search/" + decline["href"])
    as_typed = BeautifulSoup(response.content, "html.parser")
    assert hits(as_typed) == []
    offer = as_typed.select_one(".search-empty a")
    assert offer.get_text() == "ransomware"
    assert "q=ransomware" in offer["href"] and "spelling" not in offer["href"]


def test_filters_show_how_many_items_each_would_leave(client, catalogue):
    _, html = search(client, q="ransomware")
    assert count_of(html, ".search-kinds li:nth-child(1) a") == 4
    assert count_of(html, ".search-kinds a[href*='kind=story']") == 2
    assert count_of(html, ".search-kinds a[href*='kind=episode']") == 1
    assert count_of(html, ".search-kinds a[href*='kind=incident']") == 1
    assert count_of(html, "#search-sector option[value=healthcare]") == 2
    assert count_of(html, "#search-sector option[value=financial-services]") == 2
    assert count_of(html, "#search-sector option[value=education]") == 0
    assert count_of(html, "#search-risk option[value=supply-chain]") == 1
    # With a sector chosen, the kinds count within it; the sectors still count across all.
    _, html = search(client, q="ransomware", sector="healthcare")
    assert count_of(html, ".search-kinds a[href*='kind=story']") == 1
    assert count_of(html, ".search-kinds a[href*='kind=episode']") == 0
    assert count_of(html, "#search-sector option[value=financial-services]") == 2
    assert html.select_one(".search-kinds a[aria-current]").get_text().startswith("Everything")
    # Following a kind link keeps the query and the sector.
    story_tab = html.select_one(".search-kinds a[href*='kind=story']")["href"]
    assert "q=ransomware" in story_tab and "sector=healthcare" in story_tab


def test_incidents_are_filtered_and_counted_by_the_labels_readers_see(client, catalogue, settings):
    """The tagger also thought the clinic incident might concern education, but too unsure
    for its card to say so: a reader filtering by education must not find it there, nor
    count it in that option; under healthcare, the sector its card shows, it stays."""
    from django.core.cache import cache

    from ingest.incidents.models import IncidentSector
    from ingest.models import Incident

    settings.TAGS_PUBLIC_MIN_SCORE = 0.8
    clinic = Incident.objects.get(title="Clinic ransomware incident")
    IncidentSector.objects.create(
        incident=clinic, sector=Sector.objects.get(slug="education"), score=0.4
    )
    assert [label.slug for label in clinic.public_labels.sectors] == ["healthcare"]

    for query in ({"q": "ransomware"}, {}):  # a search, and browsing by filters alone
        _, html = search(client, **query, sector="education")
        assert hits(html) == []  # nothing else in the catalogue concerns education
        assert count_of(html, "#search-sector option[value=education]") == 0

        _, html = search(client, **query, sector="healthcare")
        assert ("incident", "Clinic ransomware incident") in hits(html)
        assert count_of(html, "#search-sector option[value=healthcare]") == 2
        assert count_of(html, ".search-kinds a[href*='kind=incident']") == 1

    # Once an editor confirms the label, readers see it, and search finds the incident there.
    IncidentSector.objects.filter(incident=clinic, sector__slug="education").update(
        editor_confirmed=True
    )
    cache.clear()  # the page cache would serve the earlier result page until it expires
    _, html = search(client, q="ransomware", sector="education")
    assert hits(html) == [("incident", "Clinic ransomware incident")]
    assert count_of(html, "#search-sector option[value=education]") == 1


def test_results_sort_by_relevance_or_newest_first(client, news_index, reporter):
    now = timezone.now()
    publish_story(
        news_index,
        "Ransomware ransomware ransomware",
        standfirst="Ransomware, all about ransomware.",
        published_at=now - timedelta(days=300),
    )
    publish_story(news_index, "Council update", standfirst="Ransomware mentioned once.")
    track_incident("Ransomware at a port", published_at=now - timedelta(days=30))
    _, html = search(client, q="ransomware")
    assert hits(html)[0] == ("story", "Ransomware ransomware ransomware")
    newest_link = html.select_one(".results__sort a")
    assert newest_link.get_text() == "Newest first"
    response = client.get("/search/" + newest_link["href"])
    by_date = BeautifulSoup(response.content, "html.parser")
    assert [title for _, title in hits(by_date)] == [
        "Council update",
        "Ransomware at a port",
        "Ransomware ransomware ransomware",
    ]
    dates = [datetime.fromisoformat(t["datetime"]) for t in by_date.select(".result__kind time")]
    assert dates == sorted(dates, reverse=True)
    assert by_date.select_one(".results__sort strong").get_text() == "Newest first"
    # The form keeps the sort when the reader changes the words.
    assert by_date.select_one(".search-form input[name=sort]")["value"] == "date"


def test_matched_words_are_marked_and_the_query_is_never_markup(client, news_index, reporter):
    publish_story(
        news_index,
        "Attacks on <b>clinics</b>",
        slug="attacks-on-clinics",
        standfirst="Two clinics were attacked by ransomware & more.",
    )
    _, html = search(client, q="attack clinic")
    snippet = html.select_one(".result__snippet")
    assert [mark.get_text() for mark in snippet.select("mark")] == ["clinics", "attacked"]
    assert "ransomware & more" in snippet.get_text()
    title = html.select_one(".result__title a")
    # The headline's angle brackets are text, not a <b> element.
    assert title.select("b") == [] and title.get_text() == "Attacks on <b>clinics</b>"
    assert [mark.get_text() for mark in title.select("mark")] == ["Attacks", "clinics"]

    response, html = search(client, q='<script>alert("x")</script> clinics')
    assert b"<script>alert" not in response.content
    assert b"&lt;script&gt;alert" in response.content
    assert html.select_one("#search-q")["value"] == '<script>alert("x")</script> clinics'


def test_marks_in_a_long_body_show_the_passage_that_matched(client, news_index, reporter):
    filler = " ".join(["Nothing to see in this sentence."] * 30)
    publish_story(
        news_index,
        "A long report",
        standfirst="An overview.",
        body=[paragraph(filler + " The insurer's Kerberos tickets were forged. " + filler)],
    )
    _, html = search(client, q="kerberos")
    snippet = html.select_one(".result__snippet")
    assert snippet.select_one("mark").get_text() == "Kerberos"
    assert snippet.get_text().startswith("… ") and snippet.get_text().endswith(" …")


def test_empty_and_no_result_pages_say_what_to_do(client, catalogue):
    _, html = search(client, q='""')
    assert "Nothing matches" in html.get_text()
    _, html = search(client, q="zebra crossings", sector="healthcare")
    empty = html.select_one(".search-empty")
    assert "Nothing matches “zebra crossings” with these filters." in empty.get_text()
    everything = empty.select_one("a")
    assert everything.get_text() == "Search everything for “zebra crossings”"
    assert "sector" not in everything["href"] and "q=zebra" in everything["href"]


def test_pagination_keeps_the_sort_and_the_kind(client, news_index, reporter):
    start = timezone.now() - timedelta(days=20)
    for number in range(12):
        publish_story(
            news_index, f"Outage {number:02d}", published_at=start + timedelta(days=number)
        )
    _, first = search(client, q="outage", sort="date", kind="story")
    next_link = first.select_one(".pagination a[rel=next]")["href"]
    assert "sort=date" in next_link and "kind=story" in next_link and "q=outage" in next_link
    assert hits(first)[0] == ("story", "Outage 11")
    response = client.get("/search/" + next_link)
    second = BeautifulSoup(response.content, "html.parser")
    assert [title for _, title in hits(second)] == ["Outage 01", "Outage 00"]


def test_search_reads_a_constant_number_of_queries(
    client, news_index, reporter, steady_generations
):
    """Rendering a page of results costs the same for 3 hits as for 10."""
    from django.core.cache import cache
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def queries_for_a_render():
        # Publishing moved the generations, so site, settings and taxonomy, which each
        # process remembers, are read again on the first render: measure the second.
        search(client, q="breach")
        cache.clear()  # the page cache keeps result pages; measure a render each time
        with CaptureQueriesContext(connection) as queries:
            _, html = search(client, q="breach")
        return len(queries), len(hits(html))

    for number in range(3):
        publish_story(news_index, f"Breach {number}", authors=[reporter], tags=["Breach"])
    few, shown = queries_for_a_render()
    assert shown == 3
    for number in range(3, 12):
        publish_story(news_index, f"Breach {number}", authors=[reporter], tags=["Breach"])
    many, shown = queries_for_a_render()
    assert shown == 10
    assert many == few


def test_a_misspelling_no_headline_word_can_fix_finds_close_matches_on_postgresql(
    client, news_index, reporter
):
    """The spelling vocabulary holds headline and topic words; a word only in a story's body
    is forgiven by PostgreSQL's trigram similarity (pg_trgm), which SQLite's FTS5 lacks."""
    from django.db import connection

    publish_story(
        news_index,
        "Service accounts abused",
        standfirst="Attackers cracked tickets offline.",
        body=[paragraph("The technique, known as Kerberoasting, needs only a domain login.")],
    )
    _, html = search(client, q="kerberoastng")
    if connection.vendor == "postgresql":
        assert hits(html) == [("story", "Service accounts abused")]
        assert "showing close matches" in html.select_one(".search-notice").get_text()
    else:
        assert hits(html) == []
        assert "Nothing matches" in html.get_text()


def test_make_run_rebuilds_the_index_only_when_the_indexed_fields_changed(
    settings, tmp_path, catalogue
):
    """`make run` calls sync_search_index: a database indexed before a search_fields change
    is rebuilt once, and later starts skip the rebuild."""
    import io

    from django.core.management import call_command
    from wagtail.search.backends import get_search_backend

    from articles.models import ArticlePage

    settings.VAR_DIR = tmp_path

    def sync():
        out = io.StringIO()
        call_command("sync_search_index", stdout=out)
        return out.getvalue()

    # An index written before sectors' names were indexed: the story's entry lost them.
    story = ArticlePage.objects.get(title="Bank hit by ransomware")
    story.sectors.clear()
    get_search_backend().add(story)
    story.sectors.add(Sector.objects.get(slug="financial-services"))
    assert story not in list(ArticlePage.objects.live().search("financial services"))

    assert "rebuilding" in sync()
    assert story in list(ArticlePage.objects.live().search("financial services"))
    assert sync() == ""


def test_episodes_are_found_by_their_guests_and_their_show_hosts(client, site_root, reporter):
    from podcasts.models import EpisodeGuest, ShowHost

    show = make_show(site_root)
    episode = publish_episode(show, "Insurers and the outage", sectors=["financial-services"])
    episode.guests.add(EpisodeGuest(name="Maria Oduya", affiliation="CISO, Example Rail"))
    episode.save_revision().publish()
    _, html = search(client, q="Maria Oduya")
    assert hits(html) == [("episode", "Insurers and the outage")]
    _, html = search(client, q="example rail")
    assert hits(html) == [("episode", "Insurers and the outage")]
    # A host is added to the show: publishing the show brings its episodes' index up to date.
    show.hosts.add(ShowHost(author=reporter))
    show.save_revision().publish()
    _, html = search(client, q="Hannah Okafor", kind="episode")
    assert hits(html) == [("episode", "Insurers and the outage")]


def test_after_a_retag_incidents_are_found_by_their_new_labels(client, site_root):
    """Search finds incidents by their sector's name: relabelling them by `retag` (after the
    vocabulary changed) must reach the index."""
    import io

    from django.core.management import call_command

    track_incident(
        "Hospital trust hit by ransomware",
        summary="Patients at the NHS hospital trust were diverted after a ransomware attack.",
    )
    _, html = search(client, q="healthcare")
    assert hits(html) == []
    call_command("retag", stdout=io.StringIO())
    _, html = search(client, q="healthcare")
    assert hits(html) == [("incident", "Hospital trust hit by ransomware")]
