# shellcheck shell=bash source-path=SCRIPTDIR
# Start/stop/check functions for the local servers of scripts/stack. All servers bind to
# 127.0.0.1 only, keep their data under $STACK_DIR and are stopped by the PID they recorded
# (never by process name: other people's servers may run on the same machine).

[[ -n "${_STORELENS_SERVICES_SH:-}" ]] && return 0
_STORELENS_SERVICES_SH=1
# shellcheck source=common.sh
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

# ---------------------------------------------------------------------------------------------
# Fixed demo configuration (ports overridable by env vars of the same name).
# ---------------------------------------------------------------------------------------------
STORELENS_STACK_PG_PORT="${STORELENS_STACK_PG_PORT:-54320}"
STORELENS_STACK_REDIS_PORT="${STORELENS_STACK_REDIS_PORT:-54379}"
# Cluster ports must stay <= 55535: Redis uses port+10000 for the cluster bus.
STORELENS_STACK_REDIS_CLUSTER_PORTS="${STORELENS_STACK_REDIS_CLUSTER_PORTS:-54381 54382 54383}"
STORELENS_STACK_BOLT_PORT="${STORELENS_STACK_BOLT_PORT:-54687}"
STORELENS_STACK_ARCADEDB_HTTP_PORT="${STORELENS_STACK_ARCADEDB_HTTP_PORT:-54480}"
STORELENS_STACK_S3_PORT="${STORELENS_STACK_S3_PORT:-54900}"
read -r -a REDIS_CLUSTER_PORTS <<<"$STORELENS_STACK_REDIS_CLUSTER_PORTS"

STACK_PASSWORD="storelens-demo" # PostgreSQL role, Redis, ArcadeDB root (ArcadeDB needs 8+ chars)
PG_ROLE="storelens"
PG_DATABASE="storelens_sandbox"
S3_ACCESS_KEY="storelens"
S3_SECRET_KEY="storelens-demo-secret"
S3_BUCKETS=(knowledge-os storelens-backups)

PG_BIN="${STORELENS_STACK_PG_BIN:-/usr/lib/postgresql/15/bin}"
PG_DATA="$STACK_DIR/pg"
REDIS_MODE_FILE="$RUN_DIR/redis-mode" # "single" or "cluster": read by env/status/down

stack_dirs() {
	mkdir -p "$STACK_DIR" "$LOG_DIR" "$RUN_DIR"
	# The run dir holds PostgreSQL's socket (written by user postgres) next to root's pidfiles:
	# world-writable with the sticky bit, like /tmp.
	chmod 1777 "$RUN_DIR"
}

# ---------------------------------------------------------------------------------------------
# PostgreSQL 15
# ---------------------------------------------------------------------------------------------
PG_LOG="$LOG_DIR/postgres.log"

# initdb and the server refuse to run as root: run them as user postgres when we are root.
pg_as() {
	if [[ $EUID -eq 0 ]]; then
		# cd /: postgres may not be allowed into the caller's working directory.
		(cd / && runuser -u postgres -- "$@")
	else
		"$@"
	fi
}

pg_pid() {
	local pid
	pid="$(read_pidfile "$PG_DATA/postmaster.pid")"
	[[ -n "$pid" ]] && pid_matches "$pid" postgres && echo "$pid"
}

pg_ready() {
	"$PG_BIN/pg_isready" -q -h 127.0.0.1 -p "$STORELENS_STACK_PG_PORT" -t 2
}

pg_init() {
	[[ -f "$PG_DATA/PG_VERSION" ]] && return 0
	log "postgres: initdb $PG_DATA"
	mkdir -p "$PG_DATA"
	chmod 700 "$PG_DATA"
	if [[ $EUID -eq 0 ]]; then
		chown postgres:postgres "$PG_DATA"
		pg_as test -w "$PG_DATA" ||
			die "user postgres cannot write $PG_DATA (a parent directory is not traversable); set STORELENS_STACK_DIR elsewhere"
	fi
	# initdb insists on a superuser password when host auth is password based.
	local pwfile
	pwfile="$(mktemp)"
	printf '%s\n' "$STACK_PASSWORD" >"$pwfile"
	[[ $EUID -eq 0 ]] && chown postgres "$pwfile"
	# Unix socket: peer (this script administers as OS user postgres); TCP: scram-sha-256, so
	# every client over 127.0.0.1 must present the right password.
	if ! pg_as "$PG_BIN/initdb" -D "$PG_DATA" -U postgres --pwfile="$pwfile" \
		--auth-local=peer --auth-host=scram-sha-256 -E UTF8 --locale=C.UTF-8 \
		--no-instructions >>"$PG_LOG.initdb" 2>&1; then
		rm -f "$pwfile"
		show_log_tail "$PG_LOG.initdb"
		rm -rf "$PG_DATA"
		die "postgres: initdb failed"
	fi
	rm -f "$pwfile"
	# Our settings live in stack.conf, rewritten on each start (ports may change via env).
	echo "include_if_exists = 'stack.conf'" >>"$PG_DATA/postgresql.conf"
}

