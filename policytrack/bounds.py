"""The ranges every value from outside must fall in, kept in one place: the window of sane
deadlines (a date outside it breaks calendars and date arithmetic for everyone who sees it), the
largest id a primary key can hold and the longest day span a filter may ask for.

Forms, serializers, spreadsheets, documents and the admin check dates with ``check_date``
or ``date_validators``; list filters use the bounded fields of ``policytrack.filters``."""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

DATE_MIN = datetime.date(2000, 1, 1)
DATE_MAX = datetime.date(2100, 12, 31)
ID_MAX = 2**63 - 1  # BigAutoField
DAYS_MAX = 3660  # ten years


def date_message() -> str:
    return _("日期须在 %(min)s 至 %(max)s 之间。") % {"min": DATE_MIN.isoformat(), "max": DATE_MAX.isoformat()}


def in_window(value: datetime.date | None) -> bool:
    return value is None or DATE_MIN <= value <= DATE_MAX


def check_date(value: datetime.date | None) -> None:
    """Raise a ValidationError (in Chinese) for a date outside the window; None passes."""
    if not in_window(value):
        raise ValidationError(date_message(), code="date_window")


def date_validators() -> list:
    """Validators for a form or serializer date field (and a model field's ``validators``)."""
    return [check_date]
