# Shared by bin/unicard and bin/test: find a JDK 25, and (re)build the project when it is stale.
# Sourced, not executed. Expects UNICARD_ROOT to be set to the repository root.

UNICARD_MIN_JAVA=25

unicard_die() {
    printf 'unicard: %s\n' "$*" >&2
    exit 1
}

# Prints the feature version (e.g. 25) of the JDK at $1, or nothing when $1 is not a JDK.
unicard_jdk_version() {
    local home=$1 version=""
    [ -x "$home/bin/java" ] && [ -x "$home/bin/javac" ] || return 0
    if [ -f "$home/release" ]; then
        version=$(sed -n 's/^JAVA_VERSION="\([0-9]*\).*/\1/p' "$home/release" | head -n 1)
    fi
    if [ -z "$version" ]; then
        version=$("$home/bin/java" -XshowSettings:properties -version 2>&1 \
            | sed -n 's/^ *java.specification.version = \([0-9]*\).*/\1/p' | head -n 1)
    fi
    printf '%s' "$version"
}

# Sets UNICARD_JAVA_HOME to a JDK of version 25 or newer: JAVA_HOME when it qualifies, else the
# newest JDK found in the usual install locations. Dies with a clear message when there is none.
unicard_find_java() {
    local candidate version best="" best_version=0
    if [ -n "${JAVA_HOME:-}" ]; then
        version=$(unicard_jdk_version "$JAVA_HOME")
        if [ -n "$version" ] && [ "$version" -ge "$UNICARD_MIN_JAVA" ]; then
            UNICARD_JAVA_HOME=$JAVA_HOME
            return 0
        fi
    fi
    for candidate in /usr/lib/jvm/* /usr/java/* /opt/java/* /opt/jdk* /opt/*jdk* \
        "$HOME"/.sdkman/candidates/java/* "$HOME"/.jdks/* /Library/Java/JavaVirtualMachines/*/Contents/Home; do
        [ -d "$candidate" ] || continue
        version=$(unicard_jdk_version "$candidate")
        [ -n "$version" ] || continue
        if [ "$version" -ge "$UNICARD_MIN_JAVA" ] && [ "$version" -gt "$best_version" ]; then
            best=$candidate
            best_version=$version
        fi
    done
    if [ -z "$best" ]; then
        unicard_die "no JDK ${UNICARD_MIN_JAVA} or newer found (JAVA_HOME=${JAVA_HOME:-unset}; looked in /usr/lib/jvm, /usr/java, /opt, ~/.sdkman, ~/.jdks). Install one, e.g. Eclipse Temurin 25 (apt: temurin-25-jdk), or set JAVA_HOME to it."
    fi
    UNICARD_JAVA_HOME=$best
}

unicard_find_maven() {
    if [ -n "${MAVEN_CMD:-}" ]; then
        UNICARD_MVN=$MAVEN_CMD
    elif command -v mvn >/dev/null 2>&1; then
        UNICARD_MVN=mvn
    else
        unicard_die "Maven not found: install Apache Maven 3.8 or newer (apt: maven), or set MAVEN_CMD."
    fi
}

# True when the runnable jars are missing or older than any source, resource or build file.
unicard_build_is_stale() {
    local jar
    for jar in "$UNICARD_ROOT/switch-core/target/unicard-switch.jar" "$UNICARD_ROOT/tools/target/unicard-tools.jar" \
        "$UNICARD_ROOT/benchmarks/target/unicard-benchmarks.jar" "$UNICARD_ROOT/cluster/target/unicard-cluster.jar"; do
        [ -f "$jar" ] || return 0
        if [ -n "$(find "$UNICARD_ROOT/pom.xml" "$UNICARD_ROOT/iso8583-codec" "$UNICARD_ROOT/security" "$UNICARD_ROOT/terminal" "$UNICARD_ROOT/switch-core" "$UNICARD_ROOT/cluster" "$UNICARD_ROOT/tools" "$UNICARD_ROOT/benchmarks" "$UNICARD_ROOT/config" \
            \( -path '*/target' -prune \) -o \( -type f \( -name '*.java' -o -name 'pom.xml' -o -name '*.properties' -o -path '*/src/main/resources/*' \) -newer "$jar" -print \) \
            2>/dev/null | head -n 1)" ]; then
            return 0
        fi
    done
    return 1
}

# Builds the runnable jars (tests skipped) when they are stale. Serialised with a lock so that two
# launchers started together do not build over each other.
unicard_build_if_stale() {
    unicard_build_is_stale || return 0
    unicard_find_maven
    mkdir -p "$UNICARD_ROOT/target"
    (
        if command -v flock >/dev/null 2>&1; then
            flock 9
        fi
        if unicard_build_is_stale; then
            printf 'unicard: building (sources are newer than the jars) ...\n' >&2
            if ! (cd "$UNICARD_ROOT" && JAVA_HOME="$UNICARD_JAVA_HOME" "$UNICARD_MVN" -q -B -DskipTests package >"$UNICARD_ROOT/target/build.log" 2>&1); then
                tail -n 40 "$UNICARD_ROOT/target/build.log" >&2
                unicard_die "build failed; full log in target/build.log"
            fi
            # Maven leaves a jar untouched when its module did not change; mark all three as built now.
            touch "$UNICARD_ROOT/switch-core/target/unicard-switch.jar" "$UNICARD_ROOT/tools/target/unicard-tools.jar" \
                "$UNICARD_ROOT/benchmarks/target/unicard-benchmarks.jar" "$UNICARD_ROOT/cluster/target/unicard-cluster.jar"
        fi
    ) 9>"$UNICARD_ROOT/target/.build.lock"
}

# True when the user chose the heap size: -Xmx, -XX:MaxHeapSize or -XX:MaxRAM(Percentage) in
# UNICARD_JAVA_OPTS, JAVA_TOOL_OPTIONS or JDK_JAVA_OPTIONS.
unicard_heap_given() {
    local opts
    for opts in "${UNICARD_JAVA_OPTS:-}" "${JAVA_TOOL_OPTIONS:-}" "${JDK_JAVA_OPTIONS:-}"; do
        case " $opts " in
            *" -Xmx"* | *"-XX:MaxHeapSize="* | *"-XX:MaxRAM"*) return 0 ;;
        esac
    done
    return 1
}

# Prints the -Xmx flag that `serve`, `snapshot` or `export` needs for its data set (arguments: the command line
# given to bin/unicard), or nothing: for other commands, when the user chose the heap, or when the
# estimate cannot be made (the command then reports its own errors). The estimate itself is in Java
# (org.unicard.server.HeapEstimate, through the hidden `estimate-heap` command) so that the launcher
# and the switch's own check agree; docs/operations.md, "Memory", says why.
unicard_heap_flag() {
    local jar=$1
    shift
    case "${1:-}" in
        serve | snapshot | export) ;;
        *) return 0 ;;
    esac
    unicard_heap_given && return 0
    local flag
    flag=$("$UNICARD_JAVA_HOME/bin/java" -XX:TieredStopAtLevel=1 -XX:+UseSerialGC -Xmx64m \
        -Xlog:disable -Xlog:all=warning:stderr -cp "$jar" org.unicard.cli.UnicardMain estimate-heap "$@") || true
    case "$flag" in
        -Xmx[0-9]*m) printf '%s' "$flag" ;;
    esac
}
