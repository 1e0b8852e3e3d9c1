# lingxi gateway: `lingxi serve` on port 8000, state in the /data volume (LINGXI_HOME).
# Build:  docker build -t lingxi .
# Run:    docker run -p 8000:8000 -v lingxi-data:/data -e LINGXI_MASTER_KEY=... lingxi
# Several workers + PostgreSQL: see compose.yaml and docs/deploy.md.
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    LINGXI_HOME=/data

WORKDIR /app
COPY pyproject.toml README.md ./
COPY src ./src
# the postgres extra: psycopg (binary wheels, no libpq build needed) and psycopg-pool
RUN pip install ".[postgres]" \
    && useradd --system --uid 10001 --home-dir /data --shell /usr/sbin/nologin lingxi \
    && mkdir -p /data && chown lingxi:lingxi /data

USER lingxi
VOLUME ["/data"]
EXPOSE 8000

HEALTHCHECK --interval=15s --timeout=5s --start-period=30s --retries=3 \
    CMD ["python", "-c", "import sys, urllib.request; sys.exit(urllib.request.urlopen('http://127.0.0.1:8000/healthz', timeout=4).status != 200)"]

CMD ["lingxi", "serve", "--host", "0.0.0.0", "--port", "8000"]
