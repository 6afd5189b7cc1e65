"""Raw data for evaluators and donors: long-format tables (one observation a row) of indicator values,
visits and their actions, participants and their attendance, screening results, and the
programme's indicator results by group, as CSV or XLSX, filtered by call, batch and sub-sector.

Who gets what follows the pages:
- Rows about one enterprise are confidential: an officer gets every enterprise's, a consultant only
  those of the enterprises assigned to them (enterprises/access.py); enterprise contacts get none.
- Screening results are the officers' (the screening pages are theirs).
- The indicator results by group are aggregates: they come from baseline's programme_results, so a
  group hidden on the results page for its size (rules.hidden_cells) is hidden here too.

Each table is read with a fixed number of queries, streamed row by row.
"""

import csv
import io
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass

from django.db.models import F, Q
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from baseline import formatting
from baseline import selectors as baseline_selectors
from baseline.models import Change, Kind, Result
from enterprises.access import visible_enterprises
from enterprises.models import CriterionResult, Enterprise, SubSector
from enterprises.screening.exports import safe_cell
from score_portal.roles import is_consultant, is_officer
from training.models import Attendance, Participant, VisitAction, VisitStatus

OFFICERS = "officers"
ENTERPRISE_ROWS = "enterprise_rows"  # officers, and consultants for their own enterprises


@dataclass(frozen=True)
class Filters:
    call: object = None
    batch: object = None
    sub_sector: str = ""

    def enterprises(self, prefix: str) -> Q:
        """The filters on the enterprise reached through `prefix` (e.g. "round__enterprise")."""
        q = Q()
        if self.call:
            q &= Q(**{f"{prefix}__call": self.call})
        if self.batch:
            q &= Q(**{f"{prefix}__batch": self.batch})
        if self.sub_sector:
            q &= Q(**{f"{prefix}__sub_sector": self.sub_sector})
        return q

    def slug(self) -> str:
        parts = []
        if self.call:
            parts.append(f"call-{self.call.pk}")
        if self.batch:
            parts.append(f"batch-{self.batch.pk}")
        if self.sub_sector:
            parts.append(self.sub_sector)
        return "-".join(parts)


def _date(value) -> str:
    return value.isoformat() if value else ""


def _number(value):
    return None if value is None else float(value)


def _sub_sector(code: str) -> str:
    return str(SubSector(code).label) if code in SubSector.values else code


def _scoped(user, queryset, prefix: str):
    """Rows of the enterprises the user may see (officers: all; consultants: their own)."""
    return queryset.filter(**{f"{prefix}__in": visible_enterprises(user).values("pk")})


# ---------------------------------------------------------------- the tables
def indicator_values(user, filters: Filters) -> tuple[list, Iterator]:
    headers = [
        _("Call"),
        _("Level 1 batch"),
        _("Sub-sector"),
        _("Enterprise"),
        _("EOI reference"),
        _("Round"),
        _("Round number"),
        _("Round held on"),
        _("First month of data"),
        _("Months of data"),
        _("Indicator code"),
        _("Indicator"),
        _("Kind"),
        _("Sex"),
        _("Value"),
        _("Unit"),
        _("Formula"),
        _("Formula version"),
        _("Computed at"),
    ]
    results = _scoped(user, Result.objects.filter(filters.enterprises("round__enterprise")), "round__enterprise")
    results = results.select_related(
        "round__enterprise__call",
        "round__enterprise__batch",
        "round__enterprise__expression_of_interest",
        "indicator",
        "version",
    ).order_by(
        "round__enterprise__legal_name", "round__enterprise_id", "round__held_on", "round_id", "indicator_id", "sex"
    )

    def rows():
        for r in results.iterator(chunk_size=2000):
            enterprise = r.round.enterprise
            yield [
                enterprise.call.title,
                enterprise.batch.name if enterprise.batch_id else "",
                _sub_sector(enterprise.sub_sector),
                enterprise.legal_name,
                enterprise.expression_of_interest.reference,
                r.round.get_kind_display(),
                r.round.number,
                _date(r.round.held_on),
                _date(r.round.first_month),
                r.round.months,
                r.indicator.code,
                r.version.name,
                r.indicator.get_kind_display(),
                r.get_sex_display(),
                _number(r.value),
                r.version.unit,
                r.version.formula,
                r.version.number,
                r.computed_at.isoformat(timespec="seconds"),
            ]

    return headers, rows()


