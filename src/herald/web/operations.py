"""`/metrics`: the service's Prometheus metrics, on the reader's server.

The outbox figures are read from the store at each scrape (`herald.metrics.Metrics.
exposition`), so they are never staler than the scrape interval; a store that does not
answer gives the counters alone and no error, since a scrape must not fail because the
thing it watches is down (`/readyz` says that).
"""

from __future__ import annotations

import logging

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Route

from herald.core.ports import Outbox, StoreUnavailable
from herald.metrics import CONTENT_TYPE, Metrics

log = logging.getLogger(__name__)


def metrics_routes(metrics: Metrics, outbox: Outbox) -> list[BaseRoute]:
    async def scrape(_request: Request) -> Response:
        try:
            body = await metrics.exposition(outbox)
        except StoreUnavailable as fault:
            log.warning("metrics: the outbox could not be read: %s", fault)
            body = await metrics.exposition()
        return Response(body, media_type=CONTENT_TYPE, headers={"Cache-Control": "no-store"})

    return [Route("/metrics", scrape)]
