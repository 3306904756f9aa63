"""Makes the small inputs of the CLI lit tests (numpy only): weights for Inputs/small.mlir (and
nncc/emit-stages.mlir) and Inputs/shapes.mlir as safetensors, their inputs and expected outputs,
and bad inputs (wrong shape, float64).
Rerun with: /usr/bin/python3 test/lit/Inputs/make_inputs.py"""
import json
import os
import struct

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))


def write_safetensors(path, tensors):
    header, blobs, offset = {}, [], 0
    for name, array in tensors.items():
        data = array.astype("<f4").tobytes()
        header[name] = {"dtype": "F32", "shape": list(array.shape), "data_offsets": [offset, offset + len(data)]}
        blobs.append(data)
        offset += len(data)
    text = json.dumps(header, sort_keys=True, separators=(",", ":")).encode()
    text += b" " * (-len(text) % 8)
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(text)) + text + b"".join(blobs))


def main():
    rng = np.random.default_rng(7)
    w0 = rng.standard_normal((8, 4)).astype(np.float32)
    b0 = rng.standard_normal(8).astype(np.float32)
    w2 = rng.standard_normal((3, 8)).astype(np.float32)
    x = rng.standard_normal((2, 4)).astype(np.float32)
    y = np.maximum(x @ w0.T + b0, 0) @ w2.T
    write_safetensors(os.path.join(HERE, "small.safetensors"), {"0.weight": w0, "0.bias": b0, "2.weight": w2})
    np.save(os.path.join(HERE, "x.npy"), x)
    np.save(os.path.join(HERE, "y_expected.npy"), y.astype(np.float32))
    np.save(os.path.join(HERE, "x_wrong_shape.npy"), rng.standard_normal((2, 5)).astype(np.float32))
    np.save(os.path.join(HERE, "x_float64.npy"), x.astype(np.float64))

    # shapes.mlir: rank-3 linear, broadcasting add and mul, batched matmul, flatten; two outputs.
    rng = np.random.default_rng(11)
    w = rng.standard_normal((5, 4)).astype(np.float32)
    b = rng.standard_normal(5).astype(np.float32)
    shift = rng.standard_normal((3, 1)).astype(np.float32)
    gain = rng.standard_normal(5).astype(np.float32)
    mix = rng.standard_normal((2, 5, 2)).astype(np.float32)
    x3 = rng.standard_normal((2, 3, 4)).astype(np.float32)
    proj = x3 @ w.T + b
    flat = ((np.maximum(proj + shift, 0) * gain) @ mix).reshape(2, 6)
    write_safetensors(os.path.join(HERE, "shapes.safetensors"),
                      {"proj.weight": w, "proj.bias": b, "shift": shift, "gain": gain, "mix": mix})
    np.save(os.path.join(HERE, "x3.npy"), x3)
    np.save(os.path.join(HERE, "shapes_flat_expected.npy"), flat.astype(np.float32))
    np.save(os.path.join(HERE, "shapes_proj_expected.npy"), proj.astype(np.float32))


if __name__ == "__main__":
    main()
