# shellcheck shell=bash source-path=SCRIPTDIR
# Headless desktop session for the GUI app, E2E tests and anything that uses the keychain.
#
#   ensure_desktop_packages          apt packages for Xvfb + D-Bus + gnome-keyring
#   ensure_display                   export DISPLAY, starting Xvfb :99 if there is no display
#   stop_display                     stop the Xvfb that ensure_display started
#   run_in_desktop_session cmd...    run cmd with a session bus and an unlocked Secret Service

[[ -n "${_STORELENS_SESSION_SH:-}" ]] && return 0
_STORELENS_SESSION_SH=1
# shellcheck source=common.sh
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
# shellcheck source=install.sh
source "$(dirname "${BASH_SOURCE[0]}")/install.sh"

XVFB_DISPLAY_NUM="${STORELENS_XVFB_DISPLAY:-99}"
XVFB_PIDFILE="$RUN_DIR/xvfb.pid"
# The keyring daemon's files (login.keyring) persist here, so a secret stored in one session
# is readable in the next one. The password that unlocks it is "storelens".
KEYRING_HOME="$STACK_DIR/keyring-home"

ensure_desktop_packages() {
	# dbus-x11 pulls in dbus-daemon, which provides dbus-run-session.
	ensure_apt xvfb xauth dbus-x11 gnome-keyring libgl1-mesa-dri fonts-dejavu-core
}

# ensure_display: when $DISPLAY is empty, start (or reuse) Xvfb on :99 and export DISPLAY.
ensure_display() {
	[[ -n "${DISPLAY:-}" ]] && return 0
	local n="$XVFB_DISPLAY_NUM" pid lockpid
	local socket="/tmp/.X11-unix/X$n" lock="/tmp/.X$n-lock"
	mkdir -p "$RUN_DIR" "$LOG_DIR"
	if ! pid="$(live_pid "$XVFB_PIDFILE" Xvfb)"; then
		lockpid="$(tr -dc '0-9' 2>/dev/null <"$lock" || true)"
		if [[ -n "$lockpid" ]] && pid_alive "$lockpid"; then
			# Another X server (not ours) already owns :$n: use it rather than fail.
			pid="$lockpid"
		else
			# X's own stale-lock check uses kill(pid, 0), which a zombie (PID 1 does not reap
			# here) passes: remove the lock of a dead server ourselves.
			rm -f "$lock" "$socket"
			command -v Xvfb >/dev/null || ensure_desktop_packages
			log "starting Xvfb :$n"
			spawn_detached "$LOG_DIR/xvfb.log" "$XVFB_PIDFILE" \
				Xvfb ":$n" -screen 0 1280x800x24 -nolisten tcp
			pid="$(read_pidfile "$XVFB_PIDFILE")"
		fi
	fi
	WAIT_TIMEOUT=15 wait_for "Xvfb :$n" "$LOG_DIR/xvfb.log" "$pid" test -S "$socket"
	export DISPLAY=":$n"
}

stop_display() {
	stop_pidfile Xvfb "$XVFB_PIDFILE" Xvfb
}

# run_in_desktop_session cmd args...: run cmd where the Secret Service keychain works.
# With an existing session bus (a real desktop) the command runs as is. Otherwise it runs under
# a private dbus-run-session (so no dbus/keyring processes are left behind afterwards) with
# gnome-keyring-daemon unlocked non-interactively; NO_AT_BRIDGE=1 stops GTK from spawning the
# accessibility bus. Returns the command's exit status. The bus and keyring daemons' own chatter
# goes to $LOG_DIR/desktop-session.log; the command keeps the caller's stdout/stderr.
run_in_desktop_session() {
	if [[ -n "${DBUS_SESSION_BUS_ADDRESS:-}" ]]; then
		"$@"
		return
	fi
	if ! command -v dbus-run-session >/dev/null || ! command -v gnome-keyring-daemon >/dev/null; then
		ensure_desktop_packages
	fi
	mkdir -p "$KEYRING_HOME" "$LOG_DIR"
	chmod 700 "$KEYRING_HOME"
	# - XDG_DATA_HOME is set for the daemon only: the command keeps the caller's XDG dirs.
	# - `--unlock` can return before the daemon owns org.freedesktop.secrets; a client calling
	#   in that gap makes dbus-daemon auto-start a second, locked daemon that ignores our
	#   XDG_DATA_HOME, and a daemon that never reached the bus outlives the session. So wait
	#   for the name before running the command.
	# - fds 3/4 carry the caller's stdout/stderr past the daemons, which must not hold them
	#   (a caller reading our output through a pipe would wait for them to exit).
	# shellcheck disable=SC2016 # the script is for sh, expanded there
	NO_AT_BRIDGE=1 _STORELENS_KEYRING_HOME="$KEYRING_HOME" dbus-run-session -- sh -c '
		printf storelens | XDG_DATA_HOME="$_STORELENS_KEYRING_HOME" \
			gnome-keyring-daemon --unlock --components=secrets 3>&- 4>&- || exit 1
		unset _STORELENS_KEYRING_HOME
		i=0
		until dbus-send --session --print-reply --dest=org.freedesktop.DBus /org/freedesktop/DBus \
			org.freedesktop.DBus.NameHasOwner string:org.freedesktop.secrets 2>/dev/null |
			grep -q "boolean true"; do
			i=$((i + 1))
			if [ "$i" -gt 100 ]; then
				echo "gnome-keyring-daemon did not register org.freedesktop.secrets" >&4
				exit 1
			fi
			sleep 0.1
		done
		exec "$@" 1>&3 2>&4 3>&- 4>&-' run_in_desktop_session "$@" \
		3>&1 4>&2 >>"$LOG_DIR/desktop-session.log" 2>&1
}
