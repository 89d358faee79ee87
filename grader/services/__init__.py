"""Use cases (submit, grade, regrade, administer): framework-free, given a database session."""
