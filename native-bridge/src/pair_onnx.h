/* -*- c++ -*- ----------------------------------------------------------
   Interphase: pair_style onnx -- equivariant ML potentials exported to ONNX (contract v1),
   evaluated by the Java bridge (org.interphase.*) through one FFM upcall per compute().

   This class only adapts LAMMPS to the C ABI in interphase_bridge.h: it parses settings,
   requests the neighbor list, passes LAMMPS's own arrays and turns bridge errors into
   LAMMPS errors on every rank. The graph, the ONNX session and the tallies live in Java.
   With several models in pair_coeff (a committee) it also hands out the member blocks on the
   deviation steps and gives the deviation to the file, `compute pair` (pvector) and `fix pair`
   (extract_peratom) through ModelDeviation.
------------------------------------------------------------------------- */

#ifndef LMP_PAIR_ONNX_H
#define LMP_PAIR_ONNX_H

#include "pair.h"

#include "interphase_bridge.h"
#include "model_deviation.h"

#include <memory>
#include <string>
#include <vector>

namespace LAMMPS_NS {

class PairONNX : public Pair {
 public:
  PairONNX(class LAMMPS *);
  ~PairONNX() override;

  void compute(int, int) override;
  void settings(int, char **) override;
  void coeff(int, char **) override;
  void init_style() override;
  double init_one(int, int) override;
  int pack_forward_comm(int, int *, double *, int, int *) override;
  void unpack_forward_comm(int, int, double *) override;
  int pack_reverse_comm(int, int, double *) override;
  void unpack_reverse_comm(int, int *, double *) override;
  void *extract(const char *, int &) override;
  void *extract_peratom(const char *, int &) override;

 protected:
  const iph_vtable *bridge;    // process-wide upcall table (owned by jvm_bootstrap)
  int64_t handle;              // Java instance of this pair style
  bool have_handle;
  bool have_model;             // pair_coeff succeeded
  std::string jvm_hint;        // `jvm` keyword
  std::vector<std::string> model_paths;    // pair_coeff models; [0] drives the dynamics
  std::vector<std::string> type_element;    // [ntypes+1], "" = NULL
  std::vector<double> type_cutoff;          // [(ntypes+1)^2], from the model
  int hops;                                 // largest message-passing depth of the models
  bool ghost_lists;                         // ghost neighbor lists + hops x r_max shell (several ranks)
  double r_max;                             // largest model cutoff (Angstrom)
  double ghost_reach;                       // largest hops x r_max of the models (Angstrom)
  std::unique_ptr<Interphase::ModelDeviation> deviation;    // committee output
  int force_deviation_flag;                 // set by fix pair on the steps it needs eps_f
  int energy_deviation_flag;                // likewise for the per-atom energy deviation
  double saved_cutghost;                    // comm->cutghostuser before this style raised it
  double raised_cutghost;                   // the value it raised it to (0 = not raised)
  int exchange_width;                       // widest feature row a v2 model exchanges (0 = none)
  double *exchange_rows;                    // the rows of the exchange in progress, or nullptr
  int exchange_row_width;                   // their width
  char errbuf[IPH_ERRCAP];

  // the node-feature exchange Java calls between layers (iph_exchange_fn; collective)
  static int32_t exchange_entry(void *ctx, int32_t direction, double *rows, int32_t width, int32_t status);
  int32_t exchange(int direction, double *rows, int width, int status);

  void allocate();
  void check_units(const char *where);
  void require_committee(const char *what);
  void release_handle(bool print_stats);
  // collective: if any rank's status is not IPH_OK, every rank calls error->all with the
  // message of the lowest failing rank (which it broadcasts). Never returns on failure.
  void check_all(int status, const std::string &local_message, const char *what);
};

}    // namespace LAMMPS_NS

#endif
