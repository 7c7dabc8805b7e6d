package org.interphase.bridge;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_DOUBLE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemoryLayout.PathElement;
import java.lang.foreign.StructLayout;
import java.lang.invoke.VarHandle;

/**
 * Java mirror of every struct in {@code native-bridge/include/interphase_bridge.h}.
 *
 * <p>Field names equal the C names. The layout test compiles the header with {@code cc} and
 * compares sizeof/offsetof of every field with these layouts. VarHandles take
 * {@code (MemorySegment, long baseOffset)}; the hot path (compute) reads raw offsets instead
 * ({@code OFF_*}) so that it allocates nothing.
 */
public final class BridgeLayouts {
    private BridgeLayouts() {}

    /** IPH_ABI_VERSION. */
    public static final int ABI_VERSION = 4;
    /** Return codes. */
    public static final int IPH_OK = 0;
    public static final int IPH_ERR_ALL = 1;
    public static final int IPH_ERR_ONE = 2;
    public static final int IPH_ERR_PEER = 3;
    public static final int IPH_EXCHANGE_FORWARD = 0;
    public static final int IPH_EXCHANGE_REVERSE = 1;
    public static final int IPH_ERRCAP = 2048;
    public static final int IPH_NEIGHMASK = 0x1FFFFFFF;
    public static final int IPH_PATHCAP = 4096;

    public static final StructLayout SETTINGS = MemoryLayout.structLayout(
            JAVA_INT.withName("abi_version"),
            JAVA_INT.withName("mpi_rank"),
            JAVA_INT.withName("mpi_size"),
            JAVA_INT.withName("node_local_rank"),
            JAVA_INT.withName("node_size"),
            JAVA_INT.withName("narg"),
            ADDRESS.withName("arg")).withName("iph_settings");

    public static final StructLayout COMMITTEE = MemoryLayout.structLayout(
            JAVA_INT.withName("members"),
            JAVA_INT.withName("out_freq"),
            JAVA_INT.withName("atomic"),
            JAVA_INT.withName("relative"),
            JAVA_INT.withName("relative_v"),
            JAVA_INT.withName("reserved"),
            JAVA_DOUBLE.withName("relative_eps"),
            JAVA_DOUBLE.withName("relative_v_eps"),
            MemoryLayout.sequenceLayout(IPH_PATHCAP, JAVA_BYTE).withName("out_file")).withName("iph_committee");

    public static final StructLayout COEFF_ARGS = MemoryLayout.structLayout(
            ADDRESS.withName("model_paths"),
            ADDRESS.withName("type_elements"),
            ADDRESS.withName("type_cutoff"),
            ADDRESS.withName("committee"),
            JAVA_INT.withName("ntypes"),
            JAVA_INT.withName("nmodels"),
            JAVA_INT.withName("hops"),
            JAVA_INT.withName("ghost_lists"),
            JAVA_DOUBLE.withName("r_max"),
            JAVA_DOUBLE.withName("ghost_reach"),
            JAVA_INT.withName("exchange_width"),
            JAVA_INT.withName("reserved")).withName("iph_coeff_args");

    public static final StructLayout COMPUTE_ARGS = MemoryLayout.structLayout(
            ADDRESS.withName("x"),
            ADDRESS.withName("f"),
            ADDRESS.withName("type"),
            ADDRESS.withName("ilist"),
            ADDRESS.withName("numneigh"),
            ADDRESS.withName("firstneigh"),
            ADDRESS.withName("eng_vdwl"),
            ADDRESS.withName("virial"),
            ADDRESS.withName("eatom"),
            ADDRESS.withName("vatom"),
            JAVA_LONG.withName("step"),
            JAVA_INT.withName("nlocal"),
            JAVA_INT.withName("nghost"),
            JAVA_INT.withName("inum"),
            JAVA_INT.withName("gnum"),
            JAVA_INT.withName("eflag_global"),
            JAVA_INT.withName("eflag_atom"),
            JAVA_INT.withName("vflag_global"),
            JAVA_INT.withName("vflag_atom"),
            ADDRESS.withName("tag"),
            JAVA_INT.withName("tag_bytes"),
            JAVA_INT.withName("reserved"),
            JAVA_LONG.withName("neigh_builds"),
            ADDRESS.withName("member_f"),
            ADDRESS.withName("member_eatom"),
            ADDRESS.withName("member_virial"),
            JAVA_LONG.withName("member_stride"),
            ADDRESS.withName("exchange"),
            ADDRESS.withName("exchange_ctx")).withName("iph_compute_args");

