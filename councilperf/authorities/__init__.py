"""Reference data: the register of authorities, their populations and boundaries."""
