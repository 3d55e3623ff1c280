"""Phones handed in: the board, pupils, end of day, cards and the exemptions register."""
