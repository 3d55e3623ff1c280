"""Reusable widgets that know nothing of the services: scan listener, touch button, labels."""
