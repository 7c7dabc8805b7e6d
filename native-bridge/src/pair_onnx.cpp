/* ----------------------------------------------------------------------
   Interphase: pair_style onnx. See pair_onnx.h and docs/native-bridge.md.

   pair_style onnx [keyword value ...]   (keywords: org.interphase.pair.PairKeywords)
   pair_coeff * * model.onnx [member.onnx ...] El1 ... ElN   (one element or NULL per atom type)

   With several models (a committee) model 0 drives the dynamics; all are evaluated on the
   deviation steps (multiples of out_freq, and the steps `fix pair` asks for) and their
   deviation goes to out_file, compute pair (c_ID[1..6]) and fix pair (force_deviation,
   energy_deviation).
------------------------------------------------------------------------- */

#include "pair_onnx.h"

#include "jvm_bootstrap.h"

#include "atom.h"
#include "comm.h"
#include "error.h"
#include "force.h"
#include "memory.h"
#include "neigh_list.h"
#include "neighbor.h"
#include "update.h"
#include "utils.h"

#include <algorithm>
#include <cmath>
#include <cstring>

using namespace LAMMPS_NS;

/* ---------------------------------------------------------------------- */

PairONNX::PairONNX(LAMMPS *lmp) :
    Pair(lmp), bridge(nullptr), handle(0), have_handle(false), have_model(false), hops(1),
    ghost_lists(false), r_max(0.0), ghost_reach(0.0), deviation(new Interphase::ModelDeviation(lmp)),
    force_deviation_flag(0), energy_deviation_flag(0), saved_cutghost(0.0), raised_cutghost(0.0),
    exchange_width(0), exchange_rows(nullptr), exchange_row_width(0)
{
  single_enable = 0;
  restartinfo = 0;
  one_coeff = 1;
  manybody_flag = 1;
  // per-atom virial: each edge's r (x) F is split half/half between its two atoms, which is
  // not the centroid form; compute stress/atom works, centroid/stress/atom is refused
  centroidstressflag = CENTROID_NOTAVAIL;
  unit_convert_flag = utils::NOCONVERT;
  // the virial is computed by Java from the edge forces (sum over edges of r_ij (x) F_ij)
  no_virial_fdotr_compute = 1;
  ghostneigh = 0;
  // compute pair: max_devi_v min_devi_v avg_devi_v max_devi_f min_devi_f avg_devi_f
  nextra = 6;
  pvector = new double[nextra];
  for (int k = 0; k < nextra; k++) pvector[k] = 0.0;
  comm_reverse = 0;
  comm_forward = 0;

  errbuf[0] = '\0';
}

/* ---------------------------------------------------------------------- */

PairONNX::~PairONNX()
{
  if (copymode) return;
  release_handle(true);
  delete[] pvector;
  pvector = nullptr;
  if (allocated) {
    memory->destroy(setflag);
    memory->destroy(cutsq);
    memory->destroy(cutghost);
  }
}

/* ----------------------------------------------------------------------
   stats (C5 line on rank 0) and destroy of the Java instance; never throws
------------------------------------------------------------------------- */

