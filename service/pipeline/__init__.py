"""The enrichment stages, each a small pure module, and the chain that runs them."""
