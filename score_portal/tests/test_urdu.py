"""Everything an enterprise sees is in Urdu when Urdu is chosen.

Each page is rendered twice, in English and in Urdu, with the same data. A piece of visible text
(a text node, or an aria-label, title, alt or placeholder) that comes out the same in both and still
holds English words once the data typed by people (names, titles, emails, references, links) and the
programme's acronyms are taken out, was not translated. So is a run of three English words anywhere
in the Urdu page. The test names every such piece, with its page.
"""

import io
import re
from html.parser import HTMLParser
from urllib.parse import urlsplit

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation

from enterprises.models import ExpressionOfInterest, LetterKind, StageTransition
from enterprises.path import letters
from enterprises.screening import services as screening_services
from enterprises.screening.forms import STEPS
from enterprises.tests.factories import CallFactory, eoi_data
from enterprises.tests.public_form import review_url, step_post, wizard_url

pytestmark = pytest.mark.django_db

# Words that stay as they are in Urdu text: the programme's name and acronyms, units, the language's own name.
KEPT_AS_IS = [
    "SCORE Portal",
    "SCORE",
    "ILO",
    "CEO",
    "NTN",
    "KPI",
    "PKR",
    "EU",
    "UK",
    "USA",
    "EIT",
    "5S",
    "HR",
    "PDF",
    "English",
    "WhatsApp",
    "kWh",
]
SHOWN_ATTRIBUTES = ("aria-label", "title", "alt", "placeholder")
LATIN_WORD = re.compile(r"[A-Za-z]{2,}")
# A reference code or key: capitals and digits, with a digit in it (EOI-2018-0003, a two-factor key).
CODE = re.compile(r"\b(?=[A-Z0-9-]*[0-9])[A-Z0-9][A-Z0-9-]{3,}\b")
THREE_ENGLISH_WORDS = re.compile(r"[A-Za-z]{2,}[\s,.:;]+[A-Za-z]{2,}[\s,.:;]+[A-Za-z]{2,}")


class VisibleText(HTMLParser):
    """The text a person sees or hears: text nodes outside <script>/<style>/<head>, and labels in attributes.
    Text in <code> is what is typed as it stands (a spreadsheet's column names, YYYY-MM): not a sentence."""

    HIDDEN = {"script", "style", "head", "template", "code"}

    def __init__(self):
        super().__init__()
        self.pieces: list[str] = []
        self._hidden = 0

    def handle_starttag(self, tag, attrs):
        if tag in self.HIDDEN:
            self._hidden += 1
        attributes = dict(attrs)
        for name in SHOWN_ATTRIBUTES:
            if attributes.get(name):
                self.pieces.append(attributes[name])
        if tag == "title":
            self._hidden -= 1  # <title> is inside <head> but is read out: count it as visible

    def handle_endtag(self, tag):
        if tag in self.HIDDEN:
            self._hidden -= 1
        if tag == "title":
            self._hidden += 1

    def handle_data(self, data):
        if self._hidden <= 0 and data.strip():
            self.pieces.append(data)


def visible_pieces(html: str) -> list[str]:
    parser = VisibleText()
    parser.feed(html)
    return [" ".join(piece.split()) for piece in parser.pieces]


def untranslated(english: str, urdu: str, data: list[str]) -> list[str]:
    """The pieces of the Urdu page that are still English, apart from `data` and KEPT_AS_IS."""
    english_pieces = set(visible_pieces(english))
    kept = sorted({str(value) for value in [*data, *KEPT_AS_IS] if value}, key=len, reverse=True)
    found = []
    for piece in visible_pieces(urdu):
        # addresses first: a user name kept as data is also the start of its email address
        rest = re.sub(r"https?://\S+|\S+@\S+", " ", piece)
        for value in kept:
            rest = rest.replace(value, " ")
        rest = CODE.sub(" ", rest)
        if (piece in english_pieces and LATIN_WORD.search(rest)) or THREE_ENGLISH_WORDS.search(rest):
            found.append(piece)
    return sorted(set(found))


