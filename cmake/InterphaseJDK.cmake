# InterphaseJDK.cmake -- the JDK whose JNI headers (jni.h, jni_md.h) the plugin compiles against.
#
# The plugin never links libjvm: it dlopen()s it at run time, and remembers the JDK given here as
# its run-time default (INTERPHASE_DEFAULT_JAVA_HOME).
#
# Finding a JDK is not done here: scripts/lib.sh (find_jdk) is the one JDK finder, and
# scripts/build-plugin.sh passes its result as -DJAVA_HOME. A hand-run cmake takes -DJAVA_HOME
# or $JAVA_HOME. The minimum Java is pom.xml's maven.compiler.release (the bytecode the jars are
# compiled for), read from there.
#
# Sets: INTERPHASE_MIN_JAVA, INTERPHASE_JDK_HOME, INTERPHASE_JDK_VERSION (feature number),
#       INTERPHASE_JNI_INCLUDE_DIRS.

file(STRINGS "${CMAKE_CURRENT_LIST_DIR}/../pom.xml" _iph_release REGEX "<maven.compiler.release>")
string(REGEX REPLACE ".*<maven.compiler.release>([0-9]+)</maven.compiler.release>.*" "\\1" INTERPHASE_MIN_JAVA "${_iph_release}")
if(NOT INTERPHASE_MIN_JAVA MATCHES "^[0-9]+$")
  message(FATAL_ERROR "cannot read maven.compiler.release from ${CMAKE_CURRENT_LIST_DIR}/../pom.xml")
endif()

# Reads <home>/release and returns the feature version (e.g. 25) in out_var, or "" when unknown.
function(interphase_jdk_feature_version home out_var)
  set(version "")
  if(EXISTS "${home}/release")
    file(STRINGS "${home}/release" lines REGEX "^JAVA_VERSION=")
    if(lines)
      list(GET lines 0 line)
      string(REGEX REPLACE "^JAVA_VERSION=\"?([0-9]+).*" "\\1" version "${line}")
      if(NOT version MATCHES "^[0-9]+$")
        set(version "")
      endif()
    endif()
  endif()
  set(${out_var} "${version}" PARENT_SCOPE)
endfunction()

if(JAVA_HOME)
  set(_iph_jdk "${JAVA_HOME}")
  set(_iph_from "-DJAVA_HOME")
elseif(DEFINED ENV{JAVA_HOME} AND NOT "$ENV{JAVA_HOME}" STREQUAL "")
  set(_iph_jdk "$ENV{JAVA_HOME}")
  set(_iph_from "$JAVA_HOME")
else()
  message(FATAL_ERROR "No JDK given: build with scripts/build-plugin.sh (it finds a JDK >= ${INTERPHASE_MIN_JAVA}), "
    "or pass -DJAVA_HOME=<a JDK ${INTERPHASE_MIN_JAVA} or later>.")
endif()
interphase_jdk_feature_version("${_iph_jdk}" _v)
if(NOT _v OR _v LESS INTERPHASE_MIN_JAVA OR NOT EXISTS "${_iph_jdk}/include/jni.h")
  message(FATAL_ERROR "${_iph_from}=${_iph_jdk} is not a JDK >= ${INTERPHASE_MIN_JAVA} with include/jni.h "
    "(its release file says Java '${_v}'). Pass -DJAVA_HOME=<a JDK ${INTERPHASE_MIN_JAVA} or later>.")
endif()

get_filename_component(INTERPHASE_JDK_HOME "${_iph_jdk}" REALPATH)
interphase_jdk_feature_version("${INTERPHASE_JDK_HOME}" INTERPHASE_JDK_VERSION)
set(INTERPHASE_JNI_INCLUDE_DIRS "${INTERPHASE_JDK_HOME}/include")
if(EXISTS "${INTERPHASE_JDK_HOME}/include/linux/jni_md.h")
  list(APPEND INTERPHASE_JNI_INCLUDE_DIRS "${INTERPHASE_JDK_HOME}/include/linux")
elseif(EXISTS "${INTERPHASE_JDK_HOME}/include/darwin/jni_md.h")
  list(APPEND INTERPHASE_JNI_INCLUDE_DIRS "${INTERPHASE_JDK_HOME}/include/darwin")
else()
  message(FATAL_ERROR "${INTERPHASE_JDK_HOME}/include/<os>/jni_md.h not found: the JDK at "
    "${INTERPHASE_JDK_HOME} looks incomplete (a JRE?). Pass -DJAVA_HOME=<a full JDK ${INTERPHASE_MIN_JAVA} or later>.")
endif()
message(STATUS "Interphase: JNI headers from JDK ${INTERPHASE_JDK_VERSION} at ${INTERPHASE_JDK_HOME}")
