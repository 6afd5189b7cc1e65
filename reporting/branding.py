"""The programme's logo on the PDF reports: the REPORTS_LOGO file, else the portal's neutral wordmark.

Embedded as a data: URL, so a logo kept outside the project (the deployment's own file) needs no
change to the offline fetcher of pdf.py, which serves only the project's files.
"""

import base64
import logging
import mimetypes
from pathlib import Path

from django.conf import settings

logger = logging.getLogger(__name__)

DEFAULT_LOGO = Path(__file__).resolve().parent / "static" / "reporting" / "score-logo.svg"
TYPES = {".svg": "image/svg+xml", ".png": "image/png", ".jpg": "image/jpeg", ".jpeg": "image/jpeg"}
MAX_BYTES = 512 * 1024


def logo_path() -> Path:
    configured = getattr(settings, "REPORTS_LOGO", "")
    if configured:
        path = Path(configured)
        if path.suffix.lower() in TYPES and path.is_file() and path.stat().st_size <= MAX_BYTES:
            return path
        logger.warning("REPORTS_LOGO %s is not an SVG, PNG or JPEG file under 512 KB; using the default", configured)
    return DEFAULT_LOGO


def logo_data_uri() -> str:
    path = logo_path()
    mime = TYPES.get(path.suffix.lower()) or mimetypes.guess_type(path.name)[0] or "application/octet-stream"
    return f"data:{mime};base64,{base64.b64encode(path.read_bytes()).decode('ascii')}"
