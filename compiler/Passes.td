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

def SelectHookPoints : Pass<"nncc-select-hook-points", "::mlir::ModuleOp"> {
  let summary = "keeps the hook points whose module path matches a glob and removes the others";
  let description = [{
    `nn.hook` and `nn.grad_hook` ops whose `path` does not match `keep` (a
    shell glob; `*` keeps every one) are replaced by their input, as are all
    of them with `strip`. What remains is exactly the IR of the model
    recorded without those hooks, so stripped code equals unhooked code.
  }];
  let options = [
    Option<"keep", "keep", "std::string", /*default=*/"\"*\"",
           "glob over module paths of the hook points to keep">,
    Option<"strip", "strip", "bool", /*default=*/"false", "remove every hook point">
  ];
}

def InsertHookPoints : Pass<"nncc-insert-hook-points", "::mlir::ModuleOp"> {
  let summary = "adds forward hook points on the outputs of the modules a glob names";
  let description = [{
    For nn IR without recorded hook points (a model file or nn text): a
    module's outputs are the values made at its path (or below) and used
    outside it, or returned; each gets `nn.hook "forward"` at that path.
    Nested modules chain innermost first. Used by `nncc compile|run
    --hook-points=GLOB` and `nncc run --monitor`.

    ```mlir
    %y = nn.relu %x : tensor<2x8xf32> loc("1")
    // with pattern "*", when %y is used at "2":
    %y1 = nn.hook "forward" at "1"(%y) : tensor<2x8xf32> loc("1")
    ```
  }];
  let options = [
    Option<"pattern", "pattern", "std::string", /*default=*/"\"*\"",
           "glob over module paths">
  ];
}

def FoldBatchNorm : Pass<"nncc-fold-batch-norm", "::mlir::ModuleOp"> {
  let summary = "folds an eval-mode batch_norm into the convolution before it (fusion rule bn-fold)";
  let description = [{
    `nn.conv2d` whose only user is a `nn.batch_norm` with running
    statistics and no `training` becomes one `nn.conv2d` with
    W' = W * s and b' = (b - running_mean) * s + bias, where
    s = weight / sqrt(running_var + eps), as PyTorch's fuse_conv_bn_weights.
    The per-channel arithmetic then runs on the weights (O x C x kH x kW
    values) on every call instead of on the activation (N x O x H x W
    values), so it folds only when the weights are fewer. The folded ops are
    located at both modules' paths, as loc(fused<"bn-fold">[conv, bn]).
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

    The rules are `elementwise` (a single-user producer) and `multi-output`
    (a producer whose other users only return it); each can be turned off.
    Why a producer is not fused is `fusionBlocker` (Transforms/Fusion.h),
    which `nncc explain` reports. With `annotate`, fused ops carry what
    they were made of: `nn.members` (the `nn.kernel` numbers of the ops
    fused), `nn.rules` and `nn.avoided_bytes` (intermediate bytes no longer
    written and read back).
  }];
  let options = [
    Option<"elementwise", "elementwise", "bool", /*default=*/"true", "the elementwise rule">,
    Option<"multiOutput", "multi-output", "bool", /*default=*/"true", "the multi-output rule">,
    Option<"annotate", "annotate", "bool", /*default=*/"false",
           "record members, rules and avoided bytes on fused ops">
  ];
  let dependentDialects = ["::mlir::linalg::LinalgDialect", "::mlir::affine::AffineDialect"];
}

def UnshareFills : Pass<"nncc-unshare-fills", "::mlir::func::FuncOp"> {
  let summary = "gives each user of a shared linalg.fill on tensors its own fill";
  let description = [{
    CSE merges the identical zero fills that start every matmul, so one
    filled tensor becomes the accumulator of several ops. One-shot
    bufferization must then copy it for all but one of them, which costs a
    buffer and a pass over memory per extra user. Refilling is cheaper than
    copying: each user gets `linalg.fill` of a fresh `tensor.empty`, placed
    right before it, so that no accumulator is live before its op.

    ```mlir
    %z = linalg.fill ins(%cst : f32) outs(%e : tensor<64x512xf32>) -> tensor<64x512xf32>
    %a = linalg.matmul_transpose_b ins(...) outs(%z : ...)
    %b = linalg.matmul_transpose_b ins(...) outs(%z : ...)
    // %b now accumulates into its own: linalg.fill ins(%cst) outs(tensor.empty())
    ```
  }];
  let dependentDialects = ["::mlir::tensor::TensorDialect"];
}

