from django.apps import AppConfig


class AnalysisConfig(AppConfig):
    name = "analysis"
    verbose_name = "Fit analysis"

    def ready(self) -> None:
        from analysis import erasure
        from analysis.jobs import register_jobs

        register_jobs()  # fit_match, with the task pipeline
        erasure.register()  # what of a user analysis forgets (aiserver.erasure)
