"""Stock levels and reservations."""
