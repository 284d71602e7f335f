# shellcheck shell=bash source-path=SCRIPTDIR
# Shared paths and small helpers for scripts/stack and the other scripts/lib/*.sh files.
# Safe to source more than once; sourcing it has no side effects besides setting variables.

[[ -n "${_STORELENS_COMMON_SH:-}" ]] && return 0
_STORELENS_COMMON_SH=1

# Repository root = two levels above this file (scripts/lib/common.sh).
REPO_ROOT="${REPO_ROOT:-$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)}"

# Everything the local stack writes (data, logs, pidfiles, keyring) lives under one directory,
# git-ignored, so `rm -rf .stack` is a full reset.
# Absolute (it ends up in env vars and config files) even before the directory exists.
STACK_DIR="$(realpath -m "${STORELENS_STACK_DIR:-$REPO_ROOT/.stack}")"
# shellcheck disable=SC2034 # used by the files that source this one
RUN_DIR="$STACK_DIR/run"
# shellcheck disable=SC2034
LOG_DIR="$STACK_DIR/logs"
# Seconds to wait for a server to answer before giving up.
START_TIMEOUT="${STORELENS_STACK_START_TIMEOUT:-60}"

# Binaries installed by `cargo install` must be found even in a non-login shell.
case ":$PATH:" in
*":${CARGO_HOME:-$HOME/.cargo}/bin:"*) ;;
*) PATH="${CARGO_HOME:-$HOME/.cargo}/bin:$PATH" ;;
esac
export PATH

# Messages go to stderr so that `scripts/stack env` keeps a clean stdout for eval.
log() { printf '[stack] %s\n' "$*" >&2; }
warn() { printf '[stack] WARNING: %s\n' "$*" >&2; }
die() {
	printf '[stack] ERROR: %s\n' "$*" >&2
	exit 1
}

# Run as root (directly, or through sudo when the caller is not root).
as_root() {
	if [[ $EUID -eq 0 ]]; then "$@"; else sudo "$@"; fi
}

# True if something accepts TCP connections on 127.0.0.1:$1 (bash's /dev/tcp, no nc needed).
port_open() {
	timeout 2 bash -c "exec 3<>/dev/tcp/127.0.0.1/$1" 2>/dev/null
}

# True if PID $1 is a live process. PID 1 here does not reap orphans, so a dead server can
# linger as a zombie and `kill -0` would still succeed: read the state from /proc instead.
pid_alive() {
	local pid="$1" stat state
	[[ "$pid" =~ ^[0-9]+$ ]] || return 1
	stat="$(cat "/proc/$pid/stat" 2>/dev/null)" || return 1
	# Field 3 is the state; field 2 (comm) is in parentheses and may contain spaces.
	state="${stat##*) }"
	state="${state%% *}"
	[[ "$state" != Z && "$state" != X ]]
}

# PID stored in pidfile $1 (first line), or nothing.
read_pidfile() {
	[[ -s "$1" ]] && head -n1 "$1" | tr -dc '0-9'
	return 0
}

# Poll "$@" every 0.25 s until it succeeds or $WAIT_TIMEOUT seconds (default 60) pass.
wait_until() {
	local deadline=$((SECONDS + ${WAIT_TIMEOUT:-60}))
	until "$@" >/dev/null 2>&1; do
		((SECONDS < deadline)) || return 1
		sleep 0.25
	done
}

# Print the last lines of a log to stderr, to explain why a server did not come up.
show_log_tail() {
	local file="$1"
	[[ -f "$file" ]] || return 0
	printf -- '----- last lines of %s -----\n' "$file" >&2
	tail -n 30 "$file" >&2
	printf -- '-----\n' >&2
}

# wait_for NAME LOGFILE PID CHECK...: poll CHECK until it passes; fail early if PID died.
wait_for() {
	local name="$1" logfile="$2" pid="$3"
	shift 3
	local deadline=$((SECONDS + START_TIMEOUT))
	until "$@" >/dev/null 2>&1; do
		if [[ -n "$pid" ]] && ! pid_alive "$pid"; then
			show_log_tail "$logfile"
			die "$name exited during startup (pid $pid); see $logfile"
		fi
		if ((SECONDS >= deadline)); then
			show_log_tail "$logfile"
			die "$name did not answer within ${START_TIMEOUT}s; see $logfile"
		fi
		sleep 0.25
	done
}

# True if the process has PATTERN in its command line: guards against a stale pidfile whose PID
# now belongs to some unrelated process.
pid_matches() {
	local pid="$1" pattern="$2" cmdline
	pid_alive "$pid" || return 1
	cmdline="$(tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null)" || return 1
	[[ "$cmdline" == *"$pattern"* ]]
}

# PID from PIDFILE if that process is alive and matches PATTERN, else nothing (and exit 1).
live_pid() {
	local pidfile="$1" pattern="$2" pid
	pid="$(read_pidfile "$pidfile")"
	[[ -n "$pid" ]] && pid_matches "$pid" "$pattern" && echo "$pid"
}

# stop_pidfile NAME PIDFILE PATTERN: SIGTERM, wait up to 15 s, then SIGKILL. Idempotent.
stop_pidfile() {
	local name="$1" pidfile="$2" pattern="$3" pid
	pid="$(live_pid "$pidfile" "$pattern")" || {
		rm -f "$pidfile"
		return 0
	}
	log "stopping $name (pid $pid)"
	kill -TERM "$pid" 2>/dev/null || true
	if ! WAIT_TIMEOUT=15 wait_until pid_gone "$pid"; then
		warn "$name (pid $pid) ignored SIGTERM for 15 s; sending SIGKILL"
		kill -KILL "$pid" 2>/dev/null || true
		WAIT_TIMEOUT=5 wait_until pid_gone "$pid" || warn "$name (pid $pid) is still alive"
	fi
	rm -f "$pidfile"
}

pid_gone() { ! pid_alive "$1"; }

# Refuse to start on a port some other process already holds: we would silently talk to it.
require_free_port() {
	local name="$1" port="$2"
	if port_open "$port"; then
		die "$name: port $port on 127.0.0.1 is already in use by a process this script did not start" \
			"(see: ss -ltnp 'sport = :$port')"
	fi
}

# Start "$@" detached (own session, so a Ctrl-C or a process-group kill of the caller does not
# take it down), output to LOGFILE, PID into PIDFILE. In a non-interactive script a background
# job is never a process group leader, so setsid execs in place and $! is the server's PID.
spawn_detached() {
	local logfile="$1" pidfile="$2"
	shift 2
	printf '\n===== %s starting: %s =====\n' "$(date -Is)" "$1" >>"$logfile"
	setsid nohup "$@" >>"$logfile" 2>&1 </dev/null &
	echo $! >"$pidfile"
}
