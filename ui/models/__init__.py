"""Qt table and list models for the desk window; each holds immutable rows from the services."""
