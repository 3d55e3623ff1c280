"""Whole windows composed from components: the desk window and the kiosk face."""
