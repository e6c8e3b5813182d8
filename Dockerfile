# PolicyTrack image: one image for web (gunicorn), worker and beat; static files built in.
FROM node:20-bookworm-slim AS assets
WORKDIR /src
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund --loglevel=error
COPY tools ./tools
RUN npm run --silent vendor

FROM python:3.11-slim-bookworm
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 DEBUG=0 POLICYTRACK_VAR_DIR=/var/lib/policytrack \
    STATIC_ROOT=/app/staticfiles MEDIA_ROOT=/var/lib/policytrack/media
RUN useradd --system --home /app --shell /usr/sbin/nologin policytrack
WORKDIR /app
COPY requirements.txt ./
RUN pip install --no-cache-dir -r requirements.txt
COPY . .
COPY --from=assets /src/static/vendor ./static/vendor
# collectstatic needs settings to import; the real key comes from the environment at run time.
RUN SECRET_KEY=build-only-not-secret python manage.py collectstatic --noinput -v0 \
    && mkdir -p /var/lib/policytrack/media && chown -R policytrack /var/lib/policytrack
USER policytrack
EXPOSE 8000
CMD ["gunicorn", "policytrack.wsgi", "--bind", "0.0.0.0:8000", "--workers", "3", "--access-logfile", "-"]
