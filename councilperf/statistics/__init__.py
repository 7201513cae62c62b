"""Statistics: the pure core (``core``) and the layer that gathers counts and stores results."""
