"""The show (PodcastIndexPage), its episodes (EpisodePage) and the audio library they use.

Audio lives in wagtailmedia's library through a custom model, EpisodeAudio, so editors get
the media library, its chooser and upload-from-the-chooser; every upload path runs the same
model validation, which reads the file to decide what it is.
"""

import re
import secrets
import uuid
from pathlib import Path

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils.functional import cached_property
from django.utils.text import slugify
from modelcluster.fields import ParentalKey, ParentalManyToManyField
from wagtail.admin.panels import FieldPanel, InlinePanel, MultiFieldPanel, PageChooserPanel
from wagtail.fields import RichTextField
from wagtail.models import Orderable, PageManager
from wagtail.search import index
from wagtailmedia.edit_handlers import MediaChooserPanel
from wagtailmedia.models import AbstractMedia, MediaType

from cirsite.base import seo
from cirsite.base.models import BasePage
from cirsite.base.models.pages import BasePageQuerySet
from cirsite.base.pagination import paginate_remembered
from cirsite.base.process_memo import ALL, EPISODES, page_tag
from cirsite.base.seo import absolute_url, page_absolute_url
from cirsite.base.sharing import share_links

from .artwork import artwork_problem
from .audio import AudioRefused, format_duration, inspect_audio, iso8601_duration
from .categories import APPLE_CATEGORIES, CATEGORY_CHOICES, SUBCATEGORY_CHOICES

# The Podcasting 2.0 namespace's own UUID, from which podcast:guid values are derived
# (docs/tags/guid.md in Podcastindex-org/podcast-namespace; checked against its examples).
PODCAST_GUID_NAMESPACE = uuid.UUID("ead4c236-bf58-58c6-a2c6-a6b28d128cb6")


def podcast_guid_for(feed_url):
    """UUIDv5 of the feed URL with its scheme and trailing slashes removed, per the spec."""
    bare = re.sub(r"^[a-zA-Z][a-zA-Z0-9+.-]*://", "", feed_url).rstrip("/")
    return uuid.uuid5(PODCAST_GUID_NAMESPACE, bare)


def audio_upload_path(instance, filename):
    # A fresh random folder per upload: replacing an episode's audio always gives a new URL,
    # so apps and caches holding the old one never receive a mix of old and new bytes.
    stem = slugify(Path(filename).stem)[:60] or "episode"
    extension = getattr(instance, "detected_extension", "") or Path(filename).suffix.lstrip(".")
    return f"podcast-audio/{secrets.token_hex(8)}/{stem}.{extension.lower()}"


class EpisodeAudio(AbstractMedia):
    """An episode's audio file: MP3 or M4A, with its facts read from the file itself."""

    file = models.FileField(
        upload_to=audio_upload_path,
        verbose_name="audio file",
        help_text="MP3 or M4A (AAC), up to 200 MB. Duration, size and type are read from the file.",
    )
    type = models.CharField(choices=MediaType.choices, max_length=255, default=MediaType.AUDIO)
    mime_type = models.CharField(max_length=40, blank=True, editable=False)
    file_size = models.PositiveBigIntegerField(default=0, editable=False)
    updated_at = models.DateTimeField(auto_now=True)

    admin_form_fields = ("title", "file", "collection", "tags")

    class Meta(AbstractMedia.Meta):
        verbose_name = "episode audio"
        verbose_name_plural = "episode audio"

    def clean(self):
        if self.type != MediaType.AUDIO:
            raise ValidationError(
                "The media library holds podcast audio only. Choose “Add audio” and upload an "
                "MP3 or M4A file."
            )
        if not self.duration:
            self.duration = 0
        if self.file and not self.file._committed:
            try:
                self.read_file_facts()
            except AudioRefused as refusal:
                raise ValidationError({"file": str(refusal)}) from None

    def read_file_facts(self):
        facts = inspect_audio(self.file.file, self.file.size)
        self.mime_type = facts.mime_type
        self.file_size = facts.size
        self.duration = facts.duration
        self.detected_extension = facts.extension

    def save(self, *args, **kwargs):
        # Code paths that skip full_clean (scripts, the shell) still get the checks: nothing
        # unverified reaches storage or a feed.
        if self.file and not self.file._committed and not self.mime_type:
            try:
                self.read_file_facts()
            except AudioRefused as refusal:
                raise ValidationError({"file": str(refusal)}) from None
        super().save(*args, **kwargs)

    @property
    def absolute_url(self):
        return absolute_url(self.file.url)

    @property
    def duration_display(self):
        return format_duration(self.duration)

    @property
    def sources(self):
        return [{"src": self.url, "type": self.mime_type or "audio/mpeg"}]


