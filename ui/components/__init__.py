"""Parts of the desk window that use the services: board, pupils, end of day, cards, audit,
settings, and the workspace that holds them."""
