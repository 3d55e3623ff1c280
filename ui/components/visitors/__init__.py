"""Visitors on site, the alert list and badges at the desk."""
