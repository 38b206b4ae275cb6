#!/usr/bin/env bash
# Installs and starts the system services the test suite needs, only when missing:
# a PostgreSQL server on 127.0.0.1:5432 and Debian's Chromium for the browser tests.
set -uo pipefail

SUDO=""
if [ "$(id -u)" != "0" ]; then SUDO="sudo"; fi
APT_UPDATED=0
apt_install() {
  if [ "$APT_UPDATED" = "0" ]; then
    $SUDO apt-get update -qq >/dev/null 2>&1 || true
    APT_UPDATED=1
  fi
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "$@" >/dev/null
}

# --- PostgreSQL -------------------------------------------------------------
pg_up() { pg_isready -q -h 127.0.0.1 -p 5432 >/dev/null 2>&1; }
if ! command -v pg_isready >/dev/null 2>&1; then
  echo "system-deps: installing PostgreSQL from Debian packages"
  apt_install postgresql postgresql-client || echo "system-deps: could not install PostgreSQL; postgres tests will skip"
fi
if command -v pg_isready >/dev/null 2>&1 && ! pg_up; then
  echo "system-deps: starting PostgreSQL"
  if command -v pg_ctlcluster >/dev/null 2>&1 && [ -d /etc/postgresql ]; then
    ver="$(ls /etc/postgresql | sort -V | tail -1)"
    conf="/etc/postgresql/$ver/main"
    # Trust auth on loopback so the suite connects without a password, as on CI.
    if [ -f "$conf/pg_hba.conf" ] && ! grep -q "sitroom-trust" "$conf/pg_hba.conf"; then
      { echo "# sitroom-trust"; echo "host all all 127.0.0.1/32 trust"; echo "host all all ::1/128 trust";
        echo "local all all trust"; cat "$conf/pg_hba.conf"; } > /tmp/pg_hba.conf.new
      cp /tmp/pg_hba.conf.new "$conf/pg_hba.conf"
    fi
    $SUDO pg_ctlcluster --skip-systemctl-redirect "$ver" main start || true
  fi
  for _ in $(seq 1 30); do pg_up && break; sleep 1; done
fi
if pg_up; then
  # The suite uses the database `test`; create it when the server lacks it.
  if ! psql -h 127.0.0.1 -U postgres -d test -c "select 1" >/dev/null 2>&1; then
    su postgres -c "psql -c 'create database test'" >/dev/null 2>&1 || \
      psql -h 127.0.0.1 -U postgres -c "create database test" >/dev/null 2>&1 || true
  fi
else
  echo "system-deps: no PostgreSQL on 127.0.0.1:5432; postgres tests will skip"
fi

# --- Chromium for the browser tests -----------------------------------------
if ! command -v chromium >/dev/null 2>&1; then
  echo "system-deps: installing Chromium from Debian packages"
  apt_install chromium fonts-dejavu-core fonts-noto-core || echo "system-deps: could not install Chromium; browser tests will skip"
fi
exit 0
