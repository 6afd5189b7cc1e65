from django.apps import AppConfig


class ScorePortalConfig(AppConfig):
    name = "score_portal"
    verbose_name = "SCORE Portal"

    def ready(self):
        from django.db.models.signals import post_migrate

        from . import (
            checks,  # noqa: F401 - registers the system checks
            panels,  # noqa: F401 - registers the worklist's failed mail
        )
        from .roles import ensure_roles

        post_migrate.connect(ensure_roles, sender=self, dispatch_uid="score_portal.ensure_roles")

        from django.conf import settings
        from PIL import Image

        # Pillow warns above this many pixels and refuses twice as many; training.visits.photos treats the
        # warning as a refusal too. Either way, from the image's header, before decoding its pixels.
        Image.MAX_IMAGE_PIXELS = settings.MAX_IMAGE_MEGAPIXELS * 1_000_000
