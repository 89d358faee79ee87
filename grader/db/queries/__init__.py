"""Query functions, one module per area; services call these instead of writing SQL."""
