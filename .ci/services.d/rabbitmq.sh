# shellcheck shell=bash
# Sourced by build.sh before the tests run. Makes a RabbitMQ broker available to the tests through AICMO_RABBITMQ_URI
# (an AMQP URI, amqp://guest:guest@127.0.0.1:PORT/):
#   - when AICMO_RABBITMQ_URI is already set and its broker answers, it is used as is;
#   - otherwise Debian's rabbitmq-server is installed if missing, and a throwaway broker is started on 127.0.0.1: its own node
#     name, AMQP, distribution and epmd ports, Erlang cookie, configuration, data and log folders in a temporary directory
#     (the system's broker and its configuration are not touched), and a cleanup that stops it and removes the directory is
#     registered.
# Can also be sourced by hand: `source .ci/services.d/rabbitmq.sh` (the broker then stops when that shell exits).

if ! declare -F add_cleanup >/dev/null; then
  # Outside build.sh: run cleanups when the sourcing shell exits.
  _aicmo_mq_cleanups=()
  add_cleanup() { _aicmo_mq_cleanups+=("$1"); }
  _aicmo_mq_run_cleanups() { local c; for c in "${_aicmo_mq_cleanups[@]+"${_aicmo_mq_cleanups[@]}"}"; do eval "$c" || true; done; }
  trap _aicmo_mq_run_cleanups EXIT
fi

_aicmo_mq_log() { printf '==> rabbitmq: %s\n' "$*" >&2; }

_aicmo_mq_reachable() {
  local host="$1" port="$2"
  (exec 3<>"/dev/tcp/$host/$port") 2>/dev/null
}

_aicmo_mq_free_port() {
  if command -v python3 >/dev/null 2>&1; then
    python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'
    return 0
  fi
  local port
  for port in $(seq "$1" "$(($1 + 100))"); do
    if ! _aicmo_mq_reachable 127.0.0.1 "$port"; then
      printf '%s' "$port"
      return 0
    fi
  done
  return 1
}

# Host and port of an amqp:// URI.
_aicmo_mq_uri_host_port() {
  local rest="${1#*://}"
  rest="${rest#*@}"
  rest="${rest%%/*}"
  local host="${rest%%:*}" port="${rest##*:}"
  [ "$port" = "$rest" ] && port=5672
  printf '%s %s' "${host:-localhost}" "$port"
}

