/* ----------------------------------------------------------------------
   Interphase: LAMMPS plugin entry point. `plugin load .../interphaseplugin.so` calls
   lammpsplugin_init(), which registers pair_style onnx.
------------------------------------------------------------------------- */

#include "lammpsplugin.h"

#include "version.h"

#include "pair_onnx.h"

using namespace LAMMPS_NS;

#ifndef INTERPHASE_VERSION
#define INTERPHASE_VERSION "0"
#endif

static Pair *onnx_creator(LAMMPS *lmp)
{
  return new PairONNX(lmp);
}

extern "C" __attribute__((visibility("default"))) void lammpsplugin_init(void *lmp, void *handle,
                                                                          void *regfunc)
{
  lammpsplugin_t plugin;
  auto register_plugin = (lammpsplugin_regfunc) regfunc;

  plugin.version = LAMMPS_VERSION;
  plugin.style = "pair";
  plugin.name = "onnx";
  plugin.info = "Interphase ONNX ML potential (Java bridge, contract v1) v" INTERPHASE_VERSION;
  plugin.author = "Interphase project";
  plugin.creator.v1 = (lammpsplugin_factory1 *) &onnx_creator;
  plugin.handle = handle;
  (*register_plugin)(&plugin, lmp);
}
