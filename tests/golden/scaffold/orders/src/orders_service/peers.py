"""Clients of the services orders calls, found through `<SERVICE>_URL` variables."""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass

import httpx
from catalog_client import CatalogClient
from customers_client import CustomersClient
from fastapi import Request

from orders_service.observability import Metrics, correlation_id


@dataclass
class Peers:
    """One client per service this one calls, shared by all requests."""

    catalog: CatalogClient
    customers: CustomersClient

    @classmethod
    def from_env(
        cls, environ: Mapping[str, str] = os.environ, *, observer: Metrics | None = None
    ) -> Peers:
        """Clients for the URLs in the environment, in-cluster defaults otherwise."""
        # One TLS context for all: each would otherwise read the CA bundle, which makes
        # startup slow for a service with many peers.
        tls = httpx.create_ssl_context()
        return cls(
            catalog=CatalogClient.from_env(
                environ, correlation=correlation_id.get, observer=observer, verify=tls
            ),
            customers=CustomersClient.from_env(
                environ, correlation=correlation_id.get, observer=observer, verify=tls
            ),
        )

    async def aclose(self) -> None:
        """Close every client's connections."""
        await self.catalog.aclose()
        await self.customers.aclose()


def get_peers(request: Request) -> Peers:
    """FastAPI dependency: `peers: Annotated[Peers, Depends(get_peers)]`."""
    peers: Peers = request.app.state.peers
    return peers
