from django.urls import path

from . import views

app_name = "training"

urlpatterns = [
    path("", views.home, name="home"),
    path("visits/", views.visit_list, name="visit_list"),
    path("calendar/", views.calendar, name="calendar"),
    path("actions/", views.action_list, name="action_list"),
    path("actions/<int:pk>/status/", views.action_status, name="action_status"),
    path("visits/<int:pk>/", views.visit_detail, name="visit_detail"),
    path("visits/<int:pk>/edit/", views.visit_edit, name="visit_edit"),
    path("visits/<int:pk>/autosave/", views.visit_autosave, name="visit_autosave"),
    path("visits/<int:pk>/discard/", views.visit_discard, name="visit_discard"),
    path("visits/<int:pk>/history/", views.visit_history, name="visit_history"),
    path("enterprises/<int:pk>/", views.enterprise_detail, name="enterprise_detail"),
    path("enterprises/<int:pk>/visits/new/", views.visit_start, name="visit_start"),
    path("enterprises/<int:pk>/photos/new/", views.photo_new, name="photo_new"),
    path("enterprises/<int:pk>/eit/", views.eit, name="eit"),
    path("enterprises/<int:pk>/eit/members/new/", views.eit_member_new, name="eit_member_new"),
    path("enterprises/<int:pk>/eit/meetings/new/", views.eit_meeting_new, name="eit_meeting_new"),
    path("enterprises/<int:pk>/plan/", views.plan, name="plan"),
    path("enterprises/<int:pk>/plan/<int:item>/status/", views.plan_item_status, name="plan_item_status"),
    path("enterprises/<int:pk>/suggestions/", views.suggestions, name="suggestions"),
    path("enterprises/<int:pk>/suggestions/<int:item>/decide/", views.suggestion_decide, name="suggestion_decide"),
    path("photos/<int:pk>/after/new/", views.photo_after, name="photo_after"),
    path("photos/<int:pk>/<str:kind>/", views.photo_file, name="photo_file"),
]
