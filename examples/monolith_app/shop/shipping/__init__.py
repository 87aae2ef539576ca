"""Shipping: rates, shipments and delivery tracking."""

from .constants import *  # noqa: F403
