"""A real OpenID Connect provider for the tests: django-allauth's ``allauth.idp.oidc``,
run as its own Django project in its own process (see ``serve``), so that Uptake's sign-in
with a district's OIDC IdP is tested over HTTP end to end, never against canned JSON."""
