"""Customer accounts and their addresses."""