void PairONNX::release_handle(bool print_stats)
{
  if (!have_handle || !bridge) return;
  have_handle = false;
  have_model = false;
  try {
    int finalized = 0;
    MPI_Finalized(&finalized);
    int me = 0, nprocs = 1;
    if (!finalized) {
      MPI_Comm_rank(world, &me);
      MPI_Comm_size(world, &nprocs);
    }

    iph_stats st;
    std::memset(&st, 0, sizeof(st));
    errbuf[0] = '\0';
    int rc = bridge->stats(handle, &st, errbuf, IPH_ERRCAP);
    if (print_stats && !finalized) {
      double local[2] = {st.seconds_bridge, st.seconds_onnx};
      double maxed[2] = {0.0, 0.0};
      MPI_Allreduce(local, maxed, 2, MPI_DOUBLE, MPI_MAX, world);
      int ok = (rc == IPH_OK) ? 1 : 0, all_ok = 0;
      MPI_Allreduce(&ok, &all_ok, 1, MPI_INT, MPI_MIN, world);
      if (me == 0) {
        if (!all_ok)
          utils::logmesg(lmp, "WARNING: pair_style onnx: could not read bridge statistics on every rank\n");
        utils::logmesg(lmp,
                       "interphase-stats: ranks={} calls={} bridge_s={:.6f} onnx_s={:.6f} "
                       "heap_bytes_per_call={} buffer_bytes={} reallocs={} nodes={} edges={} chunks={} "
                       "threads={} members={} member_calls={}\n",
                       nprocs, st.ncalls, maxed[0], maxed[1], st.heap_bytes_per_call, st.buffer_bytes,
                       st.reallocations, st.nodes_last, st.edges_last, st.chunks_last, st.threads,
                       st.members, st.member_calls);
      }
    }
    errbuf[0] = '\0';
    rc = bridge->destroy(handle, errbuf, IPH_ERRCAP);
    if (rc != IPH_OK && me == 0) {
      errbuf[IPH_ERRCAP - 1] = '\0';
      utils::logmesg(lmp, std::string("WARNING: pair_style onnx: releasing the Java model failed: ") +
                         errbuf + "\n");
    }
  } catch (...) {
    // a destructor must not throw; the JVM keeps running and exits with the process
  }
  handle = 0;
}

/* ----------------------------------------------------------------------
   collective error check after an upcall
------------------------------------------------------------------------- */

void PairONNX::check_all(int status, const std::string &local_message, const char *what)
{
  int me = 0, nprocs = 1;
  MPI_Comm_rank(world, &me);
  MPI_Comm_size(world, &nprocs);

  // the message comes from the lowest rank that failed itself; a rank that only stopped because
  // another failed (IPH_ERR_PEER) has none to give. One reduction: own failure -> rank,
  // IPH_ERR_PEER -> nprocs, success -> nprocs + 1.
  const int mine = status == IPH_OK ? nprocs + 1 : (status == IPH_ERR_PEER ? nprocs : me);
  int lowest = nprocs + 1;
  MPI_Allreduce(&mine, &lowest, 1, MPI_INT, MPI_MIN, world);
  if (lowest == nprocs + 1) return;
  if (lowest == nprocs)
    error->all(FLERR, fmt::format("pair_style onnx: the Java bridge stopped in {} on every rank without "
                                  "a message; rerun with INTERPHASE_JVM_OPTS=-Dinterphase.debug=true", what));

  char msg[IPH_ERRCAP];
  std::memset(msg, 0, sizeof(msg));
  int code[2] = {status, 0};
  if (me == lowest) {
    std::string m = local_message;
    if (m.empty())
      m = fmt::format("the Java bridge failed in {} with code {} but gave no message; rerun "
                      "with INTERPHASE_JVM_OPTS=-Dinterphase.debug=true",
                      what, status);
    m = Interphase::one_line(m);
    if (m.rfind("pair_style onnx", 0) != 0 && m.rfind("pair_coeff", 0) != 0)
      m = "pair_style onnx: " + m;
    std::strncpy(msg, m.c_str(), IPH_ERRCAP - 1);
  }
  MPI_Bcast(msg, IPH_ERRCAP, MPI_CHAR, lowest, world);
  MPI_Bcast(code, 1, MPI_INT, lowest, world);

  std::string text(msg);
  // a rank-local failure (IPH_ERR_ONE) names the rank that saw it
  if (code[0] == IPH_ERR_ONE && nprocs > 1) text += fmt::format(" [rank {} of {}]", lowest, nprocs);
  error->all(FLERR, text);
}

/* ---------------------------------------------------------------------- */

void PairONNX::check_units(const char *where)
{
  if (strcmp(update->unit_style, "metal") != 0)
    error->all(FLERR,
               "pair_style onnx requires 'units metal' (models use eV and Angstrom), but this "
               "input uses 'units {}': put 'units metal' at the top of the input",
               update->unit_style);
}

/* ----------------------------------------------------------------------
   pair_style onnx [keyword value ...]
   Only `jvm PATH` is read here (the JVM must be found before Java exists); every other
   argument goes to Java, which owns the keywords, defaults, checks and usage text.
------------------------------------------------------------------------- */

