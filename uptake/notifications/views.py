"""Her notices: the list (newest first, unread marked), opening one (marks it read and
follows its link), and marking them all read. Nobody reads another person's notices."""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from uptake.accounts.access import ANY_ROLE, allow, signed_in_person
from uptake.notifications.actions import do_mark_all_read, do_mark_read
from uptake.notifications.models import Notice
from uptake.notifications.queries import notices_of

PER_PAGE = 30


@allow(ANY_ROLE)
def notices(request: HttpRequest) -> HttpResponse:
    user = signed_in_person(request)
    page = Paginator(notices_of(user).order_by("-created_at", "-pk"), PER_PAGE).get_page(
        request.GET.get("page"))
    return render(request, "notifications/list.html", {
        "page": page, "unread": notices_of(user).filter(read_at__isnull=True).count()})


@allow(ANY_ROLE)
def open_notice(request: HttpRequest, notice_id: int) -> HttpResponse:
    """Mark it read and go where it points (a path inside Uptake only)."""
    user = signed_in_person(request)
    try:
        notice = notices_of(user).get(pk=notice_id)
    except (Notice.DoesNotExist, ValueError, TypeError):
        raise Http404("No such notice.") from None
    do_mark_read(notice, actor=user)
    if notice.url and notice.url.startswith("/") and url_has_allowed_host_and_scheme(
            notice.url, allowed_hosts={request.get_host()}):
        return redirect(notice.url)
    return redirect("notifications:list")


@allow(ANY_ROLE)
@require_POST
def mark_all_read(request: HttpRequest) -> HttpResponse:
    count = do_mark_all_read(actor=signed_in_person(request))
    messages.success(request, f"{count} notice{'s' if count != 1 else ''} marked read."
                     if count else "Nothing was unread.")
    return redirect("notifications:list")
