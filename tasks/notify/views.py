"""The notification centre, channel settings, the calendar feed and the office's outbox view."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.http import Http404, HttpResponse, HttpResponseNotModified
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import ListView, TemplateView

from departments.permissions import RoleRequiredMixin, is_office
from tasks.notify.calendar import cached_feed, feed_etag
from tasks.notify.models import (
    CalendarToken,
    Delivery,
    DeliveryStatus,
    Notification,
    NotificationPreference,
    new_token,
)


class NotificationListView(LoginRequiredMixin, ListView):
    template_name = "tasks/notifications.html"
    paginate_by = 30

    def get_queryset(self):
        queryset = Notification.objects.filter(recipient_id=self.request.user.pk)
        if self.request.GET.get("unread"):
            queryset = queryset.filter(read_at__isnull=True)
        return queryset


class NotificationOpenView(LoginRequiredMixin, View):
    """Mark one message read and go where it points."""

    def post(self, request, pk):
        notification = get_object_or_404(Notification, pk=pk, recipient=request.user)
        if notification.read_at is None:
            notification.read_at = timezone.now()
            notification.save(update_fields=["read_at"])
        link = notification.link
        safe = link and url_has_allowed_host_and_scheme(link, {request.get_host()})
        return redirect(link if safe else reverse("tasks:notifications"))


class NotificationReadAllView(LoginRequiredMixin, View):
    def post(self, request):
        count = Notification.objects.filter(recipient=request.user, read_at__isnull=True).update(read_at=timezone.now())
        messages.success(request, _("已将 %(n)d 条消息标为已读。") % {"n": count})
        return redirect("tasks:notifications")


class NotificationSettingsView(LoginRequiredMixin, TemplateView):
    """Channels (email on or off; the notification centre is always on) and the calendar URL."""

    template_name = "tasks/notification_settings.html"

    def get_context_data(self, **kwargs):
        preference, _created = NotificationPreference.objects.get_or_create(user=self.request.user)
        token, _created = CalendarToken.objects.get_or_create(user=self.request.user)
        feed = self.request.build_absolute_uri(reverse("calendar-feed", args=[token.token]))
        return super().get_context_data(preference=preference, feed_url=feed, **kwargs)

    def post(self, request):
        preference, _created = NotificationPreference.objects.get_or_create(user=request.user)
        if "renew_calendar" in request.POST:
            CalendarToken.objects.update_or_create(user=request.user, defaults={"token": new_token()})
            messages.success(request, _("已生成新的日历订阅地址，旧地址立即失效。"))
        else:
            preference.email = request.POST.get("email") == "on"
            preference.save()
            if preference.email and not request.user.email:
                messages.warning(request, _("您的账号没有邮箱地址，邮件通知暂时无法送达，请联系管理员补充。"))
            messages.success(request, _("通知设置已保存。"))
        return redirect("tasks:notification-settings")


class CalendarFeedView(View):
    """/calendar/<token>.ics: no login (calendar apps cannot log in); the token is the secret."""

    def get(self, request, token):
        found = CalendarToken.objects.select_related("user").filter(token=token, user__is_active=True).first()
        if found is None:
            raise Http404
        etag = f'"{feed_etag(found.user)}"'
        response: HttpResponse
        if etag in [tag.strip() for tag in request.headers.get("If-None-Match", "").split(",")]:
            response = HttpResponseNotModified()
        else:
            response = HttpResponse(cached_feed(found.user, etag.strip('"')), content_type="text/calendar; charset=utf-8")
            response["Content-Disposition"] = 'inline; filename="policytrack.ics"'
        response["ETag"] = etag
        response["Cache-Control"] = "private, max-age=900"
        return response


class OutboxView(RoleRequiredMixin, ListView):
    """The office sees how notifications went out: sent, waiting for a retry, or given up."""

    role_check = staticmethod(is_office)
    template_name = "tasks/outbox.html"
    paginate_by = 50

    def get_queryset(self):
        queryset = Delivery.objects.select_related("department", "notification__recipient")
        status = self.request.GET.get("status")
        if status in DeliveryStatus.values:
            queryset = queryset.filter(status=status)
        return queryset

    def get_context_data(self, **kwargs):
        return super().get_context_data(statuses=DeliveryStatus.choices, **kwargs)
