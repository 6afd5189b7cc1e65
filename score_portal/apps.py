from django.apps import AppConfig


class ScorePortalConfig(AppConfig):
    name = "score_portal"
    verbose_name = "SCORE Portal"
