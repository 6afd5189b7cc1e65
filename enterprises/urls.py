"""The pages of the enterprises app (namespace "enterprises"), one section per sub-domain."""

from django.urls import path

from . import search
from .path import views as path_views
from .screening import views as screening_views

app_name = "enterprises"

urlpatterns = [
    # ------------------------------------------------ public: a call for expression of interest, no account needed
    path("calls/", screening_views.public_calls, name="public_calls"),
    path("apply/", screening_views.apply, name="public_apply"),
    path("apply/<int:call_id>/", screening_views.ExpressionOfInterestWizard.as_view(), name="public_apply_call"),
    path(
        "apply/<int:call_id>/review/",
        screening_views.ExpressionOfInterestWizard.as_view(),
        {"review": True},
        name="public_apply_review",
    ),
    path("apply/done/<slug:token>/", screening_views.apply_done, name="public_apply_done"),
    path("eoi/status/<slug:token>/", screening_views.eoi_status, name="public_eoi_status"),
    path("eoi/status/<slug:token>/letters/<int:pk>/", screening_views.eoi_status_letter, name="public_eoi_letter"),
    # ------------------------------------------------ screening: calls and expressions of interest (officers)
    path("manage/calls/", screening_views.call_list, name="call_list"),
    path("manage/calls/new/", screening_views.call_create, name="call_create"),
    path("manage/calls/<int:pk>/edit/", screening_views.call_edit, name="call_edit"),
    path("screening/", screening_views.screening_queue, name="screening_queue"),
    path("screening/export-selected/", screening_views.queue_export_selected, name="queue_export_selected"),
    path("screening/new/<int:call_id>/", screening_views.eoi_create, name="eoi_create"),
    path("screening/<int:pk>/", screening_views.eoi_detail, name="eoi_detail"),
    path("screening/<int:pk>/override/", screening_views.eoi_override, name="eoi_override"),
    path("screening/<int:pk>/rescreen/", screening_views.eoi_rescreen, name="eoi_rescreen"),
    path("screening/<int:pk>/decide/", screening_views.eoi_decide, name="eoi_decide"),
    path("screening/<int:pk>/regret-letter.pdf", screening_views.eoi_letter_pdf, name="eoi_letter_preview"),
    path("screening/<int:pk>/letters/<int:letter_pk>.pdf", screening_views.eoi_letter_pdf, name="eoi_letter_pdf"),
    path("manage/calls/<int:pk>/decisions/", screening_views.call_decisions, name="call_decisions"),
    # ------------------------------------------------ the path: officers act on it; consultants and contacts read
    path("enterprises/", path_views.enterprise_list, name="enterprise_list"),
    path("enterprises/bulk/", path_views.enterprise_bulk, name="enterprise_bulk"),
    path("screening/register/", path_views.eoi_bulk_register, name="eoi_bulk_register"),
    path("enterprises/<int:pk>/", path_views.enterprise_detail, name="enterprise_detail"),
    path("enterprises/mine/", path_views.my_enterprise, name="my_enterprise"),
    path("enterprises/<int:pk>/consultants/", path_views.enterprise_assign, name="enterprise_assign"),
    path(
        "enterprises/<int:pk>/consultants/<int:user_pk>/remove/",
        path_views.enterprise_unassign,
        name="enterprise_unassign",
    ),
    path("enterprises/<int:pk>/move/", path_views.enterprise_move, name="enterprise_move"),
    path("enterprises/<int:pk>/ceo-meeting/", path_views.enterprise_ceo_meeting, name="enterprise_ceo_meeting"),
    path(
        "enterprises/<int:pk>/level2-interest/",
        path_views.enterprise_level2_interest,
        name="enterprise_level2_interest",
    ),
    path(
        "enterprises/<int:pk>/conditions/<int:condition_pk>/hired/",
        path_views.hiring_condition_met,
        name="hiring_condition_met",
    ),
    path("enterprises/<int:pk>/letters/<str:kind>/", path_views.letter_view, name="letter_view"),
    path("enterprises/from-eoi/<int:eoi_pk>/", path_views.enterprise_from_eoi, name="enterprise_from_eoi"),
    path("search/", search.search, name="search"),
    path("pipeline/", path_views.pipeline, name="pipeline"),
    path("batches/", path_views.batch_list, name="batch_list"),
    path("batches/<int:pk>/", path_views.batch_shortlist, name="batch_shortlist"),
    path("level2/<int:call_pk>/", path_views.level2_selection, name="level2_selection"),
    path("letters/<int:call_pk>/<str:kind>/", path_views.letter_template_edit, name="letter_template_edit"),
]
