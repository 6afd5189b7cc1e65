from rest_framework.permissions import BasePermission

from score_portal.roles import is_officer


class IsOfficer(BasePermission):
    """The officers' tables (calls, EOIs, programme results, the global export), as on the pages."""

    message = "Only ILO project officers may read this."

    def has_permission(self, request, view):
        return is_officer(request.user)
