"""Setting a school up from the desk: the first-run guide and the imports from the MIS."""