def visits_and_actions(user, filters: Filters) -> tuple[list, Iterator]:
    """One row per agreed action of a submitted visit (drafts are not data yet)."""
    headers = [
        _("Call"),
        _("Level 1 batch"),
        _("Sub-sector"),
        _("Enterprise"),
        _("Visit"),
        _("Visit date"),
        _("Purpose"),
        _("Module"),
        _("Consultant"),
        _("Action"),
        _("Owner"),
        _("Due on"),
        _("Action status"),
    ]
    actions = VisitAction.objects.filter(visit__status=VisitStatus.SUBMITTED).filter(
        filters.enterprises("visit__enterprise")
    )
    actions = _scoped(user, actions, "visit__enterprise").select_related(
        "visit__enterprise__call", "visit__enterprise__batch", "visit__module", "visit__consultant"
    )
    actions = actions.order_by("visit__enterprise__legal_name", "visit__date", "visit_id", "due_on", "pk")

    def rows():
        for a in actions.iterator(chunk_size=2000):
            visit, enterprise = a.visit, a.visit.enterprise
            yield [
                enterprise.call.title,
                enterprise.batch.name if enterprise.batch_id else "",
                _sub_sector(enterprise.sub_sector),
                enterprise.legal_name,
                visit.pk,
                _date(visit.date),
                visit.get_purpose_display(),
                visit.module.title if visit.module_id else "",
                visit.consultant.get_full_name() or visit.consultant.get_username(),
                a.what,
                a.owner,
                _date(a.due_on),
                a.get_status_display(),
            ]

    return headers, rows()


def participants_and_attendance(user, filters: Filters) -> tuple[list, Iterator]:
    """One row per participant and session (present or absent); participants without a register yet
    once, with no session. A participant is a number, not a name: the evaluators need no names."""
    headers = [
        _("Call"),
        _("Level 1 batch"),
        _("Sub-sector"),
        _("Enterprise"),
        _("Participant"),
        _("Role"),
        _("Sex"),
        _("Module"),
        _("Course or group"),
        _("Session day"),
        _("Session date"),
        _("Present"),
    ]
    marks = Attendance.objects.filter(filters.enterprises("participant__enterprise"))
    marks = _scoped(user, marks, "participant__enterprise").select_related(
        "participant__enterprise__call",
        "participant__enterprise__batch",
        "participant__workshop__module",
        "participant__workshop__course__batch",
        "participant__workshop__group",
        "session",
    )
    marks = marks.order_by("participant__enterprise__legal_name", "participant_id", "session__date", "pk")
    unmarked = Participant.objects.filter(filters.enterprises("enterprise"), attendance__isnull=True)
    unmarked = _scoped(user, unmarked, "enterprise").select_related(
        "enterprise__call", "enterprise__batch", "workshop__module", "workshop__course__batch", "workshop__group"
    )
    unmarked = unmarked.order_by("enterprise__legal_name", "pk")

    def person(p):
        enterprise, workshop = p.enterprise, p.workshop
        owner = workshop.course.batch.name if workshop.course_id else workshop.group.name
        return [
            enterprise.call.title,
            enterprise.batch.name if enterprise.batch_id else "",
            _sub_sector(enterprise.sub_sector),
            enterprise.legal_name,
            p.pk,
            p.get_level_display(),
            p.get_sex_display(),
            str(workshop.module),
            owner,
        ]

    def rows():
        for mark in marks.iterator(chunk_size=2000):
            yield [
                *person(mark.participant),
                mark.session.day,
                _date(mark.session.date),
                _("yes") if mark.present else _("no"),
            ]
        for p in unmarked.iterator(chunk_size=2000):
            yield [*person(p), None, "", ""]

    return headers, rows()


def screening_results(user, filters: Filters) -> tuple[list, Iterator]:
    """One row per criterion of each expression of interest's current screening."""
    headers = [
        _("Call"),
        _("EOI reference"),
        _("Legal name"),
        _("Sub-sector"),
        _("Province"),
        _("Total workforce"),
        _("Result"),
        _("Set by an officer"),
        _("Late"),
        _("Screened at"),
        _("Criterion"),
        _("Criterion code"),
        _("Verdict"),
        _("Reason"),
    ]
    q = Q(screening_id=F("screening__expression_of_interest__current_screening_id"))
    if filters.call:
        q &= Q(screening__expression_of_interest__call=filters.call)
    if filters.sub_sector:
        q &= Q(screening__expression_of_interest__sub_sector=filters.sub_sector)
    if filters.batch:
        followed = Enterprise.objects.filter(batch=filters.batch).values("expression_of_interest")
        q &= Q(screening__expression_of_interest__in=followed)
    criteria = (
        CriterionResult.objects.filter(q)
        .select_related("screening__expression_of_interest__call")
        .order_by("screening__expression_of_interest__reference", "position")
    )

    def rows():
        for c in criteria.iterator(chunk_size=2000):
            eoi = c.screening.expression_of_interest
            yield [
                eoi.call.title,
                eoi.reference,
                eoi.legal_name,
                _sub_sector(eoi.sub_sector),
                eoi.get_province_display(),
                eoi.workforce_total,
                eoi.get_result_display(),
                _("yes") if eoi.result_overridden else _("no"),
                _("yes") if eoi.is_late else _("no"),
                c.screening.screened_at.isoformat(timespec="seconds"),
                c.label,
                c.code,
                c.get_verdict_display(),
                c.reason,
            ]

    return headers, rows()


