"""The desk window's frame: tabs, header, lock screen, settings and the audit log."""
