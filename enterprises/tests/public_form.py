"""Walking the public EOI form in tests: each step's POST, then the review page and its send button.

One place for every test that fills the form (this app's, the Urdu and production tests): the four
steps lead to the review, and only the review's button sends the expression of interest."""

from django.urls import reverse

from enterprises.screening.forms import STEPS
from enterprises.tests.factories import eoi_data

STEP_FIELDS = {name: list(form._meta.fields) for name, form, _title in STEPS}
LAST_STEP = STEPS[-1][0]


def wizard_url(call) -> str:
    return reverse("enterprises:public_apply_call", kwargs={"call_id": call.pk})


def review_url(call) -> str:
    return reverse("enterprises:public_apply_review", kwargs={"call_id": call.pk})


def step_post(call, step, data=None, **overrides) -> dict:
    """One step's POST as the browser sends it; `data` (default: eoi_data(**overrides)) gives the answers.
    The yes/no radios post "True" / "False"; the consent checkbox posts "on" or nothing."""
    data = data if data is not None else eoi_data(**overrides)
    post = {f"eoi_{call.pk}-current_step": step}
    for name in STEP_FIELDS[step]:
        value = data[name]
        if name == "consent":
            if value:
                post[f"{step}-consent"] = "on"
            continue
        if value is None:
            continue
        post[f"{step}-{name}"] = str(value)
    return post


def all_steps_post(call, **overrides) -> dict:
    """Every step's answers in one POST, as the page's script sends them (enterprises/eoi_steps.js)."""
    post = {}
    for name, _form, _title in STEPS:
        post.update(step_post(call, name, **overrides))
    post[f"eoi_{call.pk}-current_step"] = "all"
    return post


def post_step(client, call, step, **overrides):
    return client.post(wizard_url(call), step_post(call, step, **overrides))


def fill_until(client, call, last_step, **overrides):
    """Post every step up to and including last_step; return the last response (after the last step:
    the redirect to the review)."""
    for name, _form, _title in STEPS:
        response = post_step(client, call, name, **overrides)
        if name == last_step:
            return response
        assert response.status_code == 200, response.status_code
        assert not response.context["form"].errors, (name, response.context["form"].errors)
    raise AssertionError(f"no step {last_step!r}")


def send_from_review(client, call):
    """Open the review (it must show every step's answers) and press its send button."""
    review = client.get(review_url(call))
    assert review.status_code == 200, review.status_code
    assert "Send my expression of interest" in review.content.decode() or review.context["groups"]
    return client.post(review_url(call))


def fill_and_send(client, call, **overrides):
    """The whole form as an applicant sends it: the four steps, the review, then its send button."""
    response = fill_until(client, call, LAST_STEP, **overrides)
    assert response.status_code == 302 and response["Location"] == review_url(call), response.status_code
    return send_from_review(client, call)


def submit(client, call, django_capture_on_commit_callbacks, **overrides):
    """fill_and_send with the mail queued on commit actually handed over (as after a real commit)."""
    with django_capture_on_commit_callbacks(execute=True):
        return fill_and_send(client, call, **overrides)