# ---------------------------------------------------------------- the pages, in either language
@pytest.fixture
def call():
    return CallFactory(title="Pakistan SCORE Programme 2026")


@pytest.fixture
def eoi(call):
    return screening_services.submit_expression_of_interest(call, eoi_data(registration_number="4410-7"))


def data_of(call, eoi, *users) -> list[str]:
    """What people typed: it stays as typed in any language."""
    values = [call.title, call.contact_name, call.contact_email, call.contact_phone, call.description]
    fields = [f.name for f in ExpressionOfInterest._meta.fields if f.get_internal_type() in ("CharField", "TextField")]
    values += [getattr(eoi, name) for name in fields]
    values += [str(call.closes_on.year), *(u.get_full_name() for u in users), *(u.username for u in users)]
    return values


def in_language(client, language: str):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    return client


STEPS_BY_NAME = [(name, form) for name, form, _title in STEPS]


def public_pages(client, call, eoi) -> dict[str, str]:
    """Every public page an enterprise meets, with every step of the form shown empty and with its errors."""
    pages = {
        "calls": client.get(reverse("enterprises:public_calls")),
        "status": client.get(reverse("enterprises:public_eoi_status", kwargs={"token": eoi.status_token})),
        "done": client.get(reverse("enterprises:public_apply_done", kwargs={"token": eoi.status_token})),
    }
    answers = eoi_data(registration_number="4410-8", ceo_available=False)
    url = wizard_url(call)
    for name, _form in STEPS_BY_NAME:
        prefix = f"eoi_{call.pk}-current_step"
        pages[f"step {name}"] = client.get(url)
        pages[f"step {name} with errors"] = client.post(url, {prefix: name, f"{name}-year_established": "x"})
        response = client.post(url, step_post(call, name, answers))
        assert response.status_code in (200, 302), (name, response.status_code)
    pages["review"] = client.get(review_url(call))
    pages["a step changed from the review"] = client.get(url + "?step=commitment")
    call.closes_on = call.opens_on  # closed: the page that says so
    call.save()
    pages["closed call"] = client.get(url)
    return {name: response.content.decode() for name, response in pages.items()}


# The enterprise contact's own pages, from its menu.
CONTACT_PAGES = {
    "contact improvement work": "training:home",
    "contact indicators": "baseline:enterprise_list",
    "contact calendar": "training:calendar",
    "contact notifications": "notifications:list",
    "contact notification settings": "notifications:preferences",
}


def account_pages(client, contact, language) -> dict[str, str]:
    client.logout()  # which forgets the cookies, the language's too
    in_language(client, language)
    pages = {
        "login": client.get(reverse("login")),
        "login with errors": client.post(reverse("login"), {"username": contact.username, "password": "wrong"}),
        "password reset": client.get(reverse("password_reset")),
        "password reset sent": client.get(reverse("password_reset_done")),
        "password reset bad link": client.get(
            reverse("password_reset_confirm", kwargs={"uidb64": "MQ", "token": "set-password"}), follow=True
        ),
        "password reset complete": client.get(reverse("password_reset_complete")),
    }
    client.force_login(contact)
    pages["contact home"] = client.get(reverse("home"))
    pages["contact enterprise"] = client.get(reverse("enterprises:my_enterprise"), follow=True)
    for name, url in CONTACT_PAGES.items():
        pages[name] = client.get(reverse(url), follow=True)
    pages["password change"] = client.get(reverse("password_change"))
    pages["password change with errors"] = client.post(reverse("password_change"), {"old_password": "x"})
    pages["password changed"] = client.get(reverse("password_change_done"))
    client.post(reverse("logout"))
    pages["logged out"] = client.post(reverse("logout"))
    return {name: response.content.decode() for name, response in pages.items()}


def assert_translated(english_pages, urdu_pages, data):
    problems = {
        name: untranslated(english_pages[name], urdu_pages[name], data)
        for name in english_pages
        if untranslated(english_pages[name], urdu_pages[name], data)
    }
    assert not problems, "Untranslated on the Urdu pages:\n" + "\n".join(
        f"  {name}: {piece!r}" for name, pieces in problems.items() for piece in pieces
    )