void PairONNX::settings(int narg, char **arg)
{
  check_units("pair_style");

  std::string hint;
  std::vector<std::string> java_args;
  for (int iarg = 0; iarg < narg; iarg++) {
    if (strcmp(arg[iarg], "jvm") == 0) {
      if (iarg + 1 >= narg)
        error->all(FLERR, "pair_style onnx: keyword 'jvm' needs a value: the path to libjvm.so "
                          "or a JDK home (>= 22)");
      hint = arg[++iarg];
    } else {
      java_args.emplace_back(arg[iarg]);
    }
  }

  int me = 0, nprocs = 1, node_rank = 0, node_size = 1;
  MPI_Comm_rank(world, &me);
  MPI_Comm_size(world, &nprocs);
  MPI_Comm node;
  if (MPI_Comm_split_type(world, MPI_COMM_TYPE_SHARED, me, MPI_INFO_NULL, &node) == MPI_SUCCESS) {
    MPI_Comm_rank(node, &node_rank);
    MPI_Comm_size(node, &node_size);
    MPI_Comm_free(&node);
  }
  std::vector<const char *> argv;
  for (const auto &v : java_args) argv.push_back(v.c_str());
  iph_settings s;
  std::memset(&s, 0, sizeof(s));
  s.abi_version = IPH_ABI_VERSION;
  s.mpi_rank = me;
  s.mpi_size = nprocs;
  s.node_local_rank = node_rank;
  s.node_size = node_size;
  s.narg = (int32_t) argv.size();
  s.arg = argv.empty() ? nullptr : argv.data();

  // one JVM per process: start it (or attach to a running one) and get the upcall table
  std::string err;
  Interphase::BridgeInfo info;
  const iph_vtable *table = Interphase::bridge_vtable(hint, err, info);
  check_all(table ? IPH_OK : IPH_ERR_ALL, err, "JVM start");
  if (me == 0 && bridge && !hint.empty() && hint != jvm_hint)
    error->warning(FLERR, "pair_style onnx: the JVM already runs in this process ({}); 'jvm {}' "
                          "is ignored", info.libjvm, hint);
  if (me == 0 && !bridge)
    utils::logmesg(lmp, "pair_style onnx: Java bridge ready (JVM {}{}, {} jar(s) in {})\n",
                   info.libjvm, info.java_version.empty() ? "" : ", Java " + info.java_version,
                   info.njars, info.jar_dir);
  bridge = table;

  // re-issuing pair_style replaces the Java instance: pair_coeff must follow again
  release_handle(false);
  if (allocated)
    for (int i = 1; i <= atom->ntypes; i++)
      for (int j = i; j <= atom->ntypes; j++) setflag[i][j] = 0;

  jvm_hint = hint;
  errbuf[0] = '\0';
  int64_t h = 0;
  int rc = IPH_ERR_ALL;
  try {
    rc = bridge->create(&s, &h, errbuf, IPH_ERRCAP);
  } catch (...) {
    std::snprintf(errbuf, IPH_ERRCAP, "pair_style onnx: internal error in create()");
  }
  errbuf[IPH_ERRCAP - 1] = '\0';
  if (rc == IPH_OK) {
    handle = h;
    have_handle = true;
  }
  check_all(rc, errbuf, "pair_style");
  // on success the buffer may carry one warning line (the same on every rank)
  if (me == 0 && errbuf[0] != '\0') error->warning(FLERR, errbuf);
}

/* ---------------------------------------------------------------------- */

void PairONNX::allocate()
{
  allocated = 1;
  const int n = atom->ntypes + 1;
  memory->create(setflag, n, n, "pair:setflag");
  memory->create(cutsq, n, n, "pair:cutsq");
  memory->create(cutghost, n, n, "pair:cutghost");
  for (int i = 0; i < n; i++)
    for (int j = 0; j < n; j++) {
      setflag[i][j] = 0;
      cutsq[i][j] = 0.0;
      cutghost[i][j] = 0.0;
    }
}

