"""PDF documents with WeasyPrint, printed chapter by chapter and joined with pypdf.

WeasyPrint's cost for a box that spans many pages grows with their number (Kozea/WeasyPrint#1296)
and it holds the layout of a whole document in memory. So each chapter, and each slice of a long
one (SHEETS_PER_PART action sheets), is laid out on its own; the parts are joined, then the page
numbers ("Page 3 / 42"), the contents' page numbers and the bookmarks are added to the whole.

Text typed by users is escaped by the templates as on the web pages, and WeasyPrint may fetch
nothing but PAC's own static files: no local file, no URL, whatever a field contains.
"""

import io
import re
import time
from dataclasses import dataclass, field
from functools import cache

from django.contrib.staticfiles import finders
from django.template.loader import render_to_string
from django.utils.text import slugify
from django.utils.translation import gettext as _
from pypdf import PdfReader, PdfWriter
from pypdf.generic import ArrayObject, DictionaryObject, NameObject, StreamObject
from weasyprint import HTML
from weasyprint.text.fonts import FontConfiguration
from weasyprint.urls import URLFetcher, URLFetcherResponse

# Documents refer to their stylesheet under this made-up origin; only it is ever served.
STATIC_BASE = "https://pac.invalid/static/"
# A large drawing (the timeline) goes in as an image of the document, not inline: WeasyPrint
# then neither parses its thousand nodes with the page nor matches them against every CSS rule,
# which halves the time of a planning page.
IMAGES_BASE = "https://pac.invalid/images/"


class StaticOnlyFetcher(URLFetcher):
    """Serve PAC's static files and the document's own drawings (`images`, by name) to
    WeasyPrint, and refuse everything else."""

    def __init__(self, images=None, **kwargs):
        super().__init__(**kwargs)
        self.images = images or {}

    def fetch(self, url, headers=None):
        if url.startswith(IMAGES_BASE) and url[len(IMAGES_BASE) :] in self.images:
            body = self.images[url[len(IMAGES_BASE) :]]
            return URLFetcherResponse(url, body, {"Content-Type": "image/svg+xml"})
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


def weasyprint(html, images=None):
    """Lay out one HTML document and write it: the PDF bytes, and the page (from 0) on which
    each element with an id starts. The only call to WeasyPrint (tests count them)."""
    document = HTML(
        string=html, base_url=STATIC_BASE, url_fetcher=StaticOnlyFetcher(images)
    ).render(font_config=font_config())
    anchors = {}
    for number, page in enumerate(document.pages):
        for anchor in page.anchors:
            anchors.setdefault(anchor, number)
    return document.write_pdf(), anchors


@dataclass
class Section:
    """A section of a document: its id, its heading (also its line in the contents and its
    bookmark; none for the cover and for the sequel of a long section) and its template.
    `page` starts it on a new page, `landscape` puts it on landscape pages."""

    key: str
    title: str
    template: str
    page: bool = False
    landscape: bool = False


@dataclass
class Part:
    """Sections laid out together, so that they flow from one to the next; `context` is added
    to the document's for them (a slice of the action sheets)."""

    sections: list
    context: dict = field(default_factory=dict)


@dataclass
class Document:
    """What a document prints: its name (the header's left), its title (the PDF's), its file
    name, its parts, and the context they share. With a `cover`, the document opens on it, and
    on the contents when `contents` is set."""

    name: str
    title: str
    file_name: str
    parts: list
    context: dict
    cover: Section | None = None
    contents: bool = False
    # Drawings shown as images (IMAGES_BASE + name): name → SVG bytes.
    images: dict = field(default_factory=dict)


@dataclass
class Printed:
    pdf: bytes
    pages: int
    # (first section of the part, seconds, pages) for each part, the cover first.
    timings: list


def part_html(document, part, extra=None):
    context = document.context | part.context | (extra or {}) | {"document": document, "part": part}
    return render_to_string("pdf/part.html", context)


def render_part(document, part, extra=None):
    pdf, anchors = weasyprint(part_html(document, part, extra), document.images)
    return PdfReader(io.BytesIO(pdf)), anchors


