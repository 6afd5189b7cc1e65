import io
import time

import pypdf
import tablib


def pdf_text(content: bytes) -> str:
    reader = pypdf.PdfReader(io.BytesIO(content))
    return "\n".join(page.extract_text() for page in reader.pages)


def pdf_pages(content: bytes) -> int:
    return len(pypdf.PdfReader(io.BytesIO(content)).pages)


def flat(text: str) -> str:
    """The text with every run of white space as one space (table cells wrap in the PDF)."""
    return " ".join(text.split())


def workbook(content: bytes) -> tablib.Databook:
    book = tablib.Databook()
    book.load(content, "xlsx")
    return book


def pdf_fonts(content: bytes) -> set[str]:
    """The fonts the PDF uses, without the subset tag (ABCDEF+Noto-Sans-Bold gives Noto-Sans-Bold)."""
    names = set()

    def walk(resources):
        resources = resources.get_object() if resources is not None else {}
        for font in (resources.get("/Font") or {}).values():
            names.add(str(font.get_object()["/BaseFont"]).lstrip("/").split("+", 1)[-1])
        for xobject in (resources.get("/XObject") or {}).values():
            walk(xobject.get_object().get("/Resources"))

    for page in pypdf.PdfReader(io.BytesIO(content)).pages:
        walk(page.get("/Resources"))
    return names


def page_texts(content: bytes) -> list[str]:
    return [flat(page.extract_text()) for page in pypdf.PdfReader(io.BytesIO(content)).pages]


# The body of an A4 page between the running header and footer (report.css: 22 mm top, 20 mm bottom).
MM = 72 / 25.4


def page_fill(content: bytes) -> list[float]:
    """How far down each page its text reaches, as a share of the page's body (0 to 1), measured from
    the positions of its words (poppler's `pdftotext -bbox`); the running header and footer are left out."""
    import subprocess
    import tempfile
    from html.parser import HTMLParser
    from pathlib import Path

    class Boxes(HTMLParser):
        def __init__(self):
            super().__init__()
            self.pages = []

        def handle_starttag(self, tag, attrs):
            attrs = dict(attrs)
            if tag == "page":
                self.pages.append({"height": float(attrs["height"]), "bottom": None})
            elif tag == "word":
                page = self.pages[-1]
                top, bottom = float(attrs["ymin"]), float(attrs["ymax"])
                if top > 22 * MM - 1 and bottom < page["height"] - 20 * MM + 1:
                    page["bottom"] = max(page["bottom"] or 0, bottom)

    with tempfile.TemporaryDirectory() as folder:
        source = Path(folder, "report.pdf")
        source.write_bytes(content)
        subprocess.run(["pdftotext", "-bbox", str(source), str(Path(folder, "boxes.html"))], check=True)  # noqa: S603, S607
        boxes = Boxes()
        boxes.feed(Path(folder, "boxes.html").read_text())
    fills = []
    for page in boxes.pages:
        body = page["height"] - 42 * MM
        fills.append(0.0 if page["bottom"] is None else (page["bottom"] - 22 * MM) / body)
    return fills


def wait_for_job(job_id: int, timeout: float = 90):
    """The report job once a worker has finished it (done or failed), read afresh from the database."""
    from reporting.models import JobStatus, ReportJob

    deadline = time.monotonic() + timeout
    while True:
        job = ReportJob.objects.get(pk=job_id)
        if job.status in (JobStatus.DONE, JobStatus.FAILED):
            return job
        if time.monotonic() > deadline:
            raise AssertionError(f"report job {job_id} still {job.status} after {timeout} s: is the worker running?")
        time.sleep(0.5)
