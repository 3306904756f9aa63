// `nncc compile --mode=train`: the generated backward and train step at the nn-autodiff stage,
// the optimizer update fused into one loop per parameter, the artifact's entry points and header
// (byte-identical when compiled twice), and the errors and notes around the mode.
// RUN: nncc compile %s --mode=train --emit=nn-autodiff | FileCheck %s --check-prefix=AD
// RUN: nncc compile %s --mode=train --emit=fused | FileCheck %s --check-prefix=LINALG
// RUN: rm -rf %t && nncc compile %s --mode=train --weights %inputs/small.safetensors -o %t
// RUN: llvm-nm --extern-only --defined-only %t/train_mode.o | FileCheck %s --check-prefix=SYMBOLS
// RUN: FileCheck %s --check-prefix=HEADER < %t/train_mode.h
// RUN: rm -rf %t.again && nncc compile %s --mode=train --weights %inputs/small.safetensors -o %t.again
// RUN: cmp %t/train_mode.o %t.again/train_mode.o
// RUN: not nncc compile %s --emit=nn-autodiff 2>&1 | FileCheck %s --check-prefix=NEEDS-TRAIN
// RUN: not nncc compile %s -O7 2>&1 | FileCheck %s --check-prefix=OPT
// RUN: nncc compile %inputs/small.mlir --mode=train --emit=nn-autodiff 2>&1 | FileCheck %s --check-prefix=NO-LOSS

module attributes {nn.class = "Sequential", nn.training = false,
                   nn.optimizer = {kind = "adamw", lr = 1.0e-02 : f64, weight_decay = 1.0e-02 : f64}} {
  nn.parameter @"0.weight" : tensor<8x4xf32>
  nn.parameter @"0.bias" : tensor<8xf32>
  nn.parameter @"2.weight" : tensor<3x8xf32>
  func.func @forward(%x: tensor<2x4xf32> {nn.name = "x"}) -> tensor<2x3xf32> {
    %w0 = nn.get @"0.weight" : tensor<8x4xf32> loc("0.weight")
    %b0 = nn.get @"0.bias" : tensor<8xf32> loc("0.bias")
    %w2 = nn.get @"2.weight" : tensor<3x8xf32> loc("2.weight")
    %h = nn.linear %x, %w0, %b0 : tensor<2x4xf32>, tensor<8x4xf32>, tensor<8xf32> -> tensor<2x8xf32> loc("0")
    %r = nn.relu %h : tensor<2x8xf32> loc("1")
    %y = nn.linear %r, %w2 : tensor<2x8xf32>, tensor<3x8xf32> -> tensor<2x3xf32> loc("2")
    return %y : tensor<2x3xf32> loc("<root>")
  }
  func.func @train_forward(%x: tensor<2x4xf32> {nn.name = "x"}, %t: tensor<2x3xf32> {nn.name = "target"}) -> tensor<f32> {
    %w0 = nn.get @"0.weight" : tensor<8x4xf32> loc("0.weight")
    %b0 = nn.get @"0.bias" : tensor<8xf32> loc("0.bias")
    %w2 = nn.get @"2.weight" : tensor<3x8xf32> loc("2.weight")
    %h = nn.linear %x, %w0, %b0 : tensor<2x4xf32>, tensor<8x4xf32>, tensor<8xf32> -> tensor<2x8xf32> loc("0")
    %r = nn.relu %h : tensor<2x8xf32> loc("1")
    %y = nn.linear %r, %w2 : tensor<2x8xf32>, tensor<3x8xf32> -> tensor<2x3xf32> loc("2")
    %d = nn.sub %y, %t : tensor<2x3xf32>, tensor<2x3xf32> -> tensor<2x3xf32> loc("<root>")
    %sq = nn.mul %d, %d : tensor<2x3xf32>, tensor<2x3xf32> -> tensor<2x3xf32> loc("<root>")
    %l = nn.sum %sq, dims = [0, 1] : tensor<2x3xf32> -> tensor<f32> loc("<root>")
    return %l : tensor<f32> loc("<root>")
  }
}

// The backward recomputes the forward; gradients are named by parameter and
// accumulate into grad buffers. The train step keeps Adam's state in optim.*.
// AD: nn.buffer non_persistent @grad.0.weight : tensor<8x4xf32>
// AD: nn.buffer non_persistent @optim.step : tensor<f32>
// AD: nn.buffer non_persistent @optim.0.weight.exp_avg : tensor<8x4xf32>
// AD: nn.buffer non_persistent @optim.0.weight.exp_avg_sq : tensor<8x4xf32>
// AD-LABEL: func.func @backward(
// AD-SAME: {nn.name = "grad_output0"}
// AD: nn.activation_grad "relu"
// AD: %grad.0.weight = nn.add
// AD-LABEL: func.func @train_step(
// AD-SAME: -> tensor<f32>
// AD: %grad.2.weight = nn.matmul
// AD: nn.assign @optim.0.weight.exp_avg
// AD: nn.assign @"0.weight"

// Adam's two moments and the new weight come out of one loop over each
// parameter (its gradient is a matmul's result).
// LINALG-LABEL: func.func @train_step(
// LINALG-COUNT-3: %{{.*}}:3 = linalg.generic

// SYMBOLS: nncc_train_mode_backward
// SYMBOLS: nncc_train_mode_forward
// SYMBOLS: nncc_train_mode_manifest
// SYMBOLS: nncc_train_mode_train_step

// HEADER: void nncc_train_mode_backward(void **args);
// HEADER: nncc::rt::Status backward(const float *x, const float *grad_output0, nncc::rt::GradMode mode = nncc::rt::GradMode::Accumulate)
// HEADER: nncc::rt::Status train_step(const float *x, const float *target, float *loss)
// HEADER: const float *grad(const std::string &name) const
// HEADER: nncc::rt::Status save_state_dict(const std::string &path) const

// NEEDS-TRAIN: nncc: error: {{.*}}train-mode.mlir: --emit=nn-autodiff shows the generated backward; it needs --mode=train
// OPT: nncc: error: -O7: the optimization level is 0 to 3
// NO-LOSS: nncc: note: {{.*}}small.mlir was recorded without a loss: compiling forward and backward, no train_step
// NO-LOSS: func.func @backward(
