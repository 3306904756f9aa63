// nncc-insert-hook-points taps module outputs found from locations (innermost first, only uses
// outside the module see the tap); nncc-select-hook-points keeps the points a glob names.
// RUN: nncc-opt %s --nncc-insert-hook-points | FileCheck %s --check-prefix=ALL
// RUN: nncc-opt %s --nncc-insert-hook-points=pattern=block.0 | FileCheck %s --check-prefix=ONE
// RUN: nncc-opt %s --nncc-select-hook-points=keep=head | FileCheck %s --check-prefix=KEEP
// RUN: nncc-opt %s --nncc-select-hook-points=strip=true | FileCheck %s --check-prefix=STRIP

// ALL-LABEL: func.func @forward
// ALL: %[[H:.*]] = nn.linear
// ALL-NEXT: %[[T0:.*]] = nn.hook "forward" at "block.0"(%[[H]])
// ALL: %[[R:.*]] = nn.relu %[[T0]]
// ALL-NEXT: %[[T1:.*]] = nn.hook "forward" at "block.1"(%[[R]])
// ALL-NEXT: %[[TB:.*]] = nn.hook "forward" at "block"(%[[T1]])
// ALL: nn.hook "forward_pre" at "head"
// ALL: %[[Y:.*]] = nn.linear
// ALL-NEXT: %[[TY:.*]] = nn.hook "forward" at "head"(%[[Y]])
// ALL-NEXT: %[[TR:.*]] = nn.hook "forward" at ""(%[[TY]])
// ALL: return %[[TR]]
// ALL-NOT: nn.hook

// ONE-COUNT-1: nn.hook "forward" at
// ONE-NOT: nn.hook "forward" at

// KEEP-NOT: nn.grad_hook
// KEEP: nn.hook "forward_pre" at "head"

// STRIP-NOT: nn.hook
// STRIP-NOT: nn.grad_hook
module attributes {nn.class = "Net", nn.training = false} {
  nn.parameter @"block.0.weight" : tensor<8x4xf32>
  nn.parameter @"head.weight" : tensor<3x8xf32>
  func.func @forward(%x: tensor<2x4xf32>) -> tensor<2x3xf32> {
    %w0 = nn.get @"block.0.weight" : tensor<8x4xf32> loc("block.0.weight")
    %w0h = nn.grad_hook "grad" at "block.0.weight"(%w0) : tensor<8x4xf32> loc("block.0.weight")
    %w2 = nn.get @"head.weight" : tensor<3x8xf32> loc("head.weight")
    %h = nn.linear %x, %w0h : tensor<2x4xf32>, tensor<8x4xf32> -> tensor<2x8xf32> loc("block.0")
    %r = nn.relu %h : tensor<2x8xf32> loc("block.1")
    %r1 = nn.hook "forward_pre" at "head"(%r) : tensor<2x8xf32> loc("head")
    %y = nn.linear %r1, %w2 : tensor<2x8xf32>, tensor<3x8xf32> -> tensor<2x3xf32> loc("head")
    return %y : tensor<2x3xf32> loc("<root>")
  }
}
