"""Orders and the order state machine."""
