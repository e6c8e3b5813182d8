"""The reports expected and received are kept per reporting cycle (tasks.periods.reporting_cycle:
a measure without a recurrence reports monthly, and its rows are now the monthly ones), and the
open work per cycle is kept beside its changes (OpenTally), so that the number expected for a
period is the open work less the changes after it. The three are counted afresh."""

import django.db.models.deletion
from django.db import migrations, models

from tasks.rollups import keys

RECOUNTED = {"LifeTally", "ReportTally", "OpenTally"}


def count_afresh(apps, schema_editor):
    keys.recount(lambda name: apps.get_model("tasks", name), RECOUNTED)


class Migration(migrations.Migration):

    dependencies = [
        ('departments', '0005_leading_groups'),
        ('tasks', '0019_waiting_tally'),
    ]

    operations = [
        migrations.CreateModel(
            name='OpenTally',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('n', models.PositiveIntegerField()),
                ('recurrence', models.CharField(max_length=20)),
            ],
            options={
                'abstract': False,
            },
        ),
        migrations.AddIndex(
            model_name='lifetally',
            index=models.Index(fields=['period'], name='life_tally_period'),
        ),
        migrations.AddField(
            model_name='opentally',
            name='department',
            field=models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='departments.department'),
        ),
        migrations.AddField(
            model_name='opentally',
            name='group',
            field=models.ForeignKey(db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='departments.leadinggroup'),
        ),
        migrations.RunPython(count_afresh, migrations.RunPython.noop),
    ]