/* ----------------------------------------------------------------------
   pair_coeff * * model.onnx [member.onnx ...] El1 ... ElN
   The last ntypes arguments are the elements; every argument before them is a model file.
------------------------------------------------------------------------- */

void PairONNX::coeff(int narg, char **arg)
{
  if (!allocated) allocate();
  const int ntypes = atom->ntypes;

  if (narg < 3)
    error->all(FLERR, "pair_coeff for pair_style onnx needs 'pair_coeff * * model.onnx [member.onnx "
                      "...] El1 ... El{}' (one element or NULL per atom type)",
               ntypes);
  if (strcmp(arg[0], "*") != 0 || strcmp(arg[1], "*") != 0)
    error->all(FLERR, "pair_coeff for pair_style onnx must start with '* *' (got '{} {}'): use "
                      "'pair_coeff * * model.onnx El1 ... El{}'",
               arg[0], arg[1], ntypes);
  const int nmodels = narg - 2 - ntypes;
  if (nmodels < 1)
    error->all(FLERR, "pair_coeff for pair_style onnx needs one element (or NULL) per atom type "
                      "after the model file(s): got {} argument(s) after '* *', expected at least {} "
                      "(a model and {} elements, ntypes)",
               narg - 2, ntypes + 1, ntypes);
  for (int i = 1; i <= ntypes; i++) {
    const std::string name = arg[2 + nmodels + i - 1];
    if (name.size() > 5 && name.compare(name.size() - 5, 5, ".onnx") == 0)
      error->all(FLERR, "pair_coeff for pair_style onnx: '{}' is among the {} element names (one per "
                        "atom type); list the model files first, then exactly {} elements or NULL",
                 name, ntypes, ntypes);
  }
  if (!bridge || !have_handle)
    error->all(FLERR, "pair_style onnx: no Java bridge instance; 'pair_style onnx' must succeed "
                      "before pair_coeff");

  model_paths.assign(arg + 2, arg + 2 + nmodels);
  std::vector<const char *> paths;
  for (const auto &m : model_paths) paths.push_back(m.c_str());
  type_element.assign(ntypes + 1, std::string());
  std::vector<const char *> elements(ntypes + 1, nullptr);
  for (int i = 1; i <= ntypes; i++) {
    const char *name = arg[1 + nmodels + i];
    if (strcmp(name, "NULL") != 0) {
      type_element[i] = name;
      elements[i] = type_element[i].c_str();
    }
  }
  type_cutoff.assign((size_t) (ntypes + 1) * (ntypes + 1), 0.0);

  iph_committee committee;
  std::memset(&committee, 0, sizeof(committee));
  iph_coeff_args a;
  std::memset(&a, 0, sizeof(a));
  a.model_paths = paths.data();
  a.type_elements = elements.data();
  a.type_cutoff = type_cutoff.data();
  a.committee = &committee;
  a.ntypes = ntypes;
  a.nmodels = nmodels;

  have_model = false;
  errbuf[0] = '\0';
  int rc = bridge->coeff(handle, &a, errbuf, IPH_ERRCAP);
  errbuf[IPH_ERRCAP - 1] = '\0';
  check_all(rc, errbuf, "pair_coeff");
  // on success the buffer may carry one warning line (the same on every rank)
  if (comm->me == 0 && errbuf[0] != '\0') error->warning(FLERR, errbuf);

  if (a.hops < 1 || !(a.r_max > 0.0) || !std::isfinite(a.r_max) || !(a.ghost_reach >= a.r_max) ||
      (a.ghost_lists != 0 && a.hops < 2))
    error->all(FLERR, "pair_style onnx: the Java bridge returned hops={} r_max={} ghost_reach={} for "
                      "{}; the model metadata interphase.hops / interphase.r_max must be >= 1 and > 0",
               a.hops, a.r_max, a.ghost_reach, model_paths[0]);
  if (committee.members != nmodels)
    error->all(FLERR, "pair_style onnx: the Java bridge loaded {} of the {} models of pair_coeff",
               committee.members, nmodels);
  hops = a.hops;
  r_max = a.r_max;
  ghost_reach = a.ghost_reach;
  ghost_lists = a.ghost_lists != 0;
  ghostneigh = ghost_lists ? 1 : 0;

  // the committee's output: the file is opened (and truncated) here, on rank 0
  const std::string file_error = deviation->configure(committee);
  check_all(file_error.empty() ? IPH_OK : IPH_ERR_ALL, file_error, "pair_coeff");
  exchange_width = a.exchange_width > 0 ? a.exchange_width : 0;
  comm_reverse = std::max(nmodels > 1 ? 3 * nmodels : 0, exchange_width);
  comm_forward = exchange_width;
  for (int k = 0; k < nextra; k++) pvector[k] = 0.0;

  int count = 0;
  for (int i = 1; i <= ntypes; i++)
    for (int j = i; j <= ntypes; j++) {
      setflag[i][j] = (elements[i] && elements[j]) ? 1 : 0;
      count += setflag[i][j];
    }
  if (count == 0)
    error->all(FLERR, "pair_coeff for pair_style onnx maps every atom type to NULL: name the "
                      "element of at least one type");
  have_model = true;

  if (comm->me == 0) {
    std::string map;
    for (int i = 1; i <= ntypes; i++)
      map += fmt::format(" {}={}", i, elements[i] ? elements[i] : "NULL");
    utils::logmesg(lmp, "pair_style onnx: model {} (r_max {} A, {} hop{}), types{}\n", model_paths[0],
                   r_max, hops, hops > 1 ? "s" : "", map);
    if (exchange_width > 0)
      utils::logmesg(lmp, "pair_style onnx: {} layer graphs (contract v2): node features ({} per atom at "
                          "most) are exchanged between layers, so the ghost cutoff is r_max\n",
                     hops, exchange_width);
    else if (hops > 1 && !ghost_lists)
      utils::logmesg(lmp, "pair_style onnx: one MPI rank: periodic images are folded onto their atoms, "
                          "so message passing needs no {} A ghost shell (pair_style onnx fold no "
                          "restores it)\n", hops * r_max);
    if (nmodels > 1)
      utils::logmesg(lmp, "pair_style onnx: committee of {} models ({} drives the dynamics); model "
                          "deviation every {} steps to {}{}\n",
                     nmodels, model_paths[0], deviation->out_freq(), deviation->file(),
                     committee.atomic ? " with per-atom columns" : "");
  }
}