# ---------------------------------------------------------------- the checks
def test_the_check_finds_english_left_in_a_page():
    english = "<p>Reference</p><p>Dear Ayesha,</p><button aria-label='Close'>x</button>"
    urdu = "<p>حوالہ</p><p>Dear Ayesha,</p><button aria-label='Close'>x</button>"
    assert untranslated(english, urdu, ["Ayesha"]) == ["Close", "Dear Ayesha,"]
    translated = "<p>حوالہ</p><p>محترم Ayesha،</p><button aria-label='بند'>x</button>"
    assert untranslated(english, translated, ["Ayesha"]) == []


def test_every_public_page_and_step_of_the_form_is_in_urdu(client, call, eoi):
    english = public_pages(in_language(client, "en"), call, eoi)
    call.closes_on = CallFactory.closes_on.function()
    call.save()
    client.cookies.clear()
    urdu = public_pages(in_language(client, "ur"), call, eoi)
    assert 'dir="rtl"' in urdu["calls"] and 'lang="ur"' in urdu["calls"]
    assert_translated(english, urdu, data_of(call, eoi))


def test_login_password_and_the_contacts_own_pages_are_in_urdu(client, contact, enterprise):
    from score_portal.models import NotificationKind
    from score_portal.notifications import notify

    eoi = enterprise.expression_of_interest
    # Unread, one with a link and one without: their buttons show (the titles are data, told in one language).
    notify(user=contact, kind=NotificationKind.SHORTLISTED, ref="a", title=enterprise.legal_name, url="/")
    notify(user=contact, kind=NotificationKind.ACCEPTED, ref="b", title=enterprise.legal_name)
    english = account_pages(client, contact, "en")
    urdu = account_pages(client, contact, "ur")
    # The reasons on the path were recorded by the officers, in their words at the time: shown as written.
    reasons = list(StageTransition.objects.filter(enterprise=enterprise).values_list("reason", flat=True))
    data = [*data_of(enterprise.call, eoi, contact), enterprise.legal_name, enterprise.city, *reasons]
    assert_translated(english, urdu, data)


def as_page(subject: str, body: str) -> str:
    return f"<p>{subject}</p>" + "".join(f"<p>{line}</p>" for line in body.split("\n"))


def test_the_acknowledgement_is_in_the_language_of_the_form(call, eoi):
    status_url = "https://score.example.org/eoi/status/abc/"
    mails = {}
    for language in ("en", "ur"):
        eoi.language = language
        with translation.override("en"):  # whatever the officer or worker reads, the EOI's language counts
            mails[language] = screening_services.send_acknowledgement(eoi, status_url)
    assert "دلچسپی" in mails["ur"].subject and "\u2068" + eoi.reference + "\u2069" in mails["ur"].subject
    assert status_url in mails["ur"].body
    english, urdu = (as_page(m.subject, m.body) for m in (mails["en"], mails["ur"]))
    assert untranslated(english, urdu, data_of(call, eoi)) == []


def letter_pdf_html(enterprise, kind: str) -> str:
    letter = letters.render_letter(enterprise, kind)
    with translation.override(letters.language_of(enterprise)):
        return render_to_string(
            "reporting/pdf/letter.html",
            {
                "title": str(LetterKind(kind).label),
                "subtitle": enterprise.legal_name,
                "enterprise": enterprise,
                "eoi": enterprise.expression_of_interest,
                "call": enterprise.call,
                "subject": letter.subject,
                "body": letter.text,
                "generated_at": timezone.now(),
            },
        )


