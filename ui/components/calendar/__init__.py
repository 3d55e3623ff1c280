"""The school day: periods, breaks, terms and closures."""