def FillPadBorders : Pass<"nncc-fill-pad-borders", "::mlir::func::FuncOp"> {
  let summary = "fills only the border of a padded buffer whose interior is copied right after";
  let description = [{
    A `tensor.pad` bufferizes into a buffer filled with the padding value
    (an input-less `linalg.map`, which this pass first makes a
    `linalg.fill`), then a copy of the source into its interior: every
    interior element is written twice. When the op after a fill (past
    subviews and constants) copies into a unit-stride, static subview of the
    filled buffer, the fill becomes fills of the slabs around that subview:
    along each dimension, the part before and after it, within it along the
    dimensions before. For a convolution's 1-pixel padding of 32x32 images,
    that is 132 of the 1156 elements per channel instead of all of them.

    ```mlir
    // before
    linalg.map outs(%buf : memref<1x8x34x34xf32>) () { linalg.yield %zero : f32 }
    %in = memref.subview %buf[0, 0, 1, 1] [1, 8, 32, 32] [1, 1, 1, 1]
    linalg.copy ins(%x : ...) outs(%in : ...)
    // after: fills of %buf[0, 0, 0, 0] [1, 8, 1, 34], [0, 0, 33, 0] [1, 8, 1, 34],
    // [0, 0, 1, 0] [1, 8, 32, 1] and [0, 0, 1, 33] [1, 8, 32, 1]; then the subview and copy
    ```
  }];
}

def UntransposeMatmuls : Pass<"nncc-untranspose-matmuls", "::mlir::func::FuncOp"> {
  let summary = "gives a matmul_transpose_b over many rows a transposed copy of B and a plain matmul";
  let description = [{
    `nn.linear` is `x · W^T`: a `linalg.matmul_transpose_b` whose operands
    are both contiguous along the reduction, which the CPU runs as a dot
    kernel, summing every output's vector accumulator across its lanes. With
    at least 256 rows of A, copying W^T once (a K x N transpose, in 8x8
    register blocks) and running the outer-product kernel, which needs no
    such sums, is faster. CPU only: cuBLAS takes either layout.

    ```mlir
    // before
    %y = linalg.matmul_transpose_b ins(%x, %w : tensor<1024x256xf32>, tensor<1024x256xf32>) ...
    // after
    %wt = linalg.transpose ins(%w : tensor<1024x256xf32>) outs(%e : tensor<256x1024xf32>) permutation = [1, 0]
    %y = linalg.matmul ins(%x, %wt : tensor<1024x256xf32>, tensor<256x1024xf32>) ...
    ```
  }];
  let dependentDialects = ["::mlir::tensor::TensorDialect"];
}

def UpdateInPlace : Pass<"nncc-update-in-place", "::mlir::func::FuncOp"> {
  let summary = "writes a parameter's or buffer's new value over the old one where that is safe";
  let description = [{
    A train step, a backward or a train-mode forward returns each updated
    parameter or buffer (`nn.updates`) through an out-parameter, which the
    runtime would copy over the state after the call: for an MLP's SGD step,
    the weights, momentum buffers and gradients, megabytes per step. Where one
    elementwise op is the only writer of the update, reads the state tensor
    only at the very index it writes, and nothing reads the state after it,
    the op writes the state tensor directly: the out-parameter and its copy
    are gone, and the state argument is written in place.

    ```mlir
    // before: %new is the out-parameter of update "0.weight"
    linalg.generic {maps = [id, id, id], iterators = [parallel, parallel]}
        ins(%w, %g : ...) outs(%new : ...)   // %w: the state argument "0.weight"
    // after: outs(%w : ...), and %new is no longer an argument
    ```
  }];
}

