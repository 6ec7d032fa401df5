"""A small token-classification encoder trained from scratch, LayoutLM-style.

Embeddings per token: word-piece embedding + a char-CNN over the piece's characters (a constant
table inside the model, so the ONNX graph needs token ids only) + 1D position + 2D layout
(x0, y0, x1, y1, width, height of the word box, 0-1000) -> optional residual 1D convolutions
-> optional stacked BiLSTM layers (length-aware, so right padding never leaks into real tokens)
-> optional pre-norm transformer layers -> linear head; optionally a CRF over word units (crf.py:
trained here, decoded by the engine from config.json, so the graph stays emissions only).
Boxes of special and padding tokens are ignored (the engine may send [0,0,0,0] or
[1000,1000,1000,1000] for [CLS]/[SEP]). Plain torch ops only: traces to ONNX opset 14 on torch
1.13 and 2.x, CPU or CUDA.
"""
from __future__ import annotations

import math

import torch
from torch import nn

from crf import CRF

MAX_TOKEN_CHARS = 16


def token_char_table(vocab: dict[str, int], chars: dict[str, int]) -> torch.Tensor:
    """[vocab, MAX_TOKEN_CHARS] char ids per piece ("##" stripped; 0 pad, 1 unknown char).
    Long pieces keep their first and last characters."""
    table = torch.zeros(len(vocab), MAX_TOKEN_CHARS, dtype=torch.long)
    for tok, i in vocab.items():
        if tok.startswith('[') and tok.endswith(']'):
            continue
        s = tok[2:] if tok.startswith('##') else tok
        if len(s) > MAX_TOKEN_CHARS:
            s = s[:MAX_TOKEN_CHARS // 2] + s[-MAX_TOKEN_CHARS // 2:]
        for k, ch in enumerate(s):
            table[i, k] = chars.get(ch, 1)
    return table


class Layer(nn.Module):
    def __init__(self, d: int, heads: int, ff: int, dropout: float):
        super().__init__()
        self.heads = heads
        self.ln1 = nn.LayerNorm(d)
        self.qkv = nn.Linear(d, 3 * d)
        self.out = nn.Linear(d, d)
        self.ln2 = nn.LayerNorm(d)
        self.ff = nn.Sequential(nn.Linear(d, ff), nn.GELU(), nn.Linear(ff, d))
        self.drop = nn.Dropout(dropout)

    def forward(self, x: torch.Tensor, mask_bias: torch.Tensor) -> torch.Tensor:
        b, s, d = x.shape
        h = self.ln1(x)
        q, k, v = self.qkv(h).view(b, s, 3, self.heads, d // self.heads).permute(2, 0, 3, 1, 4)
        att = torch.matmul(q, k.transpose(-1, -2)) / math.sqrt(d // self.heads) + mask_bias
        att = self.drop(torch.softmax(att, dim=-1))
        h = torch.matmul(att, v).transpose(1, 2).reshape(b, s, d)
        x = x + self.drop(self.out(h))
        return x + self.drop(self.ff(self.ln2(x)))


class LocalConv(nn.Module):
    """Residual 1D convolution over the piece sequence: lets a word's first piece see its other pieces
    and its neighbours from the first layer on. Padding positions are zeroed first, so (with right
    padding) real tokens see exactly what an unpadded sequence shows them."""

    def __init__(self, d: int, kernel: int, dropout: float):
        super().__init__()
        self.ln = nn.LayerNorm(d)
        self.conv = nn.Conv1d(d, d, kernel, padding=kernel // 2)
        self.drop = nn.Dropout(dropout)

    def forward(self, x: torch.Tensor, keep: torch.Tensor) -> torch.Tensor:
        h = self.ln(x) * keep
        return x + self.drop(torch.nn.functional.gelu(self.conv(h.transpose(1, 2)).transpose(1, 2)))


class LayoutEncoder(nn.Module):
    def __init__(self, vocab_size: int, num_labels: int, token_chars: torch.Tensor, n_chars: int,
                 special_ids: list[int], d: int = 256, layers: int = 4, heads: int = 4, ff: int = 1024,
                 max_pos: int = 512, char_dim: int = 32, char_filters: int = 128, lstm: bool = False,
                 conv_layers: int = 0, conv_kernel: int = 5, dropout: float = 0.1, embed_dropout: float = 0.1,
                 lstm_layers: int = 0, lstm_hidden: int = 0, crf: bool = False, labels: list[str] | None = None,
                 box_features: bool = True):
        super().__init__()
        self.register_buffer('token_chars', token_chars)
        self.special_ids = list(special_ids)
        self.tok = nn.Embedding(vocab_size, d)
        self.char = nn.Embedding(n_chars, char_dim, padding_idx=0)
        self.char_conv = nn.Conv1d(char_dim, char_filters, 3, padding=1)
        self.char_proj = nn.Linear(char_filters, d)
        self.pos = nn.Embedding(max_pos, d)
        self.x = nn.Embedding(1001, d)
        self.y = nn.Embedding(1001, d)
        self.w = nn.Embedding(1001, d)
        self.h = nn.Embedding(1001, d)
        self.ln = nn.LayerNorm(d)
        self.drop = nn.Dropout(dropout)
        self.embed_dropout = embed_dropout
        self.char_cache: torch.Tensor | None = None
        # the first design: one BiLSTM block of d/2 per direction, added to its input (lstm=True)
        self.lstm = nn.LSTM(d, d // 2, batch_first=True, bidirectional=False) if lstm else None
        self.lstm_back = nn.LSTM(d, d // 2, batch_first=True) if lstm else None
        # stacked pre-norm BiLSTM blocks: x + proj([fwd; back](ln(x)))
        h = lstm_hidden or d // 2
        self.bilstms = nn.ModuleList([BiLSTMBlock(d, h, dropout) for _ in range(lstm_layers)])
        self.box_features = box_features
        self.crf = CRF(labels) if crf else None
        self.convs = nn.ModuleList([LocalConv(d, conv_kernel, dropout) for _ in range(conv_layers)])
        self.layers = nn.ModuleList([Layer(d, heads, ff, dropout) for _ in range(layers)])
        self.final_ln = nn.LayerNorm(d)
        self.head = nn.Linear(d, num_labels)

    def forward(self, input_ids: torch.Tensor, attention_mask: torch.Tensor, bbox: torch.Tensor) -> torch.Tensor:
        return self.head(self.features(input_ids, attention_mask, bbox))

    def features(self, input_ids: torch.Tensor, attention_mask: torch.Tensor, bbox: torch.Tensor) -> torch.Tensor:
        """[b, s, d] final hidden states (before the label head; the MLM head reads these too)."""
        b, s = input_ids.shape
        if self.char_cache is not None:
            # inference: piece embedding + char features summed into one precomputed table
            piece = self.char_cache[input_ids]
        else:
            tok = self.tok(input_ids)
            if self.training and self.embed_dropout > 0:
                # drop whole piece embeddings so the char features learn to carry rare words
                keep = (torch.rand(b, s, 1, device=tok.device) >= self.embed_dropout).to(tok.dtype)
                tok = tok * keep
            # the char-CNN depends on the piece id only: run it once per distinct piece of the batch
            uniq, inv = torch.unique(input_ids, return_inverse=True)
            piece = tok + self.char_features(uniq)[inv]
        pos = torch.arange(s, device=input_ids.device).unsqueeze(0)
        x = piece + self.pos(pos)
        if self.box_features:
            box = bbox.clamp(0, 1000)
            special = attention_mask == 0
            for sid in self.special_ids:
                special = special | (input_ids == sid)
            box = box.masked_fill(special.unsqueeze(-1), 0)
            x = x + (self.x(box[..., 0]) + self.y(box[..., 1]) + self.x(box[..., 2]) + self.y(box[..., 3])
                     + self.w((box[..., 2] - box[..., 0]).clamp(0, 1000)) + self.h((box[..., 3] - box[..., 1]).clamp(0, 1000)))
        x = self.drop(self.ln(x))
        keep = attention_mask.to(x.dtype).unsqueeze(-1)
        for conv in self.convs:
            x = conv(x, keep)
        if self.lstm is not None:
            x = x + self._bilstm(x, attention_mask)
        if len(self.bilstms) > 0:
            idx = reverse_index(attention_mask)
            for block in self.bilstms:
                x = block(x, idx)
        mask_bias = ((1.0 - attention_mask.to(x.dtype)) * -10000.0)[:, None, None, :]
        for layer in self.layers:
            x = layer(x, mask_bias)
        return self.final_ln(x)

    def char_features(self, ids: torch.Tensor) -> torch.Tensor:
        """[n] piece ids -> [n, d] projected char-CNN features."""
        ch = self.char(self.token_chars[ids]).transpose(1, 2)
        return self.char_proj(torch.relu(self.char_conv(ch)).max(dim=2).values)

    def freeze_char_cache(self) -> None:
        """For inference and export: precompute piece embedding + char features for every piece into
        one table (same values; a lookup instead of a CNN in the graph, and one table instead of two)."""
        with torch.no_grad():
            ids = torch.arange(self.token_chars.shape[0], device=self.token_chars.device)
            self.char_cache = self.tok.weight + self.char_features(ids)

    def train(self, mode: bool = True):
        if mode:
            self.char_cache = None
        return super().train(mode)

    def _bilstm(self, x: torch.Tensor, attention_mask: torch.Tensor) -> torch.Tensor:
        """Forward LSTM, plus a backward LSTM run on each row reversed within its own length
        (padding assumed on the right), so outputs of real tokens never depend on padding."""
        fwd, _ = self.lstm(x)
        lengths = attention_mask.sum(1, keepdim=True)
        pos = torch.arange(x.shape[1], device=x.device).unsqueeze(0)
        idx = torch.where(pos < lengths, lengths - 1 - pos, pos).unsqueeze(-1).expand(-1, -1, x.shape[2])
        back, _ = self.lstm_back(torch.gather(x, 1, idx))
        back = torch.gather(back, 1, idx[..., : back.shape[2]])
        return torch.cat([fwd, back], dim=-1)


def reverse_index(attention_mask: torch.Tensor) -> torch.Tensor:
    """[b, s] gather index that reverses each row within its own length (right padding stays put)."""
    lengths = attention_mask.sum(1, keepdim=True)
    pos = torch.arange(attention_mask.shape[1], device=attention_mask.device).unsqueeze(0)
    return torch.where(pos < lengths, lengths - 1 - pos, pos)


class BiLSTMBlock(nn.Module):
    """Pre-norm residual BiLSTM: x + drop(proj([fwd(h); rev(back(rev(h)))])), h = ln(x). The backward
    LSTM reads each row reversed within its length, so real tokens never see right padding."""

    def __init__(self, d: int, hidden: int, dropout: float):
        super().__init__()
        self.ln = nn.LayerNorm(d)
        self.fwd = nn.LSTM(d, hidden, batch_first=True)
        self.back = nn.LSTM(d, hidden, batch_first=True)
        self.proj = nn.Linear(2 * hidden, d)
        self.drop = nn.Dropout(dropout)

    def forward(self, x: torch.Tensor, idx: torch.Tensor) -> torch.Tensor:
        h = self.ln(x)
        f, _ = self.fwd(h)
        gi = idx.unsqueeze(-1)
        r, _ = self.back(torch.gather(h, 1, gi.expand(-1, -1, h.shape[2])))
        r = torch.gather(r, 1, gi.expand(-1, -1, r.shape[2]))
        return x + self.drop(self.proj(torch.cat([f, r], dim=-1)))
