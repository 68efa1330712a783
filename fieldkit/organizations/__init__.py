"""The implementing bodies of the plan: the seeded list, look-ups, and administrators' changes."""
