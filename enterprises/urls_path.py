"""Pages of the enterprise's path through the programme (namespace "enterprises").

Officers act on the path; consultants and contacts read what they may see."""

from django.urls import path

from . import path_views

urlpatterns = [
    path("enterprises/", path_views.enterprise_list, name="enterprise_list"),
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
    path("enterprises/<int:pk>/letters/<str:kind>/", path_views.letter_view, name="letter_view"),
    path("enterprises/from-eoi/<int:eoi_pk>/", path_views.enterprise_from_eoi, name="enterprise_from_eoi"),
    path("pipeline/", path_views.pipeline, name="pipeline"),
    path("batches/", path_views.batch_list, name="batch_list"),
    path("batches/<int:pk>/", path_views.batch_shortlist, name="batch_shortlist"),
    path("level2/<int:call_pk>/", path_views.level2_selection, name="level2_selection"),
    path("letters/<int:call_pk>/<str:kind>/", path_views.letter_template_edit, name="letter_template_edit"),
]
