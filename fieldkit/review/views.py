"""The review pages (built by the review work)."""
