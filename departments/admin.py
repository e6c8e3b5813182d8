from django.contrib import admin, messages
from django.shortcuts import redirect
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from import_export.admin import ImportExportMixin

from departments.models import Department, DepartmentAlias, GroupMembership, LeadingGroup, Membership
from departments.resources import SAFE_FORMATS, DepartmentResource, SpreadsheetError


class SpreadsheetAdminMixin(ImportExportMixin):
    """Import and export buttons for a ModelAdmin: safe formats only, the usual model
    permissions (``import_permissions`` to import, view to export), read errors in Chinese, and
    an import that was refused at confirmation says so instead of reporting success."""

    formats = import_formats = export_formats = SAFE_FORMATS
    import_permissions: tuple[str, ...] = ()

    def has_import_permission(self, request) -> bool:
        return bool(self.import_permissions) and request.user.has_perms(self.import_permissions)

    def has_export_permission(self, request) -> bool:
        return self.has_view_permission(request)

    def add_data_read_fail_error_to_form(self, form, e) -> None:
        if isinstance(e, SpreadsheetError):
            form.add_error("import_file", str(e))
        else:
            super().add_data_read_fail_error_to_form(form, e)

    def process_result(self, result, request):
        if not (result.has_errors() or result.has_validation_errors()):
            return super().process_result(result, request)
        for error in result.base_errors:
            messages.error(request, str(error.error))
        for row in result.invalid_rows:
            for message in row.error.messages:
                messages.error(request, message)
        messages.error(request, gettext("表格有错误，未导入任何数据。"))
        app_label, model_name = self.get_model_info()
        return redirect(f"admin:{app_label}_{model_name}_import")


class DepartmentAliasInline(admin.TabularInline):
    model = DepartmentAlias
    extra = 1


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    autocomplete_fields = ["user"]


@admin.register(Department)
class DepartmentAdmin(SpreadsheetAdminMixin, admin.ModelAdmin):
    resource_classes = [DepartmentResource]
    import_permissions = ("departments.add_department", "departments.change_department")
    list_display = ["name", "short_name", "kind", "parent", "requires_leader_approval", "is_active", "sort_order"]
    list_filter = ["kind", "is_active", "requires_leader_approval"]
    search_fields = ["name", "short_name", "aliases__name"]
    autocomplete_fields = ["parent"]
    filter_horizontal = ["members"]
    inlines = [DepartmentAliasInline, MembershipInline]
    list_per_page = 50


@admin.register(DepartmentAlias)
class DepartmentAliasAdmin(admin.ModelAdmin):
    list_display = ["name", "department"]
    search_fields = ["name", "department__name"]
    autocomplete_fields = ["department"]


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ["user", "department", "role"]
    list_filter = ["role", "department__kind"]
    search_fields = ["user__username", "user__first_name", "user__last_name", "department__name"]
    autocomplete_fields = ["user", "department"]
    list_select_related = ["user", "department"]


class GroupMembershipInline(admin.TabularInline):
    model = GroupMembership
    extra = 1
    autocomplete_fields = ["user"]


@admin.register(LeadingGroup)
class LeadingGroupAdmin(admin.ModelAdmin):
    """Leading groups: the department seating the office, and who reviews or chairs for the group."""

    list_display = ["name", "short_name", "office_department", "notify_general_office", "is_active"]
    list_filter = ["is_active", "notify_general_office"]
    search_fields = ["name", "short_name"]
    autocomplete_fields = ["office_department"]
    list_select_related = ["office_department"]
    inlines = [GroupMembershipInline]


@admin.register(GroupMembership)
class GroupMembershipAdmin(admin.ModelAdmin):
    list_display = ["user", "group", "role"]
    list_filter = ["role", "group"]
    search_fields = ["user__username", "user__first_name", "user__last_name", "group__name"]
    autocomplete_fields = ["user", "group"]
    list_select_related = ["user", "group"]


admin.site.site_header = _("政策落实跟踪平台 · 管理后台")
admin.site.site_title = _("政策落实跟踪平台")
admin.site.index_title = _("数据管理")
