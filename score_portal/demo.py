"""Demo data owned by score_portal: one user per role."""

from django.contrib.auth import get_user_model

from .roles import CONSULTANT, ENTERPRISE_CONTACT, OFFICER, role_group

DEMO_USERS = (
    # username, role, first name, last name, email
    ("officer", OFFICER, "Sadia", "Hameed", "officer@example.org"),
    ("consultant", CONSULTANT, "Imran", "Qureshi", "consultant@example.org"),
    ("enterprise", ENTERPRISE_CONTACT, "Ayesha", "Malik", "enterprise@example.org"),
)


def seed(ctx):
    User = get_user_model()
    for username, role, first, last, email in DEMO_USERS:
        user, _created = User.objects.update_or_create(
            username=username,
            defaults={"first_name": first, "last_name": last, "email": email, "is_active": True},
        )
        user.set_password(ctx.password)
        user.save(update_fields=["password"])
        user.groups.set([role_group(role)])
        ctx.users[username] = user
