# shellcheck shell=bash
# Sourced by build.sh before the tests run. Makes a PostgreSQL server available to tests/Aicmo.Sdk.PostgreSql.Tests through
# AICMO_POSTGRES_CONNECTION (an Npgsql connection string):
#   - when AICMO_POSTGRES_CONNECTION is already set and its server answers, it is used as is;
#   - otherwise Debian's postgresql is installed if missing, a throwaway cluster is started on 127.0.0.1 on a free port in a
#     temporary directory, a database is created, and a cleanup that stops the cluster and removes the directory is registered.
# Can also be sourced by hand: `source .ci/services.d/postgres.sh` (the server then stops when that shell exits).

if ! declare -F add_cleanup >/dev/null; then
  # Outside build.sh: run cleanups when the sourcing shell exits.
  _aicmo_pg_cleanups=()
  add_cleanup() { _aicmo_pg_cleanups+=("$1"); }
  _aicmo_pg_run_cleanups() { local c; for c in "${_aicmo_pg_cleanups[@]+"${_aicmo_pg_cleanups[@]}"}"; do eval "$c" || true; done; }
  trap _aicmo_pg_run_cleanups EXIT
fi

_aicmo_pg_log() { printf '==> postgres: %s\n' "$*" >&2; }

# Prints the value of a key (case-insensitive; aliases given as extra arguments) of an Npgsql connection string.
_aicmo_pg_setting() {
  local connection="$1" key pair name value
  shift
  local IFS=';'
  for pair in $connection; do
    name="${pair%%=*}"
    value="${pair#*=}"
    name="$(printf '%s' "$name" | tr -d ' ' | tr '[:upper:]' '[:lower:]')"
    for key in "$@"; do
      if [ "$name" = "$key" ]; then
        printf '%s' "$value"
        return 0
      fi
    done
  done
  return 1
}

# Whether something accepts TCP connections at host:port.
_aicmo_pg_reachable() {
  local host="$1" port="$2"
  (exec 3<>"/dev/tcp/$host/$port") 2>/dev/null
}

_aicmo_pg_bindir() {
  local dir
  for dir in $(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -t/ -k4 -V -r); do
    if [ -x "$dir/initdb" ] && [ -x "$dir/pg_ctl" ]; then
      printf '%s' "$dir"
      return 0
    fi
  done
  return 1
}

_aicmo_pg_free_port() {
  local port
  if command -v python3 >/dev/null 2>&1; then
    python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'
    return 0
  fi
  for port in $(seq 25432 25532); do
    if ! _aicmo_pg_reachable 127.0.0.1 "$port"; then
      printf '%s' "$port"
      return 0
    fi
  done
  return 1
}

_aicmo_pg_start() {
  if [ -n "${AICMO_POSTGRES_CONNECTION:-}" ]; then
    local host port
    host="$(_aicmo_pg_setting "$AICMO_POSTGRES_CONNECTION" host server || true)"
    port="$(_aicmo_pg_setting "$AICMO_POSTGRES_CONNECTION" port || true)"
    host="${host:-localhost}"
    host="${host%%,*}"
    port="${port:-5432}"
    if _aicmo_pg_reachable "$host" "$port"; then
      _aicmo_pg_log "using the server at $host:$port from AICMO_POSTGRES_CONNECTION"
      return 0
    fi
    _aicmo_pg_log "AICMO_POSTGRES_CONNECTION points at $host:$port, which does not answer; starting a throwaway server instead"
  fi

  local bindir
  if ! bindir="$(_aicmo_pg_bindir)"; then
    _aicmo_pg_log "installing Debian's postgresql"
    if [ "$(id -u)" -ne 0 ]; then
      _aicmo_pg_log "not root: cannot install postgresql; set AICMO_POSTGRES_CONNECTION to a server"
      return 1
    fi
    DEBIAN_FRONTEND=noninteractive apt-get update -qq >&2 || return 1
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >&2 || return 1
    bindir="$(_aicmo_pg_bindir)" || { _aicmo_pg_log "postgresql installed, but initdb was not found"; return 1; }
  fi

  # initdb and postgres refuse to run as root: as root, the cluster belongs to the postgres user.
  local -a as_owner=()
  if [ "$(id -u)" -eq 0 ]; then
    if ! id postgres >/dev/null 2>&1; then
      _aicmo_pg_log "running as root and there is no postgres user to own the cluster"
      return 1
    fi
    if ! command -v runuser >/dev/null 2>&1; then
      _aicmo_pg_log "running as root without runuser to start the cluster as the postgres user"
      return 1
    fi
    as_owner=(runuser -u postgres --)
  fi

  local dir port
  dir="$(mktemp -d "${TMPDIR:-/tmp}/aicmo-postgres.XXXXXX")" || return 1
  chmod 0755 "$dir"
  if [ "$(id -u)" -eq 0 ]; then chown postgres: "$dir"; fi
  port="$(_aicmo_pg_free_port)" || { _aicmo_pg_log "no free port"; return 1; }

  _aicmo_pg_log "starting a throwaway cluster ($bindir) on 127.0.0.1:$port in $dir"
  if ! "${as_owner[@]}" "$bindir/initdb" -D "$dir/data" -U postgres -A trust -E UTF8 --locale=C.UTF-8 --no-sync >"$dir/initdb.log" 2>&1; then
    cat "$dir/initdb.log" >&2
    return 1
  fi

  # Durability settings are off: the cluster is thrown away after the tests, and the tests kill clients, never the server.
  if ! "${as_owner[@]}" "$bindir/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 \
      -o "-c listen_addresses=127.0.0.1 -p $port -k $dir -c max_connections=300 -c fsync=off -c synchronous_commit=off -c full_page_writes=off" \
      start >&2; then
    cat "$dir/server.log" >&2
    return 1
  fi
  add_cleanup "${as_owner[*]:+${as_owner[*]} }'$bindir/pg_ctl' -D '$dir/data' -m immediate -w stop >/dev/null 2>&1; rm -rf '$dir'"

  if ! "${as_owner[@]}" "$bindir/psql" -h 127.0.0.1 -p "$port" -U postgres -d postgres -v ON_ERROR_STOP=1 -q \
      -c "CREATE DATABASE aicmo_test ENCODING 'UTF8' TEMPLATE template0;" >&2; then
    return 1
  fi

  export AICMO_POSTGRES_CONNECTION="Host=127.0.0.1;Port=$port;Username=postgres;Database=aicmo_test"
  _aicmo_pg_log "AICMO_POSTGRES_CONNECTION=$AICMO_POSTGRES_CONNECTION"
}

if ! _aicmo_pg_start; then
  _aicmo_pg_log "no PostgreSQL server is available; the PostgreSQL tests will fail in CI and skip elsewhere"
fi
