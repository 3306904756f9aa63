// nncc-opt: mlir-opt with the nn dialect and nncc's passes; the driver of the lit tests.
#include "compiler/Registration.h"

#include "mlir/Tools/mlir-opt/MlirOptMain.h"

int main(int argc, char **argv) {
  mlir::DialectRegistry registry;
  nncc::registerDialects(registry);
  nncc::registerPasses();
  return mlir::asMainReturnCode(mlir::MlirOptMain(argc, argv, "nncc optimizer driver\n", registry));
}
