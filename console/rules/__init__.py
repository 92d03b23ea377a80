"""Rules that judge a plan before it reaches the shop floor: what must be blocked, what deserves a warning."""
