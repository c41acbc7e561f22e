"""HTTP plumbing every room that dials shares: --resolve/--connect-to, pools, capped reads,
the words for no answer. May import only the top-level errors, text."""
