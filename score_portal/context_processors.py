from .navigation import menu_for
from .roles import ROLE_LABELS, role_of


def navigation(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"nav_entries": [], "user_role": None, "user_role_label": ""}
    role = role_of(user)
    return {
        "nav_entries": menu_for(role),
        "user_role": role,
        "user_role_label": ROLE_LABELS.get(role, ""),
    }
