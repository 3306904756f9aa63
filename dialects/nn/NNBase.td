// The nn dialect definition: torch.nn models as recorded, before any lowering.
#ifndef NN_BASE_TD
#define NN_BASE_TD

include "mlir/IR/OpBase.td"
include "mlir/IR/OpAsmInterface.td"
include "mlir/Interfaces/InferTypeOpInterface.td"

def NN_Dialect : Dialect {
  let name = "nn";
  let summary = "torch.nn-style models recorded from nncc's C++ frontend";
  let description = [{
    Ops of the nn dialect correspond to torch.nn.functional calls. Each op's
    Location is the module path that produced it ("features.0"); parameters
    and buffers are module-level symbols named by their state_dict keys and
    read with `nn.get`. The `nn.training` module attribute records the mode
    the model was recorded in.
  }];
  let cppNamespace = "::nncc::ir";
}

class NN_Op<string mnemonic, list<Trait> traits = []>
    : Op<NN_Dialect, mnemonic, !listconcat(traits, [OpAsmOpInterface])> {
  let extraClassDeclaration = [{
    /// Gradients print under their state_dict name (%grad.0.weight): see
    /// nameGradientResults.
    void getAsmResultNames(::mlir::OpAsmSetValueNameFn setName) {
      ::nncc::ir::nameGradientResults(getOperation(), setName);
    }
  }];
}

/// nn works on statically shaped f32 tensors.
def NN_Tensor : RankedTensorOf<[F32], [HasStaticShapePred], "statically shaped tensor">;
/// Indices (e.g. token ids for nn.embedding), as int64 like PyTorch's LongTensor.
def NN_IndexTensor : RankedTensorOf<[I64], [HasStaticShapePred], "statically shaped tensor">;

#endif // NN_BASE_TD
