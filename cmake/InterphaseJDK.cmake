# InterphaseJDK.cmake -- locate a JDK >= 22 for its JNI headers (jni.h, jni_md.h).
#
# The plugin never links libjvm: it dlopen()s it at run time. We only need the headers and
# remember the JDK found here as the last-resort default for run time.
#
# Search order: -DJAVA_HOME=..., $JAVA_HOME, the newest /usr/lib/jvm/* whose `release`
# file says JAVA_VERSION >= 22. An explicit -DJAVA_HOME that is too old is an error;
# an environment JAVA_HOME that is too old is skipped with a message.
#
# Sets: INTERPHASE_JDK_HOME, INTERPHASE_JDK_VERSION (feature number), INTERPHASE_JNI_INCLUDE_DIRS.

set(INTERPHASE_MIN_JAVA 22)

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

# TRUE when home is a JDK >= 22 with JNI headers.
function(interphase_jdk_usable home out_var)
  interphase_jdk_feature_version("${home}" v)
  if(v AND (v GREATER_EQUAL INTERPHASE_MIN_JAVA) AND EXISTS "${home}/include/jni.h")
    set(${out_var} TRUE PARENT_SCOPE)
  else()
    set(${out_var} FALSE PARENT_SCOPE)
  endif()
endfunction()

set(_iph_jdk "")
if(JAVA_HOME)
  interphase_jdk_usable("${JAVA_HOME}" _ok)
  if(NOT _ok)
    interphase_jdk_feature_version("${JAVA_HOME}" _v)
    message(FATAL_ERROR "-DJAVA_HOME=${JAVA_HOME} is not a JDK >= ${INTERPHASE_MIN_JAVA} with "
      "include/jni.h (its release file says Java '${_v}'). Pass -DJAVA_HOME=<JDK 22 or later>.")
  endif()
  set(_iph_jdk "${JAVA_HOME}")
elseif(DEFINED ENV{JAVA_HOME} AND NOT "$ENV{JAVA_HOME}" STREQUAL "")
  interphase_jdk_usable("$ENV{JAVA_HOME}" _ok)
  if(_ok)
    set(_iph_jdk "$ENV{JAVA_HOME}")
  else()
    message(STATUS "Interphase: ignoring JAVA_HOME=$ENV{JAVA_HOME} (not a JDK >= ${INTERPHASE_MIN_JAVA})")
  endif()
endif()

if(NOT _iph_jdk)
  file(GLOB _cands LIST_DIRECTORIES true "/usr/lib/jvm/*")
  set(_best_v 0)
  foreach(c IN LISTS _cands)
    if(IS_DIRECTORY "${c}" AND NOT IS_SYMLINK "${c}")
      interphase_jdk_usable("${c}" _ok)
      if(_ok)
        interphase_jdk_feature_version("${c}" _v)
        if(_v GREATER _best_v)
          set(_best_v ${_v})
          set(_iph_jdk "${c}")
        endif()
      endif()
    endif()
  endforeach()
endif()

if(NOT _iph_jdk)
  message(FATAL_ERROR "No JDK >= ${INTERPHASE_MIN_JAVA} found (checked -DJAVA_HOME, $JAVA_HOME and "
    "/usr/lib/jvm/*). The Java bridge uses the Panama FFM API: install a JDK 22 or later and pass "
    "-DJAVA_HOME=<its home>.")
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
    "${INTERPHASE_JDK_HOME} looks incomplete (a JRE?). Pass -DJAVA_HOME=<a full JDK 22 or later>.")
endif()
message(STATUS "Interphase: JNI headers from JDK ${INTERPHASE_JDK_VERSION} at ${INTERPHASE_JDK_HOME}")
