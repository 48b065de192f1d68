"""Suggested links on a story's edit form: tracked incidents the story may report and podcast
episodes that may discuss it, each a box to tick.

Stories may not import incidents or podcasts, so the finding is done above them: a function
registered under the ``story_link_suggestions`` Wagtail hook (the site layer's) returns
``LinkSuggestion``s for a story. This module only offers them and, for the ticked ones, adds
the link to the story's own inline list, as if the editor had added it there by hand, so it
is saved with the draft or the publication like every other field."""

from dataclasses import dataclass

from django import forms
from wagtail import hooks
from wagtail.admin.forms import WagtailAdminPageForm

HOOK = "story_link_suggestions"


@dataclass(frozen=True)
class LinkSuggestion:
    relation: str  # the story's child relation: "incident_links" or "episode_links"
    field: str  # the foreign key on that relation's model: "incident" or "episode"
    pk: int
    label: str  # what the editor reads: kind, title, date and what is shared

    @property
    def key(self):
        return f"{self.relation}:{self.pk}"


def link_suggestions(story):
    """Every registered finder's suggestions for ``story``, in the finders' order."""
    suggestions = []
    for find in hooks.get_hooks(HOOK):
        suggestions.extend(find(story))
    return suggestions


class StoryForm(WagtailAdminPageForm):
    suggested_links = forms.MultipleChoiceField(
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label="Suggested links",
        help_text="Incidents and episodes that share organisations, sectors or risk types with "
        "this story (as last saved). Tick to link them; they are added to the lists above "
        "when you save.",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # A new story has nothing saved to compare with yet.
        found = link_suggestions(self.instance) if self.instance.pk else []
        self.suggestions = {suggestion.key: suggestion for suggestion in found}
        self.fields["suggested_links"].choices = [
            (suggestion.key, suggestion.label) for suggestion in found
        ]

    def save(self, commit=True):
        story = super().save(commit=False)
        for key in self.cleaned_data.get("suggested_links") or []:
            suggestion = self.suggestions[key]
            links = getattr(story, suggestion.relation)
            target = f"{suggestion.field}_id"
            if any(getattr(link, target) == suggestion.pk for link in links.all()):
                continue
            links.add(links.model(**{target: suggestion.pk}))
        if commit:
            story.save()
        return story
