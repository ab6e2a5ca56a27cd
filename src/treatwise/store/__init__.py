"""Storage: the only package that imports SQLAlchemy (tables, queries, outbox)."""
