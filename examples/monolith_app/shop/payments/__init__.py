"""Payments: authorisation at checkout, capture, void and refund."""
