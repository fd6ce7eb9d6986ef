from django.apps import AppConfig


class ChatConfig(AppConfig):
    name = "chat"

    def ready(self) -> None:
        from chat import erasure

        erasure.register()  # what of a user chat forgets (aiserver.erasure)
