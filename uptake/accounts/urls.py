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
