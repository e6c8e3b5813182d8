"""Forms of the spreadsheet import: the upload page, its unit mapping, and the admin's import
step (which also asks for the document to import into)."""

from __future__ import annotations

from pathlib import PurePath

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _
from import_export.forms import ConfirmImportForm, ImportForm

from departments.choices import DepartmentKind
from departments.models import Department, LeadingGroup
from departments.resources import SpreadsheetError
from documents.models import PolicyDocument
from tasks.spreadsheets.headers import find_header
from tasks.spreadsheets.reading import EXTENSIONS, read_sheet


class DocumentGroupForm(forms.Form):
    """The confirm step's choice of the document's leading group; a form without it keeps the group."""

    group = forms.ModelChoiceField(
        label=_("领导小组"), queryset=LeadingGroup.objects.filter(is_active=True), required=False,
        error_messages={"invalid_choice": _("所选领导小组不存在。")},
    )

    def chosen(self) -> dict:
        """``{"group": LeadingGroup | None}`` when the form carried the field, else ``{}``."""
        return {"group": self.cleaned_data.get("group")} if "group" in self.data else {}


class SpreadsheetUploadForm(forms.Form):
    """Step 1: the sheet. Type, size and header are checked here, so a bad file stores nothing."""

    file = forms.FileField(
        label=_("任务分解表（.xlsx 或 .csv）"),
        error_messages={"empty": _("上传的文件是空的。"), "required": _("请选择要导入的文件。")},
        widget=forms.ClearableFileInput(attrs={"class": "form-control", "accept": ",".join(EXTENSIONS)}),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        limit = settings.SPREADSHEET_IMPORT_MAX_BYTES
        suffix = PurePath(upload.name).suffix.lower()
        if suffix not in (*EXTENSIONS, ".xls"):
            raise forms.ValidationError(_("只能导入 .xlsx 或 .csv 文件。"))
        if upload.size > limit:
            raise forms.ValidationError(
                _("文件超过 %(mb)s MB 的上限，请拆分后导入。") % {"mb": f"{limit / 1024 / 1024:g}"}
            )
        try:
            rows = read_sheet(upload.name, upload.read())
            find_header(rows)
        except SpreadsheetError as exc:
            raise forms.ValidationError(str(exc)) from exc
        self.cleaned_data["rows"] = rows
        return upload


class UnitMapForm(forms.Form):
    """Say which department an unknown unit name means; it applies to every row naming it."""

    name = forms.CharField(max_length=100, widget=forms.HiddenInput)
    department = forms.ModelChoiceField(label=_("对应单位"), queryset=Department.objects.active())


class UnitCreateForm(forms.Form):
    """Say that an unknown unit is a department missing from the directory: it is created on confirmation."""

    name = forms.CharField(max_length=100, widget=forms.HiddenInput)
    kind = forms.ChoiceField(label=_("单位类型"), choices=DepartmentKind.choices)


class MeasureImportForm(ImportForm):
    """The admin's import step, plus the document the measures belong to."""

    document = forms.ModelChoiceField(label=_("导入到政策文件"), queryset=PolicyDocument.objects.all())
    field_order = ["resource", "document", "import_file", "format"]


class MeasureConfirmImportForm(ConfirmImportForm):
    document = forms.ModelChoiceField(queryset=PolicyDocument.objects.all(), widget=forms.HiddenInput)
