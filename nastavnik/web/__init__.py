"""Flask admin (arrives with the storage and web issues)."""
