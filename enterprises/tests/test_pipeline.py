"""The pipeline dashboard and the enterprise list: counts, the funnel, filters, bounded queries."""

import datetime

import pytest
from django.urls import reverse

from enterprises.models import Enterprise, ExpressionOfInterest, Stage, StageTransition
from enterprises.path import funnel
from enterprises.path import rules as path
from enterprises.path import selectors as path_selectors
from enterprises.path import services as path_services
from enterprises.tests.factories import CallFactory
from enterprises.tests.test_path_helpers import batch_for, shortlisted, walk_to

pytestmark = pytest.mark.django_db


def _many(call, batch, count, stage=Stage.SHORTLISTED):
    """Many enterprises cheaply, straight into the tables (the services are tested elsewhere)."""
    template = ExpressionOfInterest.objects.filter(call=call).first()
    made = []
    for i in range(count):
        template.pk = None
        template.sequence = 1000 + i + Enterprise.objects.count()
        template.reference = f"X-{call.pk}-{template.sequence}"
        template.status_token = f"token-{call.pk}-{template.sequence}"
        template.registration_key = f"K{call.pk}-{template.sequence}"
        template.save()
        enterprise = Enterprise.objects.create(
            registration_key=template.registration_key,
            legal_name=f"Mill {template.sequence}",
            city="Lahore",
            sub_sector="rmg_woven",
            workforce_total=500,
            expression_of_interest=template,
            call=call,
            batch=batch,
            stage=stage,
        )
        StageTransition.objects.create(
            enterprise=enterprise, to_stage=stage, call=call, expression_of_interest=template, reason="seed"
        )
        path_services.mark_on_the_path([template.pk])
        made.append(enterprise)
    return made


def test_summary_counts_per_stage_call_and_batch_and_the_funnel(officer):
    first = shortlisted(officer, number="8000-1")
    walk_to(first, Stage.LEVEL1_ACCEPTED, officer)
    second = shortlisted(officer, call=first.call, batch=first.batch, number="8000-2")
    path_services.transition(second, Stage.WITHDRAWN, by=officer, reason="Closed")
    other = shortlisted(officer, number="8000-3")

    summary = path_selectors.pipeline_summary()
    assert summary["per_stage"] == {Stage.LEVEL1_ACCEPTED: 1, Stage.WITHDRAWN: 1, Stage.SHORTLISTED: 1}
    assert summary["total"] == 3
    assert {row.obj: row.total for row in summary["per_call"]} == {first.call: 2, other.call: 1}
    assert {row.obj: row.counts for row in summary["per_batch"]}[first.batch] == {
        Stage.LEVEL1_ACCEPTED: 1,
        Stage.WITHDRAWN: 1,
    }
    assert summary["reached"][Stage.SHORTLISTED] == 3
    assert summary["reached"][Stage.CEO_MEETING_HELD] == 1

    only_first = path_selectors.pipeline_summary(first.call)
    assert only_first["reached"][Stage.SHORTLISTED] == 2 and only_first["total"] == 2


def test_funnel_bars_are_proportional_and_centred():
    bars = funnel.funnel_bars({Stage.EOI_RECEIVED: 10, Stage.SCREENED: 5})
    assert [b.stage for b in bars] == list(path.MAIN_LINE)
    assert bars[0].width == funnel.FUNNEL_BARS and bars[1].width == funnel.FUNNEL_BARS / 2
    assert bars[1].x == funnel.FUNNEL_LABELS + funnel.FUNNEL_BARS / 4
    assert bars[2].count == 0 and bars[2].width == 2.0
    assert funnel.funnel_bars({})[0].width == 2.0


def test_pipeline_page_links_every_number_to_the_list(officer_client, officer):
    enterprise = shortlisted(officer, number="8100-1")
    page = officer_client.get(reverse("enterprises:pipeline")).content.decode()
    assert "<svg" in page and "<script" not in page.split("<svg", 1)[1].split("</svg>")[0]
    assert f"?reached={Stage.SHORTLISTED}" in page
    assert f"?stage={Stage.SHORTLISTED}" in page
    assert f"?call={enterprise.call_id}&amp;stage={Stage.SHORTLISTED}" in page
    assert f"?batch={enterprise.batch_id}&amp;stage={Stage.SHORTLISTED}" in page


