"""Shared kernel: configuration, database session, money, events and errors."""
