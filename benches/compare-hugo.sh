#!/bin/sh
# Builds the synthetic 10,000-release site with `hemasite build` and with Hugo (when `hugo` is
# on the PATH), best of three clean builds each, alternately, and prints the wall times and their
# ratio. The work is done by the `compare_hugo` bench (benches/compare_hugo.rs); this prints the
# machine and its load beside it, as the README's Performance section reports them.
set -eu
cd "$(dirname "$0")/.."
echo "$(date -u '+%Y-%m-%d %H:%M UTC'); $(nproc) cores; $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //')"
echo "load before: $(cut -d' ' -f1-3 /proc/loadavg)"
cargo bench --bench compare_hugo "$@"
echo "load after: $(cut -d' ' -f1-3 /proc/loadavg)"
