"""``{{ incident.tagger_version|readable_tagger_version }}``: "Tagger of 28 Nov 2026, no. 7"
instead of the internal key the incident stores."""

from django import template

from ingest.tagging.versions import readable_version

register = template.Library()


@register.filter
def readable_tagger_version(key):
    return readable_version(key)
