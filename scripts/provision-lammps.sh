#!/usr/bin/env bash
# Builds a recent stable LAMMPS (MPI, shared library, PLUGIN, H5MD, ...) from Debian's
# source package, once, into $INTERPHASE_CACHE/lammps-<version>. Re-running is a no-op.
#
# The machine's apt sources are never edited: a private apt configuration directory
# points at the same Debian mirror as the machine, with the suite that carries the
# version we want (deb-src only).
set -euo pipefail
source "$(dirname "$0")/lib.sh"

prefix="$IPH_LAMMPS_PREFIX"
exit_if_built "$prefix" "LAMMPS $IPH_LAMMPS_VERSION"
require_disk "$IPH_CACHE" 3000
require_tools mpicxx cmake h5cc

work="$IPH_CACHE/lammps-src-$IPH_LAMMPS_VERSION"
apt_dir="$IPH_CACHE/apt-private"
mkdir -p "$work" "$apt_dir/lists/partial" "$apt_dir/archives/partial" "$apt_dir/parts" "$apt_dir/prefs"

src_tree=$(ls -d "$work"/lammps-*/ 2>/dev/null | head -n1 || true)
if [ -z "$src_tree" ] || { [ ! -f "$src_tree/src/PLUGIN/lammpsplugin.h" ] && [ ! -f "$src_tree/src/lammpsplugin.h" ]; }; then
  # Same mirror as the machine uses for its own Debian packages.
  mirror=$(grep -hs '^URIs:' /etc/apt/sources.list.d/*.sources | awk '{print $2}' | grep -v security | head -n1 || true)
  [ -n "$mirror" ] || mirror=$(grep -hs '^deb ' /etc/apt/sources.list | awk '{print $2}' | grep -v security | head -n1 || true)
  [ -n "$mirror" ] || die "cannot find the machine's Debian mirror in /etc/apt. Download the lammps $IPH_LAMMPS_VERSION source yourself and pass LAMMPS_SOURCE_DIR."
  echo "deb-src $mirror $IPH_LAMMPS_SUITE main" > "$apt_dir/sources.list"
  aptopts=(-o "Dir::Etc::SourceList=$apt_dir/sources.list" -o "Dir::Etc::SourceParts=$apt_dir/parts"
           -o "Dir::Etc::PreferencesParts=$apt_dir/prefs" -o "Dir::State::Lists=$apt_dir/lists"
           -o "Dir::Cache=$apt_dir" -o "Debug::NoLocking=1")
  say "fetching the lammps source package from Debian $IPH_LAMMPS_SUITE"
  apt-get "${aptopts[@]}" update -qq >/dev/null 2>"$work/apt.err" \
    || die "apt-get update of the private $IPH_LAMMPS_SUITE source list failed ($(tail -n1 "$work/apt.err")). Check network access to Debian's mirror."
  # The mirror may lack the .dsc (404) while serving the tarballs: what we need is the orig tarball.
  ( cd "$work" && apt-get "${aptopts[@]}" source --download-only "lammps" >"$work/apt.out" 2>&1 ) || true
  ls "$work"/lammps_*.orig.tar.* >/dev/null 2>&1 \
    || die "apt-get source lammps failed ($(tail -n1 "$work/apt.out")). Set INTERPHASE_LAMMPS_SUITE to a suite that has it (trixie, sid)."
  orig=$(ls "$work"/lammps_*.orig.tar.* | head -n1)
  got=$(basename "$orig" | sed -E 's/lammps_([0-9]+).*/\1/')
  [ "$got" = "$IPH_LAMMPS_VERSION" ] || say "note: $IPH_LAMMPS_SUITE has lammps $got (wanted $IPH_LAMMPS_VERSION); using $got"
  # Debian's orig tarballs differ: 20250204 has one top folder (lammps-4Feb2025), 20260704 none.
  rm -rf "$work/unpack" && mkdir -p "$work/unpack"
  tar -C "$work/unpack" -xf "$orig"
  tops=("$work"/unpack/*)
  if [ "${#tops[@]}" -eq 1 ] && [ -d "${tops[0]}" ]; then
    mv "${tops[0]}" "$work/lammps-$got"
    rmdir "$work/unpack"
  else
    mv "$work/unpack" "$work/lammps-$got"
  fi
  src_tree="$work/lammps-$got"
fi
src_tree="${src_tree%/}"
say "LAMMPS source: $src_tree"

build="$work/build"
mkdir -p "$build"
cmake -S "$src_tree/cmake" -B "$build" -G Ninja "${IPH_LAMMPS_CMAKE_BUILD[@]}" "${IPH_LAMMPS_CMAKE_PACKAGES[@]}" \
  -DCMAKE_INSTALL_PREFIX="$prefix" -DCMAKE_INSTALL_RPATH="$prefix/lib" > "$work/cmake.log" 2>&1 \
  || die "configuring LAMMPS failed; see $work/cmake.log. Usually a missing -dev package: run scripts/install-system-deps.sh."
say "building LAMMPS (about 5 minutes on 2 cores; log: $work/build.log)"
cmake --build "$build" -j "$(nproc)" > "$work/build.log" 2>&1 \
  || die "building LAMMPS failed; see the end of $work/build.log."
cmake --install "$build" > "$work/install.log" 2>&1 || die "installing LAMMPS failed; see $work/install.log."
# lammpsplugin.h and the full header set live only in the source tree: keep a pointer to it.
echo "$src_tree" > "$prefix/source-dir"
lmp_has_package "$prefix/bin/lmp" PLUGIN || die "the LAMMPS we built has no PLUGIN package; see $work/cmake.log."
touch "$prefix/.complete"
say "LAMMPS installed in $prefix"