def validate_artwork(image, field_name):
    if image is None:
        return {}
    problem = artwork_problem(image)
    return {field_name: problem} if problem else {}


class PodcastIndexPage(BasePage):
    """The show: what directories list, and the page that lists its episodes."""

    description = models.TextField(
        max_length=4000, help_text="What the show is about, for apps and directories."
    )
    artwork = models.ForeignKey(
        settings.WAGTAILIMAGES_IMAGE_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="Square JPEG or PNG, 1400 to 3000 pixels a side, RGB colours.",
    )
    author = models.CharField(max_length=255, help_text="Shown as the show's author in apps.")
    owner_name = models.CharField(max_length=255)
    owner_email = models.EmailField(
        help_text="Apple and other directories send ownership checks here; it is in the feed."
    )
    language = models.CharField(
        max_length=20, default="en-gb", help_text="An ISO 639 code, such as en-gb or en-us."
    )
    category = models.CharField("Apple Podcasts category", max_length=60, choices=CATEGORY_CHOICES)
    subcategory = models.CharField(
        "Apple Podcasts subcategory", max_length=60, blank=True, choices=SUBCATEGORY_CHOICES
    )
    explicit = models.BooleanField(default=False, help_text="Contains explicit language.")
    show_type = models.CharField(
        max_length=10,
        choices=[("episodic", "Episodic (newest first)"), ("serial", "Serial (oldest first)")],
        default="episodic",
    )
    copyright = models.CharField(max_length=255, blank=True)
    apple_podcasts_url = models.URLField("Apple Podcasts link", blank=True)
    spotify_url = models.URLField("Spotify link", blank=True)
    feed_locked = models.BooleanField(
        "Locked against moves",
        default=True,
        help_text="Tells other hosting platforms not to import this feed without the owner.",
    )
    podcast_guid = models.UUIDField(null=True, blank=True, editable=False)

    content_panels = BasePage.content_panels + [
        FieldPanel("description"),
        FieldPanel("artwork"),
        InlinePanel("hosts", label="Host"),
        MultiFieldPanel(
            [
                FieldPanel("author"),
                FieldPanel("owner_name"),
                FieldPanel("owner_email"),
                FieldPanel("copyright"),
            ],
            heading="Ownership",
        ),
        MultiFieldPanel(
            [
                FieldPanel("language"),
                FieldPanel("category"),
                FieldPanel("subcategory"),
                FieldPanel("explicit"),
                FieldPanel("show_type"),
                FieldPanel("feed_locked"),
            ],
            heading="Directory listing",
        ),
        MultiFieldPanel(
            [FieldPanel("apple_podcasts_url"), FieldPanel("spotify_url")],
            heading="Follow links",
        ),
    ]
    search_fields = BasePage.search_fields + [index.SearchField("description")]
    parent_page_types = ["site.HomePage"]
    subpage_types = ["podcasts.EpisodePage"]
    exclude_fields_in_copy = ["podcast_guid"]
    template = "podcasts/podcast_index_page.html"

    class Meta:
        verbose_name = "podcast show"

    @property
    def meta_description(self):
        return self.search_description or self.description[:300]

    @property
    def hero_image(self):
        return self.artwork

    @property
    def feed_url(self):
        """The podcast feed's public address (served by podcasts.rss), once the show has one."""
        parts = self.get_url_parts()
        if not parts or parts[2] is None:
            return ""
        return absolute_url(reverse("podcast_feed", kwargs={"show_slug": self.slug}))

    def clean(self):
        super().clean()
        errors = validate_artwork(self.artwork, "artwork")
        if self.subcategory and self.subcategory not in APPLE_CATEGORIES.get(self.category, []):
            errors["subcategory"] = (
                f"“{self.subcategory}” is not a subcategory of “{self.category}” in Apple's list."
            )
        if errors:
            raise ValidationError(errors)

    def save(self, *args, **kwargs):
        if self.podcast_guid is None and self.pk:
            self.podcast_guid = (
                PodcastIndexPage.objects.filter(pk=self.pk)
                .values_list("podcast_guid", flat=True)
                .first()
            )
        if self.podcast_guid is None and self.live and self.feed_url:
            # Assigned once, from the feed URL of the day; it then follows the show for life,
            # even if the feed moves.
            self.podcast_guid = podcast_guid_for(self.feed_url)
        super().save(*args, **kwargs)

    def with_content_json(self, content):
        page = super().with_content_json(content)
        page.podcast_guid = self.podcast_guid
        return page

    @cached_property
    def host_authors(self):
        return [link.author for link in self.hosts.select_related("author") if link.author_id]

    def episodes(self):
        return EpisodePage.objects.child_of(self).listing()

    def json_ld(self):
        data = {
            "@context": "https://schema.org",
            "@type": "PodcastSeries",
            "name": self.title,
            "description": self.description,
            "url": absolute_url(self.url),
            "webFeed": self.feed_url,
        }
        if self.artwork:
            data["image"] = absolute_url(self.artwork.file.url)
        if self.host_authors:
            data["author"] = [{"@type": "Person", "name": a.name} for a in self.host_authors]
        return seo.json_ld(data)

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["show"] = self
        context["episodes"] = paginate_remembered(
            request,
            self.episodes,
            ("episode-count", self.pk),
            (page_tag(self.pk), EPISODES, ALL),
        )
        return context


