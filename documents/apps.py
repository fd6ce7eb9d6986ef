from django.apps import AppConfig


class DocumentsConfig(AppConfig):
    name = "documents"

    def ready(self) -> None:
        from documents.jobs import register_jobs

        register_jobs()  # ingest_file and ingest_text, with the task pipeline
