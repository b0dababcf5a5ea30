from __future__ import annotations

from django.urls import include, path

from uptake.networks import urls_changes, urls_community, urls_imports, urls_map, urls_ties

app_name = "networks"

# Names other modules rely on: home (the map or her ego network), changes, change_new.
urlpatterns: list = [
    path("", include(urls_map.urlpatterns)),
    path("", include(urls_ties.urlpatterns)),
    path("imports/", include(urls_imports.urlpatterns)),
    path("changes/", include(urls_changes.urlpatterns)),
    path("communities/", include(urls_community.urlpatterns)),
]
