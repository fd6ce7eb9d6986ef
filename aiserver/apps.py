from django.apps import AppConfig


class AiserverConfig(AppConfig):
    """The project's own app: shared adapters, and the rules every process of the service follows."""

    name = "aiserver"
    verbose_name = "aiserver"

    def ready(self) -> None:
        import sys

        from aiserver.processes import install_fork_guard

        install_fork_guard()
        if sys.argv[1:2] == ["qcluster"]:
            from aiserver.metrics import serve_from_cluster

            serve_from_cluster()
