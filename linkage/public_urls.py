"""The buyer view: public, behind a secret, expiring link (its own prefix, /buyer-view/)."""

from django.urls import path

from . import views

app_name = "buyer_view"

urlpatterns = [path("<str:token>/", views.buyer_view, name="view")]
