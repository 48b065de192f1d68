"""Parts of a page rendered once and reused by later requests in the same process.

    {% load fragments %}
    {% remember "story-body" page %}...{% endremember %}
    {% remember "latest" page "stories" %}...{% endremember %}
    {% remember "header" %}...value="{% fresh %}{{ query }}{% endfresh %}"...{% endremember %}

The HTML between the tags is remembered (cirsite.base.process_memo) with the generations of
what it shows, and rendered again as soon as one of them moves:

- always the site's furniture and everything (SITE, ALL): names of topics and authors,
  images, settings, section pages;
- a page or a row named after the name: its own content (``page:42``), which also keys the
  fragment; None keys it too and adds no tag;
- "stories", "episodes" or "incidents" (or a list of them): any story, episode or tracked
  incident, for lists.

Keyword arguments (``tab=tab``) key the fragment without adding a tag. The fragment is kept
for the site that answers (links are relative to it) and for its place in its template.

A fragment may show nothing that differs between requests, apart from ``{% fresh %}``
parts, which are rendered for every request with the context as it is at ``{% remember %}``
(a ``{% with %}`` or loop inside the fragment is not seen). A preview renders everything
afresh and remembers nothing: it shows a draft that the generations know nothing of.

Values the fragment needs can be handed to the template lazily (``SimpleLazyObject``), so
that a remembered fragment costs no query for them.
"""

import secrets

from django import template
from django.db import models
from django.utils.safestring import mark_safe
from wagtail.models import Page, Site

from cirsite.base.process_memo import (
    ALL,
    EPISODES,
    INCIDENTS,
    SITE,
    STORIES,
    page_tag,
    remembered,
    row_tag,
)

register = template.Library()

LISTINGS = {STORIES, EPISODES, INCIDENTS}
# Stands for a {% fresh %} part in the HTML being remembered; random, so that no content
# can contain it.
FRESH_MARK = f"\x00fresh-{secrets.token_hex(8)}-"


def tag_of(item):
    return page_tag(item.pk) if isinstance(item, Page) else row_tag(item)


def is_remembering(request):
    return request is not None and not getattr(request, "is_preview", False)


class FreshNode(template.Node):
    def __init__(self, nodelist):
        self.nodelist = nodelist
        self.index = None  # its place among its fragment's fresh parts

    def render(self, context):
        if context.render_context.get(self) is not None:
            return mark_safe(f"{FRESH_MARK}{self.index}\x00")
        return self.nodelist.render(context)


class RememberNode(template.Node):
    def __init__(self, name, items, keys, nodelist):
        self.name = name
        self.items = items
        self.keys = keys
        self.nodelist = nodelist
        self.fresh = list(nodelist.get_nodes_by_type(FreshNode))
        for index, node in enumerate(self.fresh):
            node.index = index

    def render(self, context):
        request = context.get("request")
        if not is_remembering(request):
            return self.nodelist.render(context)
        site = Site.find_for_request(request)
        key = [self.origin.name, self.name, getattr(site, "pk", None)]
        tags = {SITE, ALL}
        for expression in self.items:
            item = expression.resolve(context)
            if isinstance(item, str | tuple | list):
                listings = (item,) if isinstance(item, str) else tuple(item)
                if not set(listings) <= LISTINGS:
                    raise template.TemplateSyntaxError(f"{{% remember %}}: no listing {item!r}")
                tags.update(listings)
                key.append(listings)
            elif item is None:
                key.append(None)
            elif isinstance(item, models.Model):
                tags.add(tag_of(item))
                key.append(tag_of(item))
            else:
                raise template.TemplateSyntaxError(
                    f"{{% remember %}} keys a fragment by pages, rows and listings, not {item!r}"
                )
        key.extend((name, value.resolve(context)) for name, value in self.keys.items())
        parts = remembered(tuple(key), tuple(sorted(tags)), lambda: self.render_parts(context))
        if len(parts) == 1:
            return parts[0]
        # Static HTML and fresh parts alternate: [html, index, html, index, html].
        return mark_safe(
            "".join(
                part if isinstance(part, str) else self.fresh[part].nodelist.render(context)
                for part in parts
            )
        )

    def render_parts(self, context):
        for node in self.fresh:
            context.render_context[node] = True
        try:
            html = self.nodelist.render(context)
        finally:
            for node in self.fresh:
                context.render_context[node] = None
        pieces = html.split(FRESH_MARK)
        parts = [mark_safe(pieces[0])]
        for piece in pieces[1:]:
            index, _, rest = piece.partition("\x00")
            parts.extend([int(index), mark_safe(rest)])
        return tuple(parts)


@register.tag
def remember(parser, token):
    bits = token.split_contents()
    if len(bits) < 2:
        raise template.TemplateSyntaxError("{% remember %} needs the fragment's name")
    name = bits[1].strip("\"'")
    items, keys = [], {}
    for bit in bits[2:]:
        keyword, equals, value = bit.partition("=")
        if equals and keyword.isidentifier():
            keys[keyword] = parser.compile_filter(value)
        else:
            items.append(parser.compile_filter(bit))
    nodelist = parser.parse(("endremember",))
    parser.delete_first_token()
    return RememberNode(name, items, keys, nodelist)


@register.tag
def fresh(parser, token):
    nodelist = parser.parse(("endfresh",))
    parser.delete_first_token()
    return FreshNode(nodelist)
