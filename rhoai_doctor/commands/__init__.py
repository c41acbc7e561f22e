"""One module per sub-command; each builds its options once and talks to checks.session."""
