from django.urls import path

from . import views

app_name = "linkage"

urlpatterns = [
    path("", views.programme, name="programme"),
    path("buyers/", views.buyers, name="buyers"),
    path("enterprise/", views.enterprise_pick, name="enterprise_pick"),
    path("enterprise/<int:pk>/", views.enterprise, name="enterprise"),
    path("links/<int:pk>/revoke/", views.revoke, name="revoke"),
]
