#!/usr/bin/env bash
# Builds the Java bridge (java-pair-style) and the LAMMPS plugin (native-bridge) and installs
# both into $IPH_PLUGIN_PREFIX (default .cache/interphase), contract C1:
#   <prefix>/lib/interphase/interphaseplugin.so
#   <prefix>/lib/interphase/java/interphase-pair-style.jar + runtime dependency jars
# Re-running rebuilds only what changed. Needs LAMMPS built by scripts/provision-lammps.sh
# (or LAMMPS_SOURCE_DIR / LAMMPS_LIBRARY in the environment pointing at your own LAMMPS).
set -euo pipefail
source "$(dirname "$0")/lib.sh"
require_jdk

command -v mvn >/dev/null || die "'mvn' (Maven) not found. Install Maven 3.9+ (apt-get install maven) and re-run."
require_tools cmake mpicxx

lammps_src="${LAMMPS_SOURCE_DIR:-$(cat "$IPH_LAMMPS_PREFIX/source-dir" 2>/dev/null || true)}"
[ -n "$lammps_src" ] || die "no LAMMPS source tree: $IPH_LAMMPS_PREFIX/source-dir is missing. Run scripts/provision-lammps.sh first, or set LAMMPS_SOURCE_DIR to your LAMMPS source tree."
[ -f "$lammps_src/src/lammps.h" ] || die "LAMMPS_SOURCE_DIR=$lammps_src has no src/lammps.h. Point it at a LAMMPS source tree (the folder containing src/)."
lammps_lib="${LAMMPS_LIBRARY:-}"
if [ -z "$lammps_lib" ] && [ -f "$IPH_LAMMPS_PREFIX/lib/liblammps.so" ]; then
  lammps_lib="$IPH_LAMMPS_PREFIX/lib/liblammps.so"
fi

# 1. Java bridge: target/interphase-pair-style.jar and target/lib/*.jar
say "building java-pair-style (Maven)"
mvn_log="$IPH_CACHE/build-plugin-mvn.log"
mkdir -p "$IPH_CACHE"
# offline first (everything cached after setup); online only when a plugin/dependency is missing
if ! ( cd "$IPH_ROOT" && mvn -q -o -pl java-pair-style -am package -DskipTests ) >"$mvn_log" 2>&1; then
  if grep -q "offline mode" "$mvn_log"; then
    say "some Maven artifacts are not cached yet: building online"
    ( cd "$IPH_ROOT" && mvn -q -pl java-pair-style -am package -DskipTests ) >"$mvn_log" 2>&1 \
      || die "Maven build of java-pair-style failed; see $mvn_log ($(grep -m1 'ERROR' "$mvn_log" || tail -n1 "$mvn_log")). Check network access to Maven Central."
  else
    die "Maven build of java-pair-style failed; see $mvn_log ($(grep -m1 'ERROR' "$mvn_log" || tail -n1 "$mvn_log"))."
  fi
fi
[ -f "$IPH_ROOT/java-pair-style/target/interphase-pair-style.jar" ] \
  || die "Maven did not produce java-pair-style/target/interphase-pair-style.jar. Check the finalName in java-pair-style/pom.xml."

# 2. native plugin
build="$IPH_PLUGIN_BUILD"
say "building native-bridge against $lammps_src"
cmake_args=(-S "$IPH_ROOT/native-bridge" -B "$build" -DCMAKE_BUILD_TYPE=Release
            -DLAMMPS_SOURCE_DIR="$lammps_src" -DJAVA_HOME="$JAVA_HOME"
            -DCMAKE_INSTALL_PREFIX="$IPH_PLUGIN_PREFIX")
[ -n "$lammps_lib" ] && cmake_args+=(-DLAMMPS_LIBRARY="$lammps_lib")
cmake "${cmake_args[@]}" >"$IPH_CACHE/build-plugin-cmake.log" 2>&1 \
  || die "configuring native-bridge failed: $(grep -m1 -A2 'CMake Error' "$IPH_CACHE/build-plugin-cmake.log" | tr '\n' ' ')(full log: $IPH_CACHE/build-plugin-cmake.log)."
cmake --build "$build" -j 2 >"$IPH_CACHE/build-plugin-build.log" 2>&1 \
  || die "compiling native-bridge failed; see $IPH_CACHE/build-plugin-build.log ($(grep -m1 'error' "$IPH_CACHE/build-plugin-build.log" || true))."
cmake --install "$build" >"$IPH_CACHE/build-plugin-install.log" 2>&1 \
  || die "installing native-bridge failed; see $IPH_CACHE/build-plugin-install.log."

plugin="$IPH_PLUGIN_PREFIX/lib/interphase/interphaseplugin.so"
[ -f "$plugin" ] || die "install did not produce $plugin."
ls "$IPH_PLUGIN_PREFIX/lib/interphase/java/"*.jar >/dev/null 2>&1 || die "no jars in $IPH_PLUGIN_PREFIX/lib/interphase/java after install."
say "plugin installed: $plugin ($(ls "$IPH_PLUGIN_PREFIX/lib/interphase/java" | wc -l) jars in java/)"
