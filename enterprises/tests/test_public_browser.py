"""One enterprise's journey through the public EOI form in a real browser (Debian's Chromium)."""

import re

import pytest
from playwright.sync_api import expect

from enterprises.models import ExpressionOfInterest
from enterprises.tests.factories import CallFactory


def field(page, label):
    """The form control with exactly this label (a required field's label ends with an asterisk)."""
    escaped = re.sub(r"([()'])", r"\\\1", label)  # plain re.escape also escapes spaces, which JavaScript refuses
    return page.get_by_label(re.compile(rf"^\s*{escaped}\s*\*?\s*$"))


def answer_the_enterprise_step(page):
    field(page, "Legal name").fill("Indus Knitwear (Pvt) Ltd")
    field(page, "Registration number (NTN)").fill("1234567-8")
    field(page, "Address").fill("Plot 12, Sundar Industrial Estate")
    field(page, "City").fill("Lahore")
    field(page, "Province").select_option("punjab")
    field(page, "Year established").fill("1998")
    field(page, "Products").fill("Knitted T-shirts and polo shirts")
    field(page, "Export markets").fill("EU, UK")
    field(page, "Main buyers").fill("Two European retailers")
    field(page, "Sub-sector").select_option("rmg_knitwear")


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_an_enterprise_applies_from_the_calls_page_and_follows_its_status(
    live_server, page, mailoutbox, csp_violations
):
    call = CallFactory(title="Pakistan SCORE Programme 2018")
    page.set_default_timeout(15_000)

    page.goto(f"{live_server.url}/calls/")
    expect(page.get_by_role("heading", name="Pakistan SCORE Programme 2018")).to_be_visible()
    page.get_by_role("link", name=re.compile(r"^Apply")).click()
    expect(page).to_have_url(f"{live_server.url}/apply/{call.pk}/")

    # The page's script shows the steps in turn: "Next" and "Back" ask nothing of the server, and the
    # answers go in one request from the last step.
    posts = []
    page.on("request", lambda request: posts.append(request.url) if request.method == "POST" else None)

    # Step 1: the enterprise, first sent empty: the browser sees answers missing, the server names them.
    expect(page.get_by_text("Step 1 of 4")).to_be_visible()
    page.get_by_role("button", name="Next").click()
    expect(page.locator("#error-summary")).to_be_focused()
    expect(page.get_by_text("Step 1 of 4")).to_be_visible()
    assert len(posts) == 1
    posts.clear()
    answer_the_enterprise_step(page)
    page.get_by_role("button", name="Next").click()

    # Step 2: the workforce, with women and men not adding up to the total (the server finds that).
    expect(page.get_by_text("Step 2 of 4")).to_be_visible()
    expect(page.get_by_role("heading", level=1, name="Workforce")).to_be_visible()
    expect(page.get_by_role("listitem").filter(has_text="2. Workforce")).to_have_attribute("aria-current", "step")
    for label, value in [
        ("Total workforce", "620"),
        ("Permanent workers", "410"),
        ("Contract or temporary workers", "210"),
        ("Women", "250"),
        ("Men", "300"),
        ("Managers and supervisors", "45"),
        ("Workers", "575"),
    ]:
        field(page, label).fill(value)
    page.get_by_role("button", name="Back").click()
    expect(page.get_by_text("Step 1 of 4")).to_be_visible()
    expect(field(page, "City")).to_have_value("Lahore")
    page.get_by_role("button", name="Next").click()
    page.get_by_role("button", name="Next").click()

    # Step 3: staff and commitment; the nominee's fields appear only when the CEO cannot attend.
    expect(page.get_by_text("Step 3 of 4")).to_be_visible()
    page.locator("input[name='commitment-hr_officer'][value='in_place']").check()
    page.locator("input[name='commitment-compliance_officer'][value='willing']").check()
    page.locator("input[name='commitment-industrial_engineer'][value='in_place']").check()
    page.locator("input[name='commitment-ceo_available'][value='False']").check()
    expect(field(page, "Nominee's name")).to_be_visible()
    page.locator("input[name='commitment-ceo_available'][value='True']").check()
    expect(field(page, "Nominee's name")).to_be_hidden()
    page.locator("input[name='commitment-shares_order_status'][value='True']").check()
    page.locator("input[name='commitment-shares_baseline_data'][value='True']").check()
    page.get_by_role("button", name="Next").click()

    # Step 4: contact and consent.
    expect(page.get_by_text("Step 4 of 4")).to_be_visible()
    field(page, "Your name").fill("Ayesha Malik")
    field(page, "Your position").fill("HR Manager")
    field(page, "Email").fill("ayesha@indusknit.example.pk")
    field(page, "Phone").fill("+92 300 8486929")
    page.get_by_label(re.compile("I agree that the ILO")).check()
    assert posts == []
    page.get_by_role("button", name="Review your answers").click()

    # The server sends the visitor back to the step with a mistake, every answer kept.
    expect(page.get_by_text("Step 2 of 4")).to_be_visible()
    error = page.locator("#error_1_id_workforce-workforce_men")
    expect(error).to_contain_text("Women (250) and men (300) add up to 550, but the total workforce is 620.")
    expect(field(page, "Men")).to_have_value("300")
    assert ExpressionOfInterest.objects.count() == 0
    field(page, "Men").fill("370")
    page.get_by_role("button", name="Next").click()
    expect(page.get_by_text("Step 3 of 4")).to_be_visible()
    expect(page.locator("#error-summary")).to_be_hidden()
    expect(page.locator("input[name='commitment-compliance_officer'][value='willing']")).to_be_checked()
    page.get_by_role("button", name="Next").click()
    expect(field(page, "Your name")).to_have_value("Ayesha Malik")
    page.get_by_role("button", name="Review your answers").click()
    expect(page.get_by_role("heading", level=1, name="Review your answers")).to_be_visible()
    assert len(posts) == 2, posts

    # The review: every answer by step, nothing sent yet; a change goes back to its step and returns here.
    expect(page.get_by_role("heading", name="2. Workforce")).to_be_visible()
    expect(page.locator("dd", has_text="Indus Knitwear (Pvt) Ltd")).to_be_visible()
    assert ExpressionOfInterest.objects.count() == 0
    page.get_by_role("link", name="Change – Enterprise").click()
    expect(page.get_by_text("Step 1 of 4")).to_be_visible()
    expect(field(page, "City")).to_have_value("Lahore")
    field(page, "City").fill("Faisalabad")
    page.get_by_role("button", name="Save and return to the review").click()
    expect(page.get_by_role("heading", level=1, name="Review your answers")).to_be_visible()
    expect(page.locator("dd", has_text="Faisalabad")).to_be_visible()
    expect(page.locator("dd", has_text="Ayesha Malik")).to_be_visible()  # the later steps are kept
    page.get_by_role("button", name="Send my expression of interest").click()

    # The confirmation page, with the reference and the secret status link.
    expect(page.get_by_role("heading", name=re.compile("we received your expression of interest"))).to_be_visible()
    eoi = ExpressionOfInterest.objects.get()
    expect(page.locator("#eoi-reference")).to_have_text(eoi.reference)
    assert re.fullmatch(r"SCORE-PK-\d{4}-\d{4}", eoi.reference)
    assert eoi.workforce_men == 370 and eoi.compliance_officer == "willing" and eoi.city == "Faisalabad"
    assert len(mailoutbox) == 1 and eoi.status_token in mailoutbox[0].body

    page.locator("#status-link").click()
    expect(page).to_have_url(f"{live_server.url}/eoi/status/{eoi.status_token}/")
    expect(page.locator("#eoi-reference")).to_have_text(eoi.reference)
    expect(page.locator("#eoi-enterprise")).to_have_text("Indus Knitwear (Pvt) Ltd")
    expect(page.locator("#eoi-status")).to_have_text("Under review by the ILO")
    # The Content-Security-Policy (no inline scripts or styles) held on every page of the journey.
    assert csp_violations == []


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_answers_typed_and_not_sent_are_kept_when_the_visitor_leaves_the_page(live_server, page):
    call = CallFactory()
    page.set_default_timeout(15_000)
    page.goto(f"{live_server.url}/apply/{call.pk}/")
    answer_the_enterprise_step(page)
    page.get_by_role("button", name="Next").click()
    field(page, "Total workforce").fill("620")

    # The visitor switches to another tab or app: the page hands its answers to the server.
    with page.expect_response(lambda response: response.request.method == "POST") as sent:
        page.evaluate(
            """() => {
                Object.defineProperty(document, "visibilityState", {value: "hidden", configurable: true});
                document.dispatchEvent(new Event("visibilitychange"));
            }"""
        )
    assert sent.value.status == 204

    # Back later, in a new page: the step they were on, with what they typed, and the first step kept.
    page.goto(f"{live_server.url}/apply/{call.pk}/")
    expect(page.get_by_text("Step 2 of 4")).to_be_visible()
    expect(field(page, "Total workforce")).to_have_value("620")
    page.get_by_role("button", name="Back").click()
    expect(field(page, "City")).to_have_value("Lahore")
    assert ExpressionOfInterest.objects.count() == 0


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_without_script_each_step_is_a_page_of_its_own(live_server, browser):
    """A browser with JavaScript off sees one step at a time and sends each on its own."""
    call = CallFactory()
    context = browser.new_context(java_script_enabled=False, locale="en-GB")
    page = context.new_page()
    page.set_default_timeout(15_000)
    page.goto(f"{live_server.url}/apply/{call.pk}/")
    expect(field(page, "Total workforce")).to_be_hidden()  # the other steps are in the page, hidden
    answer_the_enterprise_step(page)
    with page.expect_navigation():
        page.get_by_role("button", name="Next").click()
    expect(page.get_by_text("Step 2 of 4")).to_be_visible()
    expect(field(page, "Legal name")).to_be_hidden()
    with page.expect_navigation():
        page.get_by_role("button", name="Back").click()
    expect(field(page, "City")).to_have_value("Lahore")
    context.close()
