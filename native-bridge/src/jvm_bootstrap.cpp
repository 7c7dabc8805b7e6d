/* ----------------------------------------------------------------------
   Interphase native bridge: JVM discovery, creation/attachment and the one JNI bootstrap.
   See jvm_bootstrap.h and docs/native-bridge.md.
------------------------------------------------------------------------- */

#include "jvm_bootstrap.h"

#include <jni.h>

#include <algorithm>
#include <cstdlib>
#include <cstring>
#include <dirent.h>
#include <dlfcn.h>
#include <fstream>
#include <limits.h>
#include <mutex>
#include <sstream>
#include <cctype>
#include <cerrno>
#include <csignal>
#include <cstdarg>
#include <cstdio>
#include <sys/stat.h>
#include <unistd.h>
#include <vector>

// Both come from the build (native-bridge/CMakeLists.txt): the JDK that scripts/lib.sh found
// (find_jdk, the one JDK finder) and the minimum Java, which is pom.xml's maven.compiler.release.
#ifndef INTERPHASE_DEFAULT_JAVA_HOME
#define INTERPHASE_DEFAULT_JAVA_HOME ""
#endif
#ifndef INTERPHASE_MIN_JAVA
#error "INTERPHASE_MIN_JAVA must be defined by the build (native-bridge/CMakeLists.txt)"
#endif

