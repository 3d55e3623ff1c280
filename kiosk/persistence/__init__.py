"""Storage: the database engine and session factory, the ORM models, migrations and backups."""
