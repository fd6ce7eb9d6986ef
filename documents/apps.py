from django.apps import AppConfig


class DocumentsConfig(AppConfig):
    name = "documents"

    def ready(self) -> None:
        from documents import erasure
        from documents.jobs import register_jobs

        register_jobs()  # ingest_file and ingest_text, with the task pipeline
        erasure.register()  # what of a user documents forgets (aiserver.erasure)
