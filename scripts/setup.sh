#!/usr/bin/env bash
# Installs what CareDesk needs on Debian/Ubuntu, skipping whatever is already there.
# Usage: scripts/setup.sh            (safe to run again and again)
set -euo pipefail
cd "$(dirname "$0")/.."

SYSTEM_PACKAGES=(
  # building: Rust crates with C parts, and the desktop app (Tauri 2 / WebKitGTK)
  build-essential pkg-config file libssl-dev
  # photos from phones (HEIC): libheif is built from its crate's sources, HEVC decoded by libde265
  cmake libde265-dev
  libwebkit2gtk-4.1-dev libgtk-3-dev libayatana-appindicator3-dev librsvg2-dev
  libsoup-3.0-dev libjavascriptcoregtk-4.1-dev libxdo-dev patchelf
  # the database (server binaries for the embedded default, psql, pg_trgm)
  postgresql postgresql-contrib
  # tests: a window without a screen, D-Bus, notifications, the keychain, browsers
  webkit2gtk-driver xvfb xauth dbus dbus-x11 libnotify-bin gnome-keyring libsecret-tools
  libsecret-1-dev libdbus-1-dev keyutils python3-dbus python3-gi imagemagick
  chromium chromium-driver fonts-noto-color-emoji
  nodejs npm curl ca-certificates openssl python3-venv python3-pip
)
SQLX_CLI_VERSION=0.9.0

say() { printf '\033[1m==> %s\033[0m\n' "$*"; }

sudo_if_needed() {
  if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi
}

install_system_packages() {
  local missing=()
  for package in "${SYSTEM_PACKAGES[@]}"; do
    # node and npm may come from elsewhere (nvm, NodeSource): then the commands suffice
    case "$package" in
      nodejs) command -v node >/dev/null && continue ;;
      npm) command -v npm >/dev/null && continue ;;
    esac
    dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q 'ok installed' || missing+=("$package")
  done
  if [ ${#missing[@]} -eq 0 ]; then
    return
  fi
  say "installing system packages: ${missing[*]}"
  sudo_if_needed apt-get update -qq
  sudo_if_needed env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
}

install_rust() {
  if command -v cargo >/dev/null; then
    return
  fi
  say "installing Rust (rustup)"
  curl --proto '=https' --tlsv1.2 -sSf https://sh.rustup.rs | sh -s -- -y --profile minimal --component clippy,rustfmt
  # shellcheck disable=SC1091
  . "$HOME/.cargo/env"
}

install_sqlx_cli() {
  if command -v sqlx >/dev/null && sqlx --version | grep -q "$SQLX_CLI_VERSION"; then
    return
  fi
  say "installing sqlx-cli $SQLX_CLI_VERSION (once, a few minutes)"
  cargo install sqlx-cli --version "$SQLX_CLI_VERSION" --no-default-features --features postgres,rustls,sqlx-toml --locked
}

install_tauri_driver() {
  if command -v tauri-driver >/dev/null; then
    return
  fi
  say "installing tauri-driver (once, about a minute)"
  cargo install tauri-driver --version '^2' --locked
}

# selenium and pytest for the desktop suite, and aiosmtpd (a real SMTP server on loopback for
# the mail tests), in a virtualenv of the project's own
install_python_tools() {
  local venv=.caredesk/venv
  if [ -x "$venv/bin/python" ] && "$venv/bin/python" -c 'import selenium, pytest, aiosmtpd' 2>/dev/null; then
    return
  fi
  say "installing selenium, pytest and aiosmtpd into $venv"
  [ -x "$venv/bin/python" ] || /usr/bin/python3 -m venv "$venv"
  "$venv/bin/python" -m pip install -q --disable-pip-version-check 'selenium>=4.20,<5' 'pytest>=8,<10' 'aiosmtpd==1.4.6'
}

install_node_packages() {
  # Exactly the lock files (npm ci), so installing never rewrites a tracked file. The root's
  # lock lists the Tauri CLI's package for every platform, so it installs anywhere.
  if [ ! -d ui/node_modules ] || [ ui/package-lock.json -nt ui/node_modules/.package-lock.json ]; then
    say "installing npm packages in ui"
    (cd ui && npm ci --silent --no-audit --no-fund)
  fi
  if [ ! -x node_modules/.bin/tauri ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
    say "installing the Tauri CLI"
    npm ci --silent --no-audit --no-fund
  fi
}

install_system_packages
install_rust
install_node_packages
if [ "${1:-}" = "--for-tests" ]; then
  install_sqlx_cli
  install_tauri_driver
  install_python_tools
fi