/* ---------------------------------------------------------------------- */

void PairONNX::init_style()
{
  check_units("init");
  if (!have_model)
    error->all(FLERR, "pair_style onnx has no model: add 'pair_coeff * * model.onnx El1 ... ElN' "
                      "after pair_style onnx");
  if (force->newton_pair == 0)
    error->all(FLERR, "pair_style onnx requires newton_pair on: add 'newton on' (or 'newton on "
                      "off') before read_data/create_box; forces on ghost atoms are "
                      "reverse-communicated by LAMMPS");

  // full list: the graph needs both directions of every edge. With message passing
  // (hops > 1) the model also needs the edges among ghost atoms, out to hops*r_max.
  int flags = NeighConst::REQ_FULL;
  if (ghost_lists) flags |= NeighConst::REQ_GHOST;
  neighbor->add_request(this, flags);

  // undo an earlier raise (a previous pair_coeff with a deeper model) that the user kept
  if (raised_cutghost > 0.0 && comm->cutghostuser == raised_cutghost) {
    comm->cutghostuser = saved_cutghost;
    if (comm->me == 0 && !ghost_lists)
      utils::logmesg(lmp, "pair_style onnx: ghost cutoff restored to {} A (no ghost shell needed)\n",
                     saved_cutghost);
  }
  raised_cutghost = 0.0;
  if (ghost_lists) {
    const double need = ghost_reach + neighbor->skin;
    if (comm->cutghostuser < need) {
      saved_cutghost = comm->cutghostuser;
      raised_cutghost = need;
      comm->cutghostuser = need;
      if (comm->me == 0)
        utils::logmesg(lmp, "pair_style onnx: ghost cutoff set to {} A (hops x r_max {} + skin {})\n",
                       need, ghost_reach, neighbor->skin);
    }
  }
}

/* ---------------------------------------------------------------------- */

