from django.core.paginator import Paginator


def paginate(request, object_list, per_page):
    """The page asked for in ``?page=``, forgiving any value a reader can type:
    ``Paginator.get_page``, except that a number below 1 is the first page (where
    get_page would give the last). Junk is the first page, past the end the last."""
    return Paginator(object_list, per_page).get_page(requested_page(request))


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
