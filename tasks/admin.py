from django.contrib import admin
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from departments.admin import SpreadsheetAdminMixin
from documents.admin import MeasureAdmin
from documents.models import Measure
from tasks.choices import ReportStatus
from tasks.models import Assignment, Attachment, ExtensionRequest, IndicatorValue, ProgressReport
from tasks.notify.models import (
    CalendarToken,
    Delivery,
    Notification,
    NotificationPreference,
    Reminder,
    ReminderSettings,
)
from tasks.spreadsheets.forms import MeasureConfirmImportForm, MeasureImportForm
from tasks.spreadsheets.resource import MeasureCSV, MeasureSheetResource, MeasureXLSX


class AssignmentInline(admin.TabularInline):
    model = Assignment
    extra = 0
    fields = ["department", "role", "status", "percent", "deadline"]
    autocomplete_fields = ["department"]
    show_change_link = True


# documents may not import tasks, so the measure page gains its assignments inline here, and
# the import / export of 任务分解表 (measures with their assignments).
class MeasureWithAssignmentsAdmin(SpreadsheetAdminMixin, MeasureAdmin):
    inlines = [AssignmentInline, *MeasureAdmin.inlines]
    resource_classes = [MeasureSheetResource]
    formats = import_formats = export_formats = [MeasureXLSX, MeasureCSV]
    import_permissions = ("documents.add_measure", "documents.change_measure", "tasks.add_assignment",
                          "tasks.change_assignment")
    import_form_class = MeasureImportForm
    confirm_form_class = MeasureConfirmImportForm

    def get_import_resource_kwargs(self, request, **kwargs):
        """The resource imports into the document chosen on the import (or confirm) form."""
        form = kwargs.pop("form", None)
        resource_kwargs = super().get_import_resource_kwargs(request, **kwargs)
        resource_kwargs["document"] = getattr(form, "cleaned_data", {}).get("document")
        return resource_kwargs

    def get_confirm_form_initial(self, request, import_form):
        initial = super().get_confirm_form_initial(request, import_form)
        if import_form is not None:
            initial["document"] = import_form.cleaned_data["document"].pk
        return initial


admin.site.unregister(Measure)
admin.site.register(Measure, MeasureWithAssignmentsAdmin)


@admin.register(Assignment)
class AssignmentAdmin(SimpleHistoryAdmin):
    list_display = ["measure", "department", "role", "status", "percent", "deadline", "acknowledged_at", "closed_at"]
    list_filter = ["role", "status", "department__kind", "measure__document"]
    search_fields = ["measure__title", "measure__number", "department__name", "department__short_name"]
    autocomplete_fields = ["measure", "department"]
    readonly_fields = ["acknowledged_at", "acknowledged_by", "closed_at", "closed_by", "created_at"]
    list_select_related = ["measure", "department"]


# Drafts stay inside their department (README, "who sees what"): the admin lists no draft report,
# nor its files or indicator values; evidence files open through the permission-checked download.
class WithoutDraftsMixin:
    draft_lookup = "status"

    def get_queryset(self, request):
        return super().get_queryset(request).exclude(**{self.draft_lookup: ReportStatus.DRAFT})


@admin.display(description=_("佐证材料"))
def download_link(attachment: Attachment) -> str:
    if not attachment.pk:
        return ""
    return format_html('<a href="{}">{}</a>', reverse("tasks:attachment", args=[attachment.pk]),
                       attachment.original_name)


class IndicatorValueInline(admin.TabularInline):
    model = IndicatorValue
    extra = 0
    autocomplete_fields = ["indicator"]


class AttachmentInline(admin.TabularInline):
    model = Attachment
    extra = 0
    fields = [download_link, "content_type", "size", "uploaded_by", "uploaded_at"]
    readonly_fields = fields


