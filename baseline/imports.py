"""Bulk entry of raw monthly inputs: read a CSV or XLSX upload, or pasted text, into rows; check each row.

The content decides the format, not the file name: an XLSX must be a real workbook (a zip that
openpyxl opens), a CSV must be UTF-8 text without NUL bytes. Size and row counts are capped.
Nothing here saves: services.save_rows does, after the person confirms the preview.
"""

import csv
import datetime
import io
import zipfile
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from . import rules

MAX_BYTES = 1024 * 1024  # 1 MB is plenty for a few months of inputs
MAX_ROWS = 60
MONTH_COLUMN = "month"


@dataclass
class PreviewRow:
    line: int
    month: datetime.date | None
    values: dict
    errors: list = field(default_factory=list)
    warnings: list = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors


def parse_month(raw) -> datetime.date:
    if isinstance(raw, datetime.datetime):
        return raw.date().replace(day=1)
    if isinstance(raw, datetime.date):
        return raw.replace(day=1)
    text = str(raw or "").strip()
    for fmt in ("%Y-%m", "%Y-%m-%d", "%m/%Y", "%b %Y", "%B %Y"):
        try:
            return datetime.datetime.strptime(text, fmt).date().replace(day=1)
        except ValueError:
            continue
    raise ValueError(_("“%(value)s” is not a month; write it as YYYY-MM, e.g. 2019-03.") % {"value": text[:20]})


def _rows_from_text(text: str) -> list[list]:
    text = text.strip("\ufeff")
    if "\x00" in text:
        raise ValidationError(_("This is not a text (CSV) file."))
    sample = text[:2048]
    delimiter = "\t" if "\t" in sample else (";" if sample.count(";") > sample.count(",") else ",")
    return [row for row in csv.reader(io.StringIO(text), delimiter=delimiter) if any(cell.strip() for cell in row)]


def _rows_from_xlsx(data: bytes) -> list[list]:
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, ValueError, OSError) as exc:
        raise ValidationError(_("This file is not a readable XLSX workbook.")) from exc
    try:
        sheet = workbook.worksheets[0]
        rows = []
        for row in sheet.iter_rows(values_only=True, max_row=MAX_ROWS + 2):
            if any(cell not in (None, "") for cell in row):
                rows.append(["" if cell is None else cell for cell in row])
        return rows
    finally:
        workbook.close()


def read_upload(upload) -> list[list]:
    """Rows (lists of cells) from an uploaded file, whatever its name says."""
    if upload.size > MAX_BYTES:
        raise ValidationError(_("The file is larger than 1 MB."))
    data = upload.read(MAX_BYTES + 1)
    if len(data) > MAX_BYTES:
        raise ValidationError(_("The file is larger than 1 MB."))
    name = (upload.name or "").lower()
    if data[:4] == b"PK\x03\x04":
        return _rows_from_xlsx(data)
    if name.endswith((".xlsx", ".xlsm")):
        raise ValidationError(_("This file is named .xlsx but is not an XLSX workbook."))
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ValidationError(_("This file is neither an XLSX workbook nor UTF-8 CSV text.")) from None
    return _rows_from_text(text)


def read_text(text: str) -> list[list]:
    if len(text.encode()) > MAX_BYTES:
        raise ValidationError(_("The pasted text is larger than 1 MB."))
    return _rows_from_text(text)


def table(rows: list[list]) -> tuple[list[str], list[list]]:
    """(headers, data rows) with headers checked: a month column and known input codes."""
    if not rows:
        raise ValidationError(_("There is nothing to import."))
    headers = [str(cell).strip().lower() for cell in rows[0]]
    if MONTH_COLUMN not in headers:
        raise ValidationError(_("The first row must name the columns, starting with “month”."))
    unknown = [h for h in headers if h and h != MONTH_COLUMN and h not in rules.INPUTS]
    if unknown:
        raise ValidationError(
            _("Unknown columns: %(columns)s. Download the template for the column names.")
            % {"columns": ", ".join(unknown[:10])}
        )
    if len({h for h in headers if h}) != len([h for h in headers if h]):
        raise ValidationError(_("A column appears twice."))
    data = rows[1:]
    if len(data) > MAX_ROWS:
        raise ValidationError(_("At most %(n)s rows can be imported at once.") % {"n": MAX_ROWS})
    return headers, data


def parse_rows(headers: list[str], data: list[list]) -> list[PreviewRow]:
    """Each data row read into a month and values, with its reading errors."""
    parsed = []
    for offset, row in enumerate(data, start=2):
        cells = dict(zip(headers, list(row) + [""] * (len(headers) - len(row)), strict=False))
        preview = PreviewRow(line=offset, month=None, values={})
        try:
            preview.month = parse_month(cells.get(MONTH_COLUMN))
        except ValueError as exc:
            preview.errors.append(str(exc))
        for code, cell in cells.items():
            if not code or code == MONTH_COLUMN:
                continue
            try:
                value = rules.parse_value(cell)
            except ValueError as exc:
                preview.errors.append(f"{rules.INPUTS[code].label}: {exc}")
                continue
            if value is not None:
                preview.values[code] = value
        parsed.append(preview)
    months = [p.month for p in parsed if p.month]
    for preview in parsed:
        if preview.month and months.count(preview.month) > 1:
            preview.errors.append(_("This month appears in more than one row."))
    return parsed


def serialise(rows: list[PreviewRow]) -> list[dict]:
    """For the session between preview and confirmation."""
    return [
        {
            "month": row.month.isoformat(),
            "values": {code: "NT" if value is rules.NOT_TRACKED else str(value) for code, value in row.values.items()},
        }
        for row in rows
    ]


def deserialise(stored: list[dict]) -> list[tuple[datetime.date, dict]]:
    return [
        (
            datetime.date.fromisoformat(item["month"]),
            {code: rules.parse_value(value) for code, value in item["values"].items()},
        )
        for item in stored
    ]


def template_csv(round_) -> str:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow([MONTH_COLUMN, *rules.ENTRY_CODES])
    for month in round_.month_list():
        writer.writerow([month.strftime("%Y-%m")] + [""] * len(rules.ENTRY_CODES))
    return out.getvalue()
