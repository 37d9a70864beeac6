# Herald in a container: slim, non-root, the bundled content as the default folder.
#   docker build -t herald .
#   docker run --rm -e HERALD_TELEGRAM_TOKEN=... herald            # SQLite in /var/lib/herald
#   docker run --rm -v ./blog:/srv/herald/content:ro -e ... herald  # your own posts
# Settings: /etc/herald/herald.toml (deploy/herald.toml), HERALD_* variables override it.
FROM python:3.11-slim AS build
WORKDIR /src
COPY pyproject.toml README.md ./
COPY src ./src
RUN pip wheel --no-cache-dir --wheel-dir /wheels .

FROM python:3.11-slim
ENV PYTHONUNBUFFERED=1 \
    PYTHONDONTWRITEBYTECODE=1 \
    HERALD_CONFIG=/etc/herald/herald.toml
RUN useradd --system --uid 10001 --user-group --home-dir /var/lib/herald --create-home herald
COPY --from=build /wheels /wheels
RUN pip install --no-cache-dir /wheels/*.whl && rm -rf /wheels
COPY deploy/herald.toml /etc/herald/herald.toml
COPY content /srv/herald/content
USER herald
WORKDIR /var/lib/herald
VOLUME ["/var/lib/herald"]
EXPOSE 8080
ENTRYPOINT ["herald"]
CMD ["run"]
