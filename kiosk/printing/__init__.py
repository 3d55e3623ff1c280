"""Printed documents (reportlab PDFs): pupil QR cards now, badges and message slips later.

Every module here draws with the Unicode fonts from :mod:`kiosk.printing.fonts` and returns
PDF bytes or writes a file; sending a PDF to a printer is the screen's job (``ui/``).
"""
