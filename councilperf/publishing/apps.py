from django.apps import AppConfig


class PublishingConfig(AppConfig):
    name = "councilperf.publishing"
    label = "publishing"
    verbose_name = "Publication job"

    def ready(self) -> None:
        # The staff pages queue publish jobs; the worker finds their runner here (the
        # distribution app may not import this one: it sits below it).
        from councilperf.distribution import jobs
        from councilperf.distribution.models import QueueJob
        from councilperf.publishing.jobs import run_publish

        jobs.register(QueueJob.Kind.PUBLISH, run_publish)