pg_write_conf() {
	# A config file rather than `pg_ctl -o "..."`: no quoting trouble with paths.
	cat >"$PG_DATA/stack.conf" <<EOF
# Written by scripts/stack on every start; edits are overwritten.
listen_addresses = '127.0.0.1'
port = $STORELENS_STACK_PG_PORT
unix_socket_directories = '$RUN_DIR'
# Throwaway test/sandbox data: durability traded for speed.
fsync = off
synchronous_commit = off
full_page_writes = off
max_connections = 200
EOF
	[[ $EUID -eq 0 ]] && chown postgres:postgres "$PG_DATA/stack.conf"
	return 0
}

pg_start() {
	if pg_pid >/dev/null; then
		wait_for postgres "$PG_LOG" "" pg_ready
		return 0
	fi
	require_free_port postgres "$STORELENS_STACK_PG_PORT"
	pg_init
	pg_write_conf
	# A postmaster.pid left by a killed server can name a zombie or a reused PID, which
	# PostgreSQL's own kill(pid, 0) check would take for a running server.
	rm -f "$PG_DATA/postmaster.pid" "$RUN_DIR/.s.PGSQL.$STORELENS_STACK_PG_PORT.lock"
	touch "$PG_LOG"
	[[ $EUID -eq 0 ]] && chown postgres "$PG_LOG"
	log "postgres: starting on 127.0.0.1:$STORELENS_STACK_PG_PORT"
	if ! pg_as "$PG_BIN/pg_ctl" -D "$PG_DATA" -l "$PG_LOG" -w -t "$START_TIMEOUT" start >/dev/null; then
		show_log_tail "$PG_LOG"
		die "postgres did not start; see $PG_LOG"
	fi
	wait_for postgres "$PG_LOG" "$(pg_pid)" pg_ready
}

# Login role and database for the app; re-applied on every `up` (cheap), so a changed
# password or a dropped database is repaired.
pg_setup_role() {
	pg_as "$PG_BIN/psql" -h "$RUN_DIR" -p "$STORELENS_STACK_PG_PORT" -U postgres -d postgres \
		-v ON_ERROR_STOP=1 -qAt >/dev/null <<SQL
DO \$\$
BEGIN
  -- SUPERUSER: the seeder creates databases and schemas.
  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '$PG_ROLE') THEN
    CREATE ROLE $PG_ROLE LOGIN SUPERUSER PASSWORD '$STACK_PASSWORD';
  ELSE
    ALTER ROLE $PG_ROLE LOGIN SUPERUSER PASSWORD '$STACK_PASSWORD';
  END IF;
END
\$\$;
SELECT 'CREATE DATABASE $PG_DATABASE OWNER $PG_ROLE'
 WHERE NOT EXISTS (SELECT FROM pg_database WHERE datname = '$PG_DATABASE') \gexec
SQL
}

pg_stop() {
	local pid
	pid="$(pg_pid)" || {
		rm -f "$PG_DATA/postmaster.pid"
		return 0
	}
	log "stopping postgres (pid $pid)"
	# pg_ctl waits for postmaster.pid to disappear, which the server removes itself: zombie-safe.
	if ! pg_as "$PG_BIN/pg_ctl" -D "$PG_DATA" -m fast -w -t 15 stop >/dev/null 2>&1; then
		warn "pg_ctl stop failed; signalling pid $pid"
		echo "$pid" >"$RUN_DIR/postgres.pid"
		stop_pidfile postgres "$RUN_DIR/postgres.pid" postgres
		rm -f "$PG_DATA/postmaster.pid"
	fi
}

