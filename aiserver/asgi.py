import os

from django.contrib.staticfiles.handlers import ASGIStaticFilesHandler
from django.core.asgi import get_asgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "aiserver.settings")
django_application = get_asgi_application()

from tasks.fastpath import TaskStatusFastPath  # noqa: E402 - needs Django set up

# The admin's CSS/JS is served by Django's own async static handler wrapped around the app, not by
# a sync middleware (WhiteNoise's forced a thread hop on every request). Task polls that hit the
# Redis mirror are answered before Django (tasks/fastpath.py).
application = TaskStatusFastPath(ASGIStaticFilesHandler(django_application))
