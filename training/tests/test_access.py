"""Every visit, EIT, plan, suggestion and photo URL × every persona → the expected status.

`consultant` is assigned to `enterprise` and `contact` is its own contact; `other_consultant` and
`other_contact` belong to `other_enterprise`. Outside one's scope the answer is 404, never the data.
"""

import pytest
from django.db import transaction
from django.urls import reverse

from training.models import Visit, VisitStatus

from .factories import make_action, make_member, make_photo_pair, make_plan_item, make_suggestion, make_visit

PERSONAS = ("officer", "consultant", "other_consultant", "contact", "other_contact", "anonymous")

# Reading an enterprise's training data: whoever may see the enterprise.
VIEW = {"officer": 200, "consultant": 200, "other_consultant": 404, "contact": 200, "other_contact": 404}
# Opening a page that writes: officers and the assigned consultant; the own contact only reads (403).
WORK_PAGE = {"officer": 200, "consultant": 200, "other_consultant": 404, "contact": 403, "other_contact": 404}
# Posting a write: success redirects.
WORK_POST = {"officer": 302, "consultant": 302, "other_consultant": 404, "contact": 403, "other_contact": 404}
# A draft visit is its author's (and officers') only.
DRAFT_PAGE = {"officer": 200, "consultant": 200, "other_consultant": 404, "contact": 404, "other_contact": 404}
DRAFT_POST = {"officer": 302, "consultant": 302, "other_consultant": 404, "contact": 404, "other_contact": 404}
# Lists are scoped, never refused.
LIST = {"officer": 200, "consultant": 200, "other_consultant": 200, "contact": 200, "other_contact": 200}


@pytest.fixture
def world(enterprise, consultant, officer):
    visit = make_visit(enterprise, consultant, findings="Secret finding of Indus")
    draft = make_visit(enterprise, consultant, status=VisitStatus.DRAFT, purpose="", start_time=None, end_time=None)
    action = make_action(visit)
    pair = make_photo_pair(enterprise, officer)
    member = make_member(enterprise)
    item = make_plan_item(enterprise)
    suggestion = make_suggestion(enterprise)
    return {
        "enterprise": enterprise.pk,
        "visit": visit.pk,
        "draft": draft.pk,
        "action": action.pk,
        "pair": pair.pk,
        "member": member.pk,
        "item": item.pk,
        "suggestion": suggestion.pk,
    }


def _visit_post(world):
    return {
        "date": "2026-01-10",
        "start_time": "09:00",
        "end_time": "11:00",
        "purpose": "level1_follow_up",
        "findings": "Amended findings",
        "reason": "Typo in the findings",
        "actions-TOTAL_FORMS": "0",
        "actions-INITIAL_FORMS": "0",
    }


