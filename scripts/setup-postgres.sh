#!/usr/bin/env bash
# Makes the machine's PostgreSQL usable for the test suite: pgvector built from
# Debian's source package (bookworm ships none), server running, extension creatable.
# Idempotent: a machine that already has pgvector skips the build.
set -euo pipefail

PG_VERSION=$(ls /etc/postgresql 2>/dev/null | sort -V | tail -n1 || true)
if [ -z "$PG_VERSION" ]; then
  echo "setup-postgres: no PostgreSQL cluster under /etc/postgresql" >&2
  exit 1
fi
PG_CONFIG=/usr/lib/postgresql/$PG_VERSION/bin/pg_config
SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"

if [ ! -f "/usr/share/postgresql/$PG_VERSION/extension/vector.control" ]; then
  echo "setup-postgres: building pgvector for PostgreSQL $PG_VERSION"
  export DEBIAN_FRONTEND=noninteractive
  $SUDO apt-get update -qq
  $SUDO apt-get install -y -qq "postgresql-server-dev-$PG_VERSION" dpkg-dev make gcc >/dev/null
  work=$(mktemp -d)
  mirror=$(awk '/^URIs:/{print $2; exit}' /etc/apt/sources.list.d/debian.sources 2>/dev/null || true)
  [ -n "$mirror" ] || mirror=http://deb.debian.org/debian
  mkdir -p "$work/lists/partial"
  echo "deb-src $mirror trixie main" > "$work/sources.list"
  apt_opts=(-o "Dir::Etc::SourceList=$work/sources.list" -o Dir::Etc::SourceParts=/dev/null -o "Dir::State::Lists=$work/lists")
  $SUDO apt-get "${apt_opts[@]}" update -qq
  (cd "$work" && apt-get "${apt_opts[@]}" source -qq --download-only pgvector >/dev/null && dpkg-source -x pgvector_*.dsc src >/dev/null)
  make -s -C "$work/src" PG_CONFIG="$PG_CONFIG" >/dev/null
  $SUDO make -s -C "$work/src" PG_CONFIG="$PG_CONFIG" install >/dev/null
  rm -rf "$work"
  # Installing the dev package can upgrade the server's minor version; restart to load it.
  $SUDO pg_ctlcluster --skip-systemctl-redirect "$PG_VERSION" main restart || true
fi

if ! pg_isready -q -h 127.0.0.1 -p 5432; then
  $SUDO pg_ctlcluster --skip-systemctl-redirect "$PG_VERSION" main start
  for _ in $(seq 1 30); do pg_isready -q -h 127.0.0.1 -p 5432 && break; sleep 1; done
fi

psql -h 127.0.0.1 -U postgres -d test -qAtc "CREATE EXTENSION IF NOT EXISTS vector; SELECT extversion FROM pg_extension WHERE extname='vector'" \
  | sed 's/^/setup-postgres: pgvector /'