_aicmo_mq_start() {
  if [ -n "${AICMO_RABBITMQ_URI:-}" ]; then
    local host port
    read -r host port <<<"$(_aicmo_mq_uri_host_port "$AICMO_RABBITMQ_URI")"
    if _aicmo_mq_reachable "$host" "$port"; then
      _aicmo_mq_log "using the broker at $host:$port from AICMO_RABBITMQ_URI"
      return 0
    fi
    _aicmo_mq_log "AICMO_RABBITMQ_URI points at $host:$port, which does not answer; starting a throwaway broker instead"
  fi

  local bin=/usr/lib/rabbitmq/bin
  if [ ! -x "$bin/rabbitmq-server" ]; then
    _aicmo_mq_log "installing Debian's rabbitmq-server"
    if [ "$(id -u)" -ne 0 ]; then
      _aicmo_mq_log "not root: cannot install rabbitmq-server; set AICMO_RABBITMQ_URI to a broker"
      return 1
    fi
    # The package's own service is not wanted: policy-rc.d refuses starts in containers, and on a full system it is stopped.
    DEBIAN_FRONTEND=noninteractive apt-get update -qq >&2 || return 1
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq rabbitmq-server >&2 || return 1
    [ -x "$bin/rabbitmq-server" ] || { _aicmo_mq_log "rabbitmq-server installed, but $bin/rabbitmq-server was not found"; return 1; }
  fi

  # As root, the broker runs as the package's rabbitmq user, which owns the temporary directory.
  local -a as_owner=()
  if [ "$(id -u)" -eq 0 ]; then
    if id rabbitmq >/dev/null 2>&1 && command -v runuser >/dev/null 2>&1; then
      as_owner=(runuser -u rabbitmq --)
    fi
  fi

  local dir amqp_port dist_port epmd_port node
  dir="$(mktemp -d "${TMPDIR:-/tmp}/aicmo-rabbitmq.XXXXXX")" || return 1
  chmod 0755 "$dir"
  amqp_port="$(_aicmo_mq_free_port 25672)" || { _aicmo_mq_log "no free port"; return 1; }
  dist_port="$(_aicmo_mq_free_port 25772)" || { _aicmo_mq_log "no free port"; return 1; }
  epmd_port="$(_aicmo_mq_free_port 25872)" || { _aicmo_mq_log "no free port"; return 1; }
  node="aicmo-test-$$-$amqp_port@localhost"

  mkdir -p "$dir/mnesia" "$dir/log" "$dir/home"
  head -c 32 /dev/urandom | od -An -tx1 | tr -d ' \n' >"$dir/home/.erlang.cookie"
  chmod 0400 "$dir/home/.erlang.cookie"
  cat >"$dir/rabbitmq.conf" <<EOF
listeners.tcp.1 = 127.0.0.1:$amqp_port
loopback_users.guest = true
log.console = false
log.file.level = warning
disk_free_limit.absolute = 50MB
EOF
  : >"$dir/enabled_plugins"
  printf '[].\n' >"$dir/enabled_plugins"
  if [ "${#as_owner[@]}" -gt 0 ]; then chown -R rabbitmq: "$dir"; fi

  # Every rabbitmq command below gets the same environment: the node, its ports, its folders and its cookie (HOME).
  local -a env=(env "HOME=$dir/home" "RABBITMQ_NODENAME=$node" "RABBITMQ_NODE_IP_ADDRESS=127.0.0.1"
    "RABBITMQ_NODE_PORT=$amqp_port" "RABBITMQ_DIST_PORT=$dist_port" "ERL_EPMD_PORT=$epmd_port"
    "RABBITMQ_CONFIG_FILE=$dir/rabbitmq.conf" "RABBITMQ_ENABLED_PLUGINS_FILE=$dir/enabled_plugins"
    "RABBITMQ_MNESIA_BASE=$dir/mnesia" "RABBITMQ_LOG_BASE=$dir/log" "RABBITMQ_PID_FILE=$dir/rabbitmq.pid"
    "RABBITMQ_ADVANCED_CONFIG_FILE=$dir/advanced.config" "RABBITMQ_CONF_ENV_FILE=$dir/rabbitmq-env.conf")
  : >"$dir/rabbitmq-env.conf"
  if [ "${#as_owner[@]}" -gt 0 ]; then chown rabbitmq: "$dir/rabbitmq-env.conf"; fi

  _aicmo_mq_log "starting a throwaway broker ($node) on 127.0.0.1:$amqp_port in $dir"
  (cd "$dir" && "${as_owner[@]}" "${env[@]}" "$bin/rabbitmq-server" >"$dir/server.out" 2>&1 &)
  add_cleanup "cd / && ${as_owner[*]:+${as_owner[*]} }${env[*]} '$bin/rabbitmqctl' -q stop >/dev/null 2>&1; ${as_owner[*]:+${as_owner[*]} }env ERL_EPMD_PORT=$epmd_port epmd -kill >/dev/null 2>&1; rm -rf '$dir'"

  if ! (cd "$dir" && timeout 120 "${as_owner[@]}" "${env[@]}" "$bin/rabbitmqctl" -q wait --timeout 110 "$dir/rabbitmq.pid" >&2); then
    _aicmo_mq_log "the broker did not start; its output:"
    tail -n 40 "$dir/server.out" >&2
    tail -n 40 "$dir"/log/*.log >&2 2>/dev/null || true
    return 1
  fi

  export AICMO_RABBITMQ_URI="amqp://guest:guest@127.0.0.1:$amqp_port/"
  # The management command line for this broker, for tests that restart or inspect it (stop_app / start_app, list_queues).
  export AICMO_RABBITMQ_CTL="cd '$dir' && ${as_owner[*]:+${as_owner[*]} }${env[*]} '$bin/rabbitmqctl'"
  _aicmo_mq_log "AICMO_RABBITMQ_URI=$AICMO_RABBITMQ_URI"
}

if ! _aicmo_mq_start; then
  _aicmo_mq_log "no RabbitMQ broker is available; the RabbitMQ tests will fail in CI and skip elsewhere"
fi
