import io

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
