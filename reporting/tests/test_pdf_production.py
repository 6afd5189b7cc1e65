"""Reports come out the same with production's static files (hashed names in WhiteNoise's manifest
storage) as in development; a report whose stylesheet or font is missing fails, naming what is missing.

Production once gave 7 pages in a serif font without page footers instead of 4 in Noto Sans: the
stylesheet's hashed name was not found and WeasyPrint only logged it."""

import io
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pypdf
import pytest
from django.conf import settings as django_settings

from enterprises.models import LetterKind
from reporting import pdf, services
from reporting.models import JobStatus, ReportJob, ReportKind
from reporting.tests import factories
from reporting.tests.helpers import pdf_fonts
from reporting.tests.test_reports_pdf import render

pytestmark = [pytest.mark.django_db, pytest.mark.production]

# "generated on 30 November 2026 05:40": the minute may turn between the two renderings.
WHEN = re.compile(r"\b\d{1,2} [A-Z][a-z]+ \d{4} \d{2}:\d{2}\b")


def use_production_static(settings, static_root):
    """The static files as settings.py has them with DJANGO_DEBUG=0: collected, hashed, WhiteNoise's storage."""
    settings.STATIC_ROOT = static_root
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
    }


@pytest.fixture
def production_static(settings, collected_static):
    use_production_static(settings, collected_static)
    return collected_static


def pages(content: bytes) -> list[str]:
    return [WHEN.sub("<when>", page.extract_text()) for page in pypdf.PdfReader(io.BytesIO(content)).pages]


@pytest.fixture
def subjects(officer, consultant, enterprise):
    """Data for every kind of report: indicators, training, a business case, a call with its EOIs."""
    factories.rounds(enterprise, officer)
    factories.training_data(enterprise, consultant)
    factories.attendance(enterprise)
    services.save_business_case(
        enterprise, by=officer, title="Fewer defects", context="Rework ate the margins.", results="Half the defects."
    )
    call = factories.screening_call(officer)["call"]
    return {
        ReportKind.ENTERPRISE_BASELINE: {"enterprise": enterprise},
        ReportKind.ENTERPRISE_PROGRESS: {"enterprise": enterprise},
        ReportKind.BUSINESS_CASE: {"enterprise": enterprise},
        ReportKind.LETTER: {"enterprise": enterprise, "params": {"letter_kind": LetterKind.ACCEPTANCE}},
        ReportKind.PROGRAMME: {},
        ReportKind.CALL_SCREENING: {"call": call},
    }


# Every kind made as a PDF: the global SCORE database export is JSON Lines or CSV (no fonts, no pages).
PDF_KINDS = [kind for kind in ReportKind.values if kind != ReportKind.GLOBAL_DATABASE]


@pytest.mark.parametrize("kind", PDF_KINDS)
def test_each_report_is_the_same_in_production_as_in_development(kind, subjects, officer, settings, collected_static):
    development = render(kind, officer, **dict(subjects[kind]))
    use_production_static(settings, collected_static)
    production = render(kind, officer, **dict(subjects[kind]))

    assert pdf_fonts(production) == pdf_fonts(development)
    assert "Noto-Sans" in pdf_fonts(production)
    assert not [font for font in pdf_fonts(production) if "Serif" in font]
    development_pages, production_pages = pages(development), pages(production)
    assert len(production_pages) == len(development_pages)
    for number, text in enumerate(production_pages, start=1):
        assert f"Page {number} / {len(production_pages)}" in text
        assert "SCORE Portal · generated on <when>" in text
        assert "ILO SCORE" in text
    assert production_pages == development_pages


def test_a_worker_without_the_collected_stylesheet_fails_the_job_and_says_which_file(
    officer, enterprise, production_static, settings, tmp_path
):
    # The manifest of a deployment whose files did not reach the worker's STATIC_ROOT.
    settings.STATIC_ROOT = tmp_path / "static"
    settings.STATIC_ROOT.mkdir()
    shutil.copy(production_static / "staticfiles.json", settings.STATIC_ROOT)
    job = ReportJob.objects.create(
        kind=ReportKind.ENTERPRISE_BASELINE, requested_by=officer, enterprise=enterprise, signature="missing-css"
    )

    assert services.run_job(job.pk, final=False) == "failed"  # at once: trying again brings no file

    job.refresh_from_db()
    assert job.status == JobStatus.FAILED and not job.file and job.attempts == 1
    assert re.fullmatch(
        r"The report could not be made: static file reporting/report\.[0-9a-f]{12}\.css not found "
        r"\(neither in the project nor in STATIC_ROOT; in production run `python manage.py collectstatic` "
        r"where the workers run\)",
        job.error,
    ), job.error


def test_a_missing_static_image_fails_the_pdf_too():
    html = '<link rel="stylesheet" href="/static/reporting/report.css"><img src="/static/reporting/logo.png"><p>Hi</p>'
    with pytest.raises(pdf.MissingResource, match=r"^static file reporting/logo\.png not found"):
        pdf.html_to_pdf(html)


def test_a_font_that_is_not_installed_fails_the_pdf():
    html = "<p style=\"font-family: 'SCORE Missing Sans', sans-serif\">Indus Knitwear</p>"
    with pytest.raises(pdf.MissingResource, match='^the font "SCORE Missing Sans" is not installed; the text would'):
        pdf.html_to_pdf(html)


def test_without_fonts_noto_core_the_report_fails_and_names_the_package(tmp_path):
    """A machine where only DejaVu is installed: fontconfig answers "Noto Sans" with DejaVu Sans, which
    used to give a report in the wrong font without a word."""
    fc_match = shutil.which("fc-match")
    if not fc_match:
        pytest.skip("fc-match (fontconfig) is not installed")
    found = subprocess.run([fc_match, "-f", "%{file}", "DejaVu Sans"], capture_output=True, text=True)  # noqa: S603
    dejavu = Path(found.stdout)
    if "DejaVu" not in dejavu.name:
        pytest.skip("DejaVu Sans is not installed (apt-get install fonts-dejavu-core)")
    config = tmp_path / "fonts.conf"
    config.write_text(
        f'<?xml version="1.0"?><!DOCTYPE fontconfig SYSTEM "fonts.dtd">'
        f"<fontconfig><dir>{dejavu.parent}</dir><cachedir>{tmp_path / 'cache'}</cachedir></fontconfig>"
    )
    script = (
        "import django; django.setup()\n"
        "from reporting.pdf import html_to_pdf, MissingResource\n"
        "try:\n"
        '    html_to_pdf(\'<link rel="stylesheet" href="/static/reporting/report.css"><p>Indus Knitwear</p>\')\n'
        "except MissingResource as exc:\n"
        "    print(exc)\n"
    )
    env = {**os.environ, "FONTCONFIG_FILE": str(config), "DJANGO_SETTINGS_MODULE": "score_portal.settings"}
    done = subprocess.run(  # noqa: S603 - fixed command line
        [sys.executable, "-c", script],
        cwd=django_settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == (
        'the font "Noto Sans" is not installed (Debian: apt-get install fonts-noto-core); '
        'the text would come out in "DejaVu Sans"'
    )
