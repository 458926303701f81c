#!/usr/bin/env bash
# Start a throwaway PostgreSQL cluster for the consent store tests.
#
#   eval "$(.ci/postgres.sh)"          # start; exports INTEGRITET_TEST_POSTGRES
#   go test -race ./consent/...
#   .ci/postgres.sh stop "$INTEGRITET_TEST_POSTGRES_DIR"
#
# Installs Debian's postgresql if it is missing (apt-get, non-interactive),
# runs initdb in a fresh temporary directory, listens on 127.0.0.1 on a free
# port only (trust authentication: nothing else can reach it), and creates
# the database integritet_test. As root, the server runs as the unprivileged
# user "postgres". Progress goes to stderr; stdout is only the export lines.
set -euo pipefail

log() { echo "postgres.sh: $*" >&2; }

as_owner() {
	if [ "$(id -u)" = 0 ]; then
		runuser -u "$PGUSER_OS" -- "$@"
	else
		"$@"
	fi
}

bindir() {
	local d
	for d in $(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V -r); do
		if [ -x "$d/initdb" ] && [ -x "$d/pg_ctl" ]; then
			echo "$d"
			return 0
		fi
	done
	if command -v initdb >/dev/null && command -v pg_ctl >/dev/null; then
		dirname "$(command -v initdb)"
		return 0
	fi
	return 1
}

if [ "${1:-}" = stop ]; then
	dir=${2:?usage: postgres.sh stop DIR}
	bin=$(bindir)
	PGUSER_OS=$(stat -c %U "$dir/data")
	as_owner "$bin/pg_ctl" -D "$dir/data" -m fast -w stop >&2
	rm -rf "$dir"
	exit 0
fi

if ! bin=$(bindir); then
	[ "$(id -u)" = 0 ] || { log "postgresql is not installed and I am not root to install it"; exit 1; }
	log "installing postgresql from Debian"
	export DEBIAN_FRONTEND=noninteractive
	apt-get update -q >&2
	apt-get install -y -q --no-install-recommends postgresql >&2
	bin=$(bindir)
fi

PGUSER_OS=$(id -un)
if [ "$(id -u)" = 0 ]; then
	PGUSER_OS=postgres
	id -u postgres >/dev/null 2>&1 || useradd --system --no-create-home --shell /usr/sbin/nologin postgres
fi

dir=$(mktemp -d /tmp/integritet-pg.XXXXXX)
chmod 755 "$dir"
mkdir "$dir/data" "$dir/sock"
[ "$(id -u)" = 0 ] && chown "$PGUSER_OS" "$dir/data" "$dir/sock"

# A free port: the first random one nothing answers on.
port=
for _ in $(seq 1 50); do
	p=$((20000 + RANDOM % 40000))
	if ! (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null; then
		port=$p
		break
	fi
done
[ -n "$port" ] || { log "no free port found"; exit 1; }

log "initdb in $dir/data ($bin)"
as_owner "$bin/initdb" -D "$dir/data" -U postgres --auth=trust --encoding=UTF8 --locale=C.UTF-8 >"$dir/initdb.log" 2>&1 \
	|| as_owner "$bin/initdb" -D "$dir/data" -U postgres --auth=trust --encoding=UTF8 --no-locale >"$dir/initdb.log" 2>&1 \
	|| { cat "$dir/initdb.log" >&2; exit 1; }
log "starting on 127.0.0.1:$port"
as_owner "$bin/pg_ctl" -D "$dir/data" -l "$dir/data/server.log" -w -t 60 \
	-o "-c listen_addresses=127.0.0.1 -p $port -k $dir/sock -c max_connections=200 -c max_prepared_transactions=8" start >&2 \
	|| { cat "$dir/data/server.log" >&2; exit 1; }
as_owner "$bin/psql" -q -h 127.0.0.1 -p "$port" -U postgres -d postgres -c "CREATE DATABASE integritet_test" >&2

echo "export INTEGRITET_TEST_POSTGRES='postgres://postgres@127.0.0.1:$port/integritet_test?sslmode=disable'"
echo "export INTEGRITET_TEST_POSTGRES_DIR='$dir'"
