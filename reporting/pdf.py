"""HTML to PDF with WeasyPrint, offline: only files of the project, its static files and data: URLs.

Templates link static files with {% static %}; the fetcher maps those URLs to the files the
staticfiles finders know, so nothing is ever fetched over the network.
"""

import logging
from pathlib import Path
from urllib.parse import unquote, urlsplit

from django.conf import settings
from django.contrib.staticfiles import finders
from django.template.loader import render_to_string
from weasyprint import HTML
from weasyprint.urls import URLFetcher

# WeasyPrint narrates every step at INFO; the reports only need its warnings.
logging.getLogger("weasyprint").setLevel(logging.WARNING)
logging.getLogger("fontTools").setLevel(logging.WARNING)


class OfflineFetcher(URLFetcher):
    """Serves file: URLs inside the project (static URLs via the finders) and data: URLs; refuses the rest."""

    def __init__(self, **kwargs):
        super().__init__(allowed_protocols={"file", "data"}, **kwargs)
        self.roots = [Path(settings.BASE_DIR).resolve()]

    def fetch(self, url, headers=None):
        if url.startswith("file:"):
            path = unquote(urlsplit(url).path)
            static_prefix = "/" + settings.STATIC_URL.lstrip("/")
            if path.startswith(static_prefix):
                found = finders.find(path[len(static_prefix) :])
                if not found:
                    raise ValueError(f"static file not found: {path}")
                url = Path(found).resolve().as_uri()
            else:
                resolved = Path(path).resolve()
                if not any(resolved.is_relative_to(root) for root in self.roots):
                    raise ValueError(f"refusing a file outside the project: {path}")
        return super().fetch(url, headers)


def base_url() -> str:
    return Path(settings.BASE_DIR).resolve().as_uri() + "/"


def html_to_pdf(html: str) -> bytes:
    return HTML(string=html, base_url=base_url(), url_fetcher=OfflineFetcher()).write_pdf()


def render_pdf(template: str, context: dict) -> bytes:
    return html_to_pdf(render_to_string(template, context))
