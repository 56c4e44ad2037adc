from django.core.paginator import Paginator


def paginate(request, queryset, per_page):
    """The page asked for in ``?page=``, forgiving any value a reader can type.

    Anything that is not a whole number, or is below 1, is the first page; a number
    past the end is the last page.
    """
    paginator = Paginator(queryset, per_page, allow_empty_first_page=True)
    raw = request.GET.get("page", "1")
    try:
        number = int(raw)
    except (TypeError, ValueError):
        number = 1
    number = min(max(number, 1), paginator.num_pages)
    return paginator.page(number)