@pytest.mark.parametrize("kind", LetterKind.values)
def test_letters_are_in_the_language_of_the_expression_of_interest(officer, enterprise, kind):
    eoi = enterprise.expression_of_interest
    data = [*data_of(enterprise.call, eoi), enterprise.legal_name, enterprise.city]
    english = letter_pdf_html(enterprise, kind)
    ExpressionOfInterest.objects.filter(pk=eoi.pk).update(language="ur")
    enterprise.expression_of_interest.refresh_from_db()
    urdu = letter_pdf_html(enterprise, kind)
    assert 'lang="ur" dir="rtl"' in urdu and "report-rtl" in urdu
    assert untranslated(english, urdu, data) == []
    sent = letters.send_letter(enterprise, kind, by=officer)
    assert "محترم" in sent.body and enterprise.legal_name in sent.body


# ---------------------------------------------------------------- the translation files and the chosen language
PLACEHOLDERS = re.compile(r"%\([a-z_0-9]+\)[sd]|\{\{ ?[a-z_]+ ?\}\}")


def test_every_translation_keeps_the_placeholders_of_its_message():
    import polib

    from score_portal.translations import po_files

    wrong = []
    for path in po_files():
        for entry in polib.pofile(str(path)).translated_entries():
            pairs = (
                [(entry.msgid, entry.msgstr)]
                if not entry.msgid_plural
                else [(entry.msgid_plural, text) for text in entry.msgstr_plural.values()]
            )
            for msgid, msgstr in pairs:
                if sorted(PLACEHOLDERS.findall(msgid)) != sorted(PLACEHOLDERS.findall(msgstr)):
                    wrong.append(msgid[:60])
    assert wrong == []


def test_the_language_chosen_on_a_page_is_remembered(client):
    response = client.post(reverse("set_language"), {"language": "ur", "next": reverse("enterprises:public_calls")})
    cookie = response.cookies[settings.LANGUAGE_COOKIE_NAME]
    assert cookie.value == "ur" and int(cookie["max-age"]) >= 300 * 24 * 3600
    page = client.get(reverse("enterprises:public_calls")).content.decode()
    assert 'lang="ur"' in page and "اظہارِ دلچسپی" in page
    # each language is offered in its own name and script
    assert '<option value="en" lang="en">English</option>' in page
    assert 'lang="ur" selected>اردو</option>' in page


def test_an_eoi_sent_in_urdu_records_it_and_is_acknowledged_in_urdu(client, call, django_capture_on_commit_callbacks):
    from score_portal.models import OutgoingMessage

    in_language(client, "ur")
    answers = eoi_data(registration_number="4410-9", contact_email="owner@knit.example.pk")
    with django_capture_on_commit_callbacks(execute=True):
        for name, _form in STEPS_BY_NAME:
            response = client.post(wizard_url(call), step_post(call, name, answers))
        assert response.status_code == 302 and response["Location"] == review_url(call)
        review = client.get(review_url(call)).content.decode()
        assert "میرا اظہارِ دلچسپی بھیجیں" in review and "تبدیل کریں" in review
        assert client.post(review_url(call)).status_code == 302
    eoi = ExpressionOfInterest.objects.get(registration_number="4410-9")
    assert eoi.language == "ur"
    message = OutgoingMessage.objects.get(to=["owner@knit.example.pk"])
    assert "موصول" in message.subject and "محترم" in message.body


def test_the_letter_pdf_of_an_urdu_enterprise_is_urdu_in_nastaliq(officer, enterprise, tmp_path):
    import os
    from pathlib import Path

    from reporting import reports
    from reporting.models import FileFormat, ReportJob, ReportKind
    from reporting.tests.helpers import pdf_fonts, pdf_text

    ExpressionOfInterest.objects.filter(pk=enterprise.expression_of_interest.pk).update(language="ur")
    job = ReportJob.objects.create(
        kind=ReportKind.LETTER,
        requested_by=officer,  # an officer reading English asks for it: the letter is still the enterprise's Urdu
        enterprise=enterprise,
        params={"letter_kind": LetterKind.SHORTLISTING},
        file_format=FileFormat.PDF,
        signature="urdu-letter",
    )
    with translation.override("en"):
        content = reports.render(job).content
    folder = Path(os.environ.get("SCORE_SCREENSHOTS", tmp_path))
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "letter-ur.pdf").write_bytes(content)
    fonts = pdf_fonts(content)
    assert "Noto-Nastaliq-Urdu" in fonts, fonts
    text = " ".join(pdf_text(content).split())
    # pypdf reads Nastaliq's ligatures back only roughly: Urdu letters are there, the English words are not.
    assert len(re.findall(r"[\u0600-\u06ff]", text)) > 300 and enterprise.expression_of_interest.reference in text
    assert "Dear" not in text and "shortlisted" not in text