CASES = [
    # name, method, url name, url kwargs (keys of world), post data, expected
    ("enterprise page", "get", "training:enterprise_detail", {"pk": "enterprise"}, None, VIEW),
    ("visit detail", "get", "training:visit_detail", {"pk": "visit"}, None, VIEW),
    ("visit history", "get", "training:visit_history", {"pk": "visit"}, None, VIEW),
    ("visit amend page", "get", "training:visit_edit", {"pk": "visit"}, None, WORK_PAGE),
    ("visit amend", "post", "training:visit_edit", {"pk": "visit"}, _visit_post, WORK_POST),
    ("draft page", "get", "training:visit_edit", {"pk": "draft"}, None, DRAFT_PAGE),
    ("draft submit", "post", "training:visit_edit", {"pk": "draft"}, _visit_post, DRAFT_POST),
    ("draft detail", "get", "training:visit_detail", {"pk": "draft"}, None, DRAFT_PAGE),
    (
        "draft autosave",
        "post",
        "training:visit_autosave",
        {"pk": "draft"},
        lambda w: {"findings": "typing..."},
        DRAFT_PAGE,
    ),
    ("draft discard", "post", "training:visit_discard", {"pk": "draft"}, lambda w: {}, DRAFT_POST),
    ("visit start page", "get", "training:visit_start", {"pk": "enterprise"}, None, WORK_PAGE),
    ("visit start", "post", "training:visit_start", {"pk": "enterprise"}, lambda w: {}, WORK_POST),
    ("action status", "post", "training:action_status", {"pk": "action"}, lambda w: {"status": "done"}, WORK_POST),
    ("photo upload page", "get", "training:photo_new", {"pk": "enterprise"}, None, WORK_PAGE),
    ("photo after page", "get", "training:photo_after", {"pk": "pair"}, None, WORK_PAGE),
    ("photo replace page", "get", "training:photo_replace", {"pk": "pair"}, None, WORK_PAGE),
    ("photo remove page", "get", "training:photo_remove", {"pk": "pair"}, None, WORK_PAGE),
    ("photo remove", "post", "training:photo_remove", {"pk": "pair"}, lambda w: {}, WORK_POST),
    ("pages kept offline", "get", "training:offline_pages", {}, None, LIST),
    ("photo before", "get", "training:photo_file", {"pk": "pair", "kind": "before"}, None, VIEW),
    ("photo before thumb", "get", "training:photo_file", {"pk": "pair", "kind": "before-thumb"}, None, VIEW),
    ("photo after", "get", "training:photo_file", {"pk": "pair", "kind": "after"}, None, VIEW),
    ("photo after thumb", "get", "training:photo_file", {"pk": "pair", "kind": "after-thumb"}, None, VIEW),
    ("EIT page", "get", "training:eit", {"pk": "enterprise"}, None, VIEW),
    (
        "EIT member add",
        "post",
        "training:eit_member_new",
        {"pk": "enterprise"},
        lambda w: {"name": "Bilal", "level": "manager", "sex": "male", "active": "on"},
        WORK_POST,
    ),
    (
        "EIT meeting add",
        "post",
        "training:eit_meeting_new",
        {"pk": "enterprise"},
        lambda w: {"held_on": "2026-01-05", "attendees": [w["member"]], "decisions": "Racks for fabric"},
        WORK_POST,
    ),
    ("plan page", "get", "training:plan", {"pk": "enterprise"}, None, VIEW),
    (
        "plan item add",
        "post",
        "training:plan",
        {"pk": "enterprise"},
        lambda w: {"problem": "Dust", "action": "Clean", "owner": "HR", "due_on": "2026-02-01", "status": "open"},
        WORK_POST,
    ),
    (
        "plan item status",
        "post",
        "training:plan_item_status",
        {"pk": "enterprise", "item": "item"},
        lambda w: {"status": "done"},
        WORK_POST,
    ),
    ("suggestions page", "get", "training:suggestions", {"pk": "enterprise"}, None, VIEW),
    (
        "suggestion add",
        "post",
        "training:suggestions",
        {"pk": "enterprise"},
        lambda w: {
            "text": "LED lights",
            "submitted_by_level": "worker",
            "submitted_by_sex": "female",
            "submitted_on": "2026-01-03",
            "decision": "pending",
        },
        # The enterprise's own contact logs suggestions too (the decision stays with the consultant).
        {**WORK_POST, "contact": 302},
    ),
    (
        "suggestion decide",
        "post",
        "training:suggestion_decide",
        {"pk": "enterprise", "item": "suggestion"},
        lambda w: {"decision": "adopted", "reward": "PKR 2,000"},
        WORK_POST,
    ),
    ("training home", "get", "training:home", {}, None, LIST),
    ("visit list", "get", "training:visit_list", {}, None, LIST),
    ("calendar", "get", "training:calendar", {}, None, LIST),
    ("action list", "get", "training:action_list", {}, None, LIST),
]


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("name", "method", "url_name", "kwargs", "data", "expected"), CASES, ids=[case[0] for case in CASES]
)
def test_access_matrix(persona_client, world, name, method, url_name, kwargs, data, expected):
    url = reverse(url_name, kwargs={key: world.get(value, value) for key, value in kwargs.items()})
    answers = {}
    for persona in PERSONAS:
        client = persona_client(persona)
        # Each persona starts from the same data: a write by one is rolled back before the next.
        with transaction.atomic():
            response = client.get(url) if method == "get" else client.post(url, data(world))
            transaction.set_rollback(True)
        if persona == "anonymous":
            assert response.status_code == 302 and "/accounts/login/" in response["Location"], name
            continue
        answers[persona] = response.status_code
        if response.status_code == 404:
            assert b"Secret finding" not in response.content
    assert answers == expected


@pytest.mark.django_db
def test_photo_kind_outside_the_list_is_404(persona_client, world):
    response = persona_client("officer").get(reverse("training:photo_file", args=[world["pair"], "original"]))
    assert response.status_code == 404


@pytest.mark.django_db
def test_lists_and_search_show_only_the_users_enterprises(persona_client, world, other_enterprise, other_consultant):
    make_visit(other_enterprise, other_consultant, findings="Ravi finding")
    url = reverse("training:visit_list")
    expectations = {
        "officer": (True, True),
        "consultant": (True, False),
        "other_consultant": (False, True),
        "contact": (True, False),
        "other_contact": (False, True),
    }
    for persona, (sees_indus, sees_ravi) in expectations.items():
        client = persona_client(persona)
        for query in ("", "?q=finding"):
            content = client.get(url + query).content.decode()
            assert ("Indus Knitwear" in content) is sees_indus, (persona, query)
            assert ("Ravi Denim" in content) is sees_ravi, (persona, query)
        home = client.get(reverse("training:home") + "?q=e").content.decode()
        assert ("Indus Knitwear" in home) is sees_indus, persona
        assert ("Ravi Denim" in home) is sees_ravi, persona


@pytest.mark.django_db
def test_a_contact_does_not_see_the_consultants_drafts(persona_client, world):
    content = persona_client("contact").get(reverse("training:visit_list")).content.decode()
    assert reverse("training:visit_detail", args=[world["visit"]]) in content
    assert reverse("training:visit_edit", args=[world["draft"]]) not in content
    assert Visit.objects.filter(pk=world["draft"]).exists()
