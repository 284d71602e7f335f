# Shared by the bench scripts: the bench stack (its own directory and ports, seeded large once,
# so the test stack stays small), the release CLI, timing and peak memory.
# shellcheck shell=bash

BENCH_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
export STORELENS_STACK_DIR="$BENCH_ROOT/.stack-bench"
export STORELENS_STACK_PG_PORT=55320 STORELENS_STACK_REDIS_PORT=55379
export STORELENS_STACK_REDIS_CLUSTER_PORTS="55381 55382 55383"
export STORELENS_STACK_BOLT_PORT=55687 STORELENS_STACK_ARCADEDB_HTTP_PORT=55480
export STORELENS_STACK_S3_PORT=55900
RUNS="${RUNS:-3}"
OUT_DIR="$BENCH_ROOT/bench/results"

# shellcheck source=../lib/session.sh
source "$BENCH_ROOT/scripts/lib/session.sh"
# shellcheck source=../lib/install.sh
source "$BENCH_ROOT/scripts/lib/install.sh"

log() { printf '[bench] %s\n' "$*" >&2; }

# bench_in_desktop_session "$0" "$@": re-runs the calling bench script inside one desktop session
# (session bus + unlocked keychain), as on a workstation. Otherwise every `storelens` call would
# start its own bus and keyring daemon, about 0.1 s that no user pays and the raw tools skip.
bench_in_desktop_session() {
	if [[ -z "${DBUS_SESSION_BUS_ADDRESS:-}" ]]; then
		run_in_desktop_session bash "$@"
		exit
	fi
}

# Starts (or finds) the bench stack, seeds it large once, builds the release CLI and registers
# the `bench` connection in the bench stack's own config dir. Sets BIN, REDIS_PASSWORD.
bench_stack_up() {
	"$BENCH_ROOT/scripts/stack" up --no-seed
	eval "$("$BENCH_ROOT/scripts/stack" env)"
	export STORELENS_CONFIG_DIR="$STORELENS_STACK_DIR/config" STORELENS_DATA_DIR="$STORELENS_STACK_DIR/data"
	# The CLI's keychain needs D-Bus headers; scripts/start installs these too, a bench may come first.
	ensure_apt build-essential pkg-config libdbus-1-dev
	log "building the CLI (release)"
	(cd "$BENCH_ROOT" && cargo build -q --release -p storelens-cli)
	BIN="${CARGO_TARGET_DIR:-$BENCH_ROOT/target}/release/storelens"
	REDIS_PASSWORD="$(python3 -c 'import sys, urllib.parse as u; print(u.urlparse(sys.argv[1]).password or "")' "${STORELENS_REDIS_URL%%,*}")"
	local tenants keys
	tenants="$(psql "$STORELENS_PG_URL" -Atqc 'select count(*) from tenants' 2>/dev/null || echo 0)"
	keys="$(REDISCLI_AUTH="$REDIS_PASSWORD" redis-cli -p "$STORELENS_STACK_REDIS_PORT" dbsize 2>/dev/null || echo 0)"
	if ((tenants < 1000 || keys < 1000000)); then
		log "seeding the large sandbox (a few minutes)"
		"$BIN" sandbox seed --large >&2
	fi
	run_in_desktop_session "$BIN" connections add bench --from-env --replace >/dev/null
}

# The CLI in the desktop session (keychain; the bench's own session when it runs in one);
# BIN_WRAP (e.g. GNU time) goes in front of it.
storelens() {
	# shellcheck disable=SC2086 # BIN_WRAP is a command with its arguments
	run_in_desktop_session ${BIN_WRAP:-} "$BIN" "$@"
}

# median_ms CMD...: runs CMD $RUNS times (output discarded), prints the median wall time in ms.
median_ms() {
	local times=() i start end
	for ((i = 0; i < RUNS; i++)); do
		start=$(date +%s%N)
		"$@" >/dev/null
		end=$(date +%s%N)
		times+=($(((end - start) / 1000000)))
	done
	printf '%s\n' "${times[@]}" | sort -n | sed -n "$(((RUNS + 1) / 2))p"
}

# peak_rss_mib CMD...: the peak resident memory of the storelens process CMD runs, in MiB.
# (CMD is a shell function calling `storelens`; GNU time wraps the binary itself.)
peak_rss_mib() {
	local report="$STORELENS_STACK_DIR/rss.txt"
	BIN_WRAP="/usr/bin/time -f %M -o $report" "$@" >/dev/null
	echo $(($(tail -1 "$report") / 1024))
}

machine_line() {
	echo "Run $(date -u +%Y-%m-%dT%H:%MZ) on $(nproc) cores, $(($(grep MemTotal /proc/meminfo | awk '{print $2}') / 1024 / 1024)) GiB, release build;"
	echo "wall clock, median of $RUNS runs; Storelens figures include process start and the keychain lookup."
}
