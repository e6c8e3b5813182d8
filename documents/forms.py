"""Forms of the import wizard."""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.forms import formset_factory
from django.utils.translation import gettext_lazy as _

from departments.choices import DepartmentKind
from departments.models import Department, LeadingGroup
from documents.parsing import DocumentReadError, read_document
from policytrack.bounds import date_validators

ROLE_CHOICES = [("lead", _("牵头单位")), ("responsible", _("责任单位")), ("supporting", _("配合单位"))]


class ImportSourceForm(forms.Form):
    """Step 1: the document's text, pasted or uploaded (.txt in UTF-8 or GB18030, .docx or .pdf)."""

    text = forms.CharField(
        label=_("粘贴文件全文"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 14, "class": "form-control font-monospace"}),
    )
    file = forms.FileField(
        label=_("或上传文件（.txt、.docx、.pdf）"),
        required=False,
        error_messages={"empty": _("上传的文件是空的。"), "invalid": _("没有收到文件，请重新选择。")},
        widget=forms.ClearableFileInput(attrs={"class": "form-control", "accept": ".txt,.docx,.pdf,text/plain,application/pdf"}),
    )

    def clean(self):
        cleaned = super().clean()
        if self.errors:  # a field error (such as an empty upload) already says what is wrong
            return cleaned
        text, upload = (cleaned.get("text") or "").strip(), cleaned.get("file")
        if text and upload:
            raise forms.ValidationError(_("请只选择一种方式：粘贴全文或上传文件。"))
        if upload:
            try:
                text = read_document(upload.name, upload.read(), max_bytes=settings.DOCUMENT_IMPORT_MAX_BYTES)
            except DocumentReadError as exc:
                raise forms.ValidationError(str(exc)) from exc
            cleaned["source_name"] = upload.name
        elif text:
            if len(text.encode("utf-8")) > settings.DOCUMENT_IMPORT_MAX_BYTES:
                raise forms.ValidationError(_("文本过长，请分多次导入。"))
            cleaned["source_name"] = ""
        else:
            raise forms.ValidationError(_("请粘贴文件全文或上传文件。"))
        cleaned["source_text"] = text.strip()
        return cleaned


class PlanMetadataForm(forms.Form):
    title = forms.CharField(label=_("标题"), max_length=300)
    doc_number = forms.CharField(label=_("文号"), max_length=100, required=False)
    issuer = forms.CharField(label=_("发文机关"), max_length=300, required=False)
    issued_date = forms.DateField(
        label=_("成文日期"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    group = forms.ModelChoiceField(
        label=_("领导小组"), queryset=LeadingGroup.objects.filter(is_active=True), required=False,
        empty_label=_("(无,由督查室统筹)"),
    )

    def clean(self):
        cleaned = super().clean()
        if "group" not in self.data:  # a form without the field leaves the group as it is
            cleaned.pop("group", None)
        return cleaned


class MeasureEditForm(forms.Form):
    number = forms.CharField(label=_("编号"), max_length=30)
    title = forms.CharField(label=_("标题"), max_length=300)
    deadline = forms.DateField(label=_("完成时限"), required=False, widget=forms.DateInput(attrs={"type": "date"}),
                               validators=date_validators())
    deadline_text = forms.CharField(label=_("时限原文"), max_length=200, required=False)
    ongoing = forms.BooleanField(label=_("持续推进"), required=False)


class UnitRoleForm(forms.Form):
    name = forms.CharField(label=_("单位"), max_length=100, required=False)
    role = forms.ChoiceField(label=_("角色"), choices=ROLE_CHOICES)


UnitRoleFormSet = formset_factory(UnitRoleForm, extra=2, can_delete=True)

# Comparators as the preview shows them: symbols, never the stored codes.
COMPARATOR_CHOICES = [("gt", ">"), ("gte", "≥"), ("eq", "="), ("lte", "≤"), ("lt", "<")]


class IndicatorForm(forms.Form):
    """One indicator candidate of a measure, as the admin corrects it (or ticks it to drop)."""

    name = forms.CharField(label=_("指标"), max_length=200, required=False)
    comparator = forms.ChoiceField(label=_("比较"), choices=COMPARATOR_CHOICES)
    value = forms.DecimalField(label=_("目标值"), max_digits=18, decimal_places=4, required=False)
    unit = forms.CharField(label=_("单位"), max_length=30, required=False)

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("DELETE") or not (cleaned.get("name") or "").strip():
            return cleaned
        if cleaned.get("value") is None and not self.errors:
            raise forms.ValidationError(_("指标“%(name)s”缺少目标值。") % {"name": cleaned["name"]})
        return cleaned


IndicatorFormSet = formset_factory(IndicatorForm, extra=1, can_delete=True)


class UnitMappingForm(forms.Form):
    """Map an unknown unit to a department, or create it as a new one."""

    name = forms.CharField(widget=forms.HiddenInput, max_length=100)
    action = forms.ChoiceField(choices=[
        ("map", _("对应到已有单位")), ("create", _("新建单位")),
        ("expand", _("展开到成员单位")), ("collapse", _("作为一个整体")),
    ])
    department = forms.ModelChoiceField(
        label=_("对应单位"), queryset=Department.objects.active(), required=False
    )
    kind = forms.ChoiceField(label=_("新单位类型"), choices=DepartmentKind.choices, initial=DepartmentKind.BUREAU)

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("action") == "map" and not cleaned.get("department"):
            raise forms.ValidationError(_("请选择对应的单位。"))
        return cleaned