pg_status() {
	local pid
	if pid="$(pg_pid)" && pg_ready; then
		status_line postgres up "$STORELENS_STACK_PG_PORT" "$pid"
	else
		status_line postgres down "$STORELENS_STACK_PG_PORT" "${pid:--}"
		return 1
	fi
}

# ---------------------------------------------------------------------------------------------
# Redis 7 (single node, or a 3-master cluster)
# ---------------------------------------------------------------------------------------------

redis_cli() { # redis_cli PORT args...: authenticated without the "-a is insecure" warning
	local port="$1"
	shift
	REDISCLI_AUTH="$STACK_PASSWORD" redis-cli -h 127.0.0.1 -p "$port" "$@"
}

redis_ping() { [[ "$(redis_cli "$1" ping 2>/dev/null)" == PONG ]]; }

redis_pidfile() { # redis_pidfile PORT
	if [[ "$1" == "$STORELENS_STACK_REDIS_PORT" ]]; then
		echo "$RUN_DIR/redis.pid"
	else
		echo "$RUN_DIR/redis-$1.pid"
	fi
}

redis_log() {
	if [[ "$1" == "$STORELENS_STACK_REDIS_PORT" ]]; then
		echo "$LOG_DIR/redis.log"
	else
		echo "$LOG_DIR/redis-$1.log"
	fi
}

redis_mode() { cat "$REDIS_MODE_FILE" 2>/dev/null || echo single; }

# redis_start_node PORT DIR [extra config lines]: one redis-server from a generated config file
# (a file keeps the password off the process list).
redis_start_node() {
	local port="$1" dir="$2" extra="${3:-}" pidfile logfile pid
	pidfile="$(redis_pidfile "$port")"
	logfile="$(redis_log "$port")"
	if pid="$(live_pid "$pidfile" redis-server)"; then
		wait_for "redis:$port" "$logfile" "$pid" redis_ping "$port"
		return 0
	fi
	require_free_port "redis:$port" "$port"
	mkdir -p "$dir"
	# `dir` matters: BGSAVE writes dump.rdb there, and it is loaded again at the next start.
	cat >"$dir/redis.conf" <<EOF
# Written by scripts/stack on every start; edits are overwritten.
port $port
bind 127.0.0.1
protected-mode yes
save ""
appendonly no
daemonize yes
pidfile "$pidfile"
dir "$dir"
logfile "$logfile"
requirepass "$STACK_PASSWORD"
$extra
EOF
	log "redis: starting on 127.0.0.1:$port"
	rm -f "$pidfile"
	redis-server "$dir/redis.conf" || {
		show_log_tail "$logfile"
		die "redis-server on port $port failed to start"
	}
	# With daemonize the pidfile appears shortly after the fork.
	WAIT_TIMEOUT=10 wait_until test -s "$pidfile" || {
		show_log_tail "$logfile"
		die "redis on port $port wrote no pidfile"
	}
	wait_for "redis:$port" "$logfile" "$(read_pidfile "$pidfile")" redis_ping "$port"
}

redis_stop_node() {
	stop_pidfile "redis:$1" "$(redis_pidfile "$1")" redis-server
}

redis_single_start() {
	redis_start_node "$STORELENS_STACK_REDIS_PORT" "$STACK_DIR/redis"
}

redis_cluster_nodes_conf() {
	cat <<EOF
cluster-enabled yes
cluster-config-file nodes.conf
cluster-node-timeout 5000
masterauth "$STACK_PASSWORD"
EOF
}

redis_cluster_info() { redis_cli "$1" cluster info 2>/dev/null | tr -d '\r'; }
redis_cluster_ok() { [[ "$(redis_cluster_info "$1")" == *cluster_state:ok* ]]; }

