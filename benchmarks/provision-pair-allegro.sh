#!/usr/bin/env bash
# Benchmark provisioning only (not run by CI or setup): builds the incumbent, `pair_allegro`
# (and `pair_nequip`) from mir-group/pair_nequip_allegro, into ONE lmp that also has PLUGIN,
# so that `pair_style allegro` and our `pair_style onnx` plugin run in the same binary.
#
#   bash benchmarks/provision-pair-allegro.sh      # once; re-running is a no-op
#
# - copies the LAMMPS source tree of scripts/provision-lammps.sh to
#   $INTERPHASE_CACHE/lammps-allegro-src and patches the COPY with the peer's own
#   patch_lammps.sh (the peer's code is never copied into this repository);
# - configures it with the same packages and options as scripts/provision-lammps.sh, plus
#   -DNEQUIP_AOT_COMPILE=ON and the LibTorch of the pip torch in .venv; OpenMP on, no Kokkos
#   (the CPU pair styles do not need it);
# - installs into $INTERPHASE_CACHE/lammps-allegro.
#
# The pip torch may be a CUDA wheel: its TorchConfig.cmake then insists on nvcc and a CUDA
# toolkit even for CPU-only use. In that case a small TorchConfig.cmake is generated in the
# work directory that imports the same wheel's libtorch.so, libtorch_cpu.so and libc10.so with
# the wheel's headers, ABI flag and C++20 (what the real config gives a CPU consumer). libtorch.so
# is linked with --no-as-needed: the library inside an AOTInductor .pt2 needs it and has no
# search path of its own.
#
# Environment: INTERPHASE_CACHE, INTERPHASE_VENV, INTERPHASE_SHARED (folder holding
# peers/pair_nequip_allegro-2e19360.tar.gz), INTERPHASE_PAIR_ALLEGRO_TARBALL (the tarball
# itself), INTERPHASE_BUILD_JOBS (default 2). The build runs under `nice -n 10`.
set -euo pipefail
# Pinned to 20250204, the LAMMPS its patch and the recorded peer numbers were built on; whether
# pair_nequip_allegro's patch applies to the default 20260704 is not checked yet (set
# INTERPHASE_LAMMPS_VERSION=20260704 to try).
export INTERPHASE_LAMMPS_VERSION="${INTERPHASE_LAMMPS_VERSION:-20250204}"
source "$(dirname "$0")/../scripts/lib.sh"

prefix="$IPH_CACHE/lammps-allegro"
src="$IPH_CACHE/lammps-allegro-src"
work="$IPH_CACHE/lammps-allegro-work"
shared="${INTERPHASE_SHARED:-$(cd "$IPH_ROOT/.." && pwd)/shared}"
tarball="${INTERPHASE_PAIR_ALLEGRO_TARBALL:-$shared/peers/pair_nequip_allegro-2e19360.tar.gz}"
jobs="${INTERPHASE_BUILD_JOBS:-2}"

