#!/bin/sh
# Start a throwaway PostgreSQL server for the store tests and print the URL to export.
#
# Run as root (CI, or a dev container): creates a temporary data directory owned by the unprivileged
# user `postgres`, runs initdb and pg_ctl on 127.0.0.1 with a free port, creates the database
# `newsfacts_test`, and prints one line:
#     export NEWSFACTS_TEST_POSTGRES=postgresql://postgres@127.0.0.1:PORT/newsfacts_test
# so that `eval "$(.ci/start-postgres.sh)"` wires the tests to it. Stop it with the printed
# `pg_ctl stop` line (on stderr), or `eval "$NEWSFACTS_TEST_POSTGRES_STOP"` (exported too). Uses Debian's postgresql package (/usr/lib/postgresql/*/bin).
set -eu

PGBIN="${PGBIN:-$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)}"
if [ ! -x "$PGBIN/initdb" ]; then
    echo "start-postgres: no PostgreSQL binaries under /usr/lib/postgresql (apt-get install postgresql)" >&2
    exit 1
fi
id postgres >/dev/null 2>&1 || useradd --system --no-create-home --shell /usr/sbin/nologin postgres

DATA="$(mktemp -d /tmp/newsfacts-pg.XXXXXX)"
chown postgres "$DATA"
chmod 700 "$DATA"
PORT="$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()')"

as_postgres() { su -s /bin/sh postgres -c "$*"; }

as_postgres "'$PGBIN/initdb' -D '$DATA/db' -U postgres --auth=trust --encoding=UTF8 --locale=C.UTF-8" >"$DATA/initdb.log" 2>&1 \
    || { cat "$DATA/initdb.log" >&2; exit 1; }
as_postgres "'$PGBIN/pg_ctl' -D '$DATA/db' -l '$DATA/server.log' -w -o \"-h 127.0.0.1 -p $PORT -k '$DATA' -c fsync=off\" start" >&2 \
    || { cat "$DATA/server.log" >&2; exit 1; }
as_postgres "'$PGBIN/createdb' -h 127.0.0.1 -p $PORT -U postgres newsfacts_test"

echo "start-postgres: server on 127.0.0.1:$PORT, data in $DATA; stop: su postgres -s /bin/sh -c \"$PGBIN/pg_ctl -D $DATA/db stop\"" >&2
echo "export NEWSFACTS_TEST_POSTGRES=postgresql://postgres@127.0.0.1:$PORT/newsfacts_test"
echo "export NEWSFACTS_TEST_POSTGRES_STOP='su -s /bin/sh postgres -c \"$PGBIN/pg_ctl -D $DATA/db stop -m fast\"'"