    public static final StructLayout STATS = MemoryLayout.structLayout(
            JAVA_LONG.withName("ncalls"),
            JAVA_LONG.withName("nodes_last"),
            JAVA_LONG.withName("edges_last"),
            JAVA_LONG.withName("buffer_bytes"),
            JAVA_DOUBLE.withName("seconds_bridge"),
            JAVA_DOUBLE.withName("seconds_onnx"),
            JAVA_LONG.withName("heap_bytes_per_call"),
            JAVA_LONG.withName("reallocations"),
            JAVA_LONG.withName("chunks_last"),
            JAVA_LONG.withName("threads"),
            JAVA_LONG.withName("members"),
            JAVA_LONG.withName("member_calls")).withName("iph_stats");

    public static final StructLayout VTABLE = MemoryLayout.structLayout(
            JAVA_INT.withName("abi_version"),
            JAVA_INT.withName("table_size"),
            ADDRESS.withName("create"),
            ADDRESS.withName("coeff"),
            ADDRESS.withName("compute"),
            ADDRESS.withName("stats"),
            ADDRESS.withName("destroy")).withName("iph_vtable");

    /** All structs, by C name, for the layout test. */
    public static final StructLayout[] ALL = {SETTINGS, COMMITTEE, COEFF_ARGS, COMPUTE_ARGS, STATS, VTABLE};

    private static VarHandle vh(StructLayout s, String field) {
        return s.varHandle(PathElement.groupElement(field));
    }

    private static long off(StructLayout s, String field) {
        return s.byteOffset(PathElement.groupElement(field));
    }

    // iph_settings
    public static final VarHandle SETTINGS_ABI_VERSION = vh(SETTINGS, "abi_version");
    public static final VarHandle SETTINGS_MPI_RANK = vh(SETTINGS, "mpi_rank");
    public static final VarHandle SETTINGS_MPI_SIZE = vh(SETTINGS, "mpi_size");
    public static final VarHandle SETTINGS_NODE_LOCAL_RANK = vh(SETTINGS, "node_local_rank");
    public static final VarHandle SETTINGS_NODE_SIZE = vh(SETTINGS, "node_size");
    public static final VarHandle SETTINGS_NARG = vh(SETTINGS, "narg");
    public static final VarHandle SETTINGS_ARG = vh(SETTINGS, "arg");

    // iph_committee
    public static final VarHandle COMMITTEE_MEMBERS = vh(COMMITTEE, "members");
    public static final VarHandle COMMITTEE_OUT_FREQ = vh(COMMITTEE, "out_freq");
    public static final VarHandle COMMITTEE_ATOMIC = vh(COMMITTEE, "atomic");
    public static final VarHandle COMMITTEE_RELATIVE = vh(COMMITTEE, "relative");
    public static final VarHandle COMMITTEE_RELATIVE_V = vh(COMMITTEE, "relative_v");
    public static final VarHandle COMMITTEE_RELATIVE_EPS = vh(COMMITTEE, "relative_eps");
    public static final VarHandle COMMITTEE_RELATIVE_V_EPS = vh(COMMITTEE, "relative_v_eps");
    public static final long OFF_COMMITTEE_OUT_FILE = off(COMMITTEE, "out_file");

