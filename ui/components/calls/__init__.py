"""Calls and messages: taking a call, the queues, the telephone log, staff and trips."""
