"""Closed work of a document is tallied without its deadline (closed is closed, whatever the
deadline, so it shares one row), and the measure tallies are indexed by kind for the dashboard's
one-kind sums. The document state tallies are counted afresh."""

from django.db import migrations, models

from tasks.rollups import keys

RECOUNTED = {"DocumentTally"}


def count_afresh(apps, schema_editor):
    keys.recount(lambda name: apps.get_model("tasks", name), RECOUNTED)


class Migration(migrations.Migration):

    dependencies = [
        ("tasks", "0020_rollups_per_reporting_cycle"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="measuretally",
            index=models.Index(fields=["kind", "document", "open_due", "n"], name="measure_tally_kind"),
        ),
        migrations.RunPython(count_afresh, migrations.RunPython.noop),
    ]
