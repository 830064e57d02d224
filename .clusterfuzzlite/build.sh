#!/bin/bash -eu
# ClusterFuzzLite build: the OSS-Fuzz one, unchanged.
exec "$SRC/shockwave/fuzz/oss-fuzz/build.sh"
