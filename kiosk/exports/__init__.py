"""CSV exports for the school's records: custody, visitors and calls."""
