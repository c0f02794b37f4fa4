"""HTTP layer: routes, the wire contract and the problem+json mapping."""