    // iph_coeff_args
    public static final VarHandle COEFF_MODEL_PATHS = vh(COEFF_ARGS, "model_paths");
    public static final VarHandle COEFF_TYPE_ELEMENTS = vh(COEFF_ARGS, "type_elements");
    public static final VarHandle COEFF_TYPE_CUTOFF = vh(COEFF_ARGS, "type_cutoff");
    public static final VarHandle COEFF_COMMITTEE = vh(COEFF_ARGS, "committee");
    public static final VarHandle COEFF_NTYPES = vh(COEFF_ARGS, "ntypes");
    public static final VarHandle COEFF_NMODELS = vh(COEFF_ARGS, "nmodels");
    public static final VarHandle COEFF_HOPS = vh(COEFF_ARGS, "hops");
    public static final VarHandle COEFF_R_MAX = vh(COEFF_ARGS, "r_max");
    public static final VarHandle COEFF_GHOST_REACH = vh(COEFF_ARGS, "ghost_reach");
    public static final VarHandle COEFF_GHOST_LISTS = vh(COEFF_ARGS, "ghost_lists");
    public static final VarHandle COEFF_EXCHANGE_WIDTH = vh(COEFF_ARGS, "exchange_width");

    // iph_compute_args (VarHandles for tests/tools; compute itself uses the raw offsets below)
    public static final VarHandle COMPUTE_X = vh(COMPUTE_ARGS, "x");
    public static final VarHandle COMPUTE_F = vh(COMPUTE_ARGS, "f");
    public static final VarHandle COMPUTE_TYPE = vh(COMPUTE_ARGS, "type");
    public static final VarHandle COMPUTE_ILIST = vh(COMPUTE_ARGS, "ilist");
    public static final VarHandle COMPUTE_NUMNEIGH = vh(COMPUTE_ARGS, "numneigh");
    public static final VarHandle COMPUTE_FIRSTNEIGH = vh(COMPUTE_ARGS, "firstneigh");
    public static final VarHandle COMPUTE_ENG_VDWL = vh(COMPUTE_ARGS, "eng_vdwl");
    public static final VarHandle COMPUTE_VIRIAL = vh(COMPUTE_ARGS, "virial");
    public static final VarHandle COMPUTE_EATOM = vh(COMPUTE_ARGS, "eatom");
    public static final VarHandle COMPUTE_VATOM = vh(COMPUTE_ARGS, "vatom");
    public static final VarHandle COMPUTE_STEP = vh(COMPUTE_ARGS, "step");
    public static final VarHandle COMPUTE_NLOCAL = vh(COMPUTE_ARGS, "nlocal");
    public static final VarHandle COMPUTE_NGHOST = vh(COMPUTE_ARGS, "nghost");
    public static final VarHandle COMPUTE_INUM = vh(COMPUTE_ARGS, "inum");
    public static final VarHandle COMPUTE_GNUM = vh(COMPUTE_ARGS, "gnum");
    public static final VarHandle COMPUTE_EFLAG_GLOBAL = vh(COMPUTE_ARGS, "eflag_global");
    public static final VarHandle COMPUTE_EFLAG_ATOM = vh(COMPUTE_ARGS, "eflag_atom");
    public static final VarHandle COMPUTE_VFLAG_GLOBAL = vh(COMPUTE_ARGS, "vflag_global");
    public static final VarHandle COMPUTE_VFLAG_ATOM = vh(COMPUTE_ARGS, "vflag_atom");
    public static final VarHandle COMPUTE_TAG = vh(COMPUTE_ARGS, "tag");
    public static final VarHandle COMPUTE_TAG_BYTES = vh(COMPUTE_ARGS, "tag_bytes");
    public static final VarHandle COMPUTE_NEIGH_BUILDS = vh(COMPUTE_ARGS, "neigh_builds");
    public static final VarHandle COMPUTE_MEMBER_F = vh(COMPUTE_ARGS, "member_f");
    public static final VarHandle COMPUTE_MEMBER_EATOM = vh(COMPUTE_ARGS, "member_eatom");
    public static final VarHandle COMPUTE_MEMBER_VIRIAL = vh(COMPUTE_ARGS, "member_virial");
    public static final VarHandle COMPUTE_MEMBER_STRIDE = vh(COMPUTE_ARGS, "member_stride");

