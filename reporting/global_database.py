"""The export for the global SCORE database (key step 10 of the call): one record per enterprise ×
measurement round × indicator (× sex), in a documented, versioned schema, as JSON Lines or CSV.

Only enterprises whose recorded consent (enterprises.DataSharingConsent) says so appear. They are
named by a stable pseudonym (`SCORE-…`, kept on the consent, the same in every export for ever);
the legal name is filled in only when the consent allows it. Nothing else that names a person or
the enterprise leaves: no EOI reference, no city, no exact workforce (a band instead).

The schema is SCHEMA_VERSION; a field is never renamed or given another meaning within a version
(README, "Global SCORE database export"). The same records are served by the read API.
"""

import csv
import io
import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from baseline.models import Result
from enterprises.screening.exports import safe_cell

SCHEMA_VERSION = "1"


@dataclass(frozen=True)
class Field:
    name: str
    type: str  # JSON Schema type(s), e.g. "string" or ["string", "null"]
    description: str
    enum: tuple = ()
    format: str = ""


WORKFORCE_BANDS = ("under 300", "300-499", "500-999", "1000-2499", "2500 and more")

FIELDS: tuple[Field, ...] = (
    Field("schema_version", "string", "Version of this schema; always " + SCHEMA_VERSION, enum=(SCHEMA_VERSION,)),
    Field("enterprise_id", "string", "Stable pseudonymous id of the enterprise (SCORE- and 12 hex digits)"),
    Field("enterprise_name", ["string", "null"], "Legal name, only when the enterprise's consent allows it"),
    Field("country", "string", "ISO 3166-1 alpha-2 code of the call's country"),
    Field("programme_year", "integer", "Year the call for expression of interest opened"),
    Field(
        "sub_sector",
        "string",
        "Textile sub-sector code",
        enum=("rmg_woven", "rmg_knitwear", "dyeing_woven", "dyeing_knitwear", "other"),
    ),
    Field("workforce_band", "string", "Total workforce when the enterprise applied, as a band", enum=WORKFORCE_BANDS),
    Field(
        "round_kind",
        "string",
        "Measurement round",
        enum=("basic_baseline", "comprehensive_baseline", "follow_up", "impact"),
    ),
    Field("round_number", "integer", "Number of a follow-up round (1 for the others)"),
    Field("round_held_on", "string", "Date of the round (ISO 8601)", format="date"),
    Field("round_first_month", "string", "First month of data in the round (ISO 8601, first day)", format="date"),
    Field("round_months", "integer", "Months of data in the round"),
    Field("indicator_code", "string", "Stable code of the indicator"),
    Field("indicator_kind", "string", "Practice (1 in place, 0 not) or KPI", enum=("practice", "kpi")),
    Field("indicator_name", "string", "Name of the indicator in the version used"),
    Field("formula", "string", "Formula code of a KPI; empty for a practice"),
    Field("formula_version", "integer", "Version of the indicator (and its formula) the value was computed with"),
    Field("unit", "string", "Unit of the value"),
    Field("direction", "string", "Which way is better", enum=("higher", "lower", "neutral")),
    Field("sex", "string", "Whom the value counts", enum=("all", "women", "men")),
    Field("value", "number", "The value, in the unit"),
)
FIELD_NAMES = [f.name for f in FIELDS]


def json_schema() -> dict:
    """The schema of one record, as JSON Schema (draft 2020-12)."""
    properties = {}
    for f in FIELDS:
        prop = {"type": f.type, "description": f.description}
        if f.enum:
            prop["enum"] = list(f.enum)
        if f.format:
            prop["format"] = f.format
        properties[f.name] = prop
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": f"score-global-database-record-v{SCHEMA_VERSION}",
        "title": f"SCORE global database record, schema version {SCHEMA_VERSION}",
        "type": "object",
        "properties": properties,
        "required": FIELD_NAMES,
        "additionalProperties": False,
    }


def workforce_band(total: int) -> str:
    for upper, band in ((300, WORKFORCE_BANDS[0]), (500, WORKFORCE_BANDS[1]), (1000, WORKFORCE_BANDS[2])):
        if total < upper:
            return band
    return WORKFORCE_BANDS[3] if total < 2500 else WORKFORCE_BANDS[4]


def consenting_results():
    """The results of the enterprises that consented, with everything a record needs: one query."""
    return (
        Result.objects.filter(round__enterprise__sharing_consent__global_database=True)
        .select_related("round__enterprise__call", "round__enterprise__sharing_consent", "indicator", "version")
        .order_by(
            "round__enterprise__sharing_consent__pseudonym", "round__held_on", "round_id", "indicator__code", "sex"
        )
    )


def record(result: Result) -> dict:
    enterprise = result.round.enterprise
    consent = enterprise.sharing_consent
    version = result.version
    return {
        "schema_version": SCHEMA_VERSION,
        "enterprise_id": consent.pseudonym,
        "enterprise_name": enterprise.legal_name if consent.global_database_named else None,
        "country": enterprise.call.country,
        "programme_year": enterprise.call.opens_on.year,
        "sub_sector": enterprise.sub_sector,
        "workforce_band": workforce_band(enterprise.workforce_total),
        "round_kind": result.round.kind,
        "round_number": result.round.number,
        "round_held_on": result.round.held_on.isoformat(),
        "round_first_month": result.round.first_month.isoformat(),
        "round_months": result.round.months,
        "indicator_code": result.indicator.code,
        "indicator_kind": result.indicator.kind,
        "indicator_name": version.name,
        "formula": version.formula,
        "formula_version": version.number,
        "unit": version.unit,
        "direction": version.direction,
        "sex": result.sex,
        "value": float(result.value),
    }


def records(results=None) -> Iterator[dict]:
    results = consenting_results() if results is None else results
    for result in results.iterator(chunk_size=2000):
        yield record(result)


def jsonl_lines(rows: Iterable[dict]) -> Iterator[str]:
    for row in rows:
        yield json.dumps(row, ensure_ascii=False, sort_keys=False) + "\n"


def csv_text(rows: Iterable[dict]) -> str:
    """CSV with a header row of the field names; an empty name is an empty cell, and text a spreadsheet
    would run as a formula starts with a quote."""
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=FIELD_NAMES, lineterminator="\n")
    writer.writeheader()
    for row in rows:
        writer.writerow({k: ("" if v is None else safe_cell(v)) for k, v in row.items()})
    return out.getvalue()


def export_bytes(file_format: str) -> bytes:
    if file_format == "jsonl":
        return "".join(jsonl_lines(records())).encode()
    if file_format == "csv":
        return csv_text(records()).encode()
    raise ValueError(f"unknown format {file_format!r}")
