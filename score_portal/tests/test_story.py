"""The SCORE programme as one story. Read this test first.

One textile enterprise goes the whole way through the key steps of the call for expressions of
interest (the seed's "Key steps", numbered below as there), in a real browser, as each person
would: the enterprise on the public form, the ILO project officer at a desk, the consultant on a
phone in the factory. At the end the progress report shows the enterprise's improvement and the
programme report counts it.

Each step is a function named for what happens in it; the test at the bottom is the table of
contents. Everything goes through the pages except the call itself, which is made directly: its
page has its own tests, and the story starts on the day the call is open.

Where to read on: enterprises/ holds steps 1 and 2 and the path itself (path.py says which step may
follow which, and what each needs); baseline/ the indicators and rounds; training/ the classroom
days, groups and the consultants' visits; reporting/ the PDF reports. Each app's tests/ go into the
details this story walks past.
"""

import datetime
import io
import re
from dataclasses import dataclass

import pypdf
import pytest
from playwright.sync_api import Page, expect

from enterprises.models import Enterprise, Stage
from enterprises.tests.factories import CallFactory
from score_portal.celery import app as celery_app
from training.models import PublicHoliday
from training.tests.factories import image_bytes

PASSWORD = "correct-horse-battery"  # the personas' password (conftest.make_user)
LEGAL_NAME = "Indus Knitwear (Pvt) Ltd"
PHONE = {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True}

# One month of the inputs behind the defect rate (defective units per 100 checked) and productivity.
BASIC_BASELINE = {"Units checked": 1000, "Defective units": 80, "Hours worked": 100000, "Output": 40000}
COMPREHENSIVE_BASELINE = {**BASIC_BASELINE, "Defective units": 60}
FOLLOW_UP = {**BASIC_BASELINE, "Defective units": 35, "Output": 47000}


# ---------------------------------------------------------------- the cast and the calendar
@dataclass
class Story:
    """What the steps hand on to each other."""

    url: str  # the live server
    reference: str = ""  # the EOI's reference, SCORE-PK-YYYY-NNNN
    enterprise_pk: int | None = None

    def go(self, page: Page, path: str) -> None:
        page.goto(self.url + path)

    @property
    def enterprise(self) -> Enterprise:
        """Read afresh: the pages change it from the live server's thread."""
        return Enterprise.objects.get(pk=self.enterprise_pk)

    @property
    def enterprise_page(self) -> str:
        return f"/enterprises/{self.enterprise_pk}/"


TODAY = datetime.date.today()


def working_days(start: datetime.date, count: int) -> list[datetime.date]:
    """`count` days from `start` that are neither Sundays nor public holidays: a classroom day on one
    of those needs the officer's confirmation, which is another test's business."""
    holidays = set(PublicHoliday.objects.values_list("date", flat=True))
    days, day = [], start
    while len(days) < count:
        if day.weekday() != 6 and day not in holidays:
            days.append(day)
        day += datetime.timedelta(days=1)
    return days


def month_before(day: datetime.date) -> str:
    """The month (YYYY-MM) before `day`: a round's data cannot start after the round is held."""
    return (day.replace(day=1) - datetime.timedelta(days=1)).strftime("%Y-%m")


# ---------------------------------------------------------------- small browser helpers
def field(scope, label: str):
    """The form control with exactly this label (a required field's label ends with an asterisk, and Django's
    plain forms add a colon)."""
    escaped = re.sub(r"([()'])", r"\\\1", label)  # re.escape would also escape spaces, which JavaScript refuses
    return scope.get_by_label(re.compile(rf"^\s*{escaped}\s*:?\s*\*?\s*$"))


def form_with(page: Page, button: str):
    """The form whose submit button says `button`; pages often hold several forms."""
    return page.locator("form").filter(has=page.get_by_role("button", name=button, exact=True))


def told(page: Page, message: str) -> None:
    expect(page.get_by_role("alert").filter(has_text=message)).to_be_visible()


