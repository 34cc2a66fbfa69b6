"""The checks: signatures, value strategies, properties, the runner and the report."""
