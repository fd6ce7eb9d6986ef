from django.apps import AppConfig


class AiserverConfig(AppConfig):
    """The project's own app: shared adapters, and the rules every process of the service follows."""

    name = "aiserver"
    verbose_name = "aiserver"

    def ready(self) -> None:
        from aiserver.processes import install_fork_guard

        install_fork_guard()