    public static final long OFF_X = off(COMPUTE_ARGS, "x");
    public static final long OFF_F = off(COMPUTE_ARGS, "f");
    public static final long OFF_TYPE = off(COMPUTE_ARGS, "type");
    public static final long OFF_ILIST = off(COMPUTE_ARGS, "ilist");
    public static final long OFF_NUMNEIGH = off(COMPUTE_ARGS, "numneigh");
    public static final long OFF_FIRSTNEIGH = off(COMPUTE_ARGS, "firstneigh");
    public static final long OFF_ENG_VDWL = off(COMPUTE_ARGS, "eng_vdwl");
    public static final long OFF_VIRIAL = off(COMPUTE_ARGS, "virial");
    public static final long OFF_EATOM = off(COMPUTE_ARGS, "eatom");
    public static final long OFF_VATOM = off(COMPUTE_ARGS, "vatom");
    public static final long OFF_STEP = off(COMPUTE_ARGS, "step");
    public static final long OFF_NLOCAL = off(COMPUTE_ARGS, "nlocal");
    public static final long OFF_NGHOST = off(COMPUTE_ARGS, "nghost");
    public static final long OFF_INUM = off(COMPUTE_ARGS, "inum");
    public static final long OFF_GNUM = off(COMPUTE_ARGS, "gnum");
    public static final long OFF_EFLAG_GLOBAL = off(COMPUTE_ARGS, "eflag_global");
    public static final long OFF_EFLAG_ATOM = off(COMPUTE_ARGS, "eflag_atom");
    public static final long OFF_VFLAG_GLOBAL = off(COMPUTE_ARGS, "vflag_global");
    public static final long OFF_VFLAG_ATOM = off(COMPUTE_ARGS, "vflag_atom");
    public static final long OFF_TAG = off(COMPUTE_ARGS, "tag");
    public static final long OFF_TAG_BYTES = off(COMPUTE_ARGS, "tag_bytes");
    public static final long OFF_NEIGH_BUILDS = off(COMPUTE_ARGS, "neigh_builds");
    public static final long OFF_MEMBER_F = off(COMPUTE_ARGS, "member_f");
    public static final long OFF_MEMBER_EATOM = off(COMPUTE_ARGS, "member_eatom");
    public static final long OFF_MEMBER_VIRIAL = off(COMPUTE_ARGS, "member_virial");
    public static final long OFF_MEMBER_STRIDE = off(COMPUTE_ARGS, "member_stride");
    public static final long OFF_EXCHANGE = off(COMPUTE_ARGS, "exchange");
    public static final long OFF_EXCHANGE_CTX = off(COMPUTE_ARGS, "exchange_ctx");

    // iph_stats
    public static final VarHandle STATS_NCALLS = vh(STATS, "ncalls");
    public static final VarHandle STATS_NODES_LAST = vh(STATS, "nodes_last");
    public static final VarHandle STATS_EDGES_LAST = vh(STATS, "edges_last");
    public static final VarHandle STATS_BUFFER_BYTES = vh(STATS, "buffer_bytes");
    public static final VarHandle STATS_SECONDS_BRIDGE = vh(STATS, "seconds_bridge");
    public static final VarHandle STATS_SECONDS_ONNX = vh(STATS, "seconds_onnx");
    public static final VarHandle STATS_HEAP_BYTES_PER_CALL = vh(STATS, "heap_bytes_per_call");
    public static final VarHandle STATS_REALLOCATIONS = vh(STATS, "reallocations");
    public static final VarHandle STATS_CHUNKS_LAST = vh(STATS, "chunks_last");
    public static final VarHandle STATS_THREADS = vh(STATS, "threads");
    public static final VarHandle STATS_MEMBERS = vh(STATS, "members");
    public static final VarHandle STATS_MEMBER_CALLS = vh(STATS, "member_calls");

    // iph_vtable
    public static final VarHandle VTABLE_ABI_VERSION = vh(VTABLE, "abi_version");
    public static final VarHandle VTABLE_TABLE_SIZE = vh(VTABLE, "table_size");
    public static final VarHandle VTABLE_CREATE = vh(VTABLE, "create");
    public static final VarHandle VTABLE_COEFF = vh(VTABLE, "coeff");
    public static final VarHandle VTABLE_COMPUTE = vh(VTABLE, "compute");
    public static final VarHandle VTABLE_STATS = vh(VTABLE, "stats");
    public static final VarHandle VTABLE_DESTROY = vh(VTABLE, "destroy");
}
