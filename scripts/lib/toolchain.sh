# shellcheck shell=bash source-path=SCRIPTDIR
# What building and testing the app needs beyond the servers of scripts/stack.
#
#   ensure_build_deps     Debian packages for Tauri (WebKitGTK) and the keychain (D-Bus)
#   ensure_test_deps      WebKit WebDriver, tauri-driver, the E2E test's npm packages
#   build_ui              npm ci (when stale) + vite build into ui/dist (the app embeds it)
#   build_app             the desktop app and the CLI, debug profile

[[ -n "${_STORELENS_TOOLCHAIN_SH:-}" ]] && return 0
_STORELENS_TOOLCHAIN_SH=1
# shellcheck source=install.sh
source "$(dirname "${BASH_SOURCE[0]}")/install.sh"
# shellcheck source=session.sh
source "$(dirname "${BASH_SOURCE[0]}")/session.sh"

TAURI_DRIVER_VERSION="2.1.0"

ensure_build_deps() {
	ensure_apt libwebkit2gtk-4.1-dev build-essential file libxdo-dev libssl-dev \
		libayatana-appindicator3-dev librsvg2-dev pkg-config libdbus-1-dev
	ensure_desktop_packages
}

ensure_test_deps() {
	ensure_apt webkit2gtk-driver keyutils
	ensure_cargo_bin tauri-driver tauri-driver "$TAURI_DRIVER_VERSION"
	ensure_npm_deps "$REPO_ROOT/tests/e2e"
}

build_ui() {
	ensure_npm_deps "$REPO_ROOT/ui"
	log "building the UI"
	(cd "$REPO_ROOT/ui" && npm run --silent build)
}

build_app() {
	log "building the app and the CLI (debug)"
	(cd "$REPO_ROOT" && cargo build --locked -p storelens-app -p storelens-cli)
}
