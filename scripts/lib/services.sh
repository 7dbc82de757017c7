# Shared by scripts/test and scripts/cluster: install with apt and start whatever local service is
# missing, so the scripts work on a brand-new machine. Safe to run again: running services are left alone.

SUDO=""
if [ "$(id -u)" -ne 0 ] && command -v sudo >/dev/null 2>&1; then SUDO="sudo"; fi
APT_UPDATED=""

apt_install() {
  if [ -z "$APT_UPDATED" ]; then
    $SUDO apt-get update -qq >/dev/null
    APT_UPDATED=1
  fi
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "$@" >/dev/null
}

port_open() {
  (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null
}

wait_port() { # port seconds name
  local i
  for ((i = 0; i < $2 * 4; i++)); do
    port_open "$1" && return 0
    sleep 0.25
  done
  echo "$3 did not open port $1 within $2 s" >&2
  return 1
}

ensure_java_and_maven() {
  command -v java >/dev/null && command -v mvn >/dev/null && return 0
  echo "installing JDK 17 and Maven"
  apt_install openjdk-17-jdk-headless maven
}

ensure_postgres() {
  if ! command -v pg_ctlcluster >/dev/null; then
    echo "installing PostgreSQL"
    apt_install postgresql
  fi
  if ! port_open 5432; then
    echo "starting PostgreSQL"
    local version
    version=$(ls /etc/postgresql | sort -V | tail -1)
    $SUDO pg_ctlcluster --skip-systemctl-redirect "$version" main start
    wait_port 5432 30 PostgreSQL
  fi
  # The tests connect as postgres over TCP; trust auth is what this machine kind sets up. Where a
  # fresh install asks for a password, give the postgres role the one the tests use.
  if ! PGPASSWORD=postgres psql -h 127.0.0.1 -U postgres -d postgres -tAc 'select 1' >/dev/null 2>&1; then
    $SUDO -u postgres psql -qc "ALTER USER postgres PASSWORD 'postgres'" >/dev/null 2>&1 \
      || su postgres -c "psql -qc \"ALTER USER postgres PASSWORD 'postgres'\"" >/dev/null
  fi
}

ensure_redis() {
  if ! command -v redis-server >/dev/null; then
    echo "installing Redis"
    apt_install redis-server
  fi
  if ! port_open 6379; then
    echo "starting Redis"
    mkdir -p /var/lib/redis /var/log/redis 2>/dev/null || true
    $SUDO redis-server --daemonize yes --bind 127.0.0.1 -::1 --port 6379 --save "" --appendonly no \
      --dir /var/lib/redis --logfile /var/log/redis/ci.log
    wait_port 6379 20 Redis
  fi
}

ensure_rabbitmq() {
  if ! command -v rabbitmq-server >/dev/null; then
    echo "installing RabbitMQ"
    apt_install rabbitmq-server
  fi
  if ! port_open 5672; then
    echo "starting RabbitMQ"
    $SUDO rabbitmq-server -detached
    wait_port 5672 90 RabbitMQ
  fi
}

ensure_chromium() {
  if ! command -v chromium >/dev/null || ! command -v chromedriver >/dev/null; then
    echo "installing chromium and chromium-driver"
    apt_install chromium chromium-driver
  fi
}

# Builds target/switchboard.jar when it is missing or older than any source.
build_if_needed() {
  if [ ! -f target/switchboard.jar ] || [ -n "$(find pom.xml src/main payara -newer target/switchboard.jar -print -quit)" ]; then
    echo "building target/switchboard.jar"
    mvn -B -q clean package -DskipTests
  fi
}

ensure_nginx() {
  if ! command -v nginx >/dev/null && [ ! -x /usr/sbin/nginx ]; then
    echo "installing nginx"
    apt_install nginx-light || apt_install nginx
  fi
}

# Creates a PostgreSQL database (owned by postgres) unless it exists.
ensure_database() {
  local db=$1
  if ! PGPASSWORD=postgres psql -h 127.0.0.1 -U postgres -d postgres -tAc "select 1 from pg_database where datname='$db'" | grep -q 1; then
    PGPASSWORD=postgres psql -h 127.0.0.1 -U postgres -d postgres -qc "CREATE DATABASE $db" >/dev/null
  fi
}