def test_an_urdu_report_without_the_nastaliq_font_fails_instead_of_falling_back():
    from reporting.pdf import MissingResource, html_to_pdf

    stylesheets = "".join(
        f'<link rel="stylesheet" href="/static/reporting/{name}">' for name in ("report.css", "report-rtl.css")
    )
    with translation.override("ur"):
        assert html_to_pdf(f"{stylesheets}<p>محترم Ayesha Malik،</p>").startswith(b"%PDF")
        # Nothing drawn in Nastaliq (as when the font is not installed): the job says so rather than
        # sending an Urdu letter in whatever font was found.
        with pytest.raises(MissingResource, match="Noto Nastaliq Urdu"):
            html_to_pdf('<link rel="stylesheet" href="/static/reporting/report.css"><p>Ayesha Malik</p>')


def test_the_password_reset_mail_is_in_the_language_of_the_page(client, contact, mailoutbox):
    in_language(client, "ur")
    client.post(reverse("password_reset"), {"email": contact.email})
    assert len(mailoutbox) == 1
    assert "پاس ورڈ" in mailoutbox[0].subject
    assert "براہِ کرم درج ذیل صفحے پر جا کر نیا پاس ورڈ چنیں" in mailoutbox[0].body


# ---------------------------------------------------------------- the enterprise contact's pages, with data in them
# People's words kept in the database: they stay as typed in either language. The catalogue's words (indicator,
# module and holiday names) are not among them: those are translated.
TYPED_FIELDS = {
    "enterprises.Call": ["title", "description", "contact_name"],
    "enterprises.Enterprise": ["legal_name", "city"],
    "enterprises.Level1Batch": ["name", "notes"],
    "enterprises.StageTransition": ["reason", "override_justification", "data_justification"],
    "enterprises.CeoMeeting": ["attendees", "notes"],
    "enterprises.HiringCondition": ["hired_name"],
    "enterprises.EnterpriseContact": ["position"],
    "baseline.OrderLine": ["buyer", "product"],
    "baseline.Submission": ["comment"],
    "training.Visit": ["people_met", "topics", "findings"],
    "training.VisitAction": ["what", "owner"],
    "training.PhotoPair": ["area", "caption"],
    "training.EitMember": ["name", "department"],
    "training.EitMeeting": ["decisions"],
    "training.PlanItem": ["problem", "action", "owner"],
    "training.Suggestion": ["text", "reward"],
    "training.TrainingGroup": ["name", "venue"],
    "training.Session": ["venue"],
    "training.Participant": ["name", "position"],
}


def typed_data() -> list[str]:
    from django.apps import apps

    values = []
    for label, fields in TYPED_FIELDS.items():
        for row in apps.get_model(label).objects.values_list(*fields):
            for value in row:
                text = " ".join(str(value or "").split())
                # a list typed one per line is shown one per line, or joined by commas
                values += [text, *(line.strip(" -•") for line in str(value or "").splitlines())]
    for user in get_user_model().objects.all():
        values += [user.get_full_name(), user.username, user.email]
    values += ExpressionOfInterest.objects.values_list("contact_name", flat=True)
    values += ExpressionOfInterest.objects.values_list("nominee_name", flat=True)
    values += ExpressionOfInterest.objects.values_list("reference", flat=True)
    return [value for value in values if value]


@pytest.fixture(scope="module")
def demo(module_db, tmp_path_factory):
    """The demo's story (seed_demo): its enterprise contact's enterprise has rounds with monthly values and
    practices, visits with agreed actions, 5S photos, an EIT, a plan, suggestions, an order book and sessions."""
    from django.test import override_settings

    with override_settings(MEDIA_ROOT=tmp_path_factory.mktemp("media")):
        call_command("seed_demo", "--seed", "3", "--enterprises", "12", stdout=io.StringIO())
        yield get_user_model().objects.get(username="enterprise")


