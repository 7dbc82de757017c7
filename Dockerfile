# Build: the WAR and the uber-jar (Payara Micro + WAR + payara/post-boot-commands.asadmin).
FROM maven:3.9-eclipse-temurin-17 AS build
WORKDIR /src
COPY pom.xml .
RUN mvn -B -q dependency:go-offline
COPY payara payara
COPY src src
RUN mvn -B -q package -DskipTests

# Run: the uber-jar on Payara's own Micro image (its JDK 17 and user); history under /opt/payara/data.
FROM payara/micro:6.2025.10-jdk17
COPY --from=build /src/target/switchboard.jar /opt/payara/switchboard.jar
ENV SWITCHBOARD_DATA_DIR=/opt/payara/data
VOLUME /opt/payara/data
EXPOSE 8080
HEALTHCHECK --interval=10s --timeout=3s --start-period=60s CMD wget -qO- http://127.0.0.1:8080/health/ready || exit 1
ENTRYPOINT ["java", "-XX:MaxRAMPercentage=75", "-jar", "/opt/payara/switchboard.jar", "--port", "8080"]