redis_cluster_start() {
	local port
	for port in "${REDIS_CLUSTER_PORTS[@]}"; do
		((port <= 55535)) || die "redis cluster port $port > 55535 (the bus port would be > 65535)"
		redis_start_node "$port" "$STACK_DIR/redis-cluster/$port" "$(redis_cluster_nodes_conf)"
	done
	# Nodes keep their cluster membership in nodes.conf and re-form on restart; only a fresh
	# set of nodes (no slots assigned anywhere) needs `--cluster create`.
	local assigned=0 n
	for port in "${REDIS_CLUSTER_PORTS[@]}"; do
		n="$(redis_cluster_info "$port" | sed -n 's/^cluster_slots_assigned://p')"
		assigned=$((assigned + ${n:-0})) # not ((+=)): a 0 result is "false" under set -e
	done
	if ((assigned == 0)); then
		log "redis: creating cluster on ports ${REDIS_CLUSTER_PORTS[*]}"
		local addrs=()
		for port in "${REDIS_CLUSTER_PORTS[@]}"; do addrs+=("127.0.0.1:$port"); done
		REDISCLI_AUTH="$STACK_PASSWORD" redis-cli --cluster create "${addrs[@]}" \
			--cluster-replicas 0 --cluster-yes >>"$LOG_DIR/redis-cluster-create.log" 2>&1 || {
			show_log_tail "$LOG_DIR/redis-cluster-create.log"
			die "redis --cluster create failed"
		}
	fi
	for port in "${REDIS_CLUSTER_PORTS[@]}"; do
		WAIT_TIMEOUT=$START_TIMEOUT wait_until redis_cluster_ok "$port" && continue
		# A half-formed cluster (e.g. only some nodes.conf survived) does not heal by itself.
		redis_cluster_info "$port" >&2
		show_log_tail "$(redis_log "$port")"
		die "redis cluster node $port never reached cluster_state:ok; reset the cluster with:" \
			"scripts/stack down && rm -rf '$STACK_DIR/redis-cluster'"
	done
}

redis_cluster_stop() {
	local port
	for port in "${REDIS_CLUSTER_PORTS[@]}"; do redis_stop_node "$port"; done
}

# redis_up single|cluster: start the requested mode and stop the other one.
redis_up() {
	local mode="$1"
	if [[ "$mode" == cluster ]]; then
		redis_stop_node "$STORELENS_STACK_REDIS_PORT"
		echo cluster >"$REDIS_MODE_FILE"
		redis_cluster_start
	else
		redis_cluster_stop
		echo single >"$REDIS_MODE_FILE"
		redis_single_start
	fi
}

redis_down() {
	redis_stop_node "$STORELENS_STACK_REDIS_PORT"
	redis_cluster_stop
}

redis_status() {
	local rc=0 port pid
	if [[ "$(redis_mode)" == cluster ]]; then
		for port in "${REDIS_CLUSTER_PORTS[@]}"; do
			if pid="$(live_pid "$(redis_pidfile "$port")" redis-server)" && redis_cluster_ok "$port"; then
				status_line "redis-cluster" up "$port" "$pid"
			else
				status_line "redis-cluster" down "$port" "${pid:--}"
				rc=1
			fi
		done
	else
		port="$STORELENS_STACK_REDIS_PORT"
		if pid="$(live_pid "$(redis_pidfile "$port")" redis-server)" && redis_ping "$port"; then
			status_line redis up "$port" "$pid"
		else
			status_line redis down "$port" "${pid:--}"
			rc=1
		fi
	fi
	return $rc
}

# ---------------------------------------------------------------------------------------------
# ArcadeDB (Bolt + Cypher), from the arcadedb-embedded pip wheel
# ---------------------------------------------------------------------------------------------
ARCADEDB_PIDFILE="$RUN_DIR/arcadedb.pid"
ARCADEDB_LOG="$LOG_DIR/arcadedb.log"
ARCADEDB_ROOT="$STACK_DIR/arcadedb"

# Package directory without importing it (the import itself is slower and not needed).
arcadedb_home() {
	python3 -c 'import importlib.util as u; s = u.find_spec("arcadedb_embedded"); print(s.submodule_search_locations[0])' 2>/dev/null
}

