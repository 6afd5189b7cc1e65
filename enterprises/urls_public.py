"""Public pages of a call for expression of interest; no account needed (see public_views)."""

from django.urls import path

from . import public_views

urlpatterns = [
    path("calls/", public_views.call_list, name="public_calls"),
    path("apply/", public_views.apply, name="public_apply"),
    path("apply/<int:call_id>/", public_views.ExpressionOfInterestWizard.as_view(), name="public_apply_call"),
    path("apply/done/<slug:token>/", public_views.apply_done, name="public_apply_done"),
    path("eoi/status/<slug:token>/", public_views.eoi_status, name="public_eoi_status"),
]
