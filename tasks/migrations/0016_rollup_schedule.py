"""The nightly check of the rollups at 02:30 Asia/Shanghai (editable in the admin)."""

from django.db import migrations

NAME = "每晚核对驾驶舱汇总表"


def create(apps, schema_editor):
    crontab_model = apps.get_model("django_celery_beat", "CrontabSchedule")
    task_model = apps.get_model("django_celery_beat", "PeriodicTask")
    nightly, _ = crontab_model.objects.get_or_create(
        minute="30", hour="2", day_of_week="*", day_of_month="*", month_of_year="*", timezone="Asia/Shanghai"
    )
    task_model.objects.get_or_create(
        name=NAME, defaults={"task": "tasks.tasks.rebuild_rollups", "crontab": nightly,
                             "description": "从任务分工和报告重新计算汇总表，报告并修复偏差"},
    )


def remove(apps, schema_editor):
    apps.get_model("django_celery_beat", "PeriodicTask").objects.filter(name=NAME).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("tasks", "0015_rollups"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]

    operations = [migrations.RunPython(create, remove)]
