from django.apps import AppConfig


class ScorePortalConfig(AppConfig):
    name = "score_portal"
    verbose_name = "SCORE Portal"

    def ready(self):
        from django.conf import settings
        from django.db.models.signals import post_migrate

        from . import (
            checks,  # noqa: F401 - registers the system checks
            panels,  # noqa: F401 - registers the worklist's failed mail
        )
        from .roles import ensure_roles

        post_migrate.connect(ensure_roles, sender=self, dispatch_uid="score_portal.ensure_roles")

        from django.apps import apps

        from . import choice_labels

        # Every model is loaded before any app is ready.
        choice_labels.install(m for m in apps.get_models() if m._meta.app_config.name in settings.PORTAL_APPS)

        from PIL import Image

        # Pillow warns above this many pixels and refuses twice as many; training.visits.photos treats the
        # warning as a refusal too. Either way, from the image's header, before decoding its pixels.
        Image.MAX_IMAGE_PIXELS = settings.MAX_IMAGE_MEGAPIXELS * 1_000_000
