"""Lists come a page at a time: 50 rows, up to 200 with ?page_size=; a page past the end is a
404 that says so."""

from rest_framework.pagination import PageNumberPagination


class Pages(PageNumberPagination):
    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 200