class ShowHost(Orderable):
    page = ParentalKey(PodcastIndexPage, related_name="hosts", on_delete=models.CASCADE)
    author = models.ForeignKey(
        "articles.Author", on_delete=models.CASCADE, related_name="hosted_shows"
    )

    panels = [FieldPanel("author")]


class EpisodePageQuerySet(BasePageQuerySet):
    def listing(self):
        """Live public episodes, newest first by the date they went out."""
        return (
            self.live()
            .public()
            .annotate(went_out_at=Coalesce("release_date", "first_published_at"))
            .order_by("-went_out_at", "-pk")
            .select_related("audio", "artwork")
        )

    def in_feed(self):
        """Episodes apps can play: an episode without audio never reaches the feed."""
        return self.listing().filter(audio__isnull=False).exclude(audio__mime_type="")


EpisodePageManager = PageManager.from_queryset(EpisodePageQuerySet)

CAPTIONS_TYPES = {"vtt": "text/vtt", "srt": "application/x-subrip"}
SRT_CUE = re.compile(r"^\s*\d+\s*\r?\n\d{2}:\d{2}:\d{2},\d{3} --> \d{2}:\d{2}:\d{2},\d{3}")


def captions_format(text):
    """ "vtt" or "srt" for captions text, or None when it is neither."""
    text = (text or "").lstrip("\ufeff")
    if re.match(r"^WEBVTT(?:[ \t].*)?(?:\r?\n|$)", text):
        return "vtt"
    if SRT_CUE.match(text):
        return "srt"
    return None


