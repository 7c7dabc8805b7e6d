# Shared helpers for Interphase scripts. Source it; do not run it.
# Every failure prints one line: "interphase: <cause>. <fix>." and exits non-zero.

IPH_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
IPH_CACHE="${INTERPHASE_CACHE:-$IPH_ROOT/.cache}"
# The project's LAMMPS, and the Debian suite whose source package has each version we build.
IPH_DEFAULT_LAMMPS_VERSION=20260704    # 4 Jul 2026 (Debian sid/forky); 20250204 (trixie) is tested too
IPH_LAMMPS_VERSION="${INTERPHASE_LAMMPS_VERSION:-$IPH_DEFAULT_LAMMPS_VERSION}"
case "$IPH_LAMMPS_VERSION" in
  20250204) _iph_suite=trixie ;;
  *) _iph_suite=sid ;;    # 20260704 (sid and forky)
esac
IPH_LAMMPS_SUITE="${INTERPHASE_LAMMPS_SUITE:-$_iph_suite}"
IPH_LAMMPS_PREFIX="$IPH_CACHE/lammps-$IPH_LAMMPS_VERSION"
# The plugin built for the default LAMMPS lives in .cache/interphase; one for another LAMMPS
# (scripts/test-lammps-compat.sh) in .cache/interphase-lammps-<version>.
if [ "$IPH_LAMMPS_VERSION" = "$IPH_DEFAULT_LAMMPS_VERSION" ]; then
  IPH_PLUGIN_PREFIX="$IPH_CACHE/interphase"
  IPH_PLUGIN_BUILD="$IPH_CACHE/native-bridge-build"
else
  IPH_PLUGIN_PREFIX="$IPH_CACHE/interphase-lammps-$IPH_LAMMPS_VERSION"
  IPH_PLUGIN_BUILD="$IPH_CACHE/native-bridge-build-$IPH_LAMMPS_VERSION"
fi
IPH_VENV="${INTERPHASE_VENV:-$IPH_ROOT/.venv}"
# The LAMMPS binary and the pair_style onnx plugin that setup.sh builds (env.sh and bin/interphase default to them).
IPH_LMP="$IPH_LAMMPS_PREFIX/bin/lmp"
IPH_PLUGIN="$IPH_PLUGIN_PREFIX/lib/interphase/interphaseplugin.so"

# CMake options of every LAMMPS build of the project (the default one and the benchmark peers'):
# the build itself, and the packages the tests and the main job use. Scripts add their prefix.
IPH_LAMMPS_CMAKE_BUILD=(
  -DCMAKE_BUILD_TYPE=Release -DCMAKE_BUILD_WITH_INSTALL_RPATH=OFF -DCMAKE_INSTALL_RPATH_USE_LINK_PATH=ON
  -DBUILD_MPI=ON -DBUILD_OMP=ON -DBUILD_SHARED_LIBS=ON -DLAMMPS_EXCEPTIONS=ON
  -DWITH_JPEG=OFF -DWITH_PNG=OFF -DWITH_FFMPEG=OFF -DWITH_GZIP=ON
  -DDOWNLOAD_POTENTIALS=OFF -DBUILD_TOOLS=OFF -DBUILD_DOC=OFF)
IPH_LAMMPS_CMAKE_PACKAGES=(
  -DPKG_PLUGIN=ON -DPKG_H5MD=ON -DPKG_MANYBODY=ON -DPKG_EXTRA-DUMP=ON
  -DPKG_MOLECULE=ON -DPKG_OPENMP=ON -DPKG_EXTRA-PAIR=ON -DPKG_EXTRA-COMPUTE=ON)

die() { echo "interphase: $*" >&2; exit 1; }
say() { echo "[interphase] $*" >&2; }

# lmp_version LMP: the version line of a LAMMPS binary, e.g. "4 Feb 2025".
lmp_version() {
  local help
  help=$("$1" -h 2>&1) || return 1
  sed -n 's/^Large-scale Atomic\/Molecular Massively Parallel Simulator - //p' <<<"$help"
}

# exit_if_built PREFIX WHAT: a LAMMPS build that finished (bin/lmp and .complete in PREFIX)
# makes a provisioning script a no-op.
exit_if_built() {
  if [ -x "$1/bin/lmp" ] && [ -f "$1/.complete" ]; then
    say "$2 already built in $1"
    exit 0
  fi
}

# require_tools TOOL...: every build tool on PATH, else one line naming the fix.
require_tools() {
  local t
  for t in "$@"; do
    command -v "$t" >/dev/null || die "'$t' not found. Run scripts/install-system-deps.sh (needs root) first."
  done
}

# lmp_has_package LMP PKG: true if the LAMMPS binary LMP lists package PKG in "lmp -h".
# The help text goes to a variable first: "lmp -h | grep -q" fails under pipefail when
# grep stops reading early and lmp dies of SIGPIPE.
lmp_has_package() {
  local help
  help=$("$1" -h 2>&1) || return 1
  grep -qw -- "$2" <<<"$help"
}

# The minimum Java: the release the jars are compiled for (pom.xml). CMake and the shim read it
# from the same place (cmake/InterphaseJDK.cmake).
IPH_MIN_JAVA=$(sed -n 's:.*<maven.compiler.release>\([0-9]*\)</maven.compiler.release>.*:\1:p' "$IPH_ROOT/pom.xml")

# The one JDK finder of the project. Prints the JAVA_HOME of a JDK >= IPH_MIN_JAVA: $JAVA_HOME if
# new enough, else the newest under /usr/lib/jvm. build-plugin.sh hands the result to CMake, which
# compiles it into the shim as its run-time default; nothing else searches.
find_jdk() {
  local cand best="" bestv=0 v
  for cand in "${JAVA_HOME:-}" /usr/lib/jvm/*; do
    [ -n "$cand" ] && [ -x "$cand/bin/javac" ] && [ -f "$cand/release" ] || continue
    v=$(sed -n 's/^JAVA_VERSION="\([0-9]*\).*/\1/p' "$cand/release")
    [ -n "$v" ] || continue
    if [ "$cand" = "${JAVA_HOME:-}" ] && [ "$v" -ge "$IPH_MIN_JAVA" ]; then echo "$cand"; return 0; fi
    if [ "$v" -ge "$IPH_MIN_JAVA" ] && [ "$v" -gt "$bestv" ]; then best="$cand"; bestv="$v"; fi
  done
  [ -n "$best" ] || return 1
  echo "$best"
}

require_jdk() {
  local j
  j=$(find_jdk) || die "no JDK >= $IPH_MIN_JAVA found (JAVA_HOME='${JAVA_HOME:-}', /usr/lib/jvm/*). The Panama FFM API needs Java $IPH_MIN_JAVA or later: install one (e.g. Temurin 25) and set JAVA_HOME to it."
  export JAVA_HOME="$j"
  export PATH="$JAVA_HOME/bin:$PATH"
}

# Fail early with a clear message when the disk is (nearly) full.
require_disk() {
  local dir="$1" need_mb="$2" avail
  mkdir -p "$dir" 2>/dev/null || die "cannot create $dir. Check permissions or set INTERPHASE_CACHE to a writable directory."
  avail=$(df -Pm "$dir" | awk 'NR==2{print $4}')
  [ "${avail:-0}" -ge "$need_mb" ] || die "only ${avail} MB free under $dir, need ${need_mb} MB. Free disk space or set INTERPHASE_CACHE to a larger disk."
}