double PairONNX::init_one(int i, int j)
{
  const int n = atom->ntypes + 1;
  if (type_cutoff.size() != (size_t) n * n) return 0.0;
  if (!setflag[i][j] && !setflag[j][i]) return 0.0;
  const double cij = type_cutoff[(size_t) i * n + j];
  const double cji = type_cutoff[(size_t) j * n + i];
  if (std::fabs(cij - cji) > 1e-12 * std::fmax(std::fabs(cij), 1.0))
    error->all(FLERR, "pair_style onnx: the model's cutoff for types {}-{} ({}) differs from "
                      "{}-{} ({}); per-edge-type cutoffs must be symmetric: fix "
                      "interphase.per_edge_type_cutoff and re-export the model",
               i, j, cij, j, i, cji);
  if (!(cij >= 0.0) || !std::isfinite(cij))
    error->all(FLERR, "pair_style onnx: invalid cutoff {} for types {}-{} from the model", cij, i, j);
  cutghost[i][j] = cutghost[j][i] = cij;
  return cij;
}

/* ---------------------------------------------------------------------- */

void PairONNX::compute(int eflag, int vflag)
{
  ev_init(eflag, vflag);

  // a committee evaluates every member on the rows of out_file and when fix pair asks
  const bigint step = update->ntimestep;
  const bool row = deviation->row_due(step);
  const bool members = deviation->members() > 1 &&
      (row || force_deviation_flag || energy_deviation_flag);

  iph_compute_args a;
  std::memset(&a, 0, sizeof(a));
  a.x = (atom->x && atom->nmax > 0) ? &atom->x[0][0] : nullptr;
  a.f = (atom->f && atom->nmax > 0) ? &atom->f[0][0] : nullptr;
  a.type = atom->type;
  a.ilist = list->ilist;
  a.numneigh = list->numneigh;
  a.firstneigh = (const int32_t *const *) list->firstneigh;
  a.eng_vdwl = &eng_vdwl;
  a.virial = virial;
  a.eatom = (eflag_atom && eatom) ? eatom : nullptr;
  a.vatom = (vflag_atom && vatom && maxvatom > 0) ? &vatom[0][0] : nullptr;
  a.step = (int64_t) step;
  a.nlocal = atom->nlocal;
  a.nghost = atom->nghost;
  a.inum = list->inum;
  a.gnum = list->ghost ? list->gnum : 0;
  a.eflag_global = eflag_global ? 1 : 0;
  a.eflag_atom = eflag_atom ? 1 : 0;
  a.vflag_global = vflag_global ? 1 : 0;
  a.vflag_atom = vflag_atom ? 1 : 0;
  a.tag = atom->tag;
  a.tag_bytes = (int32_t) sizeof(tagint);
  a.neigh_builds = (int64_t) neighbor->ncalls;
  if (members) {
    deviation->prepare(atom->nlocal + atom->nghost, atom->nmax);
    a.member_f = deviation->member_f();
    a.member_eatom = deviation->member_eatom();
    a.member_virial = deviation->member_virial();
    a.member_stride = deviation->stride();
  }
  a.exchange = exchange_width > 0 ? &PairONNX::exchange_entry : nullptr;
  a.exchange_ctx = this;

  errbuf[0] = '\0';
  int rc = bridge->compute(handle, &a, errbuf, IPH_ERRCAP);
  errbuf[IPH_ERRCAP - 1] = '\0';
  check_all(rc, rc == IPH_OK ? std::string() : std::string(errbuf), "compute");

  if (members) {
    // each member's ghost forces to their owners, then the deviations (collective)
    comm->reverse_comm(this);
    deviation->finish(step, row);
    const bool root = comm->me == 0;
    for (int k = 0; k < nextra; k++) pvector[k] = root ? deviation->global()[k] : 0.0;
  }
}

/* ----------------------------------------------------------------------
   node features between the layers of a contract-v2 model (called by Java during compute)
------------------------------------------------------------------------- */

int32_t PairONNX::exchange_entry(void *ctx, int32_t direction, double *rows, int32_t width, int32_t status)
{
  // called from Java through an FFM downcall: nothing may unwind through the JVM's frames
  try {
    return static_cast<PairONNX *>(ctx)->exchange(direction, rows, width, status);
  } catch (...) {
    return IPH_ERR_ONE;
  }
}

