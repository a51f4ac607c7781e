#!/usr/bin/env bash
# Installs the Debian 12 packages carry needs, and nothing when they are all
# there: an already-provisioned machine never runs apt.
#
#   scripts/deps.sh [--test]        run it directly, or
#   . scripts/deps.sh; carry_deps [--test]
#
# --test adds the packages only the test suite needs. Sourcing defines
# carry_deps and changes none of the caller's shell options; the function
# returns 1 (after one line saying what to run) when packages are missing and
# cannot be installed.

# Needed to build and run carry (meson.build says what uses each one).
CARRY_DEPS_BUILD=(build-essential meson ninja-build pkg-config python3
  libgit2-dev libsqlite3-dev libncurses-dev libjansson-dev libcsv-dev
  libical-dev scdoc git)
# Needed only by the tests: cmocka for unit tests, sqlite3 and tmux for the
# integration and dashboard end-to-end tests.
CARRY_DEPS_TEST=(libcmocka-dev sqlite3 tmux)

carry_deps() {
  local want=("${CARRY_DEPS_BUILD[@]}")
  if [[ "${1-}" == --test ]]; then
    want+=("${CARRY_DEPS_TEST[@]}")
  elif [[ -n "${1-}" ]]; then
    printf 'deps.sh: unknown argument %s (use --test or nothing)\n' "$1" >&2
    return 2
  fi

  if ! command -v dpkg-query >/dev/null 2>&1; then
    printf 'deps.sh: no dpkg-query, so this is not Debian; make sure these are installed: %s\n' \
      "${want[*]}" >&2
    return 0
  fi

  # The second letter of db:Status-Abbrev is the current state, 'i' = installed.
  # Unknown names make dpkg-query complain and exit 1; they simply stay missing.
  local installed pkg missing=()
  installed=$(dpkg-query -W -f='${Package} ${db:Status-Abbrev}\n' "${want[@]}" 2>/dev/null \
    | awk 'substr($2, 2, 1) == "i" { print $1 }') || true
  for pkg in "${want[@]}"; do
    if ! grep -qxF -- "$pkg" <<<"$installed"; then
      missing+=("$pkg")
    fi
  done
  [[ ${#missing[@]} -eq 0 ]] && return 0

  local cmd="apt-get install -y --no-install-recommends ${missing[*]}"
  local -a as=()
  if [[ $(id -u) -ne 0 ]]; then
    # sudo may prompt for a password only when someone is there to type it.
    if command -v sudo >/dev/null 2>&1 && { [[ -t 0 ]] || sudo -n true 2>/dev/null; }; then
      as=(sudo)
    else
      printf 'carry needs these missing Debian packages: %s; install them with: sudo %s\n' \
        "${missing[*]}" "$cmd" >&2
      return 1
    fi
  fi

  printf 'deps.sh: installing %s\n' "${missing[*]}" >&2
  if ! "${as[@]}" env DEBIAN_FRONTEND=noninteractive apt-get update -qq ||
     ! "${as[@]}" env DEBIAN_FRONTEND=noninteractive \
         apt-get install -y -qq --no-install-recommends "${missing[@]}"; then
    printf 'deps.sh: apt-get failed; install the packages yourself with: %s%s\n' \
      "${as[*]:+${as[*]} }" "$cmd" >&2
    return 1
  fi
}

if [[ "${BASH_SOURCE[0]}" == "$0" ]]; then
  set -euo pipefail
  carry_deps "$@"
fi
