from django.core.paginator import Paginator
from django.utils.functional import SimpleLazyObject

from cirsite.base.process_memo import remembered
from cirsite.base.templatetags.fragments import is_remembering

DEFAULT_PER_PAGE = 12


def paginate(request, items, per_page=DEFAULT_PER_PAGE):
    """One page of ``items`` for ``?page=``; a missing, non-numeric or out-of-range value
    gives the nearest real page rather than an error."""
    return Paginator(items, per_page).get_page(request.GET.get("page"))


def paginate_remembered(request, listing, key, tags, per_page=DEFAULT_PER_PAGE, prepare=list):
    """paginate(), for a listing that a remembered fragment shows ({% remember %}):
    ``listing()`` makes the queryset, which is built only if it is read. The number of items
    is remembered against ``tags`` (those that move with any change to the listing), and the
    page's items, ``prepare(rows)``, are read when the fragment renders. A remembered listing
    costs no query."""
    if is_remembering(request):
        count = remembered(key, tags, lambda: listing().count())
    else:
        count = listing().count()
    # Numbered over the positions alone; the rows replace them once the page is known.
    page = Paginator(range(count), per_page).get_page(request.GET.get("page"))
    positions = page.object_list
    page.object_list = SimpleLazyObject(
        lambda: prepare(list(listing()[positions.start : positions.stop]))
    )
    return page
