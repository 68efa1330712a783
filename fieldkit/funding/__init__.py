"""Money: allocations by year and funding source to communes and bodies, and what the activities cost against them."""
