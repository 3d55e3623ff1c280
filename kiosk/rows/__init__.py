"""The plain, immutable rows that services hand to the screens, printing and the command line."""
