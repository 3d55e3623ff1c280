"""Services: one function per user action, one short transaction each, frozen rows out.

Every function takes a :class:`kiosk.context.KioskContext` first; those that change data
take the acting :class:`kiosk.rows.Actor` next, check the actor's role themselves, and write
an audit entry in the same transaction as the change.
"""