def OrderGlobals : Pass<"nncc-order-globals", "::mlir::ModuleOp"> {
  let summary = "puts the module's memref.globals in symbol order, located at their users";
  let description = [{
    One-shot bufferization makes a `memref.global` for each distinct tensor
    constant, in the order it visits the functions, which MLIR 19 takes from
    a map keyed by pointers: the order, and which function's location a
    global gets, change from run to run. This pass makes both a function of
    the IR alone, so that every later stage prints, and every target emits,
    the same bytes: globals go first in the module, sorted by symbol name,
    each located at the fused locations of its `memref.get_global` users in
    program order.
  }];
  let dependentDialects = ["::mlir::memref::MemRefDialect"];
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

def ContractionKernels : Pass<"nncc-contraction-kernels", "::mlir::func::FuncOp"> {
  let summary = "turns multiply-accumulate linalg ops on memrefs into register-tiled vector kernels";
  let description = [{
    Every matmul layout (matmul, matmul_transpose_a/b, batch_matmul, the
    matmul_transpose_b that nn.linear becomes) and every convolution is a
    linalg op whose body is `out + in0 * in1`. Each one becomes a loop nest
    that keeps an mr x nr tile of the output in vector registers for the
    whole reduction, in one of two shapes:

    - **outer product**, when one input ("B") is contiguous along the
      output's innermost dimension n (matmul, matmul_transpose_a,
      batch_matmul, convolutions with n = output width, strided ones
      included). Each reduction step loads nr/V vectors of B, broadcasts mr
      scalars of A and does mr * nr/V vector FMAs. The vectors are half
      the target's width (not below 8 lanes) when that leaves fewer lanes
      idle along n: a 56-wide convolution runs 7 vectors of 8 rather than 4
      of 16 with 8 lanes idle, since an FMA on a half-empty vector costs a
      full one.
    - **dot**, when both inputs are contiguous along the single reduction
      dimension k (matmul_transpose_b). Each step loads mr + nr vectors along
      k and does mr * nr FMAs; the tile is summed horizontally at the end.

    Edge tiles become their own smaller kernels with masked loads, so every
    kernel has static shapes. The outermost loop with more than one step of
    a kernel with at least 2^16 multiply-accumulates is an `scf.parallel`,
    for nncc-outline-parallel. Ops that fit neither shape are left for
    convert-linalg-to-loops. `vector-bits` is the target's vector width
    (512 also means 32 vector registers, otherwise 16).

    With `epilogues`, an elementwise linalg.generic right after the kernel
    that reads its output (bias add, activation, residual add) runs on the
    register tile before it is stored, and is erased (see Epilogue.h for
    when that is safe): the output is written once instead of three times.

    ```mlir
    linalg.matmul_transpose_b ins(%x, %w : memref<64x784xf32>, memref<512x784xf32>)
                              outs(%y : memref<64x512xf32>)
    // becomes, per 4x4 tile of %y:
    %acc:16 = scf.for %k = %c0 to %c784 step %c16 iter_args(...) {
      %a0 = vector.load %x[%m0, %k] : memref<64x784xf32>, vector<16xf32>
      %b0 = vector.load %w[%n0, %k] : memref<512x784xf32>, vector<16xf32>
      %0 = vector.fma %a0, %b0, %acc0 : vector<16xf32>
      ...
    ```
  }];
  let options = [
    Option<"vectorBits", "vector-bits", "int64_t", /*default=*/"256",
           "width of the target's vector registers in bits (128, 256 or 512)">,
    Option<"epilogues", "epilogues", "bool", /*default=*/"true",
           "compute the elementwise op after a kernel on its register tile (fusion rule epilogue)">,
  ];
  let dependentDialects = ["::mlir::affine::AffineDialect", "::mlir::arith::ArithDialect",
                           "::mlir::memref::MemRefDialect", "::mlir::scf::SCFDialect",
                           "::mlir::vector::VectorDialect"];
}

def GenericKernels : Pass<"nncc-generic-kernels", "::mlir::func::FuncOp"> {
  let summary = "turns elementwise and row-reduction linalg ops on memrefs into vector loops";
  let description = [{
    A linalg.generic (fills, copies, maps and broadcasts are generalized
    first) whose body is scalar arith/math on f32, whose loops are all
    parallel but perhaps the last, and whose operands are contiguous along
    the last loop or independent of it, becomes loops over the other
    dimensions around a vector loop along the last one:
    - all parallel: each vector of the body's results is stored;
    - the last loop a reduction (softmax's max and sum, layer norm's mean
      and variance): a vector accumulator, reduced once per row.
    The outermost loop of an op with at least 2^16 iterations is an
    scf.parallel (see nncc-outline-parallel). Last, exp, tanh, erf, log and
    the other transcendental math ops become polynomials in arith ops, so
    that they stay vectors: libm has no vector forms.
  }];
  let options = [
    Option<"vectorBits", "vector-bits", "int64_t", /*default=*/"256",
           "width of the target's vector registers in bits (128, 256 or 512)">,
  ];
  let dependentDialects = ["::mlir::affine::AffineDialect", "::mlir::arith::ArithDialect",
                           "::mlir::memref::MemRefDialect", "::mlir::scf::SCFDialect",
                           "::mlir::vector::VectorDialect"];
}

