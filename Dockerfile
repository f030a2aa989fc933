# syntax=docker/dockerfile:1
# One image for every bundle. The bundle is chosen at start: BUNDLE=payment (docker-compose.yml), or the command's
# arguments (docker run … event-stream-orders payment); all bundles in one JVM when neither names one.

# --- build: the shaded jar, with the Maven wrapper ----------------------------------------------------------------
FROM eclipse-temurin:17-jdk AS build
WORKDIR /src
COPY .mvn/ .mvn/
COPY mvnw pom.xml ./
COPY app/pom.xml app/
COPY app/src/ app/src/
COPY routes/ routes/
COPY sql/ sql/
# the cache mount keeps ~/.m2 between builds; tests run in CI against real servers, not in the image build
RUN --mount=type=cache,target=/root/.m2 ./mvnw -B -q -DskipTests package \
    && cp app/target/event-stream-orders.jar /event-stream-orders.jar

# --- run: a JRE, a non-root user, the jar (routes and migrations inside) -------------------------------------------
FROM eclipse-temurin:17-jre
# curl for the HEALTHCHECK, if the base image lacks it
RUN command -v curl >/dev/null 2>&1 \
    || (apt-get update && apt-get install -y --no-install-recommends curl && rm -rf /var/lib/apt/lists/*)
RUN groupadd --system --gid 10001 orders && useradd --system --uid 10001 --gid orders --home-dir /app orders
WORKDIR /app
COPY --from=build --chown=10001:10001 /event-stream-orders.jar /app/event-stream-orders.jar
USER 10001:10001

# every bundle listens on 8080 inside its container (health, metrics and, for orders-api and aggregator, the API)
ENV HTTP_PORT=8080 \
    LOG_FORMAT=ecs \
    JAVA_OPTS="-XX:MaxRAMPercentage=75 -XX:+ExitOnOutOfMemoryError"
EXPOSE 8080
HEALTHCHECK --interval=10s --timeout=3s --start-period=90s --retries=3 \
    CMD curl -fsS "http://127.0.0.1:${HTTP_PORT}/health/ready" >/dev/null || exit 1

# exec: java is PID 1 and gets SIGTERM (graceful shutdown: in-flight work finishes, spans are flushed)
ENTRYPOINT ["sh", "-c", "exec java $JAVA_OPTS -jar /app/event-stream-orders.jar \"$@\"", "event-stream-orders"]