@admin.register(ProgressReport)
class ProgressReportAdmin(WithoutDraftsMixin, SimpleHistoryAdmin):
    list_display = ["assignment", "period_start", "period_end", "percent", "status", "submitted_at", "reviewed_at"]
    list_filter = ["status", "period_start", "assignment__department"]
    search_fields = ["text", "assignment__measure__title", "assignment__department__name"]
    autocomplete_fields = ["assignment"]
    readonly_fields = [
        "version", "created_by", "created_at", "updated_at", "submitted_by", "submitted_at",
        "leader_approved_by", "leader_approved_at", "reviewed_by", "reviewed_at",
    ]
    list_select_related = ["assignment__measure", "assignment__department"]
    date_hierarchy = "period_start"
    inlines = [IndicatorValueInline, AttachmentInline]


@admin.register(Attachment)
class AttachmentAdmin(WithoutDraftsMixin, admin.ModelAdmin):
    draft_lookup = "report__status"
    list_display = ["original_name", download_link, "report", "content_type", "size", "uploaded_by", "uploaded_at"]
    search_fields = ["original_name"]
    exclude = ["file"]
    readonly_fields = [download_link, "content_type", "size", "uploaded_by", "uploaded_at"]
    autocomplete_fields = ["report"]
    list_select_related = ["report__assignment__department", "report__assignment__measure", "uploaded_by"]


@admin.register(IndicatorValue)
class IndicatorValueAdmin(WithoutDraftsMixin, admin.ModelAdmin):
    draft_lookup = "report__status"
    list_display = ["indicator", "report", "value"]
    search_fields = ["indicator__name"]
    autocomplete_fields = ["indicator", "report"]
    list_select_related = ["indicator", "report__assignment__department", "report__assignment__measure"]


@admin.register(ExtensionRequest)
class ExtensionRequestAdmin(SimpleHistoryAdmin):
    list_display = ["assignment", "previous_deadline", "requested_deadline", "status", "requested_by", "decided_at"]
    list_filter = ["status"]
    search_fields = ["assignment__measure__title", "assignment__department__name", "reason"]
    autocomplete_fields = ["assignment"]
    readonly_fields = ["requested_at", "decided_by", "decided_at"]
    list_select_related = ["assignment__measure", "assignment__department"]


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    list_display = ["title", "recipient", "kind", "created_at", "read_at"]
    list_filter = ["kind", "read_at"]
    search_fields = ["title", "body", "recipient__username"]
    list_select_related = ["recipient"]
    raw_id_fields = ["assignment", "recipient"]


@admin.register(Delivery)
class DeliveryAdmin(admin.ModelAdmin):
    list_display = ["subject", "channel", "address", "status", "attempts", "created_at", "sent_at"]
    list_filter = ["status", "channel"]
    search_fields = ["subject", "address"]
    readonly_fields = ["created_at", "sent_at", "attempts", "last_error"]
    raw_id_fields = ["notification", "department"]


@admin.register(Reminder)
class ReminderAdmin(admin.ModelAdmin):
    list_display = ["key", "kind", "target_date", "offset", "created_at"]
    list_filter = ["kind"]
    search_fields = ["key"]
    raw_id_fields = ["assignment"]


@admin.register(ReminderSettings)
class ReminderSettingsAdmin(admin.ModelAdmin):
    list_display = ["__str__", "approaching_offsets", "overdue_repeat_days", "report_due_days_before",
                    "unacknowledged_after_days", "digest_weekday", "skip_weekends"]

    def has_add_permission(self, request):
        return not ReminderSettings.objects.exists()


@admin.register(NotificationPreference)
class NotificationPreferenceAdmin(admin.ModelAdmin):
    list_display = ["user", "email"]
    search_fields = ["user__username"]
    raw_id_fields = ["user"]


@admin.register(CalendarToken)
class CalendarTokenAdmin(admin.ModelAdmin):
    list_display = ["user", "created_at"]
    search_fields = ["user__username"]
    readonly_fields = ["token"]
    raw_id_fields = ["user"]
