"""Pages: asking for reports, following progress, downloading with the data's permissions."""

import pytest
from django.urls import reverse

from reporting import services
from reporting.models import JobStatus, ReportJob, ReportKind

pytestmark = pytest.mark.django_db


def make_job(user, kind=ReportKind.ENTERPRISE_BASELINE, **subject):
    with_file = subject.pop("with_file", True)
    job = ReportJob.objects.create(kind=kind, requested_by=user, signature=f"{kind}-{subject}", **subject)
    if with_file:
        services.run_job(job.pk)
        job.refresh_from_db()
    return job


@pytest.mark.parametrize(
    ("persona", "status"),
    [("officer", 200), ("consultant", 200), ("contact", 200), ("other_consultant", 404), ("other_contact", 404)],
)
def test_enterprise_report_download_follows_the_enterprise_permissions(
    persona_client, officer, enterprise, persona, status
):
    job = make_job(officer, enterprise=enterprise)
    assert job.status == JobStatus.DONE
    client = persona_client(persona)
    response = client.get(reverse("reporting:download", args=[job.pk]))
    assert response.status_code == status
    if status == 200:
        assert response["Content-Type"] == "application/pdf"
        assert "attachment" in response["Content-Disposition"]
        assert b"".join(response.streaming_content).startswith(b"%PDF")
    for name in ("reporting:job", "reporting:job_status"):
        assert client.get(reverse(name, args=[job.pk])).status_code == status


@pytest.mark.parametrize(
    ("persona", "status"),
    [("officer", 200), ("consultant", 404), ("contact", 404), ("other_contact", 404)],
)
def test_programme_report_download_is_for_officers(persona_client, officer, persona, status):
    job = make_job(officer, ReportKind.PROGRAMME)
    response = persona_client(persona).get(reverse("reporting:download", args=[job.pk]))
    assert response.status_code == status


def test_job_list_shows_only_what_the_user_may_see(persona_client, officer, enterprise, other_enterprise):
    mine = make_job(officer, enterprise=enterprise, with_file=False)
    theirs = make_job(officer, enterprise=other_enterprise, with_file=False)
    programme = make_job(officer, ReportKind.PROGRAMME, with_file=False)
    page = persona_client("consultant").get(reverse("reporting:home"))
    jobs = list(page.context["page"].object_list)
    assert mine in jobs and theirs not in jobs and programme not in jobs
    page = persona_client("officer").get(reverse("reporting:home"))
    assert {mine, theirs, programme} <= set(page.context["page"].object_list)


def test_job_list_queries_are_bounded(officer_client, officer, enterprise, django_assert_max_num_queries):
    for i in range(30):
        ReportJob.objects.create(kind=ReportKind.PROGRAMME, requested_by=officer, signature=f"p{i}", status="done")
        ReportJob.objects.create(
            kind=ReportKind.ENTERPRISE_BASELINE, requested_by=officer, enterprise=enterprise, signature=f"e{i}"
        )
    with django_assert_max_num_queries(12):
        response = officer_client.get(reverse("reporting:home"))
    assert response.status_code == 200
    assert len(response.context["page"].object_list) == 25


def test_enterprise_page_asks_for_a_report_and_the_job_page_offers_the_download(
    persona_client, enterprise, django_capture_on_commit_callbacks
):
    client = persona_client("consultant")
    url = reverse("reporting:enterprise", args=[enterprise.pk])
    assert client.get(url).status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, {"kind": ReportKind.ENTERPRISE_PROGRESS})
    job = ReportJob.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("reporting:job", args=[job.pk])
    page = client.get(response["Location"]).content.decode()
    assert reverse("reporting:download", args=[job.pk]) in page
    assert "hx-trigger" not in page  # done: no more polling


