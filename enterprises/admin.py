from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import Call, ExpressionOfInterest


@admin.register(Call)
class CallAdmin(SimpleHistoryAdmin):
    list_display = ("title", "country", "opens_on", "closes_on", "min_workforce", "min_permanent_share")


@admin.register(ExpressionOfInterest)
class ExpressionOfInterestAdmin(SimpleHistoryAdmin):
    list_display = ("reference", "legal_name", "city", "result", "is_late", "submitted_at")
    list_filter = ("call", "result", "is_late")
    search_fields = ("reference", "legal_name", "registration_number")
    list_select_related = ("call",)
    readonly_fields = ("result", "result_overridden", "current_screening")
