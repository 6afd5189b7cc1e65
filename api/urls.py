from django.urls import include, path
from rest_framework.routers import SimpleRouter

from . import pages, views

app_name = "api"

router = SimpleRouter()
router.register("calls", views.CallViewSet, basename="call")
router.register("eois", views.ExpressionOfInterestViewSet, basename="eoi")
router.register("enterprises", views.EnterpriseViewSet, basename="enterprise")
router.register("indicator-values", views.IndicatorValueViewSet, basename="indicator-value")

urlpatterns = [
    path("v1/", include(router.urls)),
    path("v1/programme-results/", views.ProgrammeResultsView.as_view(), name="programme-results"),
    path("v1/global-database/", views.GlobalDatabaseView.as_view(), name="global-database"),
    path("schema/", views.SchemaView.as_view(), name="schema"),
    path("docs/", views.DocsView.as_view(), name="docs"),
    # officers' pages: tokens per person
    path("tokens/", pages.tokens, name="tokens"),
    path("tokens/<int:pk>/revoke/", pages.revoke, name="revoke"),
]
