"""Values every page reads but that rarely change (the site for a host name, its settings,
whether any page has view restrictions), kept in each process between requests so that a
render does not ask the database for them again.

They are only as coherent as the pages themselves: each value is remembered with the page
cache's generations of the tags it depends on, and recomputed as soon as one of them has
moved (in this process at once, in others within PAGE_CACHE_POLL_SECONDS). The base layer
knows no page cache, so the site layer installs where the generations come from
(``use_generations``); until then nothing is remembered.
"""

import copy
import itertools
from contextlib import contextmanager
from contextvars import ContextVar

from django.db import DatabaseError
from django.db.models.base import ModelState
from wagtail.blocks import StreamValue

# Page-cache tags (cirsite.site.page_cache uses these names): ALL moves when a change cannot
# be placed more precisely, SITE with the furniture every page shows, STORIES and EPISODES
# with every story or episode (and so every list of them), INCIDENTS with every change to
# tracked incidents, a page's or a row's own tag with that item.
ALL = "all"
SITE = "site"
STORIES = "stories"
EPISODES = "episodes"
INCIDENTS = "incidents"


def page_tag(pk):
    return f"page:{pk}"


def row_tag(instance, pk=None):
    """The tag of one row that is not a page (``incident:42``); given ``pk``, ``instance``
    may be the model rather than a row of it."""
    return f"{instance._meta.model_name}:{instance.pk if pk is None else pk}"


# Parts of pages are remembered too (cirsite.base.templatetags.fragments), about fifteen
# entries for a story: room for a few hundred pages' worth, a few tens of megabytes at most.
MAX_ENTRIES = 5000

_source = None
_pinned = ContextVar("process_memo_pinned", default=None)


def use_generations(source):
    """``source()`` returns (this process's generations by tag, the dict to remember values
    in). The dict belongs to the generations: when they are forgotten, so are the values."""
    global _source
    _source = source


def _generations():
    return _pinned.get() or _source()


def _memory():
    """(this process's generations, the dict values are remembered in), or None when nothing
    can be remembered: no generations installed, or none to be read."""
    if _source is None:
        return None
    try:
        return _generations()
    except DatabaseError:
        return None


def _stamp(values, tags):
    """What an entry is remembered with: each tag with its generation."""
    return tuple((tag, values.get(tag, 0)) for tag in tags)


def generations_of(tags):
    """The current generations of ``tags``, the same in every process once it has polled: a
    validator (an ETag) built from them changes with what they cover. None when unknown."""
    memory = _memory()
    return None if memory is None else tuple(memory[0].get(tag, 0) for tag in tags)


@contextmanager
def generations_pinned():
    """Within the block, values are checked against and remembered with the generations as
    they were when it began. Rows read inside the block are then never remembered under the
    generations of a change they did not see, as they could be if this process read that
    change's generations (a poll) between reading the rows and remembering what it made of
    them: the value would look current until the next change. Usable as a decorator; an
    inner block keeps the outer block's generations."""
    if _source is None or _pinned.get() is not None:
        yield
        return
    try:
        pinned = _source()
    except DatabaseError:
        yield
        return
    token = _pinned.set(pinned)
    try:
        yield
    finally:
        _pinned.reset(token)


def remembered(key, tags, compute, still_good=None):
    """compute(), or the value it gave last time if none of ``tags`` has moved since.
    ``still_good(value)``, when given, can refuse a remembered value for what the generations
    do not follow, such as the clock."""
    memory = _memory()
    if memory is None:  # no generations to check against: read it plainly
        return compute()
    values, store = memory
    stamp = _stamp(values, tags)
    entry = store.get(key)
    if entry is not None and entry[0] == stamp and (still_good is None or still_good(entry[1])):
        return entry[1]
    value = compute()
    store_entry(store, key, (stamp, value))
    return value


def store_entry(store, key, entry):
    """Stores an entry as the newest; when full, the half stored longest ago goes rather than
    every entry (the furniture every page shows would go with it)."""
    store.pop(key, None)
    if len(store) >= MAX_ENTRIES:
        try:
            oldest = list(itertools.islice(store, MAX_ENTRIES // 2))
        except RuntimeError:  # another thread stored meanwhile
            oldest = list(store)
        for old in oldest:
            store.pop(old, None)
    store[key] = entry


def recalled(key, tags, default=None):
    """The value remembered under ``key`` if none of ``tags`` has moved since, else
    ``default``; nothing is computed or stored."""
    memory = _memory()
    if memory is None:
        return default
    values, store = memory
    entry = store.get(key)
    return entry[1] if entry is not None and entry[0] == _stamp(values, tags) else default


def recall(key):
    """What keep(key, tags, value) stored, if none of its tags has moved since; else None.
    For values whose tags are known only once they are computed (the pages on a path)."""
    memory = _memory()
    if memory is None:
        return None
    values, store = memory
    entry = store.get(key)
    if entry is None or any(values.get(tag, 0) != seen for tag, seen in entry[0]):
        return None
    return entry[1]


def keep(key, tags, value):
    """Remembers ``value`` (never None) until one of ``tags`` moves; see recall()."""
    memory = _memory()
    if memory is not None:
        values, store = memory
        store_entry(store, key, (_stamp(values, tags), value))


def is_remembered(key, tags):
    """Whether remembered(key, tags, ...) would answer without computing."""
    missing = object()
    return recalled(key, tags, missing) is not missing


def copy_of(instance):
    """A fresh instance with the same field values: a remembered row is never handed to a
    request itself, which could cache related objects on it or change it. Fields the row was
    read without (``.only()``) stay deferred, and values a request could change in place
    (a StreamField's blocks, JSON) are its own.

    Made as the database layer makes a row's instance, minus ``__init__``: the field values
    are the row's already, and a page's ``__init__`` (modelcluster looking up its child
    relations) would cost more than all the rest of the copy."""
    model = type(instance)
    loaded = instance.__dict__
    clone = model.__new__(model)
    values = clone.__dict__
    for field in model._meta.concrete_fields:
        name = field.attname
        if name not in loaded:
            continue
        value = loaded[name]
        if isinstance(value, StreamValue):
            # Its blocks are made on first use and keep what they load (images): from the
            # stored data each time, as a row read from the database would be.
            value = field.to_python(field.get_prep_value(value))
        elif isinstance(value, (dict, list)):
            value = copy.deepcopy(value)
        values[name] = value
    clone._state = ModelState()
    clone._state.adding = False
    clone._state.db = instance._state.db
    return clone
