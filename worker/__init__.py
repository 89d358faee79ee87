"""The Celery worker: the app (``worker.celery_app``) and thin tasks taking ids (``worker.tasks``)."""
