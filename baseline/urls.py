from django.urls import path

from . import views
from .orderbook import views as order_views

app_name = "baseline"

urlpatterns = [
    path("", views.home, name="home"),
    path("indicators/", views.indicator_list, name="indicator_list"),
    path("indicators/new/", views.indicator_create, name="indicator_create"),
    path("indicators/<int:pk>/", views.indicator_detail, name="indicator_detail"),
    path("indicators/<int:pk>/edit/", views.indicator_edit, name="indicator_edit"),
    path("enterprises/", views.enterprise_list, name="enterprise_list"),
    path("enterprises/<int:pk>/", views.enterprise_results, name="enterprise_results"),
    path("enterprises/<int:pk>/rounds/new/", views.round_create, name="round_create"),
    path("rounds/<int:pk>/", views.round_detail, name="round_detail"),
    path("rounds/<int:pk>/month/", views.month_entry, name="month_entry"),
    path("rounds/<int:pk>/month/sync/", views.month_sync, name="month_sync"),
    path("rounds/<int:pk>/practices/", views.practices_entry, name="practices_entry"),
    path("rounds/<int:pk>/import/", views.import_values, name="import_values"),
    path("rounds/<int:pk>/import/template.csv", views.import_template, name="import_template"),
    # ---- what the enterprise's contact submits
    path("enterprises/<int:pk>/submissions/", views.submission_list, name="submissions"),
    path("enterprises/<int:pk>/submissions/<int:submission_pk>/", views.submission_decide, name="submission_decide"),
    # ---- the order book (criterion 2.2.3)
    path("enterprises/<int:pk>/orders/", order_views.order_book, name="order_book"),
    path("enterprises/<int:pk>/orders/import/", order_views.order_import, name="order_import"),
    path("enterprises/<int:pk>/orders/template.csv", order_views.order_template, name="order_template"),
    path("enterprises/<int:pk>/orders/<int:line_pk>/delete/", order_views.order_line_delete, name="order_line_delete"),
]
