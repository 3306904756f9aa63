// Every nncc pass: flag, summary, and a before/after example.
#ifndef NNCC_PASSES_TD
#define NNCC_PASSES_TD

include "mlir/Pass/PassBase.td"

def StateToArgs : Pass<"nncc-state-to-args", "::mlir::ModuleOp"> {
  let summary = "turns parameters and buffers into arguments of the entry functions";
  let description = [{
    The compiled code takes weights by pointer, so each `nn.get` becomes a
    function argument named by its state_dict key, in declaration order, and
    the declarations go away. Every argument is marked read-only for
    bufferization, so nothing writes into the caller's inputs or weights.
    A buffer's final `nn.assign`ed value becomes an extra result, listed in
    the function attribute `nn.updates`; the runtime copies it into the
    buffer after each call (reads in the forward see the value at entry).
    A result that is an argument, or a value returned twice, is copied
    first, so that no out-parameter aliases an input or another output.

    Before:
    ```mlir
    nn.parameter @"0.weight" : tensor<4x8xf32>
    func.func @forward(%x: tensor<2x8xf32>) -> tensor<2x4xf32> {
      %w = nn.get @"0.weight" : tensor<4x8xf32>
      ...
    ```
    After:
    ```mlir
    func.func @forward(%x: tensor<2x8xf32> {nn.role = "input", ...},
                       %w: tensor<4x8xf32> {nn.role = "parameter", nn.state = "0.weight", ...})
    ```
  }];
  let dependentDialects = ["::mlir::bufferization::BufferizationDialect",
                           "::mlir::linalg::LinalgDialect", "::mlir::tensor::TensorDialect"];
}

def GenerateBackward : Pass<"nncc-generate-backward", "::mlir::ModuleOp"> {
  let summary = "adds @backward: the forward recomputed, then its vector-Jacobian product";
  let description = [{
    `@backward` takes the forward's inputs and one gradient per forward
    output (`grad_output<i>`). It recomputes the forward (without its buffer
    updates, which the forward already made), then walks it in reverse,
    asking each op for its gradient rule (GradientOpInterface). Each
    trainable parameter `w` gets a non-persistent buffer `grad.w`, and the
    gradient is added to it: backward accumulates, as PyTorch's does, and
    the runtime's zero_grad() clears the buffers. Frozen parameters get no
    buffer and no gradient code.

    ```mlir
    func.func @backward(%x: tensor<2x8xf32>, %dy: tensor<2x4xf32> {nn.name = "grad_output0"}) {
      ...
      %old = nn.get @"grad.0.weight" : tensor<4x8xf32>
      %grad.0.weight = nn.add %old, %5 : ...
      nn.assign @"grad.0.weight", %grad.0.weight : tensor<4x8xf32>
    ```
  }];
}

