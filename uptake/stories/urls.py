from __future__ import annotations

app_name = "stories"

urlpatterns: list = []
