"""People and accounts (namespace "accounts"): officers' People pages, the invitation link, two-factor pages."""

from django.urls import path

from . import views

app_name = "accounts"

urlpatterns = [
    # ------------------------------------------------ people (officers)
    path("people/", views.people, name="people"),
    path("people/invite/", views.invite, name="invite"),
    path("people/invitations/<int:pk>/withdraw/", views.invitation_withdraw, name="invitation_withdraw"),
    path("people/<int:pk>/", views.person_detail, name="person_detail"),
    path("people/<int:pk>/deactivate/", views.person_deactivate, name="person_deactivate"),
    path("people/<int:pk>/reactivate/", views.person_reactivate, name="person_reactivate"),
    path("people/<int:pk>/hand-over/", views.person_hand_over, name="person_hand_over"),
    path("people/<int:pk>/two-factor/remove/", views.person_remove_two_factor, name="person_remove_two_factor"),
    # ------------------------------------------------ the invitation link: no account yet
    path("accounts/invitation/<str:token>/", views.accept, name="accept"),
    # ------------------------------------------------ two-factor authentication (anyone logged in)
    path("accounts/two-factor/", views.two_factor_enrol, name="two_factor_enrol"),
    path("accounts/two-factor/verify/", views.two_factor_verify, name="two_factor_verify"),
]
