"""Reports expected as changes per period (+1 given, -1 closed) and the trend as months given and
closed, instead of one row per pair of periods: far fewer rows per department. The rollups are
derived data: both tables are made again, and every rollup is counted afresh."""

import django.db.models.deletion
from django.db import migrations, models

from tasks.rollups import keys

TALLIES = ("StateTally", "LifeTally", "TrendTally", "ReportTally", "DocumentTally", "MeasureTally")


def count_afresh(apps, schema_editor):
    keys.recount(lambda name: apps.get_model("tasks", name), set(TALLIES))


def department():
    return models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name="+", to="departments.department")


def group():
    return models.ForeignKey(db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING,
                             related_name="+", to="departments.leadinggroup")


class Migration(migrations.Migration):

    dependencies = [
        ("departments", "0005_leading_groups"),
        ("tasks", "0017_assignment_urgency"),
    ]

    operations = [
        migrations.DeleteModel(name="LifeTally"),
        migrations.DeleteModel(name="TrendTally"),
        migrations.CreateModel(
            name="LifeTally",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("department", department()),
                ("group", group()),
                ("recurrence", models.CharField(max_length=20)),
                ("period", models.DateField()),
                ("n", models.IntegerField()),
            ],
            options={"abstract": False},
        ),
        migrations.CreateModel(
            name="TrendTally",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("n", models.PositiveIntegerField()),
                ("department", department()),
                ("group", group()),
                ("month", models.DateField()),
                ("closed", models.BooleanField()),
            ],
            options={"abstract": False},
        ),
        migrations.RunPython(count_afresh, migrations.RunPython.noop),
    ]
