"""Customer notifications via a transactional outbox."""
