"""Serializers of the department directory API."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from departments.choices import DepartmentKind
from departments.models import Department, normalize_name


class DepartmentSerializer(serializers.ModelSerializer):
    """A department of the directory; names are normalised as the model stores them."""

    kind_display = serializers.CharField(source="get_kind_display", read_only=True, help_text=_("类型名称"))
    aliases = serializers.SlugRelatedField(
        slug_field="name", many=True, read_only=True, help_text=_("别名（在管理后台维护）")
    )
    name = serializers.CharField(
        label=_("单位全称"), max_length=100, error_messages={"blank": _("请填写单位全称。"), "required": _("请填写单位全称。")}
    )

    class Meta:
        model = Department
        fields = [
            "id", "name", "short_name", "kind", "kind_display", "parent", "members", "aliases",
            "requires_leader_approval", "is_active", "sort_order",
        ]

    def validate_name(self, value: str) -> str:
        name = normalize_name(value)
        if not name:
            raise serializers.ValidationError(_("请填写单位全称。"))
        clash = Department.objects.filter(name=name)
        if self.instance is not None:
            clash = clash.exclude(pk=self.instance.pk)
        if clash.exists():
            raise serializers.ValidationError(_("已有名为“%(name)s”的单位。") % {"name": name})
        return name

    def validate_parent(self, value: Department | None) -> Department | None:
        if value is not None and self.instance is not None:
            ancestor: Department | None = value
            while ancestor is not None:
                if ancestor.pk == self.instance.pk:
                    raise serializers.ValidationError(_("上级单位不能是本单位或其下级单位。"))
                ancestor = ancestor.parent
        return value

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        kind = attrs.get("kind", getattr(self.instance, "kind", None))
        if attrs.get("members") and kind != DepartmentKind.GROUP:
            raise serializers.ValidationError({"members": _("只有集合单位可以设置成员单位。")})
        return attrs
