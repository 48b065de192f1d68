"""Feed items rendered once and reused.

An item reads the same in every feed that lists it (a story in the feed of all stories and in
its sectors' and authors' feeds, an incident under every tracker filter) and from one change
to the next, yet Django's syndication framework builds each one from its object on every
render: a story's body, image renditions, bylines and tags. Here each item's XML is
remembered in the process with the generations of what it shows
(cirsite.base.process_memo); a render asks which items the feed lists, loads and renders only
those not remembered, and writes the others as they were.

A feed view subclasses RememberedItemsFeed and says, instead of ``items``:

    item_refs(obj)     what the feed lists, in order, read cheaply (primary keys)
    item_tags(ref)     the page-cache tags of everything the item shows
    load_items(refs)   {ref: object to render} for those refs, with what their items show
                       fetched in a fixed number of queries
    item_link_tags(item)  optionally, tags of what only the rendering finds: the pages an
                       item's text links to (``linked_page_tags``)

Its ``feed_type`` is a RememberedItemsRss, which writes remembered items as they are.
"""

import copy
from io import StringIO

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.utils.feedgenerator import Rss201rev2Feed
from django.utils.xmlutils import SimplerXMLGenerator
from wagtail.models import Page, Site

from cirsite.base.process_memo import generations_pinned, page_tag, recalled, remembered


class RememberedItemsRss(Rss201rev2Feed):
    """RSS 2.0 whose items may arrive as the XML written for them earlier."""

    def item_xml(self, item):
        """The item's element as ``write_items`` would write it."""
        out = StringIO()
        handler = SimplerXMLGenerator(out, "utf-8", short_empty_elements=True)
        handler.startElement("item", self.item_attributes(item))
        self.add_item_elements(handler, item)
        handler.endElement("item")
        return out.getvalue()

    def write_items(self, handler):
        for item in self.items:
            if "xml" in item:
                # XML this generator wrote itself; ignorableWhitespace is the SAX call that
                # writes text unescaped.
                handler.ignorableWhitespace(item["xml"])
            else:
                handler.startElement("item", self.item_attributes(item))
                self.add_item_elements(handler, item)
                handler.endElement("item")


def remembered_entry(feed_item, xml):
    # The dates stay beside the XML: the channel's lastBuildDate and the Last-Modified header
    # are the newest of them.
    return {"pubdate": feed_item["pubdate"], "updateddate": feed_item["updateddate"], "xml": xml}


def linked_page_tags(instance, field_name):
    """The tags of the pages a rich text or StreamField value links to: an item shows their
    addresses, which move with them."""
    field = instance._meta.get_field(field_name)
    pks = {
        int(pk)
        for model, pk, *_ in field.extract_references(getattr(instance, field_name))
        if issubclass(model, Page) and str(pk).isdigit()
    }
    return tuple(page_tag(pk) for pk in sorted(pks))


class RememberedItemsFeed(Feed):
    feed_type = RememberedItemsRss

    def item_refs(self, obj):
        raise NotImplementedError

    def item_tags(self, ref):
        raise NotImplementedError

    def load_items(self, refs):
        raise NotImplementedError

    def item_link_tags(self, item):
        """Tags of what the item shows that only its rendering finds (linked pages)."""
        return ()

    def items(self, obj):
        # What Django's get_feed renders: only the items that were not remembered.
        return self._to_render

    def item_key(self, ref, request):
        # Links are relative to the site that answers, on BASE_URL.
        site = Site.find_for_request(request)
        feed = type(self)
        return (
            "feed item",
            f"{feed.__module__}.{feed.__qualname__}",
            ref,
            getattr(site, "pk", None),
            settings.BASE_URL,
        )

    def render_feed(self, obj, request, items):
        """Django's feed of ``obj`` holding ``items``; a subclass wraps what rendering them
        needs around it. A copy renders, so that one instance can serve concurrent requests."""
        rendering = copy.copy(self)
        rendering._to_render = items
        return Feed.get_feed(rendering, obj, request)

    @generations_pinned()
    def get_feed(self, obj, request):
        refs = list(self.item_refs(obj))
        keys = {ref: self.item_key(ref, request) for ref in refs}
        tags = {ref: self.item_tags(ref) for ref in refs}
        # An item is remembered under its own tags and those its rendering found (pages its
        # text links to); the latter are remembered under its own tags, when there are any.
        entries = {}
        for ref in refs:
            link_tags = recalled(("links", keys[ref]), tags[ref], ())
            entry = recalled(keys[ref], tags[ref] + link_tags)
            if entry is not None:
                entries[ref] = entry

        missing = list(dict.fromkeys(ref for ref in refs if ref not in entries))
        loaded = self.load_items(missing) if missing else {}
        rendering = [ref for ref in missing if ref in loaded]
        feed = self.render_feed(obj, request, [loaded[ref] for ref in rendering])
        for ref, item in zip(rendering, feed.items, strict=True):
            link_tags = self.item_link_tags(loaded[ref])
            if link_tags:
                remembered(("links", keys[ref]), tags[ref], lambda link_tags=link_tags: link_tags)
            entry = remembered_entry(item, feed.item_xml(item))
            entries[ref] = remembered(keys[ref], tags[ref] + link_tags, lambda entry=entry: entry)

        # An item deleted between the two reads is left out (and its tag has moved).
        feed.items = [entries[ref] for ref in refs if ref in entries]
        return feed