int32_t PairONNX::exchange(int direction, double *rows, int width, int status)
{
  int ok = (status == IPH_OK && width >= 1 && width <= exchange_width &&
            (rows != nullptr || atom->nlocal + atom->nghost == 0) &&
            (direction == IPH_EXCHANGE_FORWARD || direction == IPH_EXCHANGE_REVERSE)) ? 1 : 0;
  int all_ok = 0;
  MPI_Allreduce(&ok, &all_ok, 1, MPI_INT, MPI_MIN, world);
  if (!all_ok) return status != IPH_OK ? status : (ok ? IPH_ERR_PEER : IPH_ERR_ONE);
  exchange_rows = rows;
  exchange_row_width = width;
  if (direction == IPH_EXCHANGE_FORWARD)
    comm->forward_comm(this, width);
  else
    comm->reverse_comm(this, width);
  exchange_rows = nullptr;
  return IPH_OK;
}

int PairONNX::pack_forward_comm(int n, int *list, double *buf, int /*pbc_flag*/, int * /*pbc*/)
{
  // features are invariant under the translation to a periodic image: plain copies
  const int w = exchange_row_width;
  int m = 0;
  for (int i = 0; i < n; i++) {
    const double *row = exchange_rows + (size_t) list[i] * w;
    for (int k = 0; k < w; k++) buf[m++] = row[k];
  }
  return m;
}

void PairONNX::unpack_forward_comm(int n, int first, double *buf)
{
  const int w = exchange_row_width;
  std::memcpy(exchange_rows + (size_t) first * w, buf, sizeof(double) * (size_t) n * w);
}

/* ----------------------------------------------------------------------
   reverse communication: the gradients of a v2 model's exchange, or the committee's member
   forces (deviation steps only)
------------------------------------------------------------------------- */

int PairONNX::pack_reverse_comm(int n, int first, double *buf)
{
  if (!exchange_rows) return deviation->pack_reverse(n, first, buf);
  const int w = exchange_row_width;
  std::memcpy(buf, exchange_rows + (size_t) first * w, sizeof(double) * (size_t) n * w);
  return n * w;
}

void PairONNX::unpack_reverse_comm(int n, int *list, double *buf)
{
  if (!exchange_rows) {
    deviation->unpack_reverse(n, list, buf);
    return;
  }
  const int w = exchange_row_width;
  int m = 0;
  for (int i = 0; i < n; i++) {
    double *row = exchange_rows + (size_t) list[i] * w;
    for (int k = 0; k < w; k++) row[k] += buf[m++];
  }
}

/* ----------------------------------------------------------------------
   fix pair: per-atom deviations and the flags that request them
------------------------------------------------------------------------- */

void PairONNX::require_committee(const char *what)
{
  if (deviation->members() < 2)
    error->all(FLERR, "pair_style onnx: {} needs a committee, but pair_coeff names one model: give "
                      "two or more model files before the element names (pair_coeff * * m0.onnx "
                      "m1.onnx ... El1 ...)",
               what);
}

void *PairONNX::extract(const char *name, int &dim)
{
  dim = 0;
  if (strcmp(name, "force_deviation_flag") == 0) {
    require_committee("fix pair ... force_deviation");
    return (void *) &force_deviation_flag;
  }
  if (strcmp(name, "energy_deviation_flag") == 0) {
    require_committee("fix pair ... energy_deviation");
    return (void *) &energy_deviation_flag;
  }
  return nullptr;
}

void *PairONNX::extract_peratom(const char *name, int &ncol)
{
  ncol = 0;
  const bool force = strcmp(name, "force_deviation") == 0;
  const bool energy = strcmp(name, "energy_deviation") == 0;
  if (!force && !energy) return nullptr;
  require_committee(force ? "fix pair ... force_deviation" : "fix pair ... energy_deviation");
  deviation->grow_peratom();
  return force ? (void *) deviation->force_deviation() : (void *) deviation->energy_deviation();
}
