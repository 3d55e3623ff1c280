"""Reception Kiosk core: storage, services, QR cards, printing and the command line.

Nothing in this package imports Qt; the desktop application lives in ``ui``.
"""

__version__ = "0.1.0"
APP_NAME = "Reception Kiosk"
