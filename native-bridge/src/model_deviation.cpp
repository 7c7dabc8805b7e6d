/* ----------------------------------------------------------------------
   Interphase: committee model deviation of pair_style onnx. See model_deviation.h.
------------------------------------------------------------------------- */

#include "model_deviation.h"

#include "atom.h"
#include "comm.h"
#include "error.h"
#include "lmptype.h"
#include "utils.h"

#include <algorithm>
#include <cerrno>
#include <cmath>
#include <cstring>
#include <limits>
#include <utility>

using namespace LAMMPS_NS;
using namespace Interphase;

namespace {
// the 9 components xx xy xz yx yy yz zx zy zz of a symmetric virial stored as xx yy zz xy xz yz
constexpr int FULL9[9] = {0, 3, 4, 3, 1, 5, 4, 5, 2};
}    // namespace

ModelDeviation::ModelDeviation(LAMMPS *lmp) : Pointers(lmp), fp(nullptr), last_row(-1), stride_(0)
{
  std::memset(&cfg, 0, sizeof(cfg));
  cfg.members = 1;
  for (double &g : glob) g = 0.0;
}

ModelDeviation::~ModelDeviation()
{
  close_file();
}

void ModelDeviation::close_file()
{
  if (fp) fclose(fp);
  fp = nullptr;
}

std::string ModelDeviation::configure(const iph_committee &committee)
{
  close_file();
  cfg = committee;
  cfg.out_file[IPH_PATHCAP - 1] = '\0';
  out_file = cfg.out_file;
  last_row = -1;
  for (double &g : glob) g = 0.0;
  f.clear();
  e.clear();
  v.clear();
  if (cfg.members < 2 || cfg.out_freq < 1 || comm->me != 0) return "";

  fp = fopen(out_file.c_str(), "w");
  if (!fp)
    return fmt::format("pair_style onnx: cannot write the model-deviation file '{}': {}; give a "
                       "writable path with 'out_file FILE'",
                       out_file, std::strerror(errno));
  fprintf(fp, "#%11s %19s %19s %19s %19s %19s %19s\n", "step", "max_devi_v", "min_devi_v",
          "avg_devi_v", "max_devi_f", "min_devi_f", "avg_devi_f");
  fflush(fp);
  return "";
}

bool ModelDeviation::row_due(bigint step) const
{
  return cfg.members > 1 && cfg.out_freq > 0 && step % cfg.out_freq == 0 && step != last_row;
}

void ModelDeviation::prepare(int nall, int nmax)
{
  const int k = cfg.members;
  stride_ = std::max(nmax, std::max(nall, 1));
  f.assign((size_t) k * stride_ * 3, 0.0);
  e.assign((size_t) k * stride_, 0.0);
  v.assign((size_t) k * 6, 0.0);
}

void ModelDeviation::grow_peratom()
{
  const size_t n = (size_t) std::max(atom->nmax, 1);
  if (devf.size() < n) {
    devf.resize(n, 0.0);
    deve.resize(n, 0.0);
  }
}

int ModelDeviation::pack_reverse(int n, int first, double *buf) const
{
  int m = 0;
  const int k = cfg.members;
  for (int i = first; i < first + n; i++)
    for (int mm = 0; mm < k; mm++) {
      const double *fi = &f[((size_t) mm * stride_ + i) * 3];
      buf[m++] = fi[0];
      buf[m++] = fi[1];
      buf[m++] = fi[2];
    }
  return m;
}

void ModelDeviation::unpack_reverse(int n, const int *list, const double *buf)
{
  int m = 0;
  const int k = cfg.members;
  for (int i = 0; i < n; i++) {
    const int j = list[i];
    for (int mm = 0; mm < k; mm++) {
      double *fj = &f[((size_t) mm * stride_ + j) * 3];
      fj[0] += buf[m++];
      fj[1] += buf[m++];
      fj[2] += buf[m++];
    }
  }
}

