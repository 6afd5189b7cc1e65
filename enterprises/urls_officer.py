"""Officer pages: calls management and the screening of expressions of interest."""

from django.urls import path

from . import officer_views

urlpatterns = [
    path("manage/calls/", officer_views.call_list, name="call_list"),
    path("manage/calls/new/", officer_views.call_create, name="call_create"),
    path("manage/calls/<int:pk>/edit/", officer_views.call_edit, name="call_edit"),
    path("screening/", officer_views.screening_queue, name="screening_queue"),
    path("screening/new/<int:call_id>/", officer_views.eoi_create, name="eoi_create"),
    path("screening/<int:pk>/", officer_views.eoi_detail, name="eoi_detail"),
    path("screening/<int:pk>/override/", officer_views.eoi_override, name="eoi_override"),
    path("screening/<int:pk>/rescreen/", officer_views.eoi_rescreen, name="eoi_rescreen"),
]
