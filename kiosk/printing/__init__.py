"""Printed documents (reportlab PDFs): pupil QR cards, visitor badges, message slips and
pads, parent notices, the fire roll call and trip sheets.

Every module here draws with the Unicode fonts from :mod:`kiosk.printing.fonts` and returns
PDF bytes or writes a file; sending a PDF to a printer is the screen's job (``ui/``).
"""
