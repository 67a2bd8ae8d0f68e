from django import template

register = template.Library()


@register.inclusion_tag("includes/pager.html", takes_context=True)
def pager(context, page, param="page", region="results", push=False):
    """Previous / next links for one page of a long list, keeping the other query parameters.

    Plain links reload the page at `#region`. htmx swaps the region alone: with `push` the view
    answers htmx with the region and the address bar follows; without, the region is named by
    ?section=, which regions of a Page understand (after an edit, links still lead to the page).
    """
    request = context["request"]
    base = context.get("page_url") or request.path
    query = request.GET.copy()
    query.pop("section", None)

    def links(number):
        query[param] = number
        href = f"{base}?{query.urlencode()}"
        if push:
            return href, href
        swap = query.copy()
        swap["section"] = region
        return f"{href}#{region}", f"{base}?{swap.urlencode()}"

    return {
        "page": page,
        "region": region,
        "push": push,
        "previous": links(page.previous_page_number()) if page.has_previous() else None,
        "next": links(page.next_page_number()) if page.has_next() else None,
    }