def log_in(page: Page, story: Story, user) -> None:
    story.go(page, "/accounts/login/")
    field(page, "Username").fill(user.username)
    field(page, "Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_text(f"Welcome, {user.get_full_name()}.")).to_be_visible()


def download_pdf_text(page: Page) -> str:
    """Wait for the report job to finish, download the PDF and return its text on one line."""
    link = page.get_by_role("link", name="Download")
    expect(link).to_be_visible(timeout=60_000)  # a worker (or, here, the request itself) renders it
    with page.expect_download() as download:
        link.click()
    content = download.value.path().read_bytes()
    assert content.startswith(b"%PDF")
    text = "\n".join(p.extract_text() for p in pypdf.PdfReader(io.BytesIO(content)).pages)
    return " ".join(text.split())


# ---------------------------------------------------------------- 1. expression of interest
def an_open_call():
    # Officers open calls at /manage/calls/ (tested in enterprises/tests/test_calls_admin.py); the story starts
    # the day the call is open.
    return CallFactory(title="Pakistan SCORE Programme, Phase III")


def the_enterprise_applies_on_the_public_form(page: Page, story: Story) -> None:
    """No account: four steps and a review of the answers, then a reference and a private status link."""
    story.go(page, "/calls/")
    page.get_by_role("link", name=re.compile(r"^Apply")).click()
    for label, value in [
        ("Legal name", LEGAL_NAME),
        ("Registration number (NTN)", "1234567-8"),
        ("Address", "Plot 12, Sundar Industrial Estate"),
        ("City", "Lahore"),
        ("Year established", "1998"),
        ("Products", "Knitted T-shirts and polo shirts"),
        ("Export markets", "EU, UK"),
        ("Main buyers", "Two European retailers"),
    ]:
        field(page, label).fill(value)
    field(page, "Province").select_option("punjab")
    field(page, "Sub-sector").select_option("rmg_knitwear")
    page.get_by_role("button", name="Next").click()

    expect(page.get_by_text("Step 2 of 4")).to_be_visible()
    for label, value in [
        ("Total workforce", "620"),
        ("Permanent workers", "410"),
        ("Contract or temporary workers", "210"),
        ("Women", "250"),
        ("Men", "370"),
        ("Managers and supervisors", "45"),
        ("Workers", "575"),
    ]:
        field(page, label).fill(value)
    page.get_by_role("button", name="Next").click()

    expect(page.get_by_text("Step 3 of 4")).to_be_visible()
    for name, value in [
        ("hr_officer", "in_place"),
        ("compliance_officer", "in_place"),
        ("industrial_engineer", "in_place"),
        ("ceo_available", "True"),
        ("shares_order_status", "True"),
        ("shares_baseline_data", "True"),
    ]:
        page.locator(f"input[name='commitment-{name}'][value='{value}']").check()
    page.get_by_role("button", name="Next").click()

    expect(page.get_by_text("Step 4 of 4")).to_be_visible()
    field(page, "Your name").fill("Ayesha Malik")
    field(page, "Your position").fill("HR Manager")
    field(page, "Email").fill("ayesha@indusknit.example.pk")
    field(page, "Phone").fill("+92 300 8486929")
    page.get_by_label(re.compile("I agree that the ILO")).check()
    page.get_by_role("button", name="Review your answers").click()

    # Every answer once more, by step; only this page's button sends.
    expect(page.get_by_role("heading", level=1, name="Review your answers")).to_be_visible()
    expect(page.locator("dd", has_text="ayesha@indusknit.example.pk")).to_be_visible()
    page.get_by_role("button", name="Send my expression of interest").click()

    expect(page.get_by_role("heading", name=re.compile("we received your expression of interest"))).to_be_visible()
    story.reference = page.locator("#eoi-reference").inner_text().strip()
    assert re.fullmatch(r"SCORE-PK-\d{4}-\d{4}", story.reference)


def the_officer_finds_it_eligible_and_registers_the_enterprise(page: Page, story: Story) -> None:
    """The EOI was screened against the call's criteria the moment it arrived."""
    story.go(page, "/screening/")
    page.get_by_role("link", name=story.reference).click()
    expect(page.locator("#result")).to_have_text("Eligible")
    page.get_by_role("button", name="Register as an enterprise").click()
    expect(page.get_by_role("heading", name=LEGAL_NAME)).to_be_visible()
    story.enterprise_pk = Enterprise.objects.get(expression_of_interest__reference=story.reference).pk
    assert story.enterprise.stage == Stage.SCREENED


# ---------------------------------------------------------------- 2. shortlisting for the first Level 1 batch
def the_officer_shortlists_it_for_the_first_batch(page: Page, story: Story) -> None:
    story.go(page, "/batches/")
    new_batch = form_with(page, "Create")
    field(new_batch, "Call").select_option(label="Pakistan SCORE Programme, Phase III")
    field(new_batch, "Name").fill("Lahore batch 1")
    field(new_batch, "Capacity").fill("20")
    new_batch.get_by_role("button", name="Create").click()

    expect(page.get_by_role("heading", name="Shortlisting for Lahore batch 1")).to_be_visible()
    page.get_by_label(LEGAL_NAME).check()
    page.get_by_label("Why these enterprises").fill("Eligible on every criterion; the CEO will attend.")
    page.get_by_role("button", name=re.compile("Shortlist the picked enterprises")).click()
    told(page, "1 enterprises shortlisted for Lahore batch 1.")


def the_officer_meets_the_ceo(page: Page, story: Story) -> None:
    story.go(page, story.enterprise_page)
    meeting = form_with(page, "Record the meeting")
    field(meeting, "Held on").fill((TODAY + datetime.timedelta(days=3)).isoformat())
    field(meeting, "Who attended").fill("Kamran Shah (CEO), Ayesha Malik (HR Manager)")
    field(meeting, "The enterprise showed commitment").check()
    meeting.get_by_role("button", name="Record the meeting").click()
    told(page, "The meeting with the CEO was recorded.")


# The story's rounds hold a few inputs of one month and its classroom days and first workshop lie
# ahead of today: the gates that read that data are passed with an officer's written justification,
# which the timeline keeps (the gates themselves are tested in training/tests/test_path_gates.py).
AHEAD = "The story runs ahead of its data: the remaining inputs and the training days are entered as they come."


def move_along_the_path(
    page: Page, story: Story, to_stage: str, *, on=None, comprehensive_baseline_on=None, justification=""
):
    """The enterprise page's "Move along the path" form; the guards refuse a step whose facts are missing."""
    story.go(page, story.enterprise_page)
    move = form_with(page, "Move")
    field(move, "Move to").select_option(label=to_stage)
    if justification:
        field(move, "Justification for going ahead without the data").fill(justification)
    if on:
        field(move, "Date it happened").fill(on.isoformat())
    if comprehensive_baseline_on:
        field(move, "Comprehensive baseline done on").fill(comprehensive_baseline_on.isoformat())
    move.get_by_role("button", name="Move").click()
    told(page, f"Moved to “{to_stage}”.")


# ---------------------------------------------------------------- 3. basic baseline, classroom, consultancy
def a_round_of_indicators(page: Page, story: Story, kind: str, held_on: datetime.date, values: dict) -> None:
    """A measurement round with one month of raw inputs; the KPIs are computed from them."""
    story.go(page, f"/baseline/enterprises/{story.enterprise_pk}/")
    page.get_by_text("Add a round").click()
    round_form = form_with(page, "Add the round")
    field(round_form, "Kind of round").select_option(label=kind)
    field(round_form, "Held on").fill(held_on.isoformat())
    field(round_form, "First month of data").fill(month_before(held_on))
    field(round_form, "Months of data").fill("1")
    round_form.get_by_role("button", name="Add the round").click()
    told(page, "Round added. Enter its monthly values.")

    page.get_by_role("link", name="Enter values").click()
    for label, value in values.items():
        field(page, label).fill(str(value))
    page.get_by_role("button", name="Save").click()
    told(page, "saved.")


def the_basic_baseline_is_assessed(page: Page, story: Story) -> datetime.date:
    held_on = TODAY + datetime.timedelta(days=5)
    a_round_of_indicators(page, story, "Basic baseline", held_on, BASIC_BASELINE)
    return held_on


def the_officer_assigns_a_consultant(page: Page, story: Story, consultant) -> None:
    story.go(page, story.enterprise_page)
    assign = form_with(page, "Assign")
    assign.get_by_label("Consultant").select_option(label=consultant.get_full_name())
    assign.get_by_role("button", name="Assign").click()
    told(page, f"{consultant.get_full_name()} can now see this enterprise.")


def the_level1_classroom_days_are_held(page: Page, story: Story, trainer) -> list[datetime.date]:
    """Three classroom days for the batch; the enterprise nominates its people; attendance on day 1."""
    days = working_days(TODAY + datetime.timedelta(days=14), 3)
    story.go(page, f"/training/level1/{story.enterprise.batch_id}/")
    page.get_by_role("button", name="Set up the course").click()
    told(page, "Level 1 course saved.")
    for number, day in enumerate(days, start=1):
        day_form = form_with(page, "Save the day")
        field(day_form, "Classroom day").select_option(str(number))
        field(day_form, "Date").fill(day.isoformat())
        field(day_form, "Venue").fill("Lahore Chamber of Commerce")
        field(day_form, "Trainer").select_option(label=trainer.get_full_name())
        day_form.get_by_role("button", name="Save the day").click()
        told(page, "Classroom day saved.")

    page.get_by_role("link", name="Participants").click()
    for name, position, level, sex, decision_maker in [
        ("Kamran Shah", "CEO", "Manager", "Man", True),
        ("Nasreen Bibi", "Line supervisor", "Worker", "Woman", False),
    ]:
        page.get_by_role("link", name="Add a participant").click()
        field(page, "Name").fill(name)
        field(page, "Position").fill(position)
        field(page, "Manager or worker").select_option(label=level)
        field(page, "Sex").select_option(label=sex)
        if decision_maker:
            field(page, "CEO or decision-maker").check()
        page.get_by_role("button", name="Save").click()
        told(page, "Participant added.")

    page.get_by_role("link", name=re.compile(r"Day 1")).click()
    page.get_by_label(re.compile("Nasreen Bibi")).uncheck()  # absent on the first day
    page.get_by_role("button", name="Save attendance").click()
    told(page, "Attendance saved: 1 present.")
    return days


def the_consultant_visits_the_factory(phone: Page, story: Story, *, on: datetime.date, findings: str, action: str):
    """On a phone: the visit log (kept as a draft while typed) with one agreed action, then submitted."""
    story.go(phone, "/training/")
    phone.get_by_role("link", name=LEGAL_NAME).first.click()
    phone.get_by_role("button", name="Log a visit").click()
    field(phone, "Date").fill(on.isoformat())
    field(phone, "Start time").fill("09:30")
    field(phone, "End time").fill("12:00")
    field(phone, "Purpose").select_option(label="Level 1 follow-up")
    field(phone, "People met").fill("HR manager, two line supervisors")
    field(phone, "Findings").fill(findings)
    field(phone, "What").fill(action)
    field(phone, "Owner").fill("Production manager")
    field(phone, "Due date").fill((on + datetime.timedelta(days=14)).isoformat())
    phone.get_by_role("button", name="Submit the visit").click()
    told(phone, "Visit submitted. It is now locked.")


def the_consultant_photographs_an_area_before(phone: Page, story: Story) -> None:
    phone.get_by_role("link", name=LEGAL_NAME).first.click()  # the breadcrumb back to the enterprise
    phone.get_by_role("link", name="Add 5S photos").click()
    field(phone, "Area").fill("Cutting section")
    field(phone, "Caption").fill("Fabric rolls on the floor")
    field(phone, "Before photo").set_input_files(
        {"name": "before.jpg", "mimeType": "image/jpeg", "buffer": image_bytes(size=(320, 240))}
    )
    phone.get_by_role("button", name="Save the photos").click()
    told(phone, "Photos saved.")
    expect(phone.get_by_text("No after photo yet.")).to_be_visible()


def the_consultant_photographs_it_after(phone: Page, story: Story) -> None:
    phone.get_by_role("link", name=LEGAL_NAME).first.click()
    phone.get_by_role("link", name="Add the after photo").click()
    field(phone, "After photo").set_input_files(
        {"name": "after.png", "mimeType": "image/png", "buffer": image_bytes("PNG", (320, 240), (30, 200, 30))}
    )
    phone.get_by_role("button", name="Save").click()
    told(phone, "After photo saved.")
    expect(phone.get_by_role("img", name="Cutting section, after")).to_be_visible()


# ---------------------------------------------------------------- 4 and 5. comprehensive baseline, Level 2 selection
def the_consultant_assesses_the_comprehensive_baseline(phone: Page, story: Story, held_on) -> None:
    a_round_of_indicators(phone, story, "Comprehensive baseline", held_on, COMPREHENSIVE_BASELINE)


def the_officer_selects_it_for_level2(page: Page, story: Story) -> None:
    story.go(page, f"/level2/{story.enterprise.call_id}/")
    page.get_by_label(LEGAL_NAME).check()
    page.get_by_label("Why these enterprises").fill("Committed CEO; defects already falling.")
    page.get_by_role("button", name="Select for Level 2").click()
    told(page, "1 enterprises selected for Level 2.")


# ---------------------------------------------------------------- 6. modules 2 to 5
def a_level2_group_takes_its_first_workshop(page: Page, story: Story, trainer, starts_on) -> None:
    """A group, its workshop dates from the scheduler, a participant and the first day's register."""
    story.go(page, "/training/groups/new/")
    field(page, "Name").fill("Lahore Level 2 group A")
    field(page, "Trainer").select_option(label=trainer.get_full_name())
    field(page, "Venue").fill("PCMEA hall, Lahore")
    field(page, "Window starts on").fill(starts_on.isoformat())
    field(page, "Window ends on").fill((starts_on + datetime.timedelta(days=400)).isoformat())
    page.get_by_role("button", name="Save").click()
    told(page, "Group created.")

    page.get_by_text("Add an enterprise").click()
    member = form_with(page, "Add")
    field(member, "Enterprise").select_option(label=LEGAL_NAME)
    field(member, "Priority modules").fill("2, 5")
    member.get_by_role("button", name="Add").click()
    told(page, "Enterprise added to the group.")

    page.get_by_role("link", name="Propose workshop dates").click()
    page.get_by_role("button", name="Schedule these workshops").click()
    told(page, "4 workshops scheduled.")

    page.locator("a[href*='/training/workshops/']").first.click()
    page.get_by_role("link", name="Add a participant").click()
    field(page, "Name").fill("Tariq Mehmood")
    field(page, "Position").fill("Quality manager")
    field(page, "Manager or worker").select_option(label="Manager")
    field(page, "Sex").select_option(label="Man")
    page.get_by_role("button", name="Save").click()
    told(page, "Participant added.")
    page.get_by_role("link", name=re.compile(r"Day 1")).click()
    page.get_by_role("button", name="Save attendance").click()
    told(page, "Attendance saved: 1 present.")


# ---------------------------------------------------------------- 7. monitoring and results
def the_consultant_records_a_follow_up_round(phone: Page, story: Story, held_on) -> None:
    a_round_of_indicators(phone, story, "Follow-up", held_on, FOLLOW_UP)


# ---------------------------------------------------------------- 8. documentation
def the_progress_report_shows_the_improvement(page: Page, story: Story) -> None:
    story.go(page, f"/reports/enterprise/{story.enterprise_pk}/")
    field(page, "Report").select_option(label="Enterprise progress and impact report")
    page.get_by_role("button", name="Make the report").click()
    text = download_pdf_text(page)
    assert "Progress and impact report" in text and LEGAL_NAME in text
    # The defect rate: 80 of 1000 at the basic baseline, 35 of 1000 at the follow-up: 4.5 points less,
    # 56.25% of the baseline; the executive summary on page 1 says so.
    assert "Defect rate fell from 8.0% to 3.5%" in text
    assert "\u22124.5 pp \u00b7 \u221256.3%" in text
    assert "2 / 2 KPIs improved since the baseline" in text
    assert "2 visits; 2 actions agreed" in text
    assert "Cutting section" in text


def the_programme_report_counts_it(page: Page, story: Story) -> None:
    story.go(page, "/reports/")
    programme = form_with(page, "Make the report").filter(has_text="Programme report for the ILO")
    programme.get_by_role("button", name="Make the report").click()
    text = download_pdf_text(page)
    assert "1 enterprises reached (Level 1 or beyond)" in text
    assert "1 enterprises measured at a baseline and again later" in text
    assert "Level 2 in progress 1" in text
    assert "Lahore batch 1 Pakistan SCORE Programme, Phase III" in text


# ---------------------------------------------------------------- the story
@pytest.fixture
def reports_in_process(settings, tmp_path):
    """Reports rendered inside the request, whether or not CELERY_BROKER_URL is set (CI sets it); the real
    worker has its own tests (reporting/tests/test_worker.py). Photos and PDFs go to a private MEDIA_ROOT."""
    settings.MEDIA_ROOT = tmp_path / "media"
    before = celery_app.conf.task_always_eager
    celery_app.conf.task_always_eager = True
    yield
    celery_app.conf.task_always_eager = before


@pytest.mark.browser
# The live server answers from another thread, so the rows must be committed; serialized_rollback puts back
# the data migrations' rows (roles, modules, indicators, holidays) that the flush after a test removes.
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_an_enterprise_goes_from_its_expression_of_interest_to_the_programme_report(
    live_server, page, new_context, officer, consultant, reports_in_process
):
    page.set_default_timeout(20_000)
    phone = new_context(**PHONE).new_page()
    phone.set_default_timeout(20_000)
    story = Story(live_server.url)
    an_open_call()

    # 1. Expression of interest from an enterprise meeting the participation criteria.
    the_enterprise_applies_on_the_public_form(page, story)
    log_in(page, story, officer)
    the_officer_finds_it_eligible_and_registers_the_enterprise(page, story)

    # 2. Shortlisting for the first batch for Level 1, and the meeting with the CEO.
    the_officer_shortlists_it_for_the_first_batch(page, story)
    the_officer_meets_the_ceo(page, story)

    # 3. Basic baseline assessment, classroom training, on-site consultancy, impact assessment.
    baseline_on = the_basic_baseline_is_assessed(page, story)
    move_along_the_path(page, story, "Basic baseline assessment done", on=baseline_on, justification=AHEAD)
    move_along_the_path(page, story, "Accepted into Level 1", justification=AHEAD)
    the_officer_assigns_a_consultant(page, story, consultant)
    classroom_days = the_level1_classroom_days_are_held(page, story, trainer=consultant)
    after_class = classroom_days[-1]

    log_in(phone, story, consultant)
    the_consultant_visits_the_factory(
        phone,
        story,
        on=after_class + datetime.timedelta(days=14),
        findings="Fabric rolls lie on the cutting-section floor; the EIT has met once.",
        action="Racks for the fabric rolls",
    )
    the_consultant_photographs_an_area_before(phone, story)
    the_consultant_visits_the_factory(
        phone,
        story,
        on=after_class + datetime.timedelta(days=42),
        findings="Racks are in; walkways marked in the cutting section.",
        action="Mark the walkways in the sewing hall",
    )
    the_consultant_photographs_it_after(phone, story)

    # Level 1 ends with the comprehensive baseline assessment, on which step 5 selects.
    level1_completed_on = after_class + datetime.timedelta(days=90)
    the_consultant_assesses_the_comprehensive_baseline(phone, story, held_on=level1_completed_on)
    move_along_the_path(
        page,
        story,
        "Level 1 completed",
        on=level1_completed_on,
        comprehensive_baseline_on=level1_completed_on,
        justification=AHEAD,
    )

    # 4. Interest and commitment for the full SCORE package (modules 2 to 5).
    move_along_the_path(
        page, story, "Interest in the full package registered", on=level1_completed_on + datetime.timedelta(days=5)
    )

    # 5. Shortlisted for the full package on the comprehensive baseline and the commitment shown.
    the_officer_selects_it_for_level2(page, story)

    # 6. Modules 2 to 5 start.
    level2_starts_on = level1_completed_on + datetime.timedelta(days=20)
    a_level2_group_takes_its_first_workshop(page, story, trainer=consultant, starts_on=level2_starts_on)
    move_along_the_path(page, story, "Level 2 in progress", justification=AHEAD)

    # 7. Continuous technical assistance, monitoring, results tracking and recording.
    the_consultant_records_a_follow_up_round(phone, story, held_on=level2_starts_on + datetime.timedelta(days=180))

    # 8. Documentation: the enterprise's progress report, and the programme report for the ILO.
    the_progress_report_shows_the_improvement(page, story)
    the_programme_report_counts_it(page, story)

    # 9 and 10 (linkage with international buyers, the global SCORE database) happen outside the portal.