def test_list_filters_by_stage_call_batch_and_reached(officer_client, officer):
    a = walk_to(shortlisted(officer, number="8200-1", legal_name="Alpha Mills"), Stage.CEO_MEETING_HELD, officer)
    b = shortlisted(officer, number="8200-2", legal_name="Beta Mills")
    url = reverse("enterprises:enterprise_list")

    def names(**params):
        table = officer_client.get(url, params).context["table"]
        return [row.record.legal_name for row in table.page.object_list]

    assert names() == ["Alpha Mills", "Beta Mills"]
    assert names(stage=Stage.SHORTLISTED) == ["Beta Mills"]
    assert names(reached=Stage.SHORTLISTED) == ["Alpha Mills", "Beta Mills"]
    assert names(reached=Stage.CEO_MEETING_HELD) == ["Alpha Mills"]
    assert names(call=b.call_id) == ["Beta Mills"]
    assert names(batch=a.batch_id) == ["Alpha Mills"]
    assert names(q="beta") == ["Beta Mills"]


def test_the_batch_filter_names_each_batch_with_its_call(officer_client, officer):
    """Two calls may each have a "Batch 1": the filter groups the batches under their call's title,
    the newest call first, and a batch of the older call still filters the list."""
    older = CallFactory(title="Call of 2025", opens_on=datetime.date(2025, 1, 10))
    newer = CallFactory(title="Call of 2026", opens_on=datetime.date(2026, 1, 10))
    first = batch_for(older, name="Batch 1")
    second = batch_for(newer, name="Batch 1")
    shortlisted(officer, number="8250-1", legal_name="Alpha Mills", call=older, batch=first)
    shortlisted(officer, number="8250-2", legal_name="Beta Mills", call=newer, batch=second)
    url = reverse("enterprises:enterprise_list")

    page = officer_client.get(url).content.decode()
    select = page.split('name="batch"', 1)[1].split("</select>", 1)[0]
    assert select.index('label="Call of 2026"') < select.index('label="Call of 2025"')
    assert select.count(">Batch 1</option>") == 2
    table = officer_client.get(url, {"batch": first.pk}).context["table"]
    assert [row.record.legal_name for row in table.page.object_list] == ["Alpha Mills"]
    assert officer_client.get(url, {"batch": "999999"}).context["filterset"].errors


def test_list_and_pipeline_queries_stay_bounded(officer_client, officer, django_assert_max_num_queries):
    seed = shortlisted(officer, number="8300-1")
    calls = [seed.call, CallFactory(), CallFactory()]
    for index, call in enumerate(calls[1:], start=1):
        shortlisted(officer, call=call, number=f"8300-{index + 1}")
    for call in calls:
        batch = batch_for(call, capacity=100, name="Big batch")
        for stage in (Stage.SHORTLISTED, Stage.LEVEL1_ACCEPTED, Stage.WITHDRAWN):
            _many(call, batch, 15, stage=stage)
    assert Enterprise.objects.count() > 130

    # Session, user, groups, failed mail, then the page's own (count, page, consultants, saved filters,
    # filter choices).
    with django_assert_max_num_queries(13):
        response = officer_client.get(reverse("enterprises:enterprise_list"), {"page": 2})
    assert len(response.context["table"].page.object_list) == 50
    with django_assert_max_num_queries(13):
        officer_client.get(reverse("enterprises:enterprise_list"), {"reached": Stage.SHORTLISTED, "call": seed.call_id})
    # The officer's menu counts the failed mail: one query more on every officer page.
    with django_assert_max_num_queries(12):
        officer_client.get(reverse("enterprises:pipeline"))
    with django_assert_max_num_queries(13):
        officer_client.get(reverse("enterprises:pipeline"), {"call": seed.call_id})


def test_the_funnel_starts_with_every_expression_of_interest_not_only_enterprises(officer):
    from enterprises.models import Stage
    from enterprises.screening.services import submit_expression_of_interest
    from enterprises.tests.factories import CallFactory, eoi_data, make_enterprise

    call = CallFactory()
    make_enterprise(officer, call=call, number="8000-1")
    submit_expression_of_interest(call, eoi_data(registration_number="8000-2", hr_officer="no"))  # ineligible
    summary = path_selectors.pipeline_summary(call)
    assert summary["reached"][Stage.EOI_RECEIVED] == 2
    assert summary["reached"][Stage.SCREENED] == 2
    assert summary["total"] == 1  # only the eligible one became an enterprise record
