# shellcheck shell=bash source-path=SCRIPTDIR
# Idempotent installers. Each one checks first (cheap: dpkg-query, an import, command -v) and
# touches the network only when something is actually missing, so calling them on every run
# costs milliseconds.
#
#   ensure_apt pkg...                         Debian packages
#   ensure_pip_module module package          Python module (pip package) for python3
#   ensure_cargo_bin bin crate version [args] binary from crates.io via `cargo install`
#   ensure_npm_deps dir                       `npm ci` when node_modules is missing or stale

[[ -n "${_STORELENS_INSTALL_SH:-}" ]] && return 0
_STORELENS_INSTALL_SH=1
# shellcheck source=common.sh
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

_APT_UPDATED="${_APT_UPDATED:-}"

apt_installed() {
	[[ "$(dpkg-query -W -f='${db:Status-Status}' "$1" 2>/dev/null)" == installed ]]
}

ensure_apt() {
	local pkg missing=()
	for pkg in "$@"; do
		apt_installed "$pkg" || missing+=("$pkg")
	done
	((${#missing[@]} == 0)) && return 0
	log "installing apt packages: ${missing[*]}"
	# apt-get update only once per process and only when something is missing: it is the slow part.
	if [[ -z "$_APT_UPDATED" ]]; then
		as_root apt-get update -qq
		_APT_UPDATED=1
	fi
	as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}"
}

ensure_pip_module() {
	local module="$1" package="$2" extra=()
	python3 -c "import $module" >/dev/null 2>&1 && return 0
	log "installing pip package: $package"
	python3 -m pip --version >/dev/null 2>&1 || ensure_apt python3-pip
	# Debian's own python3 is "externally managed" (PEP 668); a pyenv/venv python is not.
	if python3 -c 'import os,sys,sysconfig; sys.exit(not os.path.exists(os.path.join(sysconfig.get_path("stdlib"), "EXTERNALLY-MANAGED")))' 2>/dev/null &&
		[[ -z "${VIRTUAL_ENV:-}" ]]; then
		extra+=(--break-system-packages)
	fi
	python3 -m pip install --quiet --disable-pip-version-check "${extra[@]}" "$package"
	python3 -c "import $module" || die "pip installed $package but python3 cannot import $module"
}

ensure_cargo_bin() {
	local bin="$1" crate="$2" version="$3"
	shift 3
	command -v "$bin" >/dev/null 2>&1 && return 0
	command -v cargo >/dev/null 2>&1 || die "cargo not found; install Rust (rustup) first"
	log "installing $crate $version with cargo (takes a few minutes the first time)"
	cargo install --quiet --locked "$crate" --version "$version" "$@"
	command -v "$bin" >/dev/null 2>&1 || die "cargo install $crate did not provide '$bin' on PATH"
}

ensure_npm_deps() {
	local dir="$1"
	[[ -f "$dir/package-lock.json" ]] || die "no package-lock.json in $dir"
	# npm writes node_modules/.package-lock.json on every install: use it as the stamp.
	if [[ -f "$dir/node_modules/.package-lock.json" &&
		! "$dir/package-lock.json" -nt "$dir/node_modules/.package-lock.json" ]]; then
		return 0
	fi
	command -v npm >/dev/null 2>&1 || die "npm not found; install Node.js 20+ first"
	log "running npm ci in $dir"
	(cd "$dir" && npm ci --no-audit --no-fund --loglevel=error)
}
