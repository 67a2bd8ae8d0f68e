"""Pages of rows that can be cached: they hold their own rows and nothing more."""

from django.core.paginator import Paginator


def detached(page):
    """A page that holds its own rows and nothing more: pages are cached (pac.revisions), and
    pickling the paginator's queryset or list would read or copy every row of it. Its count and
    number of pages are known by then."""
    page.object_list = list(page.object_list)
    page.paginator.object_list = ()
    return page


def page_of(queryset, per_page, number, count):
    """Django's paginator, with the count already known (it came with the totals)."""
    paginator = Paginator(queryset, per_page)
    paginator.count = count
    return detached(paginator.get_page(number))