def indicator_results(user, filters: Filters) -> tuple[list, Iterator]:
    """The programme's results per indicator, sex and group, for every breakdown, as on the results
    page: the small groups and those hidden with them have no figures, only the note."""
    headers = [
        _("Breakdown"),
        _("Group"),
        _("Indicator code"),
        _("Indicator"),
        _("Kind"),
        _("Sex"),
        _("Enterprises"),
        _("Improving (%)"),
        _("Already at the best value (%)"),
        _("Median change"),
        _("Unit of the change"),
        _("Median change relative to baseline (%)"),
        _("Note"),
    ]
    changes = Change.objects.filter(indicator__active=True).filter(filters.enterprises("enterprise"))

    def rows():
        for grouping, (_field, label) in baseline_selectors.GROUPINGS.items():
            for a in baseline_selectors.programme_results(grouping, changes=changes):
                hidden = a.suppressed
                kpi = a.indicator.kind == Kind.KPI
                yield [
                    str(label),
                    a.group_label,
                    a.indicator.code,
                    str(a.indicator),
                    a.indicator.get_kind_display(),
                    str(a.sex_label),
                    None if hidden else a.enterprises,
                    _number(a.improving_pct),
                    _number(a.at_best_pct),
                    _number(a.median_change) if kpi else None,
                    formatting.unit_of_change(a.version),
                    _number(a.median_change_pct),
                    _("not shown (confidential)") if hidden else "",
                ]

    return headers, rows()


@dataclass(frozen=True)
class Dataset:
    code: str
    label: object
    description: object
    who: str
    build: Callable


DATASETS = {
    d.code: d
    for d in (
        Dataset(
            "indicator-values",
            gettext_lazy("Indicator values"),
            gettext_lazy("Each KPI and practice of each enterprise in each round, with its unit and formula version."),
            ENTERPRISE_ROWS,
            indicator_values,
        ),
        Dataset(
            "visits-and-actions",
            gettext_lazy("Visits and agreed actions"),
            gettext_lazy("Each action agreed during a submitted consultancy visit."),
            ENTERPRISE_ROWS,
            visits_and_actions,
        ),
        Dataset(
            "participants-and-attendance",
            gettext_lazy("Participants and attendance"),
            gettext_lazy("Each participant (by number, role and sex) at each session, present or absent."),
            ENTERPRISE_ROWS,
            participants_and_attendance,
        ),
        Dataset(
            "screening-results",
            gettext_lazy("Screening results"),
            gettext_lazy("Each criterion of each expression of interest's current screening."),
            OFFICERS,
            screening_results,
        ),
        Dataset(
            "indicator-results",
            gettext_lazy("Indicator results by group"),
            gettext_lazy("% improving and median changes per indicator, overall and by call, batch and sub-sector."),
            OFFICERS,
            indicator_results,
        ),
    )
}


def may_export(user, dataset: Dataset) -> bool:
    if is_officer(user):
        return True
    return dataset.who == ENTERPRISE_ROWS and is_consultant(user)


def datasets_for(user) -> list[Dataset]:
    return [d for d in DATASETS.values() if may_export(user, d)]


# ---------------------------------------------------------------- files
def _cell(value):
    return safe_cell(value) if isinstance(value, str) else value


def csv_lines(headers: list, rows: Iterable) -> Iterator[str]:
    """The table as CSV text, line by line (for a streamed response); UTF-8 with a BOM for Excel."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)

    def flush():
        text = buffer.getvalue()
        buffer.seek(0)
        buffer.truncate()
        return text

    writer.writerow([str(h) for h in headers])
    yield "\ufeff" + flush()
    for row in rows:
        writer.writerow(["" if value is None else _cell(value) for value in row])
        yield flush()


def xlsx_bytes(title: str, headers: list, rows: Iterable) -> bytes:
    from openpyxl import Workbook

    book = Workbook(write_only=True)
    sheet = book.create_sheet(title=title[:31])
    sheet.append([str(h) for h in headers])
    for row in rows:
        sheet.append([_cell(value) for value in row])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
