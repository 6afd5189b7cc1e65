from django.apps import AppConfig


class ScorePortalConfig(AppConfig):
    name = "score_portal"
    verbose_name = "SCORE Portal"

    def ready(self):
        from django.db.models.signals import post_migrate

        from . import checks  # noqa: F401 - registers the system checks
        from .roles import ensure_roles

        post_migrate.connect(ensure_roles, sender=self, dispatch_uid="score_portal.ensure_roles")
