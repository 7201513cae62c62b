from django.apps import AppConfig


class LettersConfig(AppConfig):
    name = "councilperf.letters"
    label = "letters"
