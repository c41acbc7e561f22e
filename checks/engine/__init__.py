"""The runner and what checks see: context, shared facts, redaction, report renderings.
May import every room but catalog/, request/ and capture/; never the session."""