exit_if_built "$prefix" "LAMMPS with pair_allegro"
require_tools mpicxx cmake ninja h5cc
[ -f "$tarball" ] || die "pair_nequip_allegro source not found at $tarball. Put pair_nequip_allegro-2e19360.tar.gz under \$INTERPHASE_SHARED/peers or set INTERPHASE_PAIR_ALLEGRO_TARBALL."
[ -f "$IPH_LAMMPS_PREFIX/source-dir" ] || die "no LAMMPS source tree recorded in $IPH_LAMMPS_PREFIX/source-dir. Run scripts/provision-lammps.sh first."
lammps_src=$(cat "$IPH_LAMMPS_PREFIX/source-dir")
[ -f "$lammps_src/cmake/CMakeLists.txt" ] || die "the LAMMPS source tree $lammps_src is gone. Re-run scripts/provision-lammps.sh (delete $IPH_LAMMPS_PREFIX first)."
[ -x "$IPH_VENV/bin/python" ] || die "no Python environment at $IPH_VENV. Run scripts/setup.sh first (or set INTERPHASE_VENV)."
torch_info=$("$IPH_VENV/bin/python" -c 'import os, torch, torch.utils
print(torch.utils.cmake_prefix_path); print(os.path.dirname(torch.__file__)); print(torch.version.cuda or "")
print(int(torch._C._GLIBCXX_USE_CXX11_ABI)); print(torch.__version__)' 2>"$IPH_CACHE/torch-probe.err") \
  || die "cannot import torch from $IPH_VENV ($(tail -n1 "$IPH_CACHE/torch-probe.err")). Re-create the environment with scripts/setup.sh."
rm -f "$IPH_CACHE/torch-probe.err"
{ read -r torch_cmake; read -r torch_root; read -r torch_cuda; read -r torch_abi; read -r torch_version; } <<< "$torch_info"
require_disk "$IPH_CACHE" 4000
mkdir -p "$work"

# 1. A patched copy of the LAMMPS source (redone from scratch unless a previous run finished it).
if [ ! -f "$src/.patched" ]; then
  say "copying $lammps_src to $src"
  rm -rf "$src" "$work/peer"
  cp -a "$lammps_src" "$src"
  mkdir -p "$work/peer"
  tar -C "$work/peer" -xzf "$tarball" || die "cannot unpack $tarball. Check that the file is a complete .tar.gz."
  peer_dir=$(dirname "$(ls "$work"/peer/*/patch_lammps.sh 2>/dev/null | head -n1)")
  [ -f "$peer_dir/patch_lammps.sh" ] || die "no patch_lammps.sh in $tarball. Use the pair_nequip_allegro source tarball."
  # The peer's script must run from its own root directory.
  ( cd "$peer_dir" && bash ./patch_lammps.sh "$src" ) > "$work/patch.log" 2>&1 \
    || die "patch_lammps.sh failed; see $work/patch.log."
  grep -q "find_package(Torch REQUIRED)" "$src/cmake/CMakeLists.txt" \
    || die "patch_lammps.sh did not add LibTorch to $src/cmake/CMakeLists.txt; see $work/patch.log."
  [ -f "$src/src/pair_nequip_allegro.cpp" ] || die "patch_lammps.sh did not copy pair_nequip_allegro.cpp into $src/src; see $work/patch.log."
  touch "$src/.patched"
fi
say "patched LAMMPS source: $src"

# 2. LibTorch from the pip torch.
torch_args=(-DCMAKE_PREFIX_PATH="$torch_cmake")
if [ -n "$torch_cuda" ]; then
  shim="$work/torch-cpu-cmake"
  mkdir -p "$shim"
  for lib in libtorch.so libtorch_cpu.so libc10.so; do
    [ -f "$torch_root/lib/$lib" ] || die "$torch_root/lib/$lib is missing. Reinstall torch in $IPH_VENV."
  done
  cat > "$shim/TorchConfig.cmake" <<EOF
# Generated by benchmarks/provision-pair-allegro.sh: CPU-only view of the pip torch $torch_version
# (a CUDA $torch_cuda wheel, whose own TorchConfig.cmake needs nvcc and a CUDA toolkit).
set(TORCH_INSTALL_PREFIX "$torch_root")
set(TORCH_INCLUDE_DIRS "$torch_root/include" "$torch_root/include/torch/csrc/api/include")
set(TORCH_LIBRARY "$torch_root/lib/libtorch_cpu.so")
set(TORCH_CXX_FLAGS "-D_GLIBCXX_USE_CXX11_ABI=$torch_abi")
if(NOT TARGET torch)
  add_library(torch SHARED IMPORTED)
  set_target_properties(torch PROPERTIES
    IMPORTED_LOCATION "\${TORCH_LIBRARY}"
    INTERFACE_INCLUDE_DIRECTORIES "\${TORCH_INCLUDE_DIRS}"
    INTERFACE_LINK_LIBRARIES "$torch_root/lib/libc10.so;-Wl,--push-state,--no-as-needed;$torch_root/lib/libtorch.so;-Wl,--pop-state"
    INTERFACE_COMPILE_OPTIONS "\${TORCH_CXX_FLAGS}")
  target_compile_features(torch INTERFACE cxx_std_20)
endif()
set(TORCH_LIBRARIES torch)
set(Torch_FOUND TRUE)
EOF
  torch_args+=(-DTorch_DIR="$shim")
  say "torch $torch_version is a CUDA wheel: linking libtorch, libtorch_cpu and libc10 without its CUDA CMake checks"
fi

# 3. Configure and build: the options of scripts/provision-lammps.sh, plus the peer's.
build="$work/build"
mkdir -p "$build"
cmake -S "$src/cmake" -B "$build" -G Ninja "${IPH_LAMMPS_CMAKE_BUILD[@]}" "${IPH_LAMMPS_CMAKE_PACKAGES[@]}" \
  -DCMAKE_INSTALL_PREFIX="$prefix" -DCMAKE_INSTALL_RPATH="$prefix/lib;$torch_root/lib" \
  -DNEQUIP_AOT_COMPILE=ON "${torch_args[@]}" > "$work/cmake.log" 2>&1 \
  || die "configuring LAMMPS with pair_allegro failed; see $work/cmake.log. A missing -dev package: run scripts/install-system-deps.sh; a LibTorch error: check torch in $IPH_VENV."
grep -q "NEQUIP_AOT_COMPILE is enabled" "$work/cmake.log" \
  || die "CMake did not enable NEQUIP_AOT_COMPILE; see $work/cmake.log. Delete $src and re-run to re-patch the source."
say "building LAMMPS with pair_allegro ($jobs jobs, nice 10; 15-30 minutes on 2 cores; log: $work/build.log)"
nice -n 10 cmake --build "$build" -j "$jobs" > "$work/build.log" 2>&1 \
  || die "building LAMMPS with pair_allegro failed; see the end of $work/build.log."
cmake --install "$build" > "$work/install.log" 2>&1 || die "installing LAMMPS failed; see $work/install.log."
echo "$src" > "$prefix/source-dir"
grep -q "libtorch\.so" <<<"$(ldd "$prefix/bin/lmp")" || die "$prefix/bin/lmp does not load libtorch.so, which AOTI models need; see $work/build.log. Delete $prefix/.complete and re-run."
help=$("$prefix/bin/lmp" -h 2>&1) || die "the built $prefix/bin/lmp does not start ($(echo "$help" | tail -n1)). Check its libraries with: ldd $prefix/bin/lmp."
grep -q PLUGIN <<< "$help" || die "the LAMMPS we built has no PLUGIN package; see $work/cmake.log."
grep -qw allegro <<< "$help" || die "the LAMMPS we built has no pair_style allegro; see $work/patch.log and $work/cmake.log."
touch "$prefix/.complete"
say "LAMMPS with pair_allegro, pair_nequip and PLUGIN installed in $prefix"
