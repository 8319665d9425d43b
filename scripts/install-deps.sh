#!/bin/sh
# Install the Debian packages callviz builds, tests and benchmarks with.
# Skips apt entirely when everything is already there, so repeated runs are fast.
set -eu

PACKAGES="build-essential cmake pkg-config
libgraphviz-dev graphviz
libprotobuf-c-dev protobuf-c-compiler
zlib1g-dev libdeflate-dev libpcre2-dev libcmocka-dev libcurl4-openssl-dev libmicrohttpd-dev libedit-dev tmux
golang-go python3 strace libgoogle-perftools-dev valgrind
clang libclang-rt-14-dev time cppcheck
fonts-liberation2 fonts-dejavu-core
chromium nodejs"

missing=""
for p in $PACKAGES; do
	if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed"; then
		missing="$missing $p"
	fi
done
[ -z "$missing" ] && exit 0

SUDO=""
[ "$(id -u)" -ne 0 ] && SUDO="sudo"
echo "install-deps: installing:$missing" >&2
$SUDO apt-get update -qq
# shellcheck disable=SC2086
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends $missing >/dev/null
