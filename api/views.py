"""The read API (`/api/v1/`): JSON only, token-authenticated, paginated, read-only.

Every list is a queryset scoped like the pages (enterprises/access.py: officers see every
enterprise, a consultant the enterprises assigned to them, a contact their own) and read with a
fixed number of queries, whatever the page size. The browsable renderer is off: JSON only, so
there is no HTML with inline scripts to allow under the Content-Security-Policy.
"""

from django.contrib.auth.decorators import login_not_required
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView
from rest_framework import generics, viewsets
from rest_framework.authentication import SessionAuthentication
from rest_framework.permissions import AllowAny, IsAuthenticated

from baseline import selectors as baseline_selectors
from baseline.models import Result
from enterprises.access import enterprise_ids_visible_to, visible_enterprises
from enterprises.models import Call, ExpressionOfInterest
from reporting import global_database

from . import serializers
from .authentication import ApiTokenAuthentication
from .pagination import Pages
from .permissions import IsOfficer


class ApiView:
    """Authenticated by the API's own token, never by the session: the portal's log-in wall
    (LoginRequiredMiddleware) steps aside and DRF answers 401 instead of a redirect."""

    authentication_classes = [ApiTokenAuthentication]
    permission_classes = [IsAuthenticated]
    pagination_class = Pages

    @classmethod
    def as_view(cls, *args, **kwargs):
        return login_not_required(super().as_view(*args, **kwargs))


def _int_param(request, name):
    value = request.query_params.get(name, "")
    return int(value) if value.isdigit() else None


@extend_schema(tags=["officers"])
class CallViewSet(ApiView, viewsets.ReadOnlyModelViewSet):
    """Calls for expression of interest (officers)."""

    permission_classes = [IsAuthenticated, IsOfficer]
    serializer_class = serializers.CallSerializer
    queryset = Call.objects.order_by("-opens_on", "pk")


@extend_schema(
    tags=["officers"],
    parameters=[
        OpenApiParameter("call", OpenApiTypes.INT, description="Only this call's EOIs"),
        OpenApiParameter("result", OpenApiTypes.STR, description="Only this screening result"),
    ],
)
class ExpressionOfInterestViewSet(ApiView, viewsets.ReadOnlyModelViewSet):
    """Expressions of interest with their screening result (officers)."""

    permission_classes = [IsAuthenticated, IsOfficer]
    serializer_class = serializers.ExpressionOfInterestSerializer

    def get_queryset(self):
        eois = ExpressionOfInterest.objects.order_by("-submitted_at", "-pk")
        call = _int_param(self.request, "call")
        if call:
            eois = eois.filter(call_id=call)
        if self.request.query_params.get("result"):
            eois = eois.filter(result=self.request.query_params["result"])
        return eois


@extend_schema(
    tags=["scoped to the person"],
    parameters=[OpenApiParameter("stage", OpenApiTypes.STR, description="Only this stage")],
)
class EnterpriseViewSet(ApiView, viewsets.ReadOnlyModelViewSet):
    """The enterprises the token's person may see: officers all, a consultant those assigned, a contact its own."""

    serializer_class = serializers.EnterpriseSerializer

    def get_queryset(self):
        enterprises = visible_enterprises(self.request.user).select_related("expression_of_interest", "batch")
        if self.request.query_params.get("stage"):
            enterprises = enterprises.filter(stage=self.request.query_params["stage"])
        return enterprises.order_by("legal_name", "pk")


@extend_schema(
    tags=["scoped to the person"],
    parameters=[
        OpenApiParameter("enterprise", OpenApiTypes.INT, description="Only this enterprise's values"),
        OpenApiParameter("indicator", OpenApiTypes.STR, description="Only this indicator code"),
    ],
)
class IndicatorValueViewSet(ApiView, viewsets.ReadOnlyModelViewSet):
    """Indicator values per enterprise and round, of the enterprises the person may see."""

    serializer_class = serializers.IndicatorValueSerializer

    def get_queryset(self):
        results = Result.objects.filter(round__enterprise__in=enterprise_ids_visible_to(self.request.user))
        enterprise = _int_param(self.request, "enterprise")
        if enterprise:
            results = results.filter(round__enterprise_id=enterprise)
        if self.request.query_params.get("indicator"):
            results = results.filter(indicator__code=self.request.query_params["indicator"])
        return results.select_related("round", "indicator", "version").order_by(
            "round__enterprise_id", "round__held_on", "round_id", "indicator__code", "sex"
        )


@extend_schema(
    tags=["officers"],
    parameters=[
        OpenApiParameter("grouping", OpenApiTypes.STR, enum=list(baseline_selectors.GROUPINGS), description="Breakdown")
    ],
)
class ProgrammeResultsView(ApiView, generics.ListAPIView):
    """The programme's results per indicator, sex and group, as on the results page: a hidden cell
    (small group, or one that would give a small group back) has `suppressed: true` and no figures."""

    permission_classes = [IsAuthenticated, IsOfficer]
    serializer_class = serializers.AggregateSerializer

    def get_queryset(self):
        grouping = self.request.query_params.get("grouping", "all")
        return baseline_selectors.programme_results(grouping if grouping in baseline_selectors.GROUPINGS else "all")


@extend_schema(tags=["officers"])
class GlobalDatabaseView(ApiView, generics.ListAPIView):
    """The export for the global SCORE database, record by record (schema in the README): only the
    enterprises whose consent allows it, under their stable pseudonym unless it allows the name."""

    permission_classes = [IsAuthenticated, IsOfficer]
    serializer_class = serializers.GlobalDatabaseRecordSerializer

    def get_queryset(self):
        return global_database.consenting_results()

    def list(self, request, *args, **kwargs):
        page = self.paginate_queryset(self.get_queryset())
        return self.get_paginated_response([global_database.record(result) for result in page])


class SchemaView(SpectacularAPIView):
    """The OpenAPI schema: it describes, it holds no data, so it needs no token."""

    authentication_classes = []
    permission_classes = [AllowAny]

    @classmethod
    def as_view(cls, *args, **kwargs):
        return login_not_required(super().as_view(*args, **kwargs))


class DocsView(SpectacularSwaggerSplitView):
    """Swagger UI for people logged in to the portal, from the drf-spectacular-sidecar package (no CDN),
    with nothing inline. Trying a call needs a token (Authorize), as for any client."""

    authentication_classes = [SessionAuthentication]
    permission_classes = [IsAuthenticated]
    template_name = "api/swagger_ui.html"
    url_name = "api:schema"
