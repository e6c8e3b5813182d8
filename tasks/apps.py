from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TasksConfig(AppConfig):
    name = "tasks"
    verbose_name = _("任务落实")

    def ready(self) -> None:
        from tasks import changes
        from tasks.rollups import refresh

        changes.connect()
        refresh.connect()
