"""Confiscated devices: the register, the forms, contacts and the chain of custody."""