def render(document):
    """Lay out each part on its own, then the cover with the contents, and join them, with the
    page numbers and a bookmark for each section."""
    printed, timings = [], []
    for part in document.parts:
        started = time.perf_counter()
        reader, anchors = render_part(document, part)
        printed.append((part, reader, anchors))
        timings.append((part.sections[0].key, time.perf_counter() - started, len(reader.pages)))
    writer = PdfWriter()
    page = 0
    if document.cover:
        started = time.perf_counter()
        cover = front(document, printed)
        timings.insert(0, ("cover", time.perf_counter() - started, len(cover.pages)))
        writer.append(cover, import_outline=False)
        page = len(cover.pages)
    for part, reader, anchors in printed:
        writer.append(reader, import_outline=False)
        for section in part.sections:
            if section.title and section.key in anchors:
                writer.add_outline_item(
                    title=str(section.title), page_number=page + anchors[section.key]
                )
        page += len(reader.pages)
    number_pages(writer, first=1 if document.cover else 0)
    writer.add_metadata(
        {
            "/Title": str(document.title),
            "/Author": str(document.context.get("author", "")),
            "/Creator": "PAC",
        }
    )
    output = io.BytesIO()
    writer.write(output)
    return Printed(output.getvalue(), len(writer.pages), timings)


def contents_of(printed, first):
    """(title, page) of each titled section, the parts starting on page `first` (from 1)."""
    contents, page = [], first
    for part, reader, anchors in printed:
        for section in part.sections:
            if section.title and section.key in anchors:
                contents.append((section.title, page + anchors[section.key]))
        page += len(reader.pages)
    return contents


def front(document, printed):
    """The cover and the contents, which say where each section starts: their own length is
    guessed first (a cover page, a contents page), then checked and redone if it was wrong."""
    guess = 2 if document.contents else 1
    cover = Part([document.cover])
    for _attempt in range(3):
        reader, _anchors = render_part(
            document, cover, {"contents": contents_of(printed, guess + 1)}
        )
        if len(reader.pages) == guess:
            break
        guess = len(reader.pages)
    return reader


# The page numbers are written in Helvetica, which every PDF reader has (no font to embed), in
# the grey and size of the footer. Its widths (per 1000 of the size) right-align the text.
HELVETICA_WIDTHS = {" ": 278, "/": 278, "P": 667, "a": 556, "g": 556, "e": 556}
FOOTER_SIZE = 8
FOOTER_GREY = "0.424 0.459 0.490"  # #6c757d
MM = 72 / 25.4


def text_width(text):
    return sum(HELVETICA_WIDTHS.get(char, 556) for char in text) * FOOTER_SIZE / 1000


def pdf_string(text):
    """Text as a PDF literal string in WinAnsi (Latin-1 for what a page number needs)."""
    raw = text.encode("cp1252", errors="replace")
    return b"(" + raw.replace(b"\\", b"\\\\").replace(b"(", b"\\(").replace(b")", b"\\)") + b")"


def number_pages(writer, first):
    """Write "Page n / total" at the bottom right of each page from index `first` on, inside
    the bottom margin, right-aligned on the text: 16 mm from the right edge on portrait pages,
    14 mm on landscape ones (pdf.css)."""
    total = len(writer.pages)
    font = writer._add_object(
        DictionaryObject(
            {
                NameObject("/Type"): NameObject("/Font"),
                NameObject("/Subtype"): NameObject("/Type1"),
                NameObject("/BaseFont"): NameObject("/Helvetica"),
                NameObject("/Encoding"): NameObject("/WinAnsiEncoding"),
            }
        )
    )
    before = writer._add_object(stream(b"q\n"))
    label = _("Page")
    for index in range(first, total):
        page = writer.pages[index]
        width = float(page.mediabox.width)
        landscape = width > float(page.mediabox.height)
        text = f"{label} {index + 1} / {total}"
        x = width - (14 if landscape else 16) * MM - text_width(text)
        y = 8.6 * MM  # on the footer's line (pdf.css: @bottom-left)
        resources = page.setdefault(NameObject("/Resources"), DictionaryObject()).get_object()
        fonts = resources.setdefault(NameObject("/Font"), DictionaryObject()).get_object()
        fonts[NameObject("/PACPageNumber")] = font
        after = stream(
            b"Q\nq BT /PACPageNumber %d Tf %s rg %.2f %.2f Td %s Tj ET Q\n"
            % (FOOTER_SIZE, FOOTER_GREY.encode(), x, y, pdf_string(text))
        )
        contents = page.get("/Contents")
        existing = contents.get_object() if contents is not None else []
        streams = list(existing) if isinstance(existing, ArrayObject) else [contents]
        page[NameObject("/Contents")] = ArrayObject(
            [before, *[s for s in streams if s is not None], writer._add_object(after)]
        )


def stream(data):
    result = StreamObject()
    result.set_data(data)
    return result


def filename(*parts):
    """PAC-<team>-<period>-<title>.pdf, with only safe characters."""
    words = [slugify(str(part)) for part in parts if part]
    return re.sub(r"-+", "-", "-".join(["PAC", *words])).strip("-")[:150] + ".pdf"
