"""The pages of the training app (namespace "training"), one section per sub-domain. The calendar
feeds, public behind a secret token, are mounted apart at /feeds/ (feed_urls.py)."""

from django.urls import path

from .delivery import views as delivery_views
from .visits import views as visit_views

app_name = "training"

urlpatterns = [
    path("", visit_views.home, name="home"),
    # ------------------------------------------------ classroom delivery: Level 1 courses, Level 2 groups, sessions
    path("calendar/", delivery_views.calendar, name="calendar"),
    path("calendar/feed/", delivery_views.calendar_feed_page, name="calendar_feed"),
    path("delivery/", delivery_views.delivery_home, name="delivery"),
    path("level1/<int:batch>/", delivery_views.level1_course, name="level1_course"),
    path("level1/<int:batch>/days/", delivery_views.level1_day, name="level1_day"),
    path("groups/new/", delivery_views.group_new, name="group_new"),
    path("groups/<int:pk>/", delivery_views.group_detail, name="group_detail"),
    path("groups/<int:pk>/edit/", delivery_views.group_edit, name="group_edit"),
    path("groups/<int:pk>/members/", delivery_views.group_member_add, name="group_member_add"),
    path("groups/<int:pk>/members/<int:member>/", delivery_views.group_member, name="group_member"),
    path("groups/<int:pk>/order/", delivery_views.group_order, name="group_order"),
    path("groups/<int:pk>/schedule/", delivery_views.group_schedule, name="group_schedule"),
    path("workshops/<int:pk>/", delivery_views.workshop_detail, name="workshop_detail"),
    path(
        "workshops/<int:pk>/enterprises/<int:enterprise>/participants/new/",
        delivery_views.participant_new,
        name="participant_new",
    ),
    path("participants/<int:pk>/", delivery_views.participant_edit, name="participant_edit"),
    path("sessions/<int:pk>/", delivery_views.session_detail, name="session_detail"),
    path("sessions/<int:pk>/move/", delivery_views.session_move, name="session_move"),
    path("holidays/", delivery_views.holidays, name="holidays"),
    path("holidays/<int:pk>/delete/", delivery_views.holiday_delete, name="holiday_delete"),
    # ------------------------------------------------ factory visits: actions, 5S photos, EIT, plan, suggestions
    path("visits/", visit_views.visit_list, name="visit_list"),
    path("actions/", visit_views.action_list, name="action_list"),
    path("actions/<int:pk>/status/", visit_views.action_status, name="action_status"),
    path("visits/<int:pk>/", visit_views.visit_detail, name="visit_detail"),
    path("visits/<int:pk>/edit/", visit_views.visit_edit, name="visit_edit"),
    path("visits/<int:pk>/autosave/", visit_views.visit_autosave, name="visit_autosave"),
    path("visits/<int:pk>/discard/", visit_views.visit_discard, name="visit_discard"),
    path("visits/<int:pk>/history/", visit_views.visit_history, name="visit_history"),
    path("enterprises/<int:pk>/", visit_views.enterprise_detail, name="enterprise_detail"),
    path("enterprises/<int:pk>/visits/new/", visit_views.visit_start, name="visit_start"),
    path("enterprises/<int:pk>/photos/new/", visit_views.photo_new, name="photo_new"),
    path("enterprises/<int:pk>/eit/", visit_views.eit, name="eit"),
    path("enterprises/<int:pk>/eit/members/new/", visit_views.eit_member_new, name="eit_member_new"),
    path("enterprises/<int:pk>/eit/meetings/new/", visit_views.eit_meeting_new, name="eit_meeting_new"),
    path("enterprises/<int:pk>/plan/", visit_views.plan, name="plan"),
    path("enterprises/<int:pk>/plan/<int:item>/status/", visit_views.plan_item_status, name="plan_item_status"),
    path("enterprises/<int:pk>/suggestions/", visit_views.suggestions, name="suggestions"),
    path(
        "enterprises/<int:pk>/suggestions/<int:item>/decide/", visit_views.suggestion_decide, name="suggestion_decide"
    ),
    path("photos/<int:pk>/after/new/", visit_views.photo_after, name="photo_after"),
    path("photos/<int:pk>/replace/", visit_views.photo_replace, name="photo_replace"),
    path("photos/<int:pk>/remove/", visit_views.photo_remove, name="photo_remove"),
    # ------------------------------------------------ offline: the phone's outbox and the pages it keeps
    path("sync/visits/", visit_views.sync_visit, name="sync_visit"),
    path("sync/enterprises/<int:pk>/photos/", visit_views.sync_photo, name="sync_photo"),
    path("offline/pages/", visit_views.offline_pages, name="offline_pages"),
    path("photos/<int:pk>/<str:kind>/", visit_views.photo_file, name="photo_file"),
]