# Not a page: files, feeds, switching language or logging out, the phone's service worker.
NOT_PAGES = re.compile(
    r"^/(static|media|i18n|admin|feeds|accounts/logout|sw\.js|offline)/?|/photos/|\.(csv|ics|pdf|xlsx)$"
)
# The same page in another order or on another page of its list.
SAME_PAGE = re.compile(r"[?&](sort|page|format|o)=")


def contact_links(html: str) -> list[str]:
    found = []
    for href in re.findall(r'href="([^"#]*)"', html):
        href = href.replace("&amp;", "&")
        parts = urlsplit(href)
        if parts.netloc or not href.startswith("/") or NOT_PAGES.search(parts.path) or SAME_PAGE.search(href):
            continue
        found.append(href)
    return found


def contact_visit(client, contact) -> dict[str, str]:
    """Every page the contact reaches by following links from the home page and its menu, plus the pages it
    reaches by sending forms: the monthly entry (with mistakes, then sent), an order line, an order import."""
    from baseline.models import RoundKind
    from enterprises.models import EnterpriseContact

    enterprise = EnterpriseContact.objects.get(user=contact).enterprise
    follow_up = enterprise.measurement_rounds.filter(kind=RoundKind.FOLLOW_UP).order_by("-pk").first()
    month_url = reverse("baseline:month_entry", args=[follow_up.pk])
    orders_url = reverse("baseline:order_book", args=[enterprise.pk])
    import_url = reverse("baseline:order_import", args=[enterprise.pk])
    pages, seen, refused = {}, set(), []
    queue = [reverse("home"), month_url, import_url, reverse("notifications:preferences")]
    while queue:
        url = queue.pop(0)
        if url in seen:
            continue
        seen.add(url)
        response = client.get(url)
        if response.status_code == 302:  # "Our enterprise" leads to the enterprise's own page
            queue.append(response["Location"])
            continue
        if response.status_code != 200:
            refused.append(f"{url} ({response.status_code})")
            continue
        if "html" not in response.get("Content-Type", ""):
            continue
        pages[url] = response.content.decode()
        queue += contact_links(pages[url])
    assert not refused, f"the contact is shown links it may not follow: {refused}"
    month = follow_up.month_list()[0].strftime("%Y-%m")
    pages["monthly entry with mistakes"] = client.post(
        month_url, {"month": month, "units_checked": "10", "defective_units": "25", "hours_worked": "x"}
    ).content.decode()
    pages["monthly entry sent"] = client.post(
        month_url, {"month": month, "units_checked": "1000", "defective_units": "25"}, follow=True
    ).content.decode()
    pages["order line with mistakes"] = client.post(orders_url, {"quantity": "-1"}).content.decode()
    pages["order import preview"] = client.post(import_url, {"text": PASTED_ORDERS}).content.decode()
    return pages


# Two rows pasted into the order import, one of them wrong; shown back as typed in the preview.
PASTED_ORDERS = "month,buyer,product,quantity,value_pkr,status\n2031-01,Kiabi,Denim,100,5000,confirmed\nx,,,,,"


def test_every_page_the_enterprise_contact_reaches_is_in_urdu(client, demo):
    client.force_login(demo)
    english = contact_visit(in_language(client, "en"), demo)
    urdu = contact_visit(in_language(client, "ur"), demo)
    assert set(urdu) == set(english)
    # the pages the contact works with are among them
    for page in ("/", "/baseline/rounds/", "/month/", "/orders/", "/submissions/", "/plan/", "/training/calendar/"):
        assert any(page in url for url in english), page
    assert 'dir="rtl"' in urdu["/"]
    pasted = [" ".join(PASTED_ORDERS.split()), *re.split(r"[\n,]", PASTED_ORDERS)]
    assert_translated(english, urdu, [*typed_data(), *pasted])
