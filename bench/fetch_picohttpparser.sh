#!/usr/bin/env bash
# fetch_picohttpparser.sh: puts picohttpparser's sources (deps/picohttpparser
# of Debian's h2o source package, the same version as the installed
# libh2o0.13) into a cache directory OUTSIDE the repository, so
# //bench:parser_bench can build picohttpparser with SSE4.2 as a peer.
# Nothing is committed; without the cache the benchmark says "unavailable".
#
# Usage: bench/fetch_picohttpparser.sh [CACHE_DIR]   (default /var/cache/shockwave)
# Then rebuild: the repository rule (third_party/picohttpparser_sse42.bzl)
# looks for CACHE_DIR/picohttpparser/picohttpparser.c at fetch time; after
# fetching, `./bazelw sync --only=picohttpparser_sse42` (or a new Bazel
# server) picks it up.
#
# Only Debian's apt is used: a temporary deb-src list, lists and download
# directory, so the system's apt configuration is not touched.
set -euo pipefail
cache="${1:-/var/cache/shockwave}"
version="$(dpkg-query -W -f='${Version}' libh2o0.13 2>/dev/null || true)"
if [[ -z "$version" ]]; then
  echo "fetch_picohttpparser: libh2o0.13 is not installed; run ./bazelw once first" >&2
  exit 1
fi
if [[ -f "$cache/picohttpparser/SOURCE" ]] && grep -qxF "h2o $version" "$cache/picohttpparser/SOURCE"; then
  echo "fetch_picohttpparser: $cache/picohttpparser is h2o $version already"
  exit 0
fi

tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
mkdir -p "$tmp/lists/partial" "$tmp/download"
echo "deb-src [signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] http://deb.debian.org/debian bookworm main" \
  >"$tmp/sources.list"
apt_opts=(-o "Dir::Etc::SourceList=$tmp/sources.list" -o Dir::Etc::SourceParts=/dev/null
          -o "Dir::State::Lists=$tmp/lists" -o APT::Sandbox::User=root)
apt-get "${apt_opts[@]}" -qq update
(cd "$tmp/download" && apt-get "${apt_opts[@]}" -qq source --download-only "h2o=$version" >/dev/null)
dpkg-source --no-check -x "$tmp"/download/h2o_*.dsc "$tmp/h2o" >/dev/null

mkdir -p "$cache"
rm -rf "$cache/picohttpparser.new"
cp -r "$tmp/h2o/deps/picohttpparser" "$cache/picohttpparser.new"
echo "h2o $version" >"$cache/picohttpparser.new/SOURCE"
rm -rf "$cache/picohttpparser"
mv "$cache/picohttpparser.new" "$cache/picohttpparser"
echo "fetch_picohttpparser: $cache/picohttpparser (h2o $version deps/picohttpparser)"
