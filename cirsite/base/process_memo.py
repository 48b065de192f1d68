"""Values every page reads but that rarely change (the site for a host name, its settings,
whether any page has view restrictions), kept in each process between requests so that a
render does not ask the database for them again.

They are only as coherent as the pages themselves: each value is remembered with the page
cache's generations of the tags it depends on, and recomputed as soon as one of them has
moved (in this process at once, in others within PAGE_CACHE_POLL_SECONDS). The base layer
knows no page cache, so the site layer installs where the generations come from
(``use_generations``); until then nothing is remembered.
"""

from contextlib import contextmanager
from contextvars import ContextVar

from django.db import DatabaseError

# Page-cache tags (cirsite.site.page_cache uses these names): ALL moves when a change cannot
# be placed more precisely, SITE with the furniture every page shows, INCIDENTS with every
# change to tracked incidents, a page's or a row's own tag with that item.
ALL = "all"
SITE = "site"
INCIDENTS = "incidents"


def page_tag(pk):
    return f"page:{pk}"


def row_tag(instance, pk=None):
    """The tag of one row that is not a page (``incident:42``); given ``pk``, ``instance``
    may be the model rather than a row of it."""
    return f"{instance._meta.model_name}:{instance.pk if pk is None else pk}"


MAX_ENTRIES = 1000

_source = None
_pinned = ContextVar("process_memo_pinned", default=None)


def use_generations(source):
    """``source()`` returns (this process's generations by tag, the dict to remember values
    in). The dict belongs to the generations: when they are forgotten, so are the values."""
    global _source
    _source = source


def _generations():
    return _pinned.get() or _source()


def generations_of(tags):
    """The current generations of ``tags``, the same in every process once it has polled: a
    validator (an ETag) built from them changes with what they cover. None when unknown."""
    if _source is None:
        return None
    try:
        values, _ = _generations()
    except DatabaseError:
        return None
    return tuple(values.get(tag, 0) for tag in tags)


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
    if _source is None:
        return compute()
    try:
        values, store = _generations()
    except DatabaseError:  # no generations to check against: read it plainly
        return compute()
    stamp = tuple(values.get(tag, 0) for tag in tags)
    entry = store.get(key)
    if entry is not None and entry[0] == stamp and (still_good is None or still_good(entry[1])):
        return entry[1]
    value = compute()
    if len(store) >= MAX_ENTRIES:
        store.clear()
    store[key] = (stamp, value)
    return value


def recalled(key, tags, default=None):
    """The value remembered under ``key`` if none of ``tags`` has moved since, else
    ``default``; nothing is computed or stored."""
    if _source is None:
        return default
    try:
        values, store = _generations()
    except DatabaseError:
        return default
    entry = store.get(key)
    if entry is not None and entry[0] == tuple(values.get(tag, 0) for tag in tags):
        return entry[1]
    return default


def is_remembered(key, tags):
    """Whether remembered(key, tags, ...) would answer without computing."""
    missing = object()
    return recalled(key, tags, missing) is not missing


def copy_of(instance):
    """A fresh instance with the same field values: a remembered row is never handed to a
    request itself, which could cache related objects on it or change it."""
    model = type(instance)
    names = [field.attname for field in model._meta.concrete_fields]
    return model.from_db(instance._state.db, names, [getattr(instance, name) for name in names])
