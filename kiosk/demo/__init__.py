"""The demo school: a few hundred invented pupils, staff, visitors and calls."""