class EpisodePage(BasePage):
    summary = models.TextField(
        max_length=4000,
        help_text="A few sentences on what the episode covers; apps show it in their lists.",
    )
    show_notes = RichTextField(
        blank=True,
        features=["h2", "h3", "bold", "italic", "link", "ol", "ul"],
        help_text="Links and details; shown on the page and in apps.",
    )
    audio = models.ForeignKey(
        EpisodeAudio,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="episodes",
        help_text="MP3 or M4A. An episode without audio is left out of the podcast feed.",
    )
    episode_number = models.PositiveIntegerField(
        null=True, blank=True, validators=[MinValueValidator(1)]
    )
    season_number = models.PositiveIntegerField(
        null=True, blank=True, validators=[MinValueValidator(1)]
    )
    episode_type = models.CharField(
        max_length=10,
        choices=[("full", "Full episode"), ("trailer", "Trailer"), ("bonus", "Bonus")],
        default="full",
    )
    explicit = models.BooleanField(default=False, help_text="Contains explicit language.")
    artwork = models.ForeignKey(
        settings.WAGTAILIMAGES_IMAGE_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="Optional; the show's artwork is used when empty. Square JPEG or PNG, "
        "1400 to 3000 pixels, RGB.",
    )
    transcript = models.TextField(blank=True, help_text="Plain text, shown on the episode page.")
    captions = models.TextField(
        "Timed transcript (WebVTT or SRT)",
        blank=True,
        help_text="Paste the contents of a .vtt or .srt file; apps use it to show captions.",
    )
    release_date = models.DateTimeField(
        "Date it went out",
        null=True,
        blank=True,
        help_text="Left empty, the date of first publication is used.",
    )
    sectors = ParentalManyToManyField("cirsite.Sector", blank=True, related_name="episodes")
    risk_types = ParentalManyToManyField("cirsite.RiskType", blank=True, related_name="episodes")
    guid = models.CharField(max_length=255, blank=True, editable=False, db_index=True)

    objects = EpisodePageManager()

    content_panels = BasePage.content_panels + [
        FieldPanel("summary"),
        MediaChooserPanel("audio", media_type="audio"),
        MultiFieldPanel(
            [
                FieldPanel("release_date"),
                FieldPanel("episode_number"),
                FieldPanel("season_number"),
                FieldPanel("episode_type"),
                FieldPanel("explicit"),
            ],
            heading="Episode details",
        ),
        FieldPanel("show_notes"),
        InlinePanel("guests", label="Guest"),
        FieldPanel("artwork"),
        MultiFieldPanel([FieldPanel("transcript"), FieldPanel("captions")], heading="Transcript"),
        MultiFieldPanel(
            [
                FieldPanel("sectors", widget=forms.CheckboxSelectMultiple),
                FieldPanel("risk_types", widget=forms.CheckboxSelectMultiple),
            ],
            heading="Tags",
        ),
        InlinePanel("related_story_links", label="Related story", max_num=4),
    ]
    search_fields = BasePage.search_fields + [
        index.SearchField("summary"),
        index.SearchField("show_notes"),
        index.SearchField("transcript"),
        index.FilterField("first_published_at"),
        # Found by the topic names, guests and hosts a reader sees on the episode page.
        index.RelatedFields("sectors", [index.SearchField("name"), index.FilterField("slug")]),
        index.RelatedFields("risk_types", [index.SearchField("name"), index.FilterField("slug")]),
        index.RelatedFields(
            "guests", [index.SearchField("name"), index.SearchField("affiliation")]
        ),
        index.SearchField("host_names"),
    ]
    parent_page_types = ["podcasts.PodcastIndexPage"]
    subpage_types = []
    exclude_fields_in_copy = ["guid"]
    template = "podcasts/episode_page.html"

    class Meta:
        verbose_name = "podcast episode"

    @property
    def meta_description(self):
        return self.search_description or self.summary[:300]

    @property
    def went_out(self):
        return self.release_date or self.first_published_at or self.last_published_at

    @cached_property
    def show(self):
        parent = self.get_parent()
        return parent.specific if parent else None

    def host_names(self):
        """The show's hosts, for the search index: hosts are set on the show, not on each
        episode, yet a reader searching a host's name expects the episodes they present."""
        if self.pk is None or not self.path:
            return ""
        hosts = ShowHost.objects.filter(page__path=self.path[: -self.steplen]).select_related(
            "author"
        )
        return " ".join(link.author.name for link in hosts)

    @property
    def duration(self):
        return self.audio.duration if self.audio else 0

    @property
    def duration_display(self):
        return format_duration(self.duration)

    @property
    def numbering(self):
        """ "Season 1 · Episode 2 · Bonus": the parts that are set, for listings and the page."""
        parts = []
        if self.season_number:
            parts.append(f"Season {self.season_number}")
        if self.episode_number:
            parts.append(f"Episode {self.episode_number}")
        if self.episode_type != "full":
            parts.append(self.get_episode_type_display())
        return " · ".join(parts)

    @property
    def duration_iso(self):
        return iso8601_duration(self.duration)

    @property
    def hero_image(self):
        """The picture shared with the page: the episode's artwork, else the show's."""
        return self.artwork or getattr(self.show, "artwork", None)

    @property
    def captions_format(self):
        return captions_format(self.captions)

    def clean(self):
        super().clean()
        errors = validate_artwork(self.artwork, "artwork")
        if self.captions.strip() and captions_format(self.captions) is None:
            errors["captions"] = (
                "Captions must be WebVTT (starting with the line WEBVTT) or SRT (numbered cues "
                "with timings such as 00:00:01,000 --> 00:00:04,000)."
            )
        if self.audio and not self.audio.mime_type:
            errors["audio"] = "This audio file has not been checked; upload it again."
        if errors:
            raise ValidationError(errors)

    def save(self, *args, **kwargs):
        if not self.guid and self.pk:
            self.guid = (
                EpisodePage.objects.filter(pk=self.pk).values_list("guid", flat=True).first() or ""
            )
        if not self.guid and self.live:
            # Fixed at first publication and never derived from title, slug or file, so a
            # correction never makes apps download the episode again as a new one.
            self.guid = f"urn:uuid:{uuid.uuid4()}"
        super().save(*args, **kwargs)

    def with_content_json(self, content):
        page = super().with_content_json(content)
        page.guid = self.guid
        return page

    def related_stories(self):
        """Stories picked on this episode, then stories whose editors linked this episode."""
        stories = [link.story for link in self.related_story_links.select_related("story")]
        stories += [link.page for link in self.story_links.select_related("page")]
        seen, live = set(), []
        for story in stories:
            if story.live and story.pk not in seen:
                seen.add(story.pk)
                live.append(story)
        return live

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["episode_url"] = page_absolute_url(self, request)
        context["share_links"] = share_links(context["episode_url"] or "", self.title, self.summary)
        context["related_stories"] = self.related_stories()
        return context

    @property
    def captions_url(self):
        """The page's own captions file, for the player's <track>."""
        # Browsers play WebVTT only; SRT stays a download for apps.
        if self.captions_format != "vtt":
            return ""
        return reverse(
            "podcast_transcript", kwargs={"page_id": self.pk, "kind": self.captions_format}
        )

    def transcript_links(self):
        """(absolute URL, MIME type, rel) for each transcript an app can fetch."""
        links = []
        if self.captions_format:
            url = reverse(
                "podcast_transcript", kwargs={"page_id": self.pk, "kind": self.captions_format}
            )
            links.append((absolute_url(url), CAPTIONS_TYPES[self.captions_format], "captions"))
        if self.transcript.strip():
            url = reverse("podcast_transcript", kwargs={"page_id": self.pk, "kind": "txt"})
            links.append((absolute_url(url), "text/plain", ""))
        return links

    def json_ld(self):
        show = self.show
        data = {
            "@context": "https://schema.org",
            "@type": "PodcastEpisode",
            "name": self.title,
            "url": absolute_url(self.url),
            "description": self.summary,
        }
        if self.went_out:
            data["datePublished"] = self.went_out.date().isoformat()
        if self.episode_number:
            data["episodeNumber"] = self.episode_number
        if self.audio:
            data["timeRequired"] = iso8601_duration(self.audio.duration)
            data["associatedMedia"] = {
                "@type": "MediaObject",
                "contentUrl": self.audio.absolute_url,
                "encodingFormat": self.audio.mime_type,
                "duration": iso8601_duration(self.audio.duration),
            }
        if show is not None and isinstance(show, PodcastIndexPage):
            data["partOfSeries"] = {
                "@type": "PodcastSeries",
                "name": show.title,
                "url": absolute_url(show.url),
                "webFeed": show.feed_url,
            }
        people = [{"@type": "Person", "name": guest.name} for guest in self.guests.all()]
        if people:
            data["actor"] = people
        return seo.json_ld(data)


