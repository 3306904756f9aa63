"""Goldens for MultiheadAttention, TransformerEncoderLayer/Encoder, LSTM and GRU, from PyTorch 1.13.

Each case in test/goldens/sequence/<case>/ holds the module's weights (built right after
torch.manual_seed, so nncc can also check its initialization), its inputs and outputs as .npy,
and state_dict_keys.txt. Boolean masks are saved as float 0/1 (nncc's mask inputs are f32).
Rerun with:

    /usr/bin/python3 test/goldens/make_sequence_goldens.py
"""
import os

import torch
from torch import nn

from make_goldens import HERE, save_npy, write_safetensors

OUT = os.path.join(HERE, "sequence")


def save(name, module, tensors):
    directory = os.path.join(OUT, name)
    os.makedirs(directory, exist_ok=True)
    write_safetensors(os.path.join(directory, "weights.safetensors"), module.state_dict())
    with open(os.path.join(directory, "state_dict_keys.txt"), "w") as f:
        f.write("\n".join(module.state_dict().keys()))
    for key, t in tensors.items():
        save_npy(os.path.join(directory, key + ".npy"), t.float())


def main():
    g = torch.Generator().manual_seed(31)

    torch.manual_seed(30)
    mha = nn.MultiheadAttention(8, 2).eval()
    q, k, v = torch.randn(3, 2, 8, generator=g), torch.randn(4, 2, 8, generator=g), torch.randn(4, 2, 8, generator=g)
    with torch.no_grad():
        out, weights = mha(q, k, v)
    save("mha_basic", mha, {"q": q, "k": k, "v": v, "output": out, "weights": weights})

    torch.manual_seed(32)
    mha = nn.MultiheadAttention(8, 4, batch_first=True).eval()
    x = torch.randn(2, 5, 8, generator=g)
    attn_mask = torch.zeros(5, 5)
    attn_mask[0, 3:] = float("-inf")
    attn_mask[2, 1] = -2.0
    padding = torch.tensor([[False, False, False, False, True], [False, False, True, True, True]])
    with torch.no_grad():
        out, weights = mha(x, x, x, key_padding_mask=padding, attn_mask=attn_mask)
    save("mha_masks_batch_first", mha, {"x": x, "attn_mask": attn_mask, "key_padding_mask": padding,
                                        "output": out, "weights": weights})

    torch.manual_seed(33)
    layer = nn.TransformerEncoderLayer(8, 2, dim_feedforward=16).eval()
    x = torch.randn(4, 3, 8, generator=g)
    with torch.no_grad():
        out = layer(x)
    save("encoder_layer_relu", layer, {"x": x, "output": out})

    torch.manual_seed(34)
    layer = nn.TransformerEncoderLayer(8, 2, dim_feedforward=16, activation="gelu", batch_first=True,
                                       norm_first=True).eval()
    x = torch.randn(3, 4, 8, generator=g)
    with torch.no_grad():
        out = layer(x)
    save("encoder_layer_gelu_norm_first", layer, {"x": x, "output": out})

    torch.manual_seed(35)
    proto = nn.TransformerEncoderLayer(8, 2, dim_feedforward=16, batch_first=True)
    encoder = nn.TransformerEncoder(proto, 2, norm=nn.LayerNorm(8), enable_nested_tensor=False).eval()
    x = torch.randn(2, 4, 8, generator=g)
    padding = torch.tensor([[False, False, False, True], [False, False, False, False]])
    with torch.no_grad():
        out = encoder(x, src_key_padding_mask=padding)
    save("encoder_2_layers", encoder, {"x": x, "key_padding_mask": padding, "output": out})

    torch.manual_seed(36)
    lstm = nn.LSTM(5, 6, num_layers=2, batch_first=True).eval()
    x = torch.randn(3, 4, 5, generator=g)
    h0, c0 = torch.randn(2, 3, 6, generator=g), torch.randn(2, 3, 6, generator=g)
    with torch.no_grad():
        out, (h, c) = lstm(x, (h0, c0))
    save("lstm_2_layers_batch_first", lstm, {"x": x, "h0": h0, "c0": c0, "output": out, "h_n": h, "c_n": c})

    torch.manual_seed(37)
    lstm = nn.LSTM(4, 3, bias=False).eval()
    x = torch.randn(5, 2, 4, generator=g)
    with torch.no_grad():
        out, (h, c) = lstm(x)
    save("lstm_no_bias", lstm, {"x": x, "output": out, "h_n": h, "c_n": c})

    torch.manual_seed(38)
    gru = nn.GRU(4, 5, num_layers=2).eval()
    x = torch.randn(6, 2, 4, generator=g)
    with torch.no_grad():
        out, h = gru(x)
    save("gru_2_layers", gru, {"x": x, "output": out, "h_n": h})


if __name__ == "__main__":
    main()
