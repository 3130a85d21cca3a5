FROM python:3.11-slim-bookworm

# WeasyPrint's libraries, Japanese fonts (embedded in every PDF), HarfBuzz subsetting,
# gettext for the catalogs.
RUN apt-get update \
 && apt-get install -y --no-install-recommends \
      libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 \
      fonts-ipaexfont-gothic gettext \
 && rm -rf /var/lib/apt/lists/*

ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1
WORKDIR /app
COPY pyproject.toml ./
COPY config ./config
COPY incidents ./incidents
COPY reporting ./reporting
RUN pip install --no-cache-dir .
COPY . .
RUN DEBUG=1 python manage.py compilemessages -v0 --ignore=.venv \
 && DEBUG=1 python manage.py collectstatic --noinput -v0

RUN useradd --system --home /app taisaku && mkdir -p /app/var && chown taisaku /app/var
USER taisaku
EXPOSE 8000
CMD ["gunicorn", "config.wsgi:application", "--bind", "0.0.0.0:8000", "--workers", "3"]
