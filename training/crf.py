"""Linear-chain CRF over word units (the first piece of each word), trained by negative log-likelihood.

A path's score is start[y0] + sum_t em_t[y_t] + sum_t trans[y_t-1, y_t] + end[y_n-1]. With IOB2
labels the IOB2 rule is built in: moves into I-X other than from B-X/I-X, and starting with I-X, get
a fixed -10000 (never learned), so decoded paths are always well-formed. The TypeScript engine decodes
with the same numbers (config.json `ledgerlens.crf`, src/ner/crf-decode.ts); its emissions are the
log-softmax of the logits, which selects the same best path.
"""
from __future__ import annotations

import torch
from torch import nn

FORBIDDEN = -10000.0


def bio_masks(labels: list[str]) -> tuple[torch.Tensor, torch.Tensor]:
    """(allowed [k, k] from -> to, can_start [k]) for IOB2 labels; all True for other label sets."""
    k = len(labels)
    allowed = torch.ones(k, k, dtype=torch.bool)
    start = torch.ones(k, dtype=torch.bool)
    for j, to in enumerate(labels):
        if to.startswith('I-'):
            typ = to[2:]
            start[j] = False
            for i, frm in enumerate(labels):
                allowed[i, j] = frm in (f'B-{typ}', f'I-{typ}')
    return allowed, start


class CRF(nn.Module):
    def __init__(self, labels: list[str]):
        super().__init__()
        k = len(labels)
        self.trans = nn.Parameter(torch.zeros(k, k))
        self.start = nn.Parameter(torch.zeros(k))
        self.end = nn.Parameter(torch.zeros(k))
        allowed, can_start = bio_masks(labels)
        self.register_buffer('trans_bias', torch.where(allowed, 0.0, FORBIDDEN))
        self.register_buffer('start_bias', torch.where(can_start, 0.0, FORBIDDEN))

    def scores(self) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor]:
        return self.trans + self.trans_bias, self.start + self.start_bias, self.end

    def nll(self, em: torch.Tensor, tags: torch.Tensor, mask: torch.Tensor) -> torch.Tensor:
        """Sum over the batch of -log p(tags | em). em [b, n, k], tags [b, n] (any value where masked),
        mask [b, n] bool, each row's True positions a prefix (at least one)."""
        trans, start, end = self.scores()
        b, n, k = em.shape
        tags = tags.clamp(min=0)
        maskf = mask.to(em.dtype)
        lengths = mask.sum(1)
        # gold path score
        first = start[tags[:, 0]] + em[:, 0].gather(1, tags[:, :1]).squeeze(1)
        emit = em.gather(2, tags.unsqueeze(-1)).squeeze(-1)[:, 1:]
        moves = trans[tags[:, :-1], tags[:, 1:]]
        gold = first + ((emit + moves) * maskf[:, 1:]).sum(1)
        last_tag = tags.gather(1, (lengths - 1).unsqueeze(1)).squeeze(1)
        gold = gold + end[last_tag]
        # partition function
        alpha = start.unsqueeze(0) + em[:, 0]
        for t in range(1, n):
            nxt = torch.logsumexp(alpha.unsqueeze(2) + trans.unsqueeze(0), dim=1) + em[:, t]
            m = mask[:, t].unsqueeze(1)
            alpha = torch.where(m, nxt, alpha)
        z = torch.logsumexp(alpha + end.unsqueeze(0), dim=1)
        return (z - gold).sum()

    @torch.no_grad()
    def decode(self, em: torch.Tensor, mask: torch.Tensor) -> list[list[int]]:
        trans, start, end = self.scores()
        b, n, k = em.shape
        score = start.unsqueeze(0) + em[:, 0]
        backs = []
        for t in range(1, n):
            cand = score.unsqueeze(2) + trans.unsqueeze(0)
            best, arg = cand.max(dim=1)
            nxt = best + em[:, t]
            m = mask[:, t].unsqueeze(1)
            score = torch.where(m, nxt, score)
            backs.append(torch.where(m, arg, torch.arange(k).unsqueeze(0).expand(b, k)))
        last = (score + end.unsqueeze(0)).argmax(1)
        lengths = mask.sum(1).tolist()
        paths = []
        for r in range(b):
            cur = int(last[r])
            path = [cur]
            for t in range(lengths[r] - 1, 0, -1):
                cur = int(backs[t - 1][r, cur])
                path.append(cur)
            paths.append(path[::-1])
        return paths

    def export(self) -> dict:
        trans, start, end = self.scores()
        r = lambda v: round(float(v), 6)  # noqa: E731
        return {'transitions': [[r(v) for v in row] for row in trans.tolist()],
                'start': [r(v) for v in start.tolist()], 'end': [r(v) for v in end.tolist()]}


def word_positions(labels: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
    """For label tensors with -100 at unscored positions: (index [b, n] of each row's scored positions,
    left-packed; mask [b, n]) with n the most scored positions of any row."""
    scored = labels != -100
    n = max(int(scored.sum(1).max()), 1)
    order = torch.sort((~scored).to(torch.int8), dim=1, stable=True).indices[:, :n]
    mask = torch.arange(n).unsqueeze(0) < scored.sum(1, keepdim=True)
    return order, mask
