import gc
import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "score_portal.settings")
application = get_wsgi_application()
# What is loaded now (Django, the apps, their models and settings) lives as long as the worker: out of
# the collector's sight, each collection scans only what requests made since (README: Performance).
gc.freeze()