namespace Interphase {

namespace {

constexpr int MIN_JAVA = INTERPHASE_MIN_JAVA;
const std::string MIN_JAVA_TEXT = std::to_string(INTERPHASE_MIN_JAVA);
constexpr const char *ENTRY_CLASS = "org/interphase/bridge/NativeEntry";
constexpr const char *ENTRY_CLASS_DOTTED = "org.interphase.bridge.NativeEntry";
constexpr const char *BRIDGE_JAR = "interphase-pair-style.jar";

using CreateJavaVM_t = jint (*)(JavaVM **, void **, void *);
using GetCreatedJavaVMs_t = jint (*)(JavaVM **, jsize, jsize *);

// process-wide state, guarded by g_mutex
std::mutex g_mutex;
iph_vtable g_table;
bool g_ready = false;
std::string g_failure;    // sticky: a JVM cannot be created twice in one process
BridgeInfo g_info;

bool is_file(const std::string &p)
{
  struct stat st;
  return !p.empty() && ::stat(p.c_str(), &st) == 0 && S_ISREG(st.st_mode);
}

bool is_dir(const std::string &p)
{
  struct stat st;
  return !p.empty() && ::stat(p.c_str(), &st) == 0 && S_ISDIR(st.st_mode);
}

std::string parent(const std::string &p)
{
  auto pos = p.find_last_of('/');
  if (pos == std::string::npos) return ".";
  if (pos == 0) return "/";
  return p.substr(0, pos);
}

std::string real(const std::string &p)
{
  char buf[PATH_MAX];
  if (::realpath(p.c_str(), buf)) return buf;
  return p;
}

// JAVA_VERSION="25.0.3" from <home>/release -> "25.0.3"; "" when unknown
std::string release_version(const std::string &home)
{
  std::ifstream in(home + "/release");
  std::string line;
  while (std::getline(in, line)) {
    if (line.rfind("JAVA_VERSION=", 0) == 0) {
      std::string v = line.substr(13);
      v.erase(std::remove(v.begin(), v.end(), '"'), v.end());
      while (!v.empty() && (v.back() == '\r' || v.back() == ' ')) v.pop_back();
      return v;
    }
  }
  return "";
}

// "25.0.3" -> 25, "1.8.0_392" -> 8, "" -> -1
int feature_of(const std::string &v)
{
  if (v.empty()) return -1;
  int major = std::atoi(v.c_str());
  if (major == 1) {
    auto dot = v.find('.');
    if (dot != std::string::npos) return std::atoi(v.c_str() + dot + 1);
  }
  return major;
}

struct JvmCandidate {
  std::string origin;    // where it came from, for messages
  std::string libjvm;    // "" when none found
  std::string home;      // JDK home guess
  std::string version;   // "" when unknown
};

// a libjvm.so path or a JDK home -> candidate
JvmCandidate resolve(const std::string &origin, const std::string &path)
{
  JvmCandidate c;
  c.origin = origin;
  if (is_file(path)) {
    c.libjvm = real(path);
    // <home>/lib/server/libjvm.so
    c.home = parent(parent(parent(c.libjvm)));
  } else if (is_dir(path)) {
    c.home = real(path);
    for (const char *rel : {"/lib/server/libjvm.so", "/jre/lib/server/libjvm.so",
                            "/lib/amd64/server/libjvm.so", "/lib/client/libjvm.so"}) {
      if (is_file(c.home + rel)) {
        c.libjvm = c.home + rel;
        break;
      }
    }
  }
  if (!c.home.empty()) c.version = release_version(c.home);
  return c;
}

std::vector<std::string> split_ws(const char *s)
{
  std::vector<std::string> out;
  if (!s) return out;
  std::istringstream in(s);
  std::string tok;
  while (in >> tok) out.push_back(tok);
  return out;
}

// Takes the pending Java exception (if any) and returns "Class: message; caused by ...".
std::string take_exception(JNIEnv *env)
{
  if (!env->ExceptionCheck()) return "";
  jthrowable t = env->ExceptionOccurred();
  env->ExceptionClear();
  std::string text;
  jclass thr = env->FindClass("java/lang/Throwable");
  if (!thr) {
    env->ExceptionClear();
    return "(a Java exception that could not be described)";
  }
  jmethodID to_string = env->GetMethodID(thr, "toString", "()Ljava/lang/String;");
  jmethodID get_cause = env->GetMethodID(thr, "getCause", "()Ljava/lang/Throwable;");
  for (int depth = 0; t && depth < 4; depth++) {
    auto s = (jstring) env->CallObjectMethod(t, to_string);
    if (env->ExceptionCheck() || !s) {
      env->ExceptionClear();
      break;
    }
    const char *c = env->GetStringUTFChars(s, nullptr);
    if (c) {
      if (depth) text += "; caused by ";
      text += c;
      env->ReleaseStringUTFChars(s, c);
    }
    auto cause = (jthrowable) env->CallObjectMethod(t, get_cause);
    if (env->ExceptionCheck()) {
      env->ExceptionClear();
      break;
    }
    if (cause && env->IsSameObject(cause, t)) break;
    t = cause;
  }
  return one_line(text.empty() ? "(a Java exception without a message)" : text);
}

// Loads NativeEntry through a URLClassLoader over the jars (an existing JVM whose class
// path does not contain the bridge). Returns nullptr with a pending exception on failure.
jclass load_with_url_loader(JNIEnv *env, const std::vector<std::string> &jars)
{
  jclass file_cls = env->FindClass("java/io/File");
  jclass uri_cls = env->FindClass("java/net/URI");
  jclass url_cls = env->FindClass("java/net/URL");
  jclass loader_cls = env->FindClass("java/net/URLClassLoader");
  if (!file_cls || !uri_cls || !url_cls || !loader_cls) return nullptr;
  jmethodID file_ctor = env->GetMethodID(file_cls, "<init>", "(Ljava/lang/String;)V");
  jmethodID to_uri = env->GetMethodID(file_cls, "toURI", "()Ljava/net/URI;");
  jmethodID to_url = env->GetMethodID(uri_cls, "toURL", "()Ljava/net/URL;");
  jmethodID loader_ctor = env->GetMethodID(loader_cls, "<init>", "([Ljava/net/URL;)V");
  jmethodID load_class =
      env->GetMethodID(loader_cls, "loadClass", "(Ljava/lang/String;)Ljava/lang/Class;");
  if (!file_ctor || !to_uri || !to_url || !loader_ctor || !load_class) return nullptr;
  jobjectArray urls = env->NewObjectArray((jsize) jars.size(), url_cls, nullptr);
  if (!urls) return nullptr;
  for (size_t k = 0; k < jars.size(); k++) {
    jobject f = env->NewObject(file_cls, file_ctor, env->NewStringUTF(jars[k].c_str()));
    if (!f) return nullptr;
    jobject uri = env->CallObjectMethod(f, to_uri);
    if (env->ExceptionCheck()) return nullptr;
    jobject url = env->CallObjectMethod(uri, to_url);
    if (env->ExceptionCheck()) return nullptr;
    env->SetObjectArrayElement(urls, (jsize) k, url);
  }
  jobject loader = env->NewObject(loader_cls, loader_ctor, urls);
  if (!loader) return nullptr;
  env->NewGlobalRef(loader);    // lives as long as the process
  auto cls = (jclass) env->CallObjectMethod(loader, load_class,
                                            env->NewStringUTF(ENTRY_CLASS_DOTTED));
  if (env->ExceptionCheck()) return nullptr;
  return cls;
}

// Calls NativeEntry.bootstrap(table, sizeof table) and validates what Java wrote.
bool run_bootstrap(JNIEnv *env, jclass cls, std::string &err)
{
  jmethodID boot = env->GetStaticMethodID(cls, "bootstrap", "(JJ)I");
  if (!boot) {
    err = "pair_style onnx: " + std::string(ENTRY_CLASS_DOTTED) +
        " has no method 'static int bootstrap(long, long)' (" + take_exception(env) +
        "): the Java bridge jar does not match this plugin; rebuild both with scripts/build-plugin.sh";
    return false;
  }
  std::memset(&g_table, 0, sizeof(g_table));
  jint status = env->CallStaticIntMethod(cls, boot, (jlong) (intptr_t) &g_table,
                                         (jlong) sizeof(iph_vtable));
  std::string exc = take_exception(env);
  if (!exc.empty()) {
    err = "pair_style onnx: the Java bridge bootstrap threw " + exc;
    return false;
  }
  if (status != 0) {
    err = "pair_style onnx: the Java bridge bootstrap failed with status " +
        std::to_string(status) + "; run with INTERPHASE_JVM_OPTS=-Dinterphase.debug=true for details";
    return false;
  }
  if (g_table.abi_version != IPH_ABI_VERSION || g_table.table_size != (int32_t) sizeof(iph_vtable)) {
    err = "pair_style onnx: ABI mismatch between this plugin (abi " +
        std::to_string(IPH_ABI_VERSION) + ", table " + std::to_string(sizeof(iph_vtable)) +
        " bytes) and the Java bridge (abi " + std::to_string(g_table.abi_version) + ", table " +
        std::to_string(g_table.table_size) +
        " bytes): rebuild and reinstall both with scripts/build-plugin.sh";
    return false;
  }
  if (!g_table.create || !g_table.coeff || !g_table.compute || !g_table.stats || !g_table.destroy) {
    err = "pair_style onnx: the Java bridge left entries of the upcall table empty: rebuild and "
          "reinstall both halves with scripts/build-plugin.sh";
    return false;
  }
  return true;
}

std::vector<std::string> list_jars(const std::string &dir)
{
  std::vector<std::string> jars;
  DIR *d = ::opendir(dir.c_str());
  if (!d) return jars;
  while (struct dirent *e = ::readdir(d)) {
    std::string name = e->d_name;
    if (name.size() > 4 && name.compare(name.size() - 4, 4, ".jar") == 0)
      jars.push_back(dir + "/" + name);
  }
  ::closedir(d);
  std::sort(jars.begin(), jars.end());
  return jars;
}

// Picks the libjvm to load. Explicit hint: strict. Otherwise the first usable of $JAVA_HOME
// and the build-time JDK (the one scripts/lib.sh found when the plugin was built). The shim
// does not search /usr/lib/jvm itself: that rule lives in scripts/lib.sh only.
bool choose_libjvm(const std::string &hint, JvmCandidate &chosen, std::string &err)
{
  auto too_old = [](const JvmCandidate &c) {
    int v = feature_of(c.version);
    return v >= 0 && v < MIN_JAVA;
  };
  JvmCandidate built = resolve("build-time JDK", INTERPHASE_DEFAULT_JAVA_HOME);
  std::string suggestion = !built.libjvm.empty() && !too_old(built)
      ? "e.g. 'jvm " + built.home + "', the JDK the plugin was built with"
      : "a JDK " + MIN_JAVA_TEXT + " or later";
  if (!hint.empty()) {
    JvmCandidate c = resolve("jvm keyword", hint);
    if (c.libjvm.empty()) {
      err = "pair_style onnx: jvm " + hint +
          ": no libjvm.so there (give a libjvm.so file or a JDK home containing "
          "lib/server/libjvm.so); point 'jvm' at a JDK >= " + MIN_JAVA_TEXT + " (" + suggestion +
          ") or drop the keyword to use JAVA_HOME";
      return false;
    }
    if (too_old(c)) {
      err = "pair_style onnx: jvm " + hint + " is Java " + c.version +
          ", but the Java bridge needs Java " + MIN_JAVA_TEXT + " or later (Panama FFM); point 'jvm' at a newer JDK (" +
          suggestion + ")";
      return false;
    }
    chosen = c;
    return true;
  }

  std::vector<std::string> tried;
  std::vector<std::pair<std::string, std::string>> order;
  const char *jh = std::getenv("JAVA_HOME");
  if (jh && *jh) order.emplace_back("JAVA_HOME", jh);
  if (*INTERPHASE_DEFAULT_JAVA_HOME)
    order.emplace_back("build-time JDK", INTERPHASE_DEFAULT_JAVA_HOME);
  for (auto &o : order) {
    JvmCandidate c = resolve(o.first, o.second);
    if (c.libjvm.empty()) {
      tried.push_back(o.first + "=" + o.second + " has no lib/server/libjvm.so");
      continue;
    }
    if (too_old(c)) {
      tried.push_back(o.first + "=" + o.second + " is Java " + c.version);
      continue;
    }
    chosen = c;
    return true;
  }
  std::string why;
  for (auto &t : tried) why += (why.empty() ? "" : "; ") + t;
  err = "pair_style onnx: no JDK >= " + MIN_JAVA_TEXT + " found (" +
      (why.empty() ? std::string("JAVA_HOME unset and the plugin was built without a JDK") : why) +
      "); install a JDK " + MIN_JAVA_TEXT + " or later and set JAVA_HOME or use 'pair_style onnx jvm /path/to/jdk'";
  return false;
}


// ---- the JVM's own words ---------------------------------------------------------------
// HotSpot prints why JNI_CreateJavaVM failed ("Unrecognized option: -Xfoo") on stderr only and
// returns a bare JNI_ERR. The "vfprintf" JavaVMOption routes every line the JVM prints through
// jvm_vfprintf, which still writes it where HotSpot meant to and, while the JVM starts, also keeps
// a copy so the LAMMPS ERROR (and log.lammps) can quote the first line.

std::mutex g_output_mutex;
std::string g_jvm_output;        // what the JVM printed while starting (bounded)
bool g_capture_output = false;
constexpr size_t MAX_CAPTURE = 8192;

jint JNICALL jvm_vfprintf(FILE *fp, const char *format, va_list args)
{
  va_list copy;
  va_copy(copy, args);
  jint n = std::vfprintf(fp ? fp : stderr, format, args);
  {
    std::lock_guard<std::mutex> lock(g_output_mutex);
    if (g_capture_output && g_jvm_output.size() < MAX_CAPTURE) {
      char buf[1024];
      int k = std::vsnprintf(buf, sizeof(buf), format, copy);
      if (k > 0) g_jvm_output.append(buf, std::min((size_t) k, sizeof(buf) - 1));
    }
  }
  va_end(copy);
  return n;
}

// The first meaningful line of what the JVM printed, e.g. "Unrecognized option: -Xfoo", or
// "Error occurred during initialization of VM: <reason>"; "" when it printed nothing.
std::string first_jvm_error_line()
{
  std::lock_guard<std::mutex> lock(g_output_mutex);
  std::vector<std::string> lines;
  std::istringstream in(g_jvm_output);
  std::string line;
  while (std::getline(in, line)) {
    while (!line.empty() && (line.back() == '\r' || line.back() == ' ')) line.pop_back();
    size_t b = line.find_first_not_of(' ');
    if (b == std::string::npos) continue;
    line = line.substr(b);
    if (line.rfind("Error: Could not create the Java Virtual Machine", 0) == 0) continue;
    if (line.rfind("Error: A fatal exception has occurred", 0) == 0) continue;
    lines.push_back(line);
  }
  if (lines.empty()) return "";
  if (lines[0].rfind("Error occurred during initialization of VM", 0) == 0 && lines.size() > 1)
    return one_line(lines[0] + ": " + lines[1]);
  return one_line(lines[0]);
}

// Some start-up failures (e.g. a heap larger than the machine can reserve) make HotSpot end the
// process itself (vm_exit_during_initialization -> os::abort -> _exit(1)) instead of returning an
// error, so LAMMPS never regains control. The "abort" (and "exit") JavaVMOption hooks run just
// before that: while the JVM starts, they print the one-line ERROR the shim would have raised, on
// the screen and stderr (log.lammps cannot be reached from here), so the cause and the fix are not
// lost.
std::string g_exit_fix;    // what to fix, set before JNI_CreateJavaVM
std::string g_exit_libjvm;

void report_jvm_ending_the_process(const std::string &how)
{
  bool starting;
  {
    std::lock_guard<std::mutex> lock(g_output_mutex);
    starting = g_capture_output;
  }
  if (!starting) return;
  std::string said = first_jvm_error_line();
  std::string line = "ERROR: pair_style onnx: starting the JVM from " + g_exit_libjvm +
      " failed and the JVM ended the process (" + how +
      "): " + (said.empty() ? std::string("it printed no reason") : said) + ": " + g_exit_fix;
  std::fprintf(stdout, "%s\n", line.c_str());
  std::fflush(stdout);
  std::fprintf(stderr, "%s\n", line.c_str());
  std::fflush(stderr);
}

void JNICALL jvm_exit(jint code)
{
  report_jvm_ending_the_process("exit code " + std::to_string(code));
}

void JNICALL jvm_abort()
{
  report_jvm_ending_the_process("exit code 1");
}

bool start(const std::string &hint, std::string &err)
{
  // ONNX Runtime's Linux build of the Java package records telemetry events (a SQLite store in
  // $XDG_CACHE_HOME/Microsoft/DeveloperTools/.onnxruntime, and /tmp/mat-debug-<pid>.log whenever
  // ranks contend for it); it reads this variable when it starts, which is after this point.
  // A value the user set wins.
  ::setenv("ORT_DISABLE_TELEMETRY", "1", 0);
  g_info = BridgeInfo();
  g_info.jar_dir = plugin_dir() + "/java";
  std::vector<std::string> jars = list_jars(g_info.jar_dir);
  g_info.njars = (int) jars.size();
  bool have_bridge_jar = std::any_of(jars.begin(), jars.end(), [](const std::string &j) {
    return j.size() >= std::strlen(BRIDGE_JAR) &&
        j.compare(j.size() - std::strlen(BRIDGE_JAR), std::strlen(BRIDGE_JAR), BRIDGE_JAR) == 0;
  });
  const std::string missing_jar = "pair_style onnx: " + std::string(BRIDGE_JAR) +
      " not found in " + g_info.jar_dir +
      " (the Java bridge must sit in java/ next to interphaseplugin.so); reinstall with "
      "scripts/build-plugin.sh or cmake --install";

  // 1. a JVM already running in this process (LAMMPS driven from Java)
  JavaVM *vm = nullptr;
  JNIEnv *env = nullptr;
  auto get_vms = (GetCreatedJavaVMs_t) ::dlsym(RTLD_DEFAULT, "JNI_GetCreatedJavaVMs");
  if (get_vms) {
    jsize n = 0;
    if (get_vms(&vm, 1, &n) != JNI_OK || n < 1) vm = nullptr;
  }
  if (vm) {
    g_info.attached = true;
    g_info.libjvm = "(JVM already running in this process)";
    jint rc = vm->GetEnv((void **) &env, JNI_VERSION_1_8);
    if (rc == JNI_EDETACHED) rc = vm->AttachCurrentThreadAsDaemon((void **) &env, nullptr);
    if (rc != JNI_OK || !env) {
      err = "pair_style onnx: cannot attach this thread to the JVM already running in the process "
            "(JNI error " + std::to_string(rc) + "); call LAMMPS from a thread the JVM can attach";
      return false;
    }
    if (!hint.empty())
      g_info.libjvm += ", 'jvm " + hint + "' ignored";
  } else {
    // 2. dlopen libjvm and create a JVM
    JvmCandidate c;
    if (!choose_libjvm(hint, c, err)) return false;
    if (!have_bridge_jar) {
      err = missing_jar;
      return false;
    }
    g_info.libjvm = c.libjvm;
    g_info.java_version = c.version;
    ::dlerror();
    void *lib = ::dlopen(c.libjvm.c_str(), RTLD_NOW | RTLD_GLOBAL);
    if (!lib) {
      const char *why = ::dlerror();
      err = "pair_style onnx: cannot load " + c.libjvm + " (" + one_line(why ? why : "?") +
          "); point 'jvm' or JAVA_HOME at a working JDK >= " + MIN_JAVA_TEXT;
      return false;
    }
    auto create = (CreateJavaVM_t) ::dlsym(lib, "JNI_CreateJavaVM");
    if (!create) {
      err = "pair_style onnx: " + c.libjvm + " has no JNI_CreateJavaVM: it is not a JVM library";
      return false;
    }
    std::string cp = "-Djava.class.path=";
    for (size_t k = 0; k < jars.size(); k++) cp += (k ? ":" : "") + jars[k];
    // the hooks come first, so that the JVM's complaints about any later option reach them
    std::vector<std::string> opts = {"vfprintf", "exit", "abort", cp,
                                     "--enable-native-access=ALL-UNNAMED",
                                     "-Xrs",    // leave SIGINT/SIGTERM/SIGQUIT to MPI and LAMMPS
                                     "-XX:-CreateCoredumpOnCrash",
                                     "-XX:+UseSerialGC",
                                     "-XX:-UsePerfData",    // no /tmp/hsperfdata_* per rank
                                     "-Xss8m",
                                     // ONNX Runtime's native libraries are unpacked once beside
                                     // the plugin (else into ~/.cache/interphase) instead of into a
                                     // new /tmp folder per rank and run (OrtNativeLibraries)
                                     "-Dinterphase.ort.native.dir=" + plugin_dir() + "/native"};
    // user additions come last (later options win); a user-chosen GC replaces SerialGC,
    // since HotSpot refuses two collectors
    const char *user_opts = std::getenv("INTERPHASE_JVM_OPTS");
    for (auto &o : split_ws(user_opts)) {
      if (o.rfind("-XX:+Use", 0) == 0 && o.size() > 10 && o.compare(o.size() - 2, 2, "GC") == 0)
        opts.erase(std::remove(opts.begin(), opts.end(), std::string("-XX:+UseSerialGC")), opts.end());
      opts.push_back(o);
    }
    std::vector<JavaVMOption> jopts(opts.size());
    for (size_t k = 0; k < opts.size(); k++) {
      jopts[k].optionString = const_cast<char *>(opts[k].c_str());
      jopts[k].extraInfo = k == 0 ? reinterpret_cast<void *>(&jvm_vfprintf)
          : k == 1                 ? reinterpret_cast<void *>(&jvm_exit)
          : k == 2                 ? reinterpret_cast<void *>(&jvm_abort)
                                   : nullptr;
    }
    JavaVMInitArgs args;
    args.version = JNI_VERSION_1_8;
    args.nOptions = (jint) jopts.size();
    args.options = jopts.data();
    args.ignoreUnrecognized = JNI_FALSE;
    bool have_opts = user_opts && !split_ws(user_opts).empty();
    std::string fix;
    if (have_opts) fix = "fix or unset INTERPHASE_JVM_OPTS (now '" + one_line(user_opts) + "')";
    if (!hint.empty()) fix += std::string(fix.empty() ? "" : ", and ") + "check the JDK given by 'jvm " + hint + "'";
    g_exit_fix = fix.empty() ? "point JAVA_HOME or the 'jvm' keyword at a working JDK >= " + MIN_JAVA_TEXT : fix;
    g_exit_libjvm = c.libjvm;
    {
      std::lock_guard<std::mutex> lock(g_output_mutex);
      g_jvm_output.clear();
      g_capture_output = true;
    }
    jint rc = create(&vm, (void **) &env, &args);
    {
      std::lock_guard<std::mutex> lock(g_output_mutex);
      g_capture_output = false;
    }
    if (rc != JNI_OK) {
      std::string said = first_jvm_error_line();
      std::string why = !said.empty()            ? said
          : rc == JNI_EINVAL             ? "invalid JVM option"
          : rc == JNI_ENOMEM             ? "not enough memory"
          : rc == JNI_EEXIST             ? "a JVM already exists in this process"
          : rc == JNI_EVERSION           ? "JNI version not supported"
                                         : "JNI error " + std::to_string(rc) + ", the JVM printed nothing";
      if (fix.empty())
        fix = rc == JNI_ENOMEM ? "free memory or give the JVM less (INTERPHASE_JVM_OPTS=-Xmx1g)"
                               : "point JAVA_HOME or the 'jvm' keyword at a working JDK >= " + MIN_JAVA_TEXT;
      err = "pair_style onnx: starting the JVM from " + c.libjvm + " failed: " + why + ": " + fix;
      return false;
    }
  }

  if (env->PushLocalFrame(64) != 0) {
    err = "pair_style onnx: JVM out of memory while bootstrapping the Java bridge (" +
        take_exception(env) + ")";
    return false;
  }
  jclass cls = env->FindClass(ENTRY_CLASS);
  if (!cls) {
    std::string first = take_exception(env);
    if (g_info.attached && have_bridge_jar) cls = load_with_url_loader(env, jars);
    if (!cls && !have_bridge_jar) {
      env->PopLocalFrame(nullptr);
      err = missing_jar;
      return false;
    }
    if (!cls) {
      std::string exc = g_info.attached ? take_exception(env) : first;
      std::string hint_old;
      if (exc.find("UnsupportedClassVersionError") != std::string::npos)
        hint_old = "; the JVM is older than Java " + MIN_JAVA_TEXT + ": point 'jvm' or JAVA_HOME at a JDK >= " + MIN_JAVA_TEXT;
      err = "pair_style onnx: cannot load " + std::string(ENTRY_CLASS_DOTTED) + " from " +
          g_info.jar_dir + " (" + exc + ")" +
          (hint_old.empty() ? "; reinstall the jars with scripts/build-plugin.sh" : hint_old);
      env->PopLocalFrame(nullptr);
      return false;
    }
  }
  bool ok = run_bootstrap(env, cls, err);
  env->PopLocalFrame(nullptr);
  return ok;
}

}    // namespace

std::string plugin_dir()
{
  Dl_info info;
  if (::dladdr((void *) &plugin_dir, &info) == 0 || !info.dli_fname) return "";
  return parent(real(info.dli_fname));
}

const iph_vtable *bridge_vtable(const std::string &jvm_hint, std::string &err, BridgeInfo &info)
{
  std::lock_guard<std::mutex> lock(g_mutex);
  try {
    if (g_ready) {
      info = g_info;
      return &g_table;
    }
    if (!g_failure.empty()) {
      err = g_failure + " [the JVM can only be started once per process: fix the cause and restart]";
      return nullptr;
    }
    std::string why;
    if (!start(jvm_hint, why)) {
      err = one_line(why);
      // failures before a JVM exists can be retried (e.g. a corrected 'jvm' path)
      JavaVM *vm = nullptr;
      jsize n = 0;
      auto get_vms = (GetCreatedJavaVMs_t) ::dlsym(RTLD_DEFAULT, "JNI_GetCreatedJavaVMs");
      if (get_vms && get_vms(&vm, 1, &n) == JNI_OK && n > 0) g_failure = err;
      info = g_info;
      return nullptr;
    }
    g_ready = true;
    info = g_info;
    return &g_table;
  } catch (const std::exception &e) {
    err = std::string("pair_style onnx: internal error while starting the Java bridge: ") + e.what();
  } catch (...) {
    err = "pair_style onnx: internal error while starting the Java bridge";
  }
  return nullptr;
}

std::string one_line(std::string s)
{
  for (char &ch : s)
    if (ch == '\n' || ch == '\r' || ch == '\t') ch = ' ';
  while (!s.empty() && s.back() == ' ') s.pop_back();
  return s;
}

}    // namespace Interphase
