"""HTML to PDF with WeasyPrint, offline: only files of the project, its static files and data: URLs.

Templates link static files with {% static %}; the fetcher maps those URLs to the files the
staticfiles finders know (development) or to the collected files of the static storage (production,
where the names carry a hash), so nothing is ever fetched over the network.

WeasyPrint renders on when a stylesheet or an image cannot be fetched, and Pango silently takes
another font when the one asked for is not installed: the PDF then looks wrong (no page footers,
a serif font) while the job says done. `html_to_pdf` checks both and raises `MissingResource`
instead, naming the file or the font (and the Debian package that brings it).
"""

import logging
import mimetypes
from pathlib import Path
from urllib.parse import unquote, urlsplit

from django.conf import settings
from django.contrib.staticfiles import finders
from django.contrib.staticfiles.storage import staticfiles_storage
from django.template.loader import render_to_string
from django.utils import translation
from weasyprint import HTML
from weasyprint.formatting_structure.boxes import TextBox
from weasyprint.urls import URLFetcher, URLFetcherResponse

from .errors import ReportError

# WeasyPrint narrates every step at INFO; the reports only need its warnings.
logging.getLogger("weasyprint").setLevel(logging.WARNING)
logging.getLogger("fontTools").setLevel(logging.WARNING)

# The Debian packages of the fonts the report stylesheet names (README: Reports).
FONT_PACKAGES = {
    "Noto Sans": "fonts-noto-core",
    "Noto Nastaliq Urdu": "fonts-noto-core",
    "DejaVu Sans": "fonts-dejavu-core",
}
# CSS generic families: fontconfig always answers them with some installed font.
GENERIC_FAMILIES = {"serif", "sans-serif", "monospace", "cursive", "fantasy", "system-ui", "math", "emoji"}


class MissingResource(ReportError):
    """A static file or a font the report needs is not there; trying again will not bring it."""


class OfflineFetcher(URLFetcher):
    """Serves file: URLs inside the project (static URLs via the finders or the static storage) and
    data: URLs; refuses the rest. Every refusal is kept in `failures`, because WeasyPrint only logs it."""

    def __init__(self, **kwargs):
        super().__init__(allowed_protocols={"file", "data"}, **kwargs)
        self.roots = [Path(settings.BASE_DIR).resolve()]
        self.failures: list[str] = []

    def fetch(self, url, headers=None):
        try:
            return self._fetch(url, headers)
        except Exception as exc:
            self.failures.append(str(exc) or f"{exc.__class__.__name__}: {url[:200]}")
            raise

    def _fetch(self, url, headers):
        if url.startswith("file:"):
            path = unquote(urlsplit(url).path)
            static_prefix = "/" + settings.STATIC_URL.lstrip("/")
            if path.startswith(static_prefix):
                return self._static(url, path[len(static_prefix) :], headers)
            resolved = Path(path).resolve()
            if not any(resolved.is_relative_to(root) for root in self.roots):
                raise ValueError(f"refusing a file outside the project: {path}")
        return super().fetch(url, headers)

    def _static(self, url, name, headers):
        found = finders.find(name)
        if found:
            return super().fetch(Path(found).resolve().as_uri(), headers)
        # Production: {% static %} gave the hashed name, which only the collected files have.
        if staticfiles_storage.exists(name):
            with staticfiles_storage.open(name) as handle:
                body = handle.read()
            content_type = mimetypes.guess_type(name)[0] or "application/octet-stream"
            # Answered under the static URL, so that what a stylesheet links resolves here again.
            return URLFetcherResponse(url, body, headers={"Content-Type": content_type})
        raise ValueError(
            f"static file {name} not found (neither in the project nor in STATIC_ROOT; "
            "in production run `python manage.py collectstatic` where the workers run)"
        )


def families_asked(document) -> set[str]:
    """The first font family of every piece of text laid out: the font the stylesheet wants for it."""
    asked = set()
    for page in document.pages:
        # WeasyPrint has no public walk over a laid-out page; the page box is where its PDF writer looks too.
        for box in page._page_box.descendants():
            if isinstance(box, TextBox) and box.style["font_family"]:
                asked.add(box.style["font_family"][0])
    return {family for family in asked if family.casefold() not in GENERIC_FAMILIES}


def missing_fonts(document, required: tuple[str, ...] = ()) -> list[str]:
    """Readable lines for the fonts asked for (or `required`) but not used, once the document is written
    (WeasyPrint collects the fonts it embeds while writing)."""
    used = {font.family.casefold(): font.family for font in document.fonts.values()}
    problems = []
    for family in sorted(families_asked(document) | set(required)):
        if family.casefold() in used:
            continue
        package = FONT_PACKAGES.get(family)
        where = f" (Debian: apt-get install {package})" if package else ""
        instead = ", ".join(sorted(f'"{name}"' for name in used.values())) or "another font"
        problems.append(f'the font "{family}" is not installed{where}; the text would come out in {instead}')
    return problems


def fonts_of_the_language() -> tuple[str, ...]:
    """Fonts a report in the current language cannot do without. Urdu's Noto Nastaliq Urdu comes after Noto
    Sans in the stylesheet (report-rtl.css), so the first-family check alone would not miss it."""
    return ("Noto Nastaliq Urdu",) if translation.get_language() == "ur" else ()


def html_to_pdf(html: str) -> bytes:
    """The PDF of this HTML, or MissingResource when a file or a font it asks for is not there."""
    fetcher = OfflineFetcher()
    document = HTML(string=html, base_url=base_url(), url_fetcher=fetcher).render()
    content = document.write_pdf()
    problems = [*dict.fromkeys(fetcher.failures), *missing_fonts(document, fonts_of_the_language())]
    if problems:
        raise MissingResource("; ".join(problems))
    return content


def base_url() -> str:
    return Path(settings.BASE_DIR).resolve().as_uri() + "/"


def render_pdf(template: str, context: dict) -> bytes:
    return html_to_pdf(render_to_string(template, context))
