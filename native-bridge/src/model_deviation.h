/* -*- c++ -*- ----------------------------------------------------------
   Interphase: the model deviation of a committee in pair_style onnx, with DeePMD-kit's
   definitions and file format (its pair_style deepmd; read by DP-GEN and dpdata).

   For K models with forces F_i^m on atom i and virials W^m:
     eps_f,i  = sqrt( mean_m |F_i^m - <F_i>|^2 )                 [/ (|<F_i>| + relative)]
     eps_e,i  = sqrt( mean_m (e_i^m - <e_i>)^2 )                  (per-atom energies)
     eps_v,ab = sqrt( mean_m (W_ab^m/N - <W_ab>/N)^2 )            [/ (|<W_ab>|/N + relative_v)]
   over the 9 components ab of the (symmetric) virial. One row per deviation step:
     step max_devi_v min_devi_v avg_devi_v max_devi_f min_devi_f avg_devi_f [eps_f by atom ID]
   with max/min over the 9 components and their root mean square, and max/min/mean of eps_f
   over all atoms of all ranks. Ghost forces are reverse-communicated to their owners before
   eps_f is formed, so every number is the same on any number of ranks.

   The pair style owns one instance; Java fills the member blocks (interphase_bridge.h).
------------------------------------------------------------------------- */

#ifndef INTERPHASE_MODEL_DEVIATION_H
#define INTERPHASE_MODEL_DEVIATION_H

#include "pointers.h"

#include "interphase_bridge.h"

#include <cstdio>
#include <string>
#include <vector>

namespace Interphase {

class ModelDeviation : protected LAMMPS_NS::Pointers {
 public:
  explicit ModelDeviation(LAMMPS_NS::LAMMPS *lmp);
  ~ModelDeviation() override;
  ModelDeviation(const ModelDeviation &) = delete;
  ModelDeviation &operator=(const ModelDeviation &) = delete;

  // Takes the committee from pair_coeff. On rank 0 with members > 1, (re)opens out_file and
  // writes the header. Returns an error line on the rank that failed, "" elsewhere.
  std::string configure(const iph_committee &committee);

  int members() const { return cfg.members; }
  const std::string &file() const { return out_file; }
  int out_freq() const { return cfg.out_freq; }

  // a row of the file is due at this step (a multiple of out_freq not yet written)
  bool row_due(LAMMPS_NS::bigint step) const;

  // zeroes and sizes the member blocks for nall atoms with stride atom->nmax
  void prepare(int nall, int nmax);
  double *member_f() { return f.data(); }
  double *member_eatom() { return e.data(); }
  double *member_virial() { return v.data(); }
  int64_t stride() const { return stride_; }

  // reverse communication of the member forces (3 x members doubles per atom)
  int pack_reverse(int n, int first, double *buf) const;
  void unpack_reverse(int n, const int *list, const double *buf);

  // after the reverse communication: per-atom and global deviations (collective), and the
  // row of the file on rank 0 when write_row
  void finish(LAMMPS_NS::bigint step, bool write_row);

  // max_devi_v min_devi_v avg_devi_v max_devi_f min_devi_f avg_devi_f of the last deviation step
  const double *global() const { return glob; }
  double *force_deviation() { return devf.data(); }
  double *energy_deviation() { return deve.data(); }
  // grows the per-atom outputs to atom->nmax (they stay valid for fix pair between steps)
  void grow_peratom();

 private:
  iph_committee cfg;
  std::string out_file;
  FILE *fp;
  LAMMPS_NS::bigint last_row;
  int64_t stride_;
  std::vector<double> f, e, v;
  std::vector<double> devf, deve;
  double glob[6];

  void close_file();
  void write_row(LAMMPS_NS::bigint step);
};

}    // namespace Interphase

#endif
