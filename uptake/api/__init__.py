"""Uptake's JSON API: one django-ninja ``NinjaAPI`` at ``/api/v1/``, assembled from the apps.

Each app contributes its own ``api.py`` holding a ``ninja.Router`` and declares it in its
``AppConfig.ready()``; this app never imports the others (it stands on floor 1, beside
accounts and audit, so that every app may use its helpers)::

    registry.api_areas.add(registry.ApiArea(
        key="inquiry", router="uptake.inquiry.api.router", prefix="/inquiries",
        label="Inquiries and data", description="Inquiries, cycles, measures, scores.",
        order=30))

What an app's endpoints get from here (``uptake.api.support``):

- **Authentication and scopes.** Every router is mounted with the area's auth: a bearer
  token (a personal access token, or an OAuth 2.0 client-credentials token) that carries
  ``<area>:read`` for GET and ``<area>:write`` for anything else, or the browser's session
  with its CSRF token. Either way ``request.user`` is the person (or an integration's
  service account) and ``support.principal(request)`` says how she came. Endpoints call the
  same ``access.py`` helpers and ``actions.py`` as the pages, so the API never sees more
  than the same person would see on a page and never writes a model itself.
- **One error envelope** (:mod:`uptake.api.errors`): a rule's refusal, a 404, a schema
  violation, a missing token, a lapsed scope, a rate limit all answer
  ``{"error": {"status", "code", "message", "fields", "rows"}}``.
- **Cursor pagination** on every list (``@support.paginate``), **ETag** on every
  successful GET (``If-None-Match`` gives 304), and **idempotency keys** on writes a sync
  job repeats (``@support.idempotent``).
"""
