/*
 * interphase_bridge.h -- the C ABI between the LAMMPS shim (pair_style onnx) and the
 * Java bridge (org.interphase.bridge).
 *
 * Data flow: LAMMPS -> PairONNX (C++) -> one FFM upcall per compute() -> Java.
 * Java reads LAMMPS's own arrays in place through MemorySegment (no copies) and adds
 * forces, energies and virials into them.
 *
 * Rules for every field:
 *   - only fixed-width types (int32_t, int64_t, double, pointers), natural alignment;
 *   - the Java mirror is org.interphase.bridge.BridgeLayouts; a JUnit test compiles this
 *     header and compares sizeof/offsetof of every struct with the Java layouts;
 *   - bump IPH_ABI_VERSION on any change.
 *
 * Every upcall returns IPH_OK or an error code and, on error, writes one NUL-terminated
 * line into err (capacity errcap bytes) that names the cause and the fix. Upcalls never
 * let a Java exception escape: an escaping exception would kill the process.
 */
#ifndef INTERPHASE_BRIDGE_H
#define INTERPHASE_BRIDGE_H

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#define IPH_ABI_VERSION 4

/* return codes */
#define IPH_OK 0
#define IPH_ERR_ALL 1 /* the same error happens on every rank (bad model, bad coeff): error->all */
#define IPH_ERR_ONE 2 /* error seen by this rank only (NaN, exception in compute): error->one */
#define IPH_ERR_PEER 3 /* this rank stopped because another rank failed (the other rank has the message) */

#define IPH_ERRCAP 2048 /* size of the error buffers the shim passes */
#define IPH_PATHCAP 4096 /* size of the file-name buffers Java fills */

/* pair_style settings, passed once to create(). The shim parses only what it needs before
 * Java exists (the `jvm` keyword); every other pair_style argument reaches Java as a string,
 * and Java owns the keywords, their defaults, validation and the usage text
 * (org.interphase.pair.PairKeywords). On IPH_OK, a non-empty err is a warning for the log. */
typedef struct iph_settings {
  int32_t abi_version;     /* IPH_ABI_VERSION of the shim */
  int32_t mpi_rank;        /* rank in the LAMMPS world communicator */
  int32_t mpi_size;        /* size of the world communicator */
  int32_t node_local_rank; /* rank among the ranks on this node (for GPU assignment) */
  int32_t node_size;       /* ranks on this node (threads x ranks vs hardware threads) */
  int32_t narg;            /* number of entries in arg */
  const char *const *arg;  /* pair_style arguments after 'onnx', without 'jvm PATH' */
} iph_settings;

/* A committee of models and its deviation output (DeePMD-kit's model deviation), filled by
 * Java in coeff(). Java owns the keywords (out_freq, out_file, atomic, relative, relative_v)
 * and their defaults; the shim acts on them: it decides the deviation steps, reverse-
 * communicates the members' ghost forces, reduces over ranks and writes the file on rank 0
 * (native-bridge/src/model_deviation.cpp). */
typedef struct iph_committee {
  int32_t members;        /* models in pair_coeff; 1 = a single model (no deviation) */
  int32_t out_freq;       /* a row of out_file every out_freq steps; 0 = no file */
  int32_t atomic;         /* 1 = each row also holds the per-atom force deviations, by atom ID */
  int32_t relative;       /* 1 = force deviation divided by |<F_i>| + relative_eps */
  int32_t relative_v;     /* 1 = virial deviation divided by |<W_ab>|/N + relative_v_eps */
  int32_t reserved;       /* 0 */
  double relative_eps;    /* eV/A */
  double relative_v_eps;  /* eV */
  char out_file[IPH_PATHCAP]; /* NUL-terminated UTF-8 */
} iph_committee;

/* pair_coeff * * m0.onnx [m1.onnx ...] El1 El2 ... -- in/out. Model 0 drives the dynamics;
 * the others are committee members, evaluated only on deviation steps. */
typedef struct iph_coeff_args {
  const char *const *model_paths;   /* in: [nmodels] paths as given */
  const char *const *type_elements; /* in: [ntypes+1]; [0] unused; NULL pointer = type mapped to NULL */
  double *type_cutoff;              /* out: [(ntypes+1)*(ntypes+1)], row-major, max over the models; 0 where unmapped */
  iph_committee *committee;         /* out */
  int32_t ntypes;                   /* in: atom->ntypes */
  int32_t nmodels;                  /* in: >= 1 */
  int32_t hops;                     /* out: max interphase.hops of the models (1 = strictly local) */
  int32_t ghost_lists;              /* out: 1 = the models need neighbor lists of ghost atoms (REQ_GHOST)
                                       and a ghost shell of ghost_reach (hops > 1 on several ranks);
                                       0 = local lists only (hops 1, or periodic images folded on one rank) */
  double r_max;                     /* out: max interphase.r_max of the models, Angstrom */
  double ghost_reach;               /* out: the ghost shell the models need, Angstrom: max hops x r_max,
                                       or max r_max when images are folded or features are exchanged */
  int32_t exchange_width;           /* out: the widest node-feature row a contract-v2 model exchanges
                                       between layers (doubles per atom); 0 = no exchange */
  int32_t reserved;                 /* 0 */
} iph_coeff_args;

