// Hook points: where registered module and tensor hooks call back into the runtime.
#ifndef NN_HOOK_OPS_TD
#define NN_HOOK_OPS_TD

def NN_HookOp : NN_Op<"hook", [AllTypesMatch<["input", "result"]>,
                                MemoryEffects<[MemRead, MemWrite]>]> {
  let summary = "calls the callbacks attached to a module path with a tensor";
  let description = [{
    A hook point. When evaluated, it calls the callbacks attached at run time
    to `path` for `kind` (forward_pre, forward, backward_pre, backward, grad)
    with `input`, which they may overwrite; the result is the value after
    them. Forward hooks also see the module's input, `module_input`.
    `module_class` names the module's class where it is known. The callbacks
    are opaque: the gradient passes through the op unchanged. Compiled code
    materialises `input` here, so a hook point is a fusion boundary.

    ```mlir
    %y2 = nn.hook "forward" at "features.0"(%y, %x) : tensor<1x32xf32>, tensor<1x16xf32>
    ```
  }];
  let arguments = (ins StrAttr:$kind, StrAttr:$path, NN_Tensor:$input,
                       Optional<NN_Tensor>:$module_input, OptionalAttr<StrAttr>:$module_class);
  let results = (outs NN_Tensor:$result);
  let assemblyFormat = [{
    $kind `at` $path `(` $input (`,` $module_input^)? `)` attr-dict `:` type($input) (`,` type($module_input)^)?
  }];
  let hasVerifier = 1;
}

def NN_GradHookOp : NN_Op<"grad_hook", [Pure, AllTypesMatch<["input", "result"]>]> {
  let summary = "marks a value whose gradient goes through a hook point";
  let description = [{
    The identity on `input`; its gradient rule is an `nn.hook` of the same
    `kind` (backward_pre, backward or grad) and `path` on the incoming
    gradient, so backward and gradient hooks fire in the backward.

    ```mlir
    %w2 = nn.grad_hook "grad" at "fc.weight"(%w) : tensor<10x64xf32>
    ```
  }];
  let arguments = (ins StrAttr:$kind, StrAttr:$path, NN_Tensor:$input,
                       OptionalAttr<StrAttr>:$module_class);
  let results = (outs NN_Tensor:$result);
  let assemblyFormat = "$kind `at` $path `(` $input `)` attr-dict `:` type($input)";
  let hasVerifier = 1;
}

def NN_CallbackOp : NN_Op<"callback", [MemoryEffects<[MemRead, MemWrite]>]> {
  let summary = "a bufferized hook point: calls hook point `site` of the runtime on a buffer";
  let description = [{
    What `nn.hook` becomes after bufferization: `buffer` (contiguous) is
    handed to the callbacks, which may overwrite it; `module_input` is read only.
    The manifest lists each `site`'s path, kind and shapes.

    ```mlir
    nn.callback "forward" at "features.0"(%buf, %in) {site = 0 : i64} : memref<1x32xf32>, memref<1x16xf32>
    ```
  }];
  let arguments = (ins StrAttr:$kind, StrAttr:$path, AnyMemRef:$buffer,
                       Optional<AnyMemRef>:$module_input, OptionalAttr<StrAttr>:$module_class,
                       OptionalAttr<I64Attr>:$site);
  let assemblyFormat = [{
    $kind `at` $path `(` $buffer (`,` $module_input^)? `)` attr-dict `:` type($buffer) (`,` type($module_input)^)?
  }];
}

#endif // NN_HOOK_OPS_TD
