from django.apps import AppConfig


class TasksConfig(AppConfig):
    name = "tasks"

    def ready(self) -> None:
        from tasks.erasure import register_jobs

        register_jobs()  # erase_user, and the tasks app's own erasers (aiserver.erasure)

        from aiserver.metrics import register_scraped
        from tasks.gauges import QueueState

        register_scraped(QueueState())