def OutlineParallel : Pass<"nncc-outline-parallel", "::mlir::ModuleOp"> {
  let summary = "moves each top-level scf.parallel into a function the runtime's threads can run";
  let description = [{
    Each one-dimensional `scf.parallel` at the top level of a function F
    becomes a private function `@F_par<i>(%lo, %hi, F's arguments...)`
    that runs iterations [lo, hi) as an scf.for, rebuilding the views it
    reads from F's arguments (constants, memref.view, subview and reshapes
    are cloned). The loop is replaced by a call over the whole range, so
    the IR still runs sequentially as written; nncc-dispatch-parallel later
    splits that call across the runtime's threads. The function is marked
    `nn.parallel_body`. A loop that reads anything else becomes an scf.for.

    ```mlir
    scf.parallel (%i) = (%c0) to (%c512) step (%c8) { ... }
    // becomes
    func.call @forward_par0(%c0, %c64, %arg0, %arg1, ...)
    func.func private @forward_par0(%lo: index, %hi: index, ...) attributes {nn.parallel_body} {
      scf.for %t = %lo to %hi step %c1 { %i = %t * 8 ... }
    ```
  }];
  let dependentDialects = ["::mlir::affine::AffineDialect", "::mlir::arith::ArithDialect",
                           "::mlir::func::FuncDialect", "::mlir::scf::SCFDialect"];
}

def DispatchParallel : Pass<"nncc-dispatch-parallel", "::mlir::ModuleOp"> {
  let summary = "runs calls of nn.parallel_body functions on the runtime's threads";
  let description = [{
    On the LLVM dialect: each call `@F_par<i>(lo, hi, ptrs...)` becomes a
    call of the runtime's `nncc_rt_parallel_for(task, ctx, hi)`, where ctx
    is a stack array holding the pointers and `task(ctx, lo, hi)` is a
    generated trampoline that loads them and calls `@F_par<i>`. The runtime
    splits [0, hi) into one contiguous range per thread.
  }];
}

def LowerCallbacks : Pass<"nncc-lower-callbacks", "::mlir::ModuleOp"> {
  let summary = "turns each nn.callback into a call of the runtime's nncc_rt_hook";
  let description = [{
    `nn.callback ... {site = N}` on a buffer becomes
    `func.call @nncc_rt_hook(N, data, module_input)` with the buffers' data
    pointers (offsets applied; a null pointer when there is no module
    input). The runtime finds the model running on the thread and calls the
    callbacks attached to site N's path and kind (runtime/Hooks.h).
  }];
  let dependentDialects = ["::mlir::LLVM::LLVMDialect", "::mlir::func::FuncDialect",
                           "::mlir::arith::ArithDialect", "::mlir::memref::MemRefDialect"];
}

def DescribeAbi : Pass<"nncc-describe-abi", "::mlir::ModuleOp"> {
  let summary = "records each entry function's calling convention as the nn.manifest attribute";
  let description = [{
    After bufferization and memory planning, every public function takes
    pointers only: inputs, parameters, buffers, outputs, arena. This pass
    writes that order, with names, shapes and the arena size, as a JSON
    string in the module attribute `nn.manifest`. It also numbers every
    `nn.callback` (its `site`) and lists the hook points under `hooks`. The runtime reads the same
    JSON from the artifact, and the generated header is written from it.
  }];
  let options = [
    Option<"modelName", "model-name", "std::string", /*default=*/"\"model\"",
           "name used for the artifact's exported symbols">,
    Option<"isa", "isa", "std::string", /*default=*/"\"\"",
           "comma-separated CPU features the code may use (the manifest's `isa`, which the "
           "runtime checks when it loads the artifact)">
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
