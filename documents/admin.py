from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from documents.models import DocumentImport, Indicator, Measure, Milestone, PolicyDocument, Section


class SectionInline(admin.TabularInline):
    model = Section
    extra = 0
    fields = ["number", "title", "level", "order", "parent"]
    show_change_link = True


@admin.register(PolicyDocument)
class PolicyDocumentAdmin(SimpleHistoryAdmin):
    list_display = ["title", "doc_number", "issuer", "issued_date", "group", "status"]
    list_filter = ["status", "group", "issued_date"]
    search_fields = ["title", "doc_number", "issuer"]
    autocomplete_fields = ["parent", "group"]
    list_select_related = ["group"]
    readonly_fields = ["source_hash", "created_by", "created_at", "updated_at"]
    date_hierarchy = "issued_date"
    inlines = [SectionInline]


@admin.register(Section)
class SectionAdmin(admin.ModelAdmin):
    list_display = ["__str__", "document", "level", "order"]
    list_filter = ["level"]
    search_fields = ["title", "document__title"]
    autocomplete_fields = ["document", "parent"]
    list_select_related = ["document"]


class MilestoneInline(admin.TabularInline):
    model = Milestone
    extra = 0


class IndicatorInline(admin.TabularInline):
    model = Indicator
    extra = 0


@admin.register(Measure)
class MeasureAdmin(SimpleHistoryAdmin):
    list_display = ["number", "title", "document", "deadline", "is_ongoing", "recurrence"]
    list_filter = ["is_ongoing", "recurrence", "document"]
    search_fields = ["number", "title", "content", "document__title"]
    autocomplete_fields = ["document", "section"]
    list_select_related = ["document"]
    inlines = [MilestoneInline, IndicatorInline]


@admin.register(Milestone)
class MilestoneAdmin(admin.ModelAdmin):
    list_display = ["title", "measure", "due_date"]
    search_fields = ["title", "measure__title"]
    autocomplete_fields = ["measure"]
    date_hierarchy = "due_date"


@admin.register(Indicator)
class IndicatorAdmin(admin.ModelAdmin):
    list_display = ["name", "measure", "comparator", "target_value", "unit", "due_date"]
    list_filter = ["comparator"]
    search_fields = ["name", "measure__title"]
    autocomplete_fields = ["measure"]


@admin.register(DocumentImport)
class DocumentImportAdmin(admin.ModelAdmin):
    list_display = ["__str__", "source_name", "status", "document", "created_by", "created_at"]
    list_filter = ["status"]
    search_fields = ["source_name", "source_text"]
    readonly_fields = ["document", "created_by", "created_at", "updated_at"]
    list_select_related = ["document", "created_by"]
