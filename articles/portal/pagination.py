from django.core.paginator import Paginator


def paginate(request, queryset, per_page):
    """The page asked for in ``?page=``, forgiving any value a reader can type.

    Anything that is not a whole number, or is below 1, is the first page; a number
    past the end is the last page.
    """
    paginator = Paginator(queryset, per_page, allow_empty_first_page=True)
    number = min(requested_page(request), paginator.num_pages)
    return paginator.page(number)


def requested_page(request):
    """The page number in ``?page=``, at least 1, before it is checked against the end."""
    try:
        return max(int(request.GET.get("page", "1")), 1)
    except (TypeError, ValueError):
        return 1


def requested_places(request, per_page):
    """The places (a slice) that ``?page=`` asks for, as long as it is not past the end."""
    start = (requested_page(request) - 1) * per_page
    return slice(start, start + per_page)