def GenerateTrainStep : Pass<"nncc-generate-train-step", "::mlir::ModuleOp"> {
  let summary = "turns @train_forward (the loss) into @train_step: loss, backward, optimizer update";
  let description = [{
    `@train_forward(inputs..., targets...) -> loss` is the model in train
    mode followed by its loss, as recorded. `@train_step` computes the
    loss, differentiates it with respect to every trainable parameter and
    applies the optimizer described by the module attribute `nn.optimizer`
    (sgd, adam or adamw, with PyTorch's options and formulas), assigning
    the new parameters. The optimizer's state lives in non-persistent
    buffers named `optim.<param>.momentum_buffer`, `optim.<param>.exp_avg`,
    `optim.<param>.exp_avg_sq` and `optim.step`, so it is saved and loaded
    with the weights' names. The step returns the loss, and leaves each
    gradient in `grad.<param>` (declared by nncc-generate-backward), as
    zero_grad(), backward() and step() leave p.grad in PyTorch. Without a
    `@train_forward` (a model recorded without a loss) the pass does nothing.
  }];
}

def ConvertNNToLinalg : Pass<"nncc-convert-nn-to-linalg", "::mlir::ModuleOp"> {
  let summary = "lowers nn compute ops to linalg and tensor ops";
  let description = [{
    `nn.linear` becomes a zero fill, `linalg.matmul_transpose_b` and a
    broadcasting `linalg.generic` for the bias; `nn.relu`, `nn.add` and
    `nn.mul` become elementwise `linalg.generic`s; `nn.flatten` becomes
    `tensor.collapse_shape`. Locations (module paths) carry over.

    ```mlir
    %y = nn.relu %x : tensor<2x4xf32>
    // becomes
    %e = tensor.empty() : tensor<2x4xf32>
    %y = linalg.generic {...} ins(%x : tensor<2x4xf32>) outs(%e : tensor<2x4xf32>) {
      ^bb0(%in: f32, %out: f32):
        %m = arith.maximumf %in, %zero : f32
        linalg.yield %m : f32
    } -> tensor<2x4xf32>
    ```
  }];
  let dependentDialects = ["::mlir::linalg::LinalgDialect", "::mlir::tensor::TensorDialect",
                           "::mlir::arith::ArithDialect", "::mlir::math::MathDialect"];
}

def FuseElementwise : Pass<"nncc-fuse-elementwise", "::mlir::func::FuncOp"> {
  let summary = "fuses chains of elementwise linalg ops into one loop nest";
  let description = [{
    A producer is folded into its consumer when the consumer is its only
    user, or when its other users only return it (the fused op then yields
    it too: an optimizer's new moments and the new parameter come out of
    one loop), so no value is computed twice. The bias add and the activation
    after a matmul become one `linalg.generic` that reads the matmul's
    output once. The fused op's location is the fused location of both.

    ```mlir
    %b = linalg.generic {bias add} ins(%mm, %bias) ...
    %r = linalg.generic {relu} ins(%b) ...
    // becomes
    %r = linalg.generic {bias add + relu} ins(%mm, %bias) ...
    ```
  }];
  let dependentDialects = ["::mlir::linalg::LinalgDialect", "::mlir::affine::AffineDialect"];
}

def PlanMemory : Pass<"nncc-plan-memory", "::mlir::func::FuncOp"> {
  let summary = "places every intermediate buffer in one preallocated arena";
  let description = [{
    Each static `memref.alloc` becomes a `memref.view` into a new last
    argument, `%arena: memref<Nxi8>`. Offsets come from the buffers' live
    ranges in program order (first fit, 64-byte aligned), so buffers that are
    never live together share bytes. The arena size is recorded as the
    function attribute `nn.arena_bytes`. The compiled code then allocates
    nothing per call.

    ```mlir
    %a = memref.alloc() {alignment = 64 : i64} : memref<2x512xf32>
    // becomes
    %a = memref.view %arena[%c0][] : memref<8192xi8> to memref<2x512xf32>
    ```
  }];
  let dependentDialects = ["::mlir::arith::ArithDialect"];
}

def DescribeAbi : Pass<"nncc-describe-abi", "::mlir::ModuleOp"> {
  let summary = "records each entry function's calling convention as the nn.manifest attribute";
  let description = [{
    After bufferization and memory planning, every public function takes
    pointers only: inputs, parameters, buffers, outputs, arena. This pass
    writes that order, with names, shapes and the arena size, as a JSON
    string in the module attribute `nn.manifest`. The runtime reads the same
    JSON from the artifact, and the generated header is written from it.
  }];
  let options = [
    Option<"modelName", "model-name", "std::string", /*default=*/"\"model\"",
           "name used for the artifact's exported symbols">
  ];
}

def EmitEntryPoints : Pass<"nncc-emit-entry-points", "::mlir::ModuleOp"> {
  let summary = "adds a void(void**) wrapper per entry function and the manifest global";
  let description = [{
    On the LLVM dialect. For `@forward` of model `mlp`, adds
    `@nncc_mlp_forward(%argv: !llvm.ptr)`, which loads each pointer from
    `argv` in manifest order and calls `@forward`, which becomes internal.
    The manifest becomes the NUL-terminated global `@nncc_mlp_manifest`.
    These two symbols are all an artifact exports.
  }];
  let dependentDialects = ["::mlir::LLVM::LLVMDialect"];
}

#endif // NNCC_PASSES_TD
