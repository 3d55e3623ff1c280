"""What a scanned code is and what it did: one service for the kiosk face, the desk and the command line."""
