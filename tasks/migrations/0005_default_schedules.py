"""The default periodic tasks: the daily reminder sweep at 08:30 Asia/Shanghai and the retry of
undelivered messages every 5 minutes. Both are editable in the admin (django-celery-beat)."""

from django.db import migrations

SWEEP = "每日提醒扫描"
RETRY = "重试未送达的消息"


def create(apps, schema_editor):
    crontab_model = apps.get_model("django_celery_beat", "CrontabSchedule")
    interval_model = apps.get_model("django_celery_beat", "IntervalSchedule")
    task_model = apps.get_model("django_celery_beat", "PeriodicTask")
    daily, _ = crontab_model.objects.get_or_create(
        minute="30", hour="8", day_of_week="*", day_of_month="*", month_of_year="*", timezone="Asia/Shanghai"
    )
    every_five, _ = interval_model.objects.get_or_create(every=5, period="minutes")
    task_model.objects.get_or_create(
        name=SWEEP, defaults={"task": "tasks.tasks.run_reminder_sweep", "crontab": daily,
                              "description": "临期、逾期、填报、签收提醒和每周摘要"},
    )
    task_model.objects.get_or_create(
        name=RETRY, defaults={"task": "tasks.tasks.retry_deliveries", "interval": every_five,
                              "description": "重新发送失败或未能排队的邮件和群机器人消息"},
    )


def remove(apps, schema_editor):
    apps.get_model("django_celery_beat", "PeriodicTask").objects.filter(name__in=[SWEEP, RETRY]).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("tasks", "0004_notifications"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]

    operations = [migrations.RunPython(create, remove)]
