"""Bounded filter fields for every list filter of the site and the API. A number or date out of
range is a form error (a 400 with a message), never an overflow in the database or in date
arithmetic, and the API schema states the same bounds (``extend_schema_field``)."""

from __future__ import annotations

import django_filters
from django import forms
from drf_spectacular.utils import extend_schema_field

from policytrack.bounds import DATE_MAX, DATE_MIN, DAYS_MAX, ID_MAX, date_validators


@extend_schema_field({"type": "integer", "minimum": 1, "maximum": ID_MAX})
class IdFilter(django_filters.NumberFilter):
    """An object id: a whole number from 1 to the largest primary key."""

    field_class = forms.IntegerField

    def __init__(self, *args, **kwargs) -> None:
        kwargs.setdefault("min_value", 1)
        kwargs.setdefault("max_value", ID_MAX)
        super().__init__(*args, **kwargs)


@extend_schema_field({"type": "integer", "minimum": 1, "maximum": ID_MAX})
class IdChoiceFilter(django_filters.ModelChoiceFilter):
    """An object chosen by id from a queryset: an id that names none of them is a form error."""


@extend_schema_field({"type": "integer", "minimum": 0, "maximum": DAYS_MAX})
class DaysFilter(django_filters.NumberFilter):
    """A number of days from today: a whole number from 0 to DAYS_MAX."""

    field_class = forms.IntegerField

    def __init__(self, *args, **kwargs) -> None:
        kwargs.setdefault("min_value", 0)
        kwargs.setdefault("max_value", DAYS_MAX)
        super().__init__(*args, **kwargs)


@extend_schema_field({"type": "string", "format": "date", "description": f"{DATE_MIN} – {DATE_MAX}"})
class WindowDateFilter(django_filters.DateFilter):
    """A date inside the window of policytrack.bounds."""

    def __init__(self, *args, **kwargs) -> None:
        kwargs.setdefault("validators", date_validators())
        super().__init__(*args, **kwargs)


def model_choices(field: forms.ModelChoiceField) -> list[tuple[str, str]]:
    """A model choice field's options, the blank one aside, read with one plain query (the field's
    own iterator counts them first and then reads them through a server-side cursor: three round
    trips for a short list)."""
    return [(str(obj.pk), field.label_from_instance(obj)) for obj in field.queryset]
