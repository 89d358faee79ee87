# The one image docker-compose.yml runs as migrate, web, worker and beat (different commands).
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1

WORKDIR /app
RUN useradd --create-home --uid 10001 grader

# Dependencies first (cached while only the code changes), then the code.
COPY pyproject.toml README.md ./
COPY grader/__init__.py grader/__init__.py
RUN pip install .  && pip uninstall -y grader
COPY . .
RUN pip install --no-deps -e . && mkdir -p /app/var && chown -R grader /app/var

USER grader
EXPOSE 5000
# gthread, 2 processes x 8 threads: a burst's POSTs wait on the database and the broker, not behind
# each other (measured in docs/worker.md, "Web workers"; 2 sync workers queued them).
CMD ["gunicorn", "--bind", "0.0.0.0:5000", "--workers", "2", "--worker-class", "gthread", "--threads", "8", \
     "grader.bootstrap:build_app()"]
