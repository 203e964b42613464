# shellcheck shell=bash
# Sourced by build.sh before the tests run. Makes an IMAP server available to tests/Aicmo.Sdk.Smtp.Tests through
# AICMO_IMAP_CONNECTION ("host=127.0.0.1;port=N;user=U;password=P"):
#   - when AICMO_IMAP_CONNECTION is already set and its server answers, it is used as is;
#   - otherwise Debian's dovecot-imapd is installed if missing and a throwaway dovecot is started on 127.0.0.1 on a free port,
#     with its configuration, its one-user password file and its maildirs in a temporary directory (the system's dovecot
#     configuration is not read), and a cleanup that stops it and removes the directory is registered.
# Can also be sourced by hand: `source .ci/services.d/dovecot.sh` (the server then stops when that shell exits).

if ! declare -F add_cleanup >/dev/null; then
  # Outside build.sh: run cleanups when the sourcing shell exits.
  _aicmo_imap_cleanups=()
  add_cleanup() { _aicmo_imap_cleanups+=("$1"); }
  _aicmo_imap_run_cleanups() { local c; for c in "${_aicmo_imap_cleanups[@]+"${_aicmo_imap_cleanups[@]}"}"; do eval "$c" || true; done; }
  trap _aicmo_imap_run_cleanups EXIT
fi

_aicmo_imap_log() { printf '==> dovecot: %s\n' "$*" >&2; }

_aicmo_imap_reachable() {
  local host="$1" port="$2"
  (exec 3<>"/dev/tcp/$host/$port") 2>/dev/null
}

# Prints the value of a key of an AICMO_IMAP_CONNECTION string.
_aicmo_imap_setting() {
  local pair key="$2"
  local IFS=';'
  for pair in $1; do
    if [ "${pair%%=*}" = "$key" ]; then
      printf '%s' "${pair#*=}"
      return 0
    fi
  done
  return 1
}

_aicmo_imap_free_port() {
  local port
  if command -v python3 >/dev/null 2>&1; then
    python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'
    return 0
  fi
  for port in $(seq 25143 25243); do
    if ! _aicmo_imap_reachable 127.0.0.1 "$port"; then
      printf '%s' "$port"
      return 0
    fi
  done
  return 1
}

_aicmo_imap_start() {
  if [ -n "${AICMO_IMAP_CONNECTION:-}" ]; then
    local host port
    host="$(_aicmo_imap_setting "$AICMO_IMAP_CONNECTION" host || true)"
    port="$(_aicmo_imap_setting "$AICMO_IMAP_CONNECTION" port || true)"
    if _aicmo_imap_reachable "${host:-127.0.0.1}" "${port:-143}"; then
      _aicmo_imap_log "using the server at ${host:-127.0.0.1}:${port:-143} from AICMO_IMAP_CONNECTION"
      return 0
    fi
    _aicmo_imap_log "AICMO_IMAP_CONNECTION points at ${host:-127.0.0.1}:${port:-143}, which does not answer; starting a throwaway server instead"
  fi

  if [ "$(id -u)" -ne 0 ]; then
    _aicmo_imap_log "not root: cannot install or start dovecot; set AICMO_IMAP_CONNECTION to a server"
    return 1
  fi

  if [ ! -x /usr/sbin/dovecot ] || [ ! -x /usr/lib/dovecot/imap ]; then
    _aicmo_imap_log "installing Debian's dovecot-imapd"
    # The package's own service start is refused where there is no init system; ours is started below with its own configuration.
    DEBIAN_FRONTEND=noninteractive apt-get update -qq >&2 || return 1
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq dovecot-imapd >&2 || return 1
    [ -x /usr/sbin/dovecot ] || { _aicmo_imap_log "dovecot-imapd installed, but /usr/sbin/dovecot was not found"; return 1; }
  fi

  local dir port password
  dir="$(mktemp -d "${TMPDIR:-/tmp}/aicmo-dovecot.XXXXXX")" || return 1
  chmod 0755 "$dir"
  port="$(_aicmo_imap_free_port)" || { _aicmo_imap_log "no free port"; return 1; }
  password="$(od -An -N12 -tx1 /dev/urandom | tr -d ' \n')"
  mkdir -p "$dir/run" "$dir/state" "$dir/mail"
  # Mail is read and written as nobody; dovecot's own processes run as its package's users.
  chown nobody:nogroup "$dir/mail"
  printf 'aicmo:{PLAIN}%s::::::\n' "$password" > "$dir/users"
  chmod 0644 "$dir/users"

  cat > "$dir/dovecot.conf" <<CONF
# A throwaway IMAP server for the tests: loopback only, plaintext login (no TLS), one user, maildirs under $dir/mail.
protocols = imap
listen = 127.0.0.1
base_dir = $dir/run
state_dir = $dir/state
instance_name = aicmo-$port
log_path = $dir/dovecot.log
ssl = no
disable_plaintext_auth = no
auth_mechanisms = plain login
first_valid_uid = 1
mail_location = maildir:$dir/mail/%u
namespace inbox {
  inbox = yes
  separator = /
}
passdb {
  driver = passwd-file
  args = scheme=PLAIN username_format=%u $dir/users
}
userdb {
  driver = static
  args = uid=nobody gid=nogroup home=$dir/mail/%u
}
service imap-login {
  inet_listener imap {
    address = 127.0.0.1
    port = $port
  }
  inet_listener imaps {
    port = 0
  }
}
CONF

  _aicmo_imap_log "starting a throwaway dovecot on 127.0.0.1:$port in $dir"
  if ! /usr/sbin/dovecot -c "$dir/dovecot.conf" >&2; then
    cat "$dir/dovecot.log" >&2 2>/dev/null
    return 1
  fi
  add_cleanup "/usr/sbin/dovecot -c '$dir/dovecot.conf' stop >/dev/null 2>&1; sleep 1; rm -rf '$dir'"

  local i
  for i in $(seq 1 50); do
    if _aicmo_imap_reachable 127.0.0.1 "$port"; then
      export AICMO_IMAP_CONNECTION="host=127.0.0.1;port=$port;user=aicmo;password=$password"
      _aicmo_imap_log "AICMO_IMAP_CONNECTION=host=127.0.0.1;port=$port;user=aicmo;password=***"
      return 0
    fi
    sleep 0.2
  done
  _aicmo_imap_log "dovecot did not start listening on 127.0.0.1:$port"
  cat "$dir/dovecot.log" >&2 2>/dev/null
  return 1
}

if ! _aicmo_imap_start; then
  _aicmo_imap_log "no IMAP server is available; the inbox reader tests will fail in CI and skip elsewhere"
fi
