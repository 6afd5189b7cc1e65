"""A bounded fuzz of the public EOI form: about 500 posts of broken, tampered, oversized and foreign
input over all four steps. Whatever arrives, the portal answers without a server error (no 5xx),
saves no expression of interest, and the form still opens afterwards.

Every post carries at least one answer that cannot be valid on its last step (contact) — so a complete,
valid EOI is never sent, and "no row" holds because the checks hold, not by luck. The other steps are
sometimes posted valid, so that the wizard moves forward and back through all of them. Hypothesis runs
derandomized: the same posts in every run, and a failure comes back shrunk to a small case."""

import pytest
from django.test import Client
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from enterprises.models import ExpressionOfInterest
from enterprises.screening.forms import HONEYPOT_FIELD, STEPS
from enterprises.tests.factories import CallFactory
from enterprises.tests.public_form import review_url, step_post, wizard_url

pytestmark = pytest.mark.django_db

STEP_NAMES = [name for name, _form, _title in STEPS]
LAST_STEP = STEP_NAMES[-1]
EXAMPLES = 130  # about four posts each: some 500 posts


def _required_fields():
    """For each step, its required fields and what kind of value each takes."""
    kinds = {}
    for name, form_class, _title in STEPS:
        form = form_class(call=None) if name == "enterprise" else form_class()
        kinds[name] = {
            field_name: type(field).__name__ for field_name, field in form.fields.items() if field.required
        }
    return kinds


REQUIRED = _required_fields()

junk = st.text(max_size=40)
huge = st.integers(min_value=301, max_value=5_000).map(lambda n: "Ω" * n)


def never_valid(kind: str):
    """Values that a field of this kind must refuse; None means the field is left out."""
    common = [st.none(), st.just(""), st.just("   "), junk.map(lambda t: t + "\x00"), huge]
    specific = {
        "IntegerField": [junk.map(lambda t: "x" + t), st.just("9" * 40), st.just("-5"), st.just("1e3")],
        "TypedChoiceField": [junk.map(lambda t: "x" + t)],
        "ChoiceField": [junk.map(lambda t: "x" + t)],
        "EmailField": [st.text(alphabet=st.characters(blacklist_characters="@"), max_size=40).map(lambda t: "x" + t)],
        "BooleanField": [st.none()],
    }.get(kind, [])
    if kind == "BooleanField":
        return st.none()  # an unticked checkbox sends nothing
    return st.one_of(*common, *specific)


@st.composite
def a_post(draw, call):
    """One POST to the form: a step's answers, broken in at least one place when it is the last step,
    with stray fields, odd management values, the trap field or a step to go back to."""
    prefix = f"eoi_{call.pk}"
    step = draw(st.sampled_from(STEP_NAMES))
    post = step_post(call, step)
    breaks = draw(st.integers(min_value=1 if step == LAST_STEP else 0, max_value=3))
    for _ in range(breaks):
        field = draw(st.sampled_from(sorted(REQUIRED[step])))
        value = draw(never_valid(REQUIRED[step][field]))
        if value is None:
            post.pop(f"{step}-{field}", None)
        else:
            post[f"{step}-{field}"] = value
    # Optional answers in any script and any size.
    for field in draw(st.lists(st.sampled_from(["export_markets", "main_buyers", "nominee_name"]), max_size=2)):
        post[f"{step}-{field}"] = draw(st.one_of(junk, huge))
    # Fields nobody asked for.
    post.update(draw(st.dictionaries(st.text(min_size=1, max_size=20), junk, max_size=4)))
    management = draw(st.sampled_from(["keep", "keep", "keep", "missing", "unknown", "other step"]))
    if management == "missing":
        post.pop(f"{prefix}-current_step")
    elif management == "unknown":
        post[f"{prefix}-current_step"] = draw(junk)
    elif management == "other step":
        post[f"{prefix}-current_step"] = draw(st.sampled_from(STEP_NAMES))
    if draw(st.integers(0, 5)) == 0:
        post["wizard_goto_step"] = draw(st.one_of(st.sampled_from(STEP_NAMES), junk))
    if draw(st.integers(0, 9)) == 0:
        post[HONEYPOT_FIELD] = draw(junk)
    return post


def test_fuzzed_posts_over_every_step_never_fail_and_never_save(django_capture_on_commit_callbacks, mailoutbox):
    call = CallFactory()
    url = wizard_url(call)
    sent = []

    @settings(
        max_examples=EXAMPLES,
        derandomize=True,
        database=None,
        deadline=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.large_base_example],
    )
    @given(posts=st.lists(a_post(call), min_size=2, max_size=7))
    def visitor_sends(posts):
        client = Client(REMOTE_ADDR="192.0.2.77")
        for post in posts:
            with django_capture_on_commit_callbacks(execute=True):
                response = client.post(url, post)
            sent.append(response.status_code)
            assert response.status_code < 500, post
            assert ExpressionOfInterest.objects.count() == 0, post
        # Whatever was stored, the form still opens, and the review sends nothing invalid.
        assert client.get(url).status_code == 200
        with django_capture_on_commit_callbacks(execute=True):
            assert client.get(review_url(call)).status_code in (200, 302)
            assert client.post(review_url(call)).status_code < 500
        assert ExpressionOfInterest.objects.count() == 0

    visitor_sends()
    assert len(sent) >= 400
    assert ExpressionOfInterest.objects.count() == 0 and mailoutbox == []
    # The fuzz reached the form's own answers, not only the 400 for a broken page.
    assert sent.count(200) > 100 and sent.count(400) > 20


def test_a_body_too_large_or_with_too_many_fields_is_refused_without_a_server_error(client):
    call = CallFactory()
    url = wizard_url(call)
    too_many = step_post(call, "enterprise") | {f"extra-{i}": "x" for i in range(1100)}
    assert client.post(url, too_many).status_code == 400
    too_big = step_post(call, "enterprise") | {"enterprise-products": "x" * 3_000_000}
    assert client.post(url, too_big).status_code == 400
    assert ExpressionOfInterest.objects.count() == 0
