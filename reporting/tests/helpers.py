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
