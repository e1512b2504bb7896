#!/usr/bin/env bash
# Install the Debian packages buzzsim needs, if any are missing.
# As root: apt-get; otherwise sudo when available; otherwise print the
# packages to install and fail. Extra packages may be given as arguments.
set -euo pipefail
pkgs=(build-essential cmake pkg-config libgsl-dev libhdf5-dev hdf5-tools libcunit1-dev
      libyaml-dev librandom123-dev zlib1g-dev libdeflate-dev libnlopt-dev gnuplot-nox python3-yaml
      python3-jsonschema "$@")
missing=()
for p in "${pkgs[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0
echo "installing: ${missing[*]}" >&2
if [ "$(id -u)" -eq 0 ]; then
  SUDO=()
elif command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
  SUDO=(sudo)
else
  echo "buzzsim needs these Debian packages: ${missing[*]}" >&2
  echo "install them as root: apt-get install ${missing[*]}" >&2
  exit 1
fi
export DEBIAN_FRONTEND=noninteractive
"${SUDO[@]}" apt-get update -qq
"${SUDO[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
