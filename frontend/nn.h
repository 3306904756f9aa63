// The header a model author includes: nncc's torch.nn-style Module tree, layers, tensors and init.
#pragma once

#include "frontend/Checkpoint.h"
#include "frontend/Containers.h"
#include "frontend/Error.h"
#include "frontend/Init.h"
#include "frontend/Module.h"
#include "frontend/Random.h"
#include "frontend/StateDict.h"
#include "frontend/SymTensor.h"
#include "frontend/Tensor.h"
#include "frontend/functional/Mode.h"
#include "frontend/layers/Activation.h"
#include "frontend/layers/BatchNorm.h"
#include "frontend/layers/Dropout.h"
#include "frontend/layers/Flatten.h"
#include "frontend/layers/Identity.h"
#include "frontend/layers/Linear.h"
