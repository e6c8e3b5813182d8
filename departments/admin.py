from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from departments.models import Department, DepartmentAlias, Membership


class DepartmentAliasInline(admin.TabularInline):
    model = DepartmentAlias
    extra = 1


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    autocomplete_fields = ["user"]


@admin.register(Department)
class DepartmentAdmin(admin.ModelAdmin):
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


admin.site.site_header = _("政策落实跟踪平台 · 管理后台")
admin.site.site_title = _("政策落实跟踪平台")
admin.site.index_title = _("数据管理")
