/* -*- c++ -*- ----------------------------------------------------------
   Interphase native bridge: one JVM per process and the upcall table.

   The plugin never links libjvm. The first pair_style onnx in a process either attaches to
   a JVM that already runs in it (LAMMPS driven from Java) or dlopen()s libjvm.so and creates
   one, then calls org.interphase.bridge.NativeEntry.bootstrap(tableAddress, tableSize)
   through JNI exactly once. Java fills the iph_vtable with FFM upcall stubs; from then on
   every call goes through those function pointers and JNI is not used again.
------------------------------------------------------------------------- */

#ifndef INTERPHASE_JVM_BOOTSTRAP_H
#define INTERPHASE_JVM_BOOTSTRAP_H

#include "interphase_bridge.h"

#include <string>

namespace Interphase {

struct BridgeInfo {
  std::string libjvm;        // libjvm.so that was loaded, or "(already running JVM)"
  std::string java_version;  // JAVA_VERSION from the JDK's release file, when known
  std::string jar_dir;       // <dir of interphaseplugin.so>/java
  int njars = 0;
  bool attached = false;     // true when an existing JVM was reused
};

/* Returns the process-wide upcall table, starting the JVM on the first call.
   jvm_hint: the pair_style `jvm` keyword (path to libjvm.so or a JDK home), or "".
   On failure returns nullptr and sets err to one line naming the cause and the fix.
   A failed JVM start is remembered: HotSpot cannot be created twice in one process.
   Thread-safe. Never throws. */
const iph_vtable *bridge_vtable(const std::string &jvm_hint, std::string &err, BridgeInfo &info);

/* Folder holding interphaseplugin.so (found with dladdr), "" if unknown. */
std::string plugin_dir();

/* The shim's one message flattener: newlines and tabs become spaces, trailing spaces go.
   Every text that reaches a LAMMPS ERROR line passes through it. */
std::string one_line(std::string s);

}    // namespace Interphase

#endif