arcadedb_ready() {
	port_open "$STORELENS_STACK_BOLT_PORT" &&
		[[ "$(curl -s -o /dev/null -m 2 -w '%{http_code}' "http://127.0.0.1:$STORELENS_STACK_ARCADEDB_HTTP_PORT/api/v1/ready")" == 204 ]]
}

arcadedb_start() {
	local pid home java
	if pid="$(live_pid "$ARCADEDB_PIDFILE" com.arcadedb.server.ArcadeDBServer)"; then
		wait_for arcadedb "$ARCADEDB_LOG" "$pid" arcadedb_ready
		return 0
	fi
	require_free_port "arcadedb (bolt)" "$STORELENS_STACK_BOLT_PORT"
	require_free_port "arcadedb (http)" "$STORELENS_STACK_ARCADEDB_HTTP_PORT"
	home="$(arcadedb_home)" && [[ -d "$home/jars" ]] || die "arcadedb_embedded package not found (pip install arcadedb-embedded)"
	java="$home/jre/bin/java"
	# The wheel ships its JRE (the jars need Java 21+) without the executable bits.
	[[ -x "$java" ]] || chmod +x "$home"/jre/bin/*
	mkdir -p "$ARCADEDB_ROOT/databases" "$ARCADEDB_ROOT/log"
	log "arcadedb: starting (bolt 127.0.0.1:$STORELENS_STACK_BOLT_PORT, http 127.0.0.1:$STORELENS_STACK_ARCADEDB_HTTP_PORT)"
	# Both hosts default to 0.0.0.0. rootPassword only seeds the root user on the first start.
	# defaultDatabases creates the "neo4j" database (owner root) when it does not exist yet, and
	# "storelens_scratch", which backup verification restores into.
	(cd "$ARCADEDB_ROOT" && spawn_detached "$ARCADEDB_LOG" "$ARCADEDB_PIDFILE" \
		"$java" -Xms64m -Xmx1g -XX:+UseSerialGC \
		-Dpolyglot.engine.WarnInterpreterOnly=false \
		-Darcadedb.server.rootPath="$ARCADEDB_ROOT" \
		-Darcadedb.server.databaseDirectory="$ARCADEDB_ROOT/databases" \
		-Darcadedb.server.logsDirectory="$ARCADEDB_ROOT/log" \
		-Darcadedb.server.rootPassword="$STACK_PASSWORD" \
		-Darcadedb.server.defaultDatabases='neo4j[root];storelens_scratch[root]' \
		-Darcadedb.server.plugins=Bolt:com.arcadedb.bolt.BoltProtocolPlugin \
		-Darcadedb.server.httpIncomingHost=127.0.0.1 \
		-Darcadedb.server.httpIncomingPort="$STORELENS_STACK_ARCADEDB_HTTP_PORT" \
		-Darcadedb.bolt.host=127.0.0.1 \
		-Darcadedb.bolt.port="$STORELENS_STACK_BOLT_PORT" \
		-Darcadedb.bolt.defaultDatabase=neo4j \
		-cp "$home/jars/*" com.arcadedb.server.ArcadeDBServer)
}

arcadedb_wait() {
	wait_for arcadedb "$ARCADEDB_LOG" "$(read_pidfile "$ARCADEDB_PIDFILE")" arcadedb_ready
}

arcadedb_stop() {
	stop_pidfile arcadedb "$ARCADEDB_PIDFILE" com.arcadedb.server.ArcadeDBServer
}

arcadedb_status() {
	local pid
	if pid="$(live_pid "$ARCADEDB_PIDFILE" com.arcadedb.server.ArcadeDBServer)" && arcadedb_ready; then
		status_line arcadedb-bolt up "$STORELENS_STACK_BOLT_PORT" "$pid"
		status_line arcadedb-http up "$STORELENS_STACK_ARCADEDB_HTTP_PORT" "$pid"
	else
		status_line arcadedb-bolt down "$STORELENS_STACK_BOLT_PORT" "${pid:--}"
		status_line arcadedb-http down "$STORELENS_STACK_ARCADEDB_HTTP_PORT" "${pid:--}"
		return 1
	fi
}

# ---------------------------------------------------------------------------------------------
# S3: s3s-fs over a directory (bucket = top-level directory)
# ---------------------------------------------------------------------------------------------
S3_PIDFILE="$RUN_DIR/s3s-fs.pid"
S3_LOG="$LOG_DIR/s3s-fs.log"
S3_ROOT="$STACK_DIR/s3"

# A signed ListBuckets must return 200: proves the server answers HTTP and accepts our keys.
# curl 7.88 does not add x-amz-content-sha256 itself, and s3s rejects requests without it.
s3_ready() {
	[[ "$(curl -s -o /dev/null -m 2 -w '%{http_code}' \
		--aws-sigv4 "aws:amz:us-east-1:s3" --user "$S3_ACCESS_KEY:$S3_SECRET_KEY" \
		-H 'x-amz-content-sha256: UNSIGNED-PAYLOAD' \
		"http://127.0.0.1:$STORELENS_STACK_S3_PORT/")" == 200 ]]
}

s3_start() {
	local pid bucket
	mkdir -p "$S3_ROOT"
	# Buckets are plain directories for s3s-fs; creating them here also works while it runs.
	for bucket in "${S3_BUCKETS[@]}"; do mkdir -p "$S3_ROOT/$bucket"; done
	if pid="$(live_pid "$S3_PIDFILE" s3s-fs)"; then
		wait_for s3s-fs "$S3_LOG" "$pid" s3_ready
		return 0
	fi
	require_free_port s3s-fs "$STORELENS_STACK_S3_PORT"
	command -v s3s-fs >/dev/null || die "s3s-fs not found on PATH"
	log "s3s-fs: starting on 127.0.0.1:$STORELENS_STACK_S3_PORT"
	spawn_detached "$S3_LOG" "$S3_PIDFILE" s3s-fs --host 127.0.0.1 --port "$STORELENS_STACK_S3_PORT" \
		--access-key "$S3_ACCESS_KEY" --secret-key "$S3_SECRET_KEY" "$S3_ROOT"
}

s3_wait() {
	wait_for s3s-fs "$S3_LOG" "$(read_pidfile "$S3_PIDFILE")" s3_ready
}

s3_stop() {
	stop_pidfile s3s-fs "$S3_PIDFILE" s3s-fs
}

s3_status() {
	local pid
	if pid="$(live_pid "$S3_PIDFILE" s3s-fs)" && s3_ready; then
		status_line s3s-fs up "$STORELENS_STACK_S3_PORT" "$pid"
	else
		status_line s3s-fs down "$STORELENS_STACK_S3_PORT" "${pid:--}"
		return 1
	fi
}

# ---------------------------------------------------------------------------------------------

status_line() { # status_line NAME up|down PORT PID
	printf '%-14s %-5s port %-6s pid %s\n' "$1" "$2" "$3" "$4"
}

# `export NAME='value'` lines for every client setting; `eval "$(scripts/stack env)"` works.
stack_env() {
	local redis_url cluster=0 port urls=()
	if [[ "$(redis_mode)" == cluster ]]; then
		cluster=1
		for port in "${REDIS_CLUSTER_PORTS[@]}"; do urls+=("redis://:$STACK_PASSWORD@127.0.0.1:$port"); done
		redis_url="$(
			IFS=,
			echo "${urls[*]}"
		)"
	else
		redis_url="redis://:$STACK_PASSWORD@127.0.0.1:$STORELENS_STACK_REDIS_PORT"
	fi
	local pg="postgres://$PG_ROLE:$STACK_PASSWORD@127.0.0.1:$STORELENS_STACK_PG_PORT"
	_export_line STORELENS_PG_URL "$pg/$PG_DATABASE"
	_export_line STORELENS_PG_ADMIN_URL "$pg/postgres"
	_export_line STORELENS_REDIS_URL "$redis_url"
	_export_line STORELENS_REDIS_CLUSTER "$cluster"
	# Backup verification restores into this index (a cluster has only database 0).
	_export_line STORELENS_REDIS_SCRATCH_DB "$([[ $cluster == 1 ]] || echo 15)"
	_export_line STORELENS_BOLT_URL "bolt://127.0.0.1:$STORELENS_STACK_BOLT_PORT"
	_export_line STORELENS_BOLT_USER root
	_export_line STORELENS_BOLT_PASSWORD "$STACK_PASSWORD"
	_export_line STORELENS_BOLT_SCRATCH_DATABASE storelens_scratch
	_export_line STORELENS_ARCADEDB_HTTP "http://127.0.0.1:$STORELENS_STACK_ARCADEDB_HTTP_PORT"
	_export_line STORELENS_S3_ENDPOINT "http://127.0.0.1:$STORELENS_STACK_S3_PORT"
	_export_line STORELENS_S3_BUCKET "${S3_BUCKETS[0]}"
	_export_line STORELENS_S3_ACCESS_KEY "$S3_ACCESS_KEY"
	_export_line STORELENS_S3_SECRET_KEY "$S3_SECRET_KEY"
	_export_line STORELENS_S3_REGION us-east-1
	_export_line STORELENS_STACK_DIR "$STACK_DIR"
}

_export_line() { # single-quoted, with embedded ' escaped as '\''
	printf "export %s='%s'\n" "$1" "${2//\'/\'\\\'\'}"
}
