# Build: the WAR and the uber-jar (Payara Micro + WAR + the boot commands in payara/, baked in by the pom).
FROM maven:3.9-eclipse-temurin-17 AS build
WORKDIR /src
COPY pom.xml .
RUN mvn -B -q dependency:go-offline
COPY payara payara
COPY src src
RUN mvn -B -q package -DskipTests

# Run: the uber-jar on Payara's own Micro image (its JDK 17 and its non-root user "payara", uid 1000).
FROM payara/micro:6.2025.10-jdk17
USER payara
WORKDIR /opt/payara
COPY --from=build --chown=payara:payara /src/target/switchboard.jar switchboard.jar
# A standalone node keeps its history here; the directory is made now so that it belongs to payara
# (a volume mounted on a missing directory would be root's). A cluster node stores in PostgreSQL.
RUN mkdir -p /opt/payara/data
ENV SWITCHBOARD_DATA_DIR=/opt/payara/data
VOLUME /opt/payara/data
EXPOSE 8080
# Ready = serving and not draining. bash's /dev/tcp, because the base image promises neither curl nor wget.
HEALTHCHECK --interval=10s --timeout=3s --start-period=120s --retries=3 \
  CMD ["bash", "-c", "exec 3<>/dev/tcp/127.0.0.1/8080 && printf 'GET /health/ready HTTP/1.0\\r\\nHost: localhost\\r\\n\\r\\n' >&3 && head -n1 <&3 | grep -q ' 200 '"]
# Heap from the container's memory limit (70 %, as Payara's image); exit on OutOfMemoryError so the
# orchestrator restarts a broken node. More JVM flags: JAVA_TOOL_OPTIONS. java is PID 1 and gets
# SIGTERM itself: the node drains (README, "Graceful stop") and exits within 10 s.
ENTRYPOINT ["java", "-XX:MaxRAMPercentage=70", "-XX:+ExitOnOutOfMemoryError", "-jar", "/opt/payara/switchboard.jar", "--port", "8080"]