class EpisodeGuest(Orderable):
    page = ParentalKey(EpisodePage, related_name="guests", on_delete=models.CASCADE)
    name = models.CharField(max_length=128)
    affiliation = models.CharField(
        max_length=255, blank=True, help_text="Role and organisation, e.g. “CISO, Example Rail”."
    )
    url = models.URLField("Link", blank=True, help_text="A profile or homepage, if public.")

    panels = [FieldPanel("name"), FieldPanel("affiliation"), FieldPanel("url")]

    def __str__(self):
        return self.name


class EpisodeRelatedStory(Orderable):
    page = ParentalKey(EpisodePage, related_name="related_story_links", on_delete=models.CASCADE)
    story = models.ForeignKey(
        "articles.ArticlePage", on_delete=models.CASCADE, related_name="+", verbose_name="story"
    )

    panels = [FieldPanel("story")]


class StoryEpisode(Orderable):
    """An episode that discusses a story, chosen on the story's edit form. It lives here
    because podcasts may name stories, while stories may not import podcasts."""

    page = ParentalKey(
        "articles.ArticlePage", related_name="episode_links", on_delete=models.CASCADE
    )
    episode = models.ForeignKey(
        EpisodePage, on_delete=models.CASCADE, related_name="story_links", verbose_name="episode"
    )

    panels = [PageChooserPanel("episode", "podcasts.EpisodePage")]

    class Meta(Orderable.Meta):
        verbose_name = "episode that discusses the story"