def test_a_queued_job_polls_for_progress(officer_client, officer, enterprise):
    job = make_job(officer, enterprise=enterprise, with_file=False)
    ReportJob.objects.filter(pk=job.pk).update(status=JobStatus.RUNNING, progress=45, phase="Rendering the PDF")
    page = officer_client.get(reverse("reporting:job", args=[job.pk])).content.decode()
    assert 'hx-trigger="every 2s"' in page and reverse("reporting:job_status", args=[job.pk]) in page
    partial = officer_client.get(reverse("reporting:job_status", args=[job.pk]))
    assert "45%" in partial.content.decode() and "<html" not in partial.content.decode()


def test_consultants_cannot_ask_for_programme_reports_or_letters(persona_client, enterprise):
    client = persona_client("consultant")
    assert client.post(reverse("reporting:request_programme"), {"file_format": "pdf"}).status_code == 403
    response = client.post(
        reverse("reporting:enterprise", args=[enterprise.pk]), {"kind": "letter", "letter_kind": "regret"}
    )
    assert response.status_code == 200 and not ReportJob.objects.exists()  # not a choice for them
    assert client.get(reverse("reporting:business_case", args=[enterprise.pk])).status_code == 403
    assert (
        persona_client("other_consultant").get(reverse("reporting:enterprise", args=[enterprise.pk])).status_code == 404
    )


def test_officer_asks_for_the_programme_workbook(officer_client, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = officer_client.post(reverse("reporting:request_programme"), {"file_format": "xlsx"})
    job = ReportJob.objects.get()
    assert response.status_code == 302 and job.status == JobStatus.DONE and job.file.name.endswith(".xlsx")
    download = officer_client.get(reverse("reporting:download", args=[job.pk]))
    assert download["Content-Type"].startswith("application/vnd.openxmlformats")


def test_broker_down_the_user_is_told_and_the_job_waits(
    officer_client, enterprise, django_capture_on_commit_callbacks, monkeypatch
):
    from celery import Celery

    monkeypatch.delenv("CELERY_BROKER_URL", raising=False)  # Celery would prefer it to the broker given here
    app = Celery("unreachable", broker="redis://127.0.0.1:1/0", set_as_current=False)
    monkeypatch.setattr(services, "_celery_app", lambda app_=None: app)
    with django_capture_on_commit_callbacks(execute=True):
        response = officer_client.post(
            reverse("reporting:enterprise", args=[enterprise.pk]), {"kind": "enterprise_baseline"}, follow=True
        )
    job = ReportJob.objects.get()
    assert job.waiting_for_queue
    page = response.content.decode()
    assert "cannot be reached right now" in page and "Waiting for the queue" in page


def test_officer_writes_the_business_case(officer_client, enterprise):
    url = reverse("reporting:business_case", args=[enterprise.pk])
    assert officer_client.get(url).status_code == 200
    response = officer_client.post(url, {"title": "Fewer defects", "context": "Rework.", "results": "Halved."})
    assert response.status_code == 302
    assert enterprise.business_case.title == "Fewer defects"
    assert enterprise.business_case.history.count() == 1


def test_failed_job_can_be_retried_from_its_page(
    officer_client, officer, enterprise, django_capture_on_commit_callbacks
):
    job = make_job(officer, enterprise=enterprise, with_file=False)
    ReportJob.objects.filter(pk=job.pk).update(status=JobStatus.FAILED, error="The report could not be made: boom")
    page = officer_client.get(reverse("reporting:job", args=[job.pk])).content.decode()
    assert "The report could not be made: boom" in page and "Try again" in page
    with django_capture_on_commit_callbacks(execute=True):
        officer_client.post(reverse("reporting:job_retry", args=[job.pk]))
    job.refresh_from_db()
    assert job.status == JobStatus.DONE


def test_the_enterprise_page_links_to_its_reports(persona_client, enterprise):
    page = persona_client("consultant").get(reverse("enterprises:enterprise_detail", args=[enterprise.pk]))
    assert reverse("reporting:enterprise", args=[enterprise.pk]) in page.content.decode()