void ModelDeviation::finish(bigint step, bool write)
{
  const int k = cfg.members;
  const int nlocal = atom->nlocal;
  const double inv_k = 1.0 / k;
  grow_peratom();

  // per-atom force and energy deviations of the local atoms
  double fmax = 0.0, fmin = std::numeric_limits<double>::max(), fsum = 0.0;
  for (int i = 0; i < nlocal; i++) {
    double mean[3] = {0.0, 0.0, 0.0}, emean = 0.0;
    for (int mm = 0; mm < k; mm++) {
      const double *fi = &f[((size_t) mm * stride_ + i) * 3];
      mean[0] += fi[0];
      mean[1] += fi[1];
      mean[2] += fi[2];
      emean += e[(size_t) mm * stride_ + i];
    }
    for (double &c : mean) c *= inv_k;
    emean *= inv_k;
    double var = 0.0, evar = 0.0;
    for (int mm = 0; mm < k; mm++) {
      const double *fi = &f[((size_t) mm * stride_ + i) * 3];
      const double dx = fi[0] - mean[0], dy = fi[1] - mean[1], dz = fi[2] - mean[2];
      var += dx * dx + dy * dy + dz * dz;
      const double de = e[(size_t) mm * stride_ + i] - emean;
      evar += de * de;
    }
    double eps = std::sqrt(var * inv_k);
    if (cfg.relative)
      eps /= std::sqrt(mean[0] * mean[0] + mean[1] * mean[1] + mean[2] * mean[2]) + cfg.relative_eps;
    devf[i] = eps;
    deve[i] = std::sqrt(evar * inv_k);
    fmax = std::max(fmax, eps);
    fmin = std::min(fmin, eps);
    fsum += eps;
  }
  double all_fmax = 0.0, all_fmin = 0.0, all_fsum = 0.0;
  MPI_Allreduce(&fmax, &all_fmax, 1, MPI_DOUBLE, MPI_MAX, world);
  MPI_Allreduce(&fmin, &all_fmin, 1, MPI_DOUBLE, MPI_MIN, world);
  MPI_Allreduce(&fsum, &all_fsum, 1, MPI_DOUBLE, MPI_SUM, world);
  const double natoms = (double) atom->natoms;
  if (natoms <= 0.0) all_fmin = 0.0;

  // virial deviation of the whole system: members' virials summed over ranks, per atom
  std::vector<double> vsum((size_t) k * 6, 0.0);
  MPI_Allreduce(v.data(), vsum.data(), k * 6, MPI_DOUBLE, MPI_SUM, world);
  double std6[6];
  for (int c = 0; c < 6; c++) {
    double mean = 0.0;
    for (int mm = 0; mm < k; mm++) mean += vsum[(size_t) mm * 6 + c] / natoms;
    mean *= inv_k;
    double var = 0.0;
    for (int mm = 0; mm < k; mm++) {
      const double d = vsum[(size_t) mm * 6 + c] / natoms - mean;
      var += d * d;
    }
    std6[c] = std::sqrt(var * inv_k);
    if (cfg.relative_v) std6[c] /= std::fabs(mean) + cfg.relative_v_eps;
  }
  double vmax = 0.0, vmin = std::numeric_limits<double>::max(), vsq = 0.0;
  for (int c : FULL9) {
    vmax = std::max(vmax, std6[c]);
    vmin = std::min(vmin, std6[c]);
    vsq += std6[c] * std6[c];
  }
  glob[0] = vmax;
  glob[1] = vmin;
  glob[2] = std::sqrt(vsq / 9.0);
  glob[3] = all_fmax;
  glob[4] = all_fmin;
  glob[5] = natoms > 0.0 ? all_fsum / natoms : 0.0;

  if (write) {
    write_row(step);
    last_row = step;
  }
}

void ModelDeviation::write_row(bigint step)
{
  // per-atom columns: gather (atom ID, eps_f) on rank 0 and order by atom ID
  std::vector<std::pair<tagint, double>> peratom;
  if (cfg.atomic) {
    const int nlocal = atom->nlocal;
    const int nprocs = comm->nprocs;
    std::vector<int> counts(nprocs, 0), displs(nprocs, 0);
    MPI_Gather(&nlocal, 1, MPI_INT, counts.data(), 1, MPI_INT, 0, world);
    int total = 0;
    if (comm->me == 0)
      for (int p = 0; p < nprocs; p++) {
        displs[p] = total;
        total += counts[p];
      }
    std::vector<tagint> tags(std::max(total, 1));
    std::vector<double> vals(std::max(total, 1));
    MPI_Gatherv(atom->tag, nlocal, MPI_LMP_TAGINT, tags.data(), counts.data(), displs.data(),
                MPI_LMP_TAGINT, 0, world);
    MPI_Gatherv(devf.data(), nlocal, MPI_DOUBLE, vals.data(), counts.data(), displs.data(),
                MPI_DOUBLE, 0, world);
    if (comm->me == 0) {
      peratom.reserve(total);
      for (int q = 0; q < total; q++) peratom.emplace_back(tags[q], vals[q]);
      std::sort(peratom.begin(), peratom.end());
    }
  }
  if (comm->me != 0 || !fp) return;
  std::string row = fmt::format("{:12d}", (long long) step);
  for (double g : glob) row += fmt::format(" {:19.12e}", g);
  for (const auto &p : peratom) row += fmt::format(" {:19.12e}", p.second);
  row += "\n";
  fputs(row.c_str(), fp);
  fflush(fp);
}
