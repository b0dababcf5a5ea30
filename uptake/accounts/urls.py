from django.urls import path

from uptake.accounts import views

urlpatterns = [
    path("", views.home, name="home"),
    path("account/", views.account_settings, name="account_settings"),
    path("people/", views.people, name="people"),
    path("people/add/", views.person_add, name="person_add"),
    path("people/<int:person_id>/", views.person, name="person"),
    path("people/<int:person_id>/roles/", views.person_grant, name="person_grant"),
    path("people/<int:person_id>/roles/<int:assignment_id>/revoke/", views.person_revoke,
         name="person_revoke"),
    path("people/<int:person_id>/deactivate/", views.person_deactivate,
         name="person_deactivate"),
    path("people/<int:person_id>/reactivate/", views.person_reactivate,
         name="person_reactivate"),
    path("invitations/", views.invitations, name="invitations"),
    path("invitations/<int:invitation_id>/revoke/", views.invitation_revoke,
         name="invitation_revoke"),
    path("invitations/accept/<str:token>/", views.invitation_accept, name="invitation_accept"),
]

# Sign-in with the school account (docs/sso.md): the coordinator's page, and the district's
# button (beside allauth's own /accounts/ pages, which include the IdPs' callbacks).
from uptake.accounts import sso_views  # noqa: E402

urlpatterns += [
    path("district/sign-in/", sso_views.sso_settings, name="sso_settings"),
    path("district/sign-in/remove/", sso_views.sso_remove, name="sso_remove"),
    path("accounts/sso/", sso_views.sso_find, name="sso_find"),
    path("accounts/sso/<slug:district_slug>/", sso_views.sso_start, name="sso_start"),
]
