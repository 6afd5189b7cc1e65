"""The pages of the enterprises app (namespace "enterprises"), one section per sub-domain."""

from django.urls import path

from .screening import views as screening
from .urls_path import urlpatterns as path_urlpatterns

app_name = "enterprises"

urlpatterns = [
    # ------------------------------------------------ public: a call for expression of interest, no account needed
    path("calls/", screening.public_calls, name="public_calls"),
    path("apply/", screening.apply, name="public_apply"),
    path("apply/<int:call_id>/", screening.ExpressionOfInterestWizard.as_view(), name="public_apply_call"),
    path("apply/done/<slug:token>/", screening.apply_done, name="public_apply_done"),
    path("eoi/status/<slug:token>/", screening.eoi_status, name="public_eoi_status"),
    # ------------------------------------------------ screening: calls and expressions of interest (officers)
    path("manage/calls/", screening.call_list, name="call_list"),
    path("manage/calls/new/", screening.call_create, name="call_create"),
    path("manage/calls/<int:pk>/edit/", screening.call_edit, name="call_edit"),
    path("screening/", screening.screening_queue, name="screening_queue"),
    path("screening/new/<int:call_id>/", screening.eoi_create, name="eoi_create"),
    path("screening/<int:pk>/", screening.eoi_detail, name="eoi_detail"),
    path("screening/<int:pk>/override/", screening.eoi_override, name="eoi_override"),
    path("screening/<int:pk>/rescreen/", screening.eoi_rescreen, name="eoi_rescreen"),
    *path_urlpatterns,
]
