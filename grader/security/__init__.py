"""Security controls kept apart from the features they guard: the secret-key policy, secrets
encrypted at rest, the webhook egress fence. Framework-free (no Flask, no SQLAlchemy)."""
