"""The tables behind the programme report, as an Excel workbook (one sheet per table), with tablib."""

import tablib
from django.utils.translation import gettext as _

from baseline import formatting
from enterprises.screening.exports import safe_cell


def _sheet(title: str, headers: list[str], rows) -> tablib.Dataset:
    data = tablib.Dataset(headers=[str(h) for h in headers], title=title[:31])
    for row in rows:
        data.append([safe_cell(str(v)) if not isinstance(v, int | float | type(None)) else v for v in row])
    return data


def _number(value):
    return None if value is None else float(value)


def _summary_rows(context: dict) -> list:
    reach = context["reach"]
    attendance = context.get("attendance")
    people = attendance["people"] if attendance else {"total": 0, "women": 0, "men": 0}
    kpis = context.get("kpis")
    readings = context["readings"]
    return [
        (_("Enterprises reached (Level 1 or beyond)"), reach["enterprises"], readings["reach"]),
        (_("Workers covered"), reach["workers"], ""),
        (_("Workers covered: women"), reach["women"], ""),
        (_("Workers covered: men"), reach["men"], ""),
        (_("Training participants"), people["total"], readings["participants"]),
        (_("Training participants: women"), people["women"], ""),
        (_("Training participants: men"), people["men"], ""),
        (
            _("Enterprises measured at a baseline and again later"),
            kpis["enterprises"] if kpis else 0,
            readings["improving"],
        ),
        (
            _("Targets achieved or on track"),
            sum(1 for t in context["targets"] if t.verdict.on_track),
            readings["targets"],
        ),
        (_("Targets set"), len(context["targets"]), ""),
    ]


def programme_workbook(context: dict) -> bytes:
    pipeline = context["pipeline"]
    sheets = [
        _sheet(_("Summary"), [_("Figure"), _("Value"), _("Reading")], _summary_rows(context)),
        _sheet(
            _("Targets"),
            [
                _("Call"),
                _("Target"),
                _("What is counted"),
                _("Indicator"),
                _("Target value"),
                _("By"),
                _("Actual"),
                _("Expected by now"),
                _("Status"),
            ],
            [
                (
                    item.target.call.title,
                    item.text,
                    str(item.target.get_metric_display()),
                    str(item.target.indicator) if item.target.indicator_id else "",
                    _number(item.target.value),
                    item.target.deadline.isoformat(),
                    _number(item.actual),
                    _number(item.verdict.expected),
                    str(item.status_label),
                )
                for item in context["targets"]
            ],
        ),
        _sheet(
            _("Funnel"),
            [_("Stage"), _("Enterprises that reached it")],
            [(bar.label, bar.count) for bar in pipeline["funnel"]],
        ),
        _sheet(
            _("Stages now"),
            [_("Stage"), _("Enterprises")],
            [(row["label"], row["count"]) for row in pipeline["stage_rows"]],
        ),
        _sheet(
            _("Screening results"),
            [_("Result"), _("Expressions of interest")],
            [(row["label"], row["count"]) for row in context["results"]],
        ),
        _sheet(
            _("Criteria"),
            [_("Criterion"), _("Met"), _("Conditional"), _("Not met"), _("Screened")],
            [(row.label, row.met, row.conditional, row.not_met, row.total) for row in context["criteria"]],
        ),
        _sheet(
            _("Batches"),
            [_("Batch"), _("Call"), _("Starts on"), _("Capacity"), _("Places taken"), _("Places left")],
            [
                (
                    row["batch"].name,
                    row["batch"].call.title,
                    row["batch"].starts_on.isoformat() if row["batch"].starts_on else "",
                    row["batch"].capacity,
                    row["taken"],
                    row["left"],
                )
                for row in context["batches"]
            ],
        ),
        _sheet(
            _("Level 2 groups"),
            [_("Group"), _("Window starts on"), _("Window ends on"), _("Enterprises")],
            [
                (
                    row["group"].name,
                    row["group"].starts_on.isoformat(),
                    row["group"].ends_on.isoformat(),
                    row["enterprises"],
                )
                for row in context["groups"]
            ],
        ),
        _sheet(
            _("Sub-sectors"),
            [_("Sub-sector"), _("Enterprises"), _("In Level 1 or 2"), _("Left the path"), _("Workforce")],
            [(r["label"], r["n"], r["training"], r["out"], r["workforce"]) for r in context["sub_sectors"]],
        ),
    ]
    attendance = context.get("attendance")
    if attendance:
        sheets.append(
            _sheet(
                _("Participants"),
                [_("Role"), _("Women"), _("Men"), _("Total")],
                [(r["level"], r["women"], r["men"], r["total"]) for r in attendance["people"]["rows"]],
            )
        )
    kpis = context["kpis"]
    if kpis:
        for grouping, aggregates in kpis["groupings"].items():
            sheets.append(
                _sheet(
                    _("Indicators by %(grouping)s") % {"grouping": grouping.replace("_", "-")},
                    [
                        _("Indicator"),
                        _("Group"),
                        _("Sex"),
                        _("Enterprises"),
                        _("Improving (%)"),
                        _("Already at the best value (%)"),
                        _("Median change"),
                        _("Unit of the change"),
                        _("Median change relative to baseline (%)"),
                        _("Note"),
                    ],
                    [
                        (
                            str(a.indicator),
                            a.group_label,
                            str(a.sex_label),
                            # a hidden cell's size would give back what the other columns hide
                            None if a.suppressed else a.enterprises,
                            _number(a.improving_pct),
                            _number(a.at_best_pct),
                            _number(a.median_change) if a.version.formula else None,
                            formatting.unit_of_change(a.version),
                            _number(a.median_change_pct),
                            _("not shown (confidential)") if a.suppressed else "",
                        )
                        for a in aggregates
                    ],
                )
            )
    book = tablib.Databook(sheets)
    return book.export("xlsx")
