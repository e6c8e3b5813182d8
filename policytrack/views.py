"""Project-wide pages: the role landing redirect."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render

from departments.navigation import home_url


@login_required
def home(request):
    """Send each user to the page made for their role."""
    return redirect(home_url(request.user))


@login_required
def no_role(request):
    return render(request, "no_role.html")