/* Contract v2 (a model as one graph per message-passing layer): between layers Java exchanges
 * node features through this function of the shim (an FFM downcall from inside compute()).
 * rows is [nall * width] doubles, row i = atom index i.
 *   IPH_EXCHANGE_FORWARD: every ghost row becomes a copy of its owner's row (comm->forward_comm);
 *   IPH_EXCHANGE_REVERSE: every ghost row is added into its owner's row (comm->reverse_comm);
 *                         the ghost rows keep their values.
 * Collective: every rank calls it the same number of times per compute(). status is this rank's
 * state so far; when any rank passes a status other than IPH_OK nothing is exchanged and every
 * rank gets a non-OK return (its own status, or IPH_ERR_PEER), so a failure on one rank never
 * leaves the others waiting. Returns IPH_OK after the exchange. */
#define IPH_EXCHANGE_FORWARD 0
#define IPH_EXCHANGE_REVERSE 1
typedef int32_t (*iph_exchange_fn)(void *ctx, int32_t direction, double *rows, int32_t width, int32_t status);

/*
 * One force evaluation. Pointers are LAMMPS's own storage; the 2-d arrays x, f and vatom
 * are contiguous (LAMMPS allocates them with memory->create), so x[i][k] = x[3*i+k].
 * Neighbor list: full, with ghost neighbors. ilist holds inum local atoms followed by gnum
 * ghost atoms (gnum > 0 only when hops > 1, i.e. the list was requested with REQ_GHOST).
 * Neighbor indices carry special-bond bits: mask them with IPH_NEIGHMASK.
 * Java *adds* to f, eng_vdwl, virial, eatom and vatom (LAMMPS zeroes them in ev_init).
 */
#define IPH_NEIGHMASK 0x1FFFFFFF

typedef struct iph_compute_args {
  const double *x;              /* [nall*3] */
  double *f;                    /* [nall*3] */
  const int32_t *type;          /* [nall], 1..ntypes */
  const int32_t *ilist;         /* [inum+gnum] */
  const int32_t *numneigh;      /* indexed by atom index */
  const int32_t *const *firstneigh; /* indexed by atom index */
  double *eng_vdwl;             /* -> Pair::eng_vdwl */
  double *virial;               /* -> Pair::virial[6]: xx yy zz xy xz yz */
  double *eatom;                /* [nall] or NULL when !eflag_atom */
  double *vatom;                /* [nall*6] or NULL when !vflag_atom */
  int64_t step;                 /* update->ntimestep */
  int32_t nlocal;
  int32_t nghost;
  int32_t inum;
  int32_t gnum;
  int32_t eflag_global;
  int32_t eflag_atom;
  int32_t vflag_global;
  int32_t vflag_atom;
  const void *tag;              /* [nall] LAMMPS atom IDs (tagint), for messages only */
  int32_t tag_bytes;            /* sizeof(tagint): 4 or 8 */
  int32_t reserved;             /* 0 */
  int64_t neigh_builds;         /* neighbor->ncalls: changes whenever the lists are rebuilt */
  /* Committee (members > 1), on deviation steps only; all NULL otherwise. Java then evaluates
   * every member m and writes its forces (local and ghost atoms) to member_f + 3*stride*m, its
   * per-atom energies (local atoms) to member_eatom + stride*m and this rank's virial (xx yy
   * zz xy xz yz) to member_virial + 6*m; the shim zeroes them first. Model 0's results also go
   * to f, eatom, vatom, eng_vdwl and virial as on any other step. */
  double *member_f;             /* [members*member_stride*3] */
  double *member_eatom;         /* [members*member_stride] */
  double *member_virial;        /* [members*6] */
  int64_t member_stride;        /* atoms per member block, >= nlocal + nghost */
  iph_exchange_fn exchange;     /* node-feature exchange between layers (contract v2), see above */
  void *exchange_ctx;           /* its first argument */
} iph_compute_args;

/* Accumulated timings of one pair style instance, for the benchmark and the end-of-run log. */
typedef struct iph_stats {
  int64_t ncalls;          /* compute() calls */
  int64_t nodes_last;      /* nodes in the last graph (incl. padding) */
  int64_t edges_last;      /* edges in the last graph (incl. padding) */
  int64_t buffer_bytes;    /* bytes held in reusable direct buffers */
  double seconds_bridge;   /* Java time outside ONNX Runtime (graph, tally) */
  double seconds_onnx;     /* time inside OrtSession.run */
  int64_t heap_bytes_per_call; /* Java heap bytes allocated per compute() after the warm-up calls */
  int64_t reallocations;   /* buffer/tensor re-allocations (growth of buckets) */
  int64_t chunks_last;     /* ONNX Runtime runs (chunks) in the last compute() */
  int64_t threads;         /* worker threads evaluating chunks */
  int64_t members;         /* models in the committee (1 = single model) */
  int64_t member_calls;    /* compute() calls that evaluated every member (deviation steps) */
} iph_stats;

/* The upcall table. The shim allocates it and calls the Java bootstrap method
 *   static int org.interphase.bridge.NativeEntry.bootstrap(long tableAddress, long tableSize)
 * through JNI once per process; Java fills the function pointers with FFM upcall stubs. */
typedef struct iph_vtable {
  int32_t abi_version; /* written by Java: its IPH_ABI_VERSION */
  int32_t table_size;  /* written by Java: sizeof(iph_vtable) it expects */
  int32_t (*create)(const iph_settings *settings, int64_t *handle_out, char *err, int64_t errcap);
  int32_t (*coeff)(int64_t handle, iph_coeff_args *args, char *err, int64_t errcap);
  int32_t (*compute)(int64_t handle, const iph_compute_args *args, char *err, int64_t errcap);
  int32_t (*stats)(int64_t handle, iph_stats *out, char *err, int64_t errcap);
  int32_t (*destroy)(int64_t handle, char *err, int64_t errcap);
} iph_vtable;

#ifdef __cplusplus
}
#endif

#endif /* INTERPHASE_BRIDGE_H */
