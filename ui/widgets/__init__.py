"""Reusable widgets that know nothing of the services: scan listener, touch button, labels,
the pupil picker (given its search function), styling helpers."""
