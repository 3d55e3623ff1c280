"""Reading the school's CSV exports: one tolerant reader; pupils, staff and contacts."""
