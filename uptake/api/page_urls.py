"""The pages of API credentials (uptake/api/views.py), mounted at the site's root."""

from django.urls import path

from uptake.api import views

app_name = "api_tokens"

urlpatterns = [
    path("settings/api-tokens/", views.tokens, name="tokens"),
    path("settings/api-tokens/new/", views.token_new, name="token_new"),
    path("settings/api-tokens/<int:token_id>/", views.token_made, name="token_made"),
    path("settings/api-tokens/<int:token_id>/revoke/", views.token_revoke,
         name="token_revoke"),
    path("district/api-access/", views.district, name="district"),
    path("district/api-access/integrations/new/", views.integration_new,
         name="integration_new"),
    path("district/api-access/integrations/<int:integration_id>/", views.integration,
         name="integration"),
    path("district/api-access/integrations/<int:integration_id>/rotate/",
         views.integration_rotate, name="integration_rotate"),
    path("district/api-access/integrations/<int:integration_id>/revoke/",
         views.integration_revoke, name="integration_revoke"),
]
