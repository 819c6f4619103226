# Production image: gunicorn serving the API, or (compose `worker`, `beat`) Celery, as an unprivileged user.
FROM python:3.12-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    COUNTONME_VAR_DIR=/app/var \
    STATIC_ROOT=/app/static \
    HOST=0.0.0.0 \
    PORT=8000

WORKDIR /app
RUN useradd --system --create-home --uid 10001 app

COPY pyproject.toml README.md ./
COPY countonme ./countonme
COPY devices ./devices
COPY products ./products
COPY entries ./entries
RUN pip install .
COPY manage.py gunicorn.conf.py ./
COPY docs ./docs

# Static files are baked into the image; throwaway secrets keep the
# development settings from generating and storing real ones here.
RUN SECRET_KEY=collectstatic-only DEVICE_TOKEN_PEPPER=collectstatic-only-pepper \
    python manage.py collectstatic --noinput --verbosity 0 \
    && mkdir -p /app/var && chown -R app:app /app/var /app/static

USER app
EXPOSE 8000
HEALTHCHECK --interval=15s --timeout=3s --start-period=20s --retries=3 \
    CMD ["python", "-m", "countonme.ops.healthcheck", "/health"]
CMD ["gunicorn", "countonme.wsgi:application", "--config", "gunicorn.conf.py"]
