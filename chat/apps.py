from django.apps import AppConfig


class ChatConfig(AppConfig):
    name = "chat"

    def ready(self) -> None:
        from chat import erasure

        erasure.register()  # what of a user chat forgets (aiserver.erasure)

        from aiserver.lifespan import register_drain
        from chat.consumers import drain

        register_drain(drain)  # a stopping web process lets open answers finish
