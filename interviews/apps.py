from django.apps import AppConfig


class InterviewsConfig(AppConfig):
    name = "interviews"
    verbose_name = "Mock interviews"

    def ready(self) -> None:
        from interviews import erasure

        erasure.register()  # what of a user interviews forgets (aiserver.erasure)
