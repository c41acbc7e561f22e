"""The headless core: connection, snapshot, typed resources, checks, reports."""
