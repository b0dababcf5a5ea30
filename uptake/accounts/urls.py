from django.urls import path

from uptake.accounts import views

urlpatterns = [
    path("", views.home, name="home"),
    path("people/", views.people, name="people"),
]
