"""Project-wide pages: the role landing redirect and the session status."""

from django.contrib.auth.decorators import login_required
from django.http import JsonResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from departments.navigation import home_url
from tasks.changes import version


@login_required
def home(request):
    """Send each user to the page made for their role."""
    return redirect(home_url(request.user))


@login_required
def no_role(request):
    return render(request, "no_role.html")


@never_cache
@require_GET
def status(request):
    """Whether the session is still signed in, for how long, and the number of committed changes
    to the tracked work (``tasks.changes``): a page left open can ask cheaply whether it is out of
    date or the login is about to end. One query beyond the session's own; JSON, so that a script
    gets 401 rather than the login page when the session has ended."""
    if not request.user.is_authenticated:
        return JsonResponse({"authenticated": False, "detail": _("未登录或登录已过期，请重新登录。")}, status=401)
    return JsonResponse({
        "authenticated": True,
        "username": request.user.get_username(),
        "session_expires_in": request.session.get_expiry_age(),
        "changes": version(),
    })
