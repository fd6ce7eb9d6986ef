import os

from django.contrib.staticfiles.handlers import ASGIStaticFilesHandler
from django.core.asgi import get_asgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "aiserver.settings")
django_application = get_asgi_application()

from channels.routing import ProtocolTypeRouter, URLRouter  # noqa: E402 - needs Django set up

from aiserver.bodylimit import BodyLimit  # noqa: E402
from aiserver.lifespan import Lifespan  # noqa: E402
from chat.routing import websocket_urlpatterns  # noqa: E402
from tasks.fastpath import TaskStatusFastPath  # noqa: E402

# HTTP: the admin's CSS/JS is served by Django's own async static handler wrapped around the app,
# not by a sync middleware (WhiteNoise's forced a thread hop on every request); task polls that hit
# the Redis mirror are answered before Django (tasks/fastpath.py); bodies over the upload limit are
# refused before they are read (aiserver/bodylimit.py).
# Websockets: the chat consumer authenticates with its own signed token (chat/tokens.py).
# Lifespan: on SIGTERM the process drains before uvicorn stops (aiserver/lifespan.py).
http_application = TaskStatusFastPath(ASGIStaticFilesHandler(django_application))
application = ProtocolTypeRouter(
    {
        "http": BodyLimit(http_application),
        "websocket": URLRouter(websocket_urlpatterns),
        "lifespan": Lifespan(),  # graceful shutdown: drain on SIGTERM (aiserver/lifespan.py)
    }
)
