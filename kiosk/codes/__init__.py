"""Scanned codes: signed pupil-card and visitor-badge payloads, and camera decoding."""
