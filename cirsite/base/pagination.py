from django.core.paginator import Paginator

DEFAULT_PER_PAGE = 12


def paginate(request, items, per_page=DEFAULT_PER_PAGE):
    """One page of ``items`` for ``?page=``; a missing, non-numeric or out-of-range value
    gives the nearest real page rather than an error."""
    return Paginator(items, per_page).get_page(request.GET.get("page"))
