"""The web reader: each published post as a fast, clean page, opened from the chats.

One ASGI app (`site.web_app`, Starlette) served by uvicorn inside Herald's own event loop
(`server.WebServer`), started by `herald run` when `[web] port` or `listen` is set.  It
reads through the reader service's post port only, so it shows exactly what the bots
show: drafts and future posts do not exist here either.  The same app is where the
Telegram webhook and `/metrics` can live; `/healthz` and `/readyz` are already here.
"""

from herald.web.server import WebServer
from herald.web.site import web_app

__all__ = ["WebServer", "web_app"]
