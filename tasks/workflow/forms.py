"""Forms of the department workspace and the office review."""

from __future__ import annotations

from decimal import Decimal
from typing import cast

from django import forms
from django.utils.translation import gettext_lazy as _

from policytrack.bounds import date_validators
from tasks.workflow.reports import ReportInput
from tasks.workflow.uploads import validate_evidence


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several evidence files at once; each is checked by ``validate_evidence``."""

    widget = MultipleFileInput

    def clean(self, data, initial=None):
        files = data if isinstance(data, list | tuple) else ([data] if data else [])
        cleaned = [super(MultipleFileField, self).clean(item, initial) for item in files]
        for upload in cleaned:
            validate_evidence(upload)
        return cleaned


class ReportForm(forms.Form):
    """A progress report: text, percent, indicator values, optional evidence, supporting reports."""

    text = forms.CharField(
        label=_("进展情况"), max_length=20000, widget=forms.Textarea(attrs={"rows": 6, "class": "form-control"})
    )
    percent = forms.IntegerField(
        label=_("完成进度（%）"), min_value=0, max_value=100,
        widget=forms.NumberInput(attrs={"class": "form-control", "min": 0, "max": 100}),
    )
    # The field's name is the upload input's; Django's form metaclass moves declared fields off the
    # class, so BaseForm.files (the uploaded files) is not shadowed at run time.
    files = MultipleFileField(  # type: ignore[assignment]
        label=_("佐证材料（可选）"), required=False,
        help_text=_("不强制上传截图或材料；按需附上文件即可。"),
        widget=MultipleFileInput(attrs={"class": "form-control"}),
    )
    folded = forms.MultipleChoiceField(
        label=_("汇总配合单位报告"), required=False, widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args, indicators=(), foldable=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.indicators = list(indicators)
        for indicator in self.indicators:
            self.fields[f"indicator_{indicator.pk}"] = forms.DecimalField(
                label=f"{indicator.name}({indicator.unit})" if indicator.unit else indicator.name,
                required=False, max_digits=18, decimal_places=4, min_value=Decimal("-1e13"),
                widget=forms.NumberInput(attrs={"class": "form-control", "step": "any"}),
            )
        cast(forms.ChoiceField, self.fields["folded"]).choices = [
            (str(report.pk), f"{report.assignment.department}:{report.text[:60]}") for report in foldable
        ]

    def indicator_fields(self):
        return [self[f"indicator_{indicator.pk}"] for indicator in self.indicators]

    def to_input(self) -> ReportInput:
        data = self.cleaned_data
        return ReportInput(
            text=data["text"].strip(),
            percent=data["percent"],
            indicator_values={
                indicator.pk: data[f"indicator_{indicator.pk}"]
                for indicator in self.indicators
                if data.get(f"indicator_{indicator.pk}") is not None
            },
            files=data["files"],
            folded_report_ids=[int(pk) for pk in data["folded"]],
        )


class DecisionForm(forms.Form):
    """Accept or return (office), approve or return (leader), with a comment and the version seen."""

    decision = forms.ChoiceField(choices=[("accept", _("通过")), ("return", _("退回"))])
    comment = forms.CharField(label=_("意见"), required=False, max_length=2000,
                              widget=forms.Textarea(attrs={"rows": 2, "class": "form-control"}))
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)


class UrgeForm(forms.Form):
    message = forms.CharField(label=_("催办内容"), max_length=1000,
                              widget=forms.Textarea(attrs={"rows": 2, "class": "form-control"}))


class ReplyForm(forms.Form):
    reply = forms.CharField(label=_("回复"), max_length=2000,
                            widget=forms.Textarea(attrs={"rows": 2, "class": "form-control"}))


class ExtensionRequestForm(forms.Form):
    requested_deadline = forms.DateField(
        label=_("申请延至"), widget=forms.DateInput(attrs={"type": "date", "class": "form-control"}),
        validators=date_validators(),
    )
    reason = forms.CharField(label=_("申请理由"), max_length=2000,
                             widget=forms.Textarea(attrs={"rows": 2, "class": "form-control"}))


class ExtensionDecisionForm(forms.Form):
    decision = forms.ChoiceField(choices=[("approve", _("批准")), ("refuse", _("不批准"))])
    comment = forms.CharField(label=_("审批意见"), required=False, max_length=2000)


class BulkAcceptForm(forms.Form):
    reports = forms.TypedMultipleChoiceField(
        coerce=int, choices=[], error_messages={"required": _("请至少选择一份报告。")}
    )

    def __init__(self, *args, report_ids=(), **kwargs):
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["reports"]).choices = [(pk, pk) for pk in report_ids]


URGE_PRESETS = (
    _("请尽快签收并安排专人落实。"),
    _("该任务已逾期，请于3个工作日内报送进展和整改措施。"),
    _("本期进展尚未报送，请于本周内填报。"),
    _("请对照时间节点加快推进，确保按期完成。"),
)


class BulkUrgeForm(forms.Form):
    """催办 several assignments at once, with a preset message or one's own."""

    assignments = forms.TypedMultipleChoiceField(
        coerce=int, choices=[], error_messages={"required": _("请至少选择一项任务。")}
    )
    preset = forms.TypedChoiceField(label=_("常用催办语"), coerce=int, required=False, empty_value=None,
                                    choices=[("", _("自行填写"))] + list(enumerate(URGE_PRESETS)))
    message = forms.CharField(label=_("催办内容"), max_length=1000, required=False)

    def __init__(self, *args, assignment_ids=(), **kwargs):
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["assignments"]).choices = [(pk, pk) for pk in assignment_ids]

    def clean(self):
        super().clean()
        cleaned = self.cleaned_data
        message = (cleaned.get("message") or "").strip()
        if not message and cleaned.get("preset") is not None:
            message = str(URGE_PRESETS[cleaned["preset"]])
        if not message:
            raise forms.ValidationError(_("请选择常用催办语或填写催办内容。"))
        cleaned["message"] = message
        return cleaned


class BulletinEditForm(forms.ModelForm):
    """The parts of a draft bulletin the office writes itself before publishing."""

    class Meta:
        from tasks.models import Bulletin

        model = Bulletin
        fields = ["issuer", "doc_number", "title", "recipients", "foreword", "next_steps"]
        widgets = {
            "foreword": forms.Textarea(attrs={"rows": 3}),
            "next_steps": forms.Textarea(attrs={"rows": 4}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            field.widget.attrs.setdefault("class", "form-control")
