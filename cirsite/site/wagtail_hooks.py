"""The site layer's admin hooks: it alone sees stories, episodes and incidents together."""

from wagtail import hooks

from articles.link_suggestions import HOOK as STORY_LINK_SUGGESTIONS
from cirsite.site.link_suggestions import story_link_suggestions

hooks.register(STORY_LINK_SUGGESTIONS, story_link_suggestions)
