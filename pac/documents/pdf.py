"""PDF documents with WeasyPrint: the whole PAC, a rep's PACI, one action sheet.

Text typed by users is escaped by the templates as on the web pages, and WeasyPrint may fetch
nothing but PAC's own static files: no local file, no URL, whatever a field contains.
"""

import re
from functools import cache

from django.contrib.staticfiles import finders
from django.template.loader import render_to_string
from django.utils.text import slugify
from weasyprint import HTML
from weasyprint.text.fonts import FontConfiguration
from weasyprint.urls import URLFetcher, URLFetcherResponse

# Documents refer to their stylesheet under this made-up origin; only it is ever served.
STATIC_BASE = "https://pac.invalid/static/"


class StaticOnlyFetcher(URLFetcher):
    """Serve PAC's static files to WeasyPrint and refuse everything else."""

    def fetch(self, url, headers=None):
        if not url.startswith(STATIC_BASE):
            raise ValueError(f"PAC documents load nothing from {url!r}")
        relative = url[len(STATIC_BASE) :].split("?")[0]
        if ".." in relative.split("/"):
            raise ValueError(f"PAC documents load nothing from {url!r}")
        path = finders.find(relative)
        if path is None:
            raise ValueError(f"No static file {relative!r}")
        with open(path, "rb") as handle:
            body = handle.read()
        content_type = "text/css" if relative.endswith(".css") else "application/octet-stream"
        return URLFetcherResponse(url, body, {"Content-Type": content_type})


@cache
def font_config():
    """One font configuration for every document: finding fonts is the slow part of a start."""
    return FontConfiguration()


def render_pdf(template, context, request=None):
    """The PDF bytes of a document template. Title, author and language come from its <head>."""
    html = render_to_string(template, context, request=request)
    document = HTML(string=html, base_url=STATIC_BASE, url_fetcher=StaticOnlyFetcher())
    return document.write_pdf(font_config=font_config())


def filename(*parts):
    """PAC-<team>-<period>.pdf, with only safe characters."""
    words = [slugify(str(part)) for part in parts if part]
    return re.sub(r"-+", "-", "-".join(["PAC", *words])) + ".pdf"
