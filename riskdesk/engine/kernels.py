"""Compiled kernels: sample paths block by block, and bin values into streaming histograms.

Kernels take arrays and stream keys and write into arrays they are given; they never choose
seeds, poll flags or allocate Python objects. Every value of path ``k`` depends only on the keys,
``k`` and the model (see :mod:`riskdesk.engine.rng`), and each partial sum covers one fixed
block of paths, summed in path order, so results are bit-identical for any thread count and any
chunking in whole blocks.
"""

from __future__ import annotations

import math

import numpy as np

from riskdesk.engine.jit import device, inline, kernel, prange
from riskdesk.engine.model import (
    DISCRETE,
    FIXED,
    LOGNORMAL,
    LOGUNIFORM,
    NORMAL,
    PERT,
    PERT_NODES,
    TRIANGULAR,
    UNIFORM,
)
from riskdesk.engine.rng import BLOCK, block_permutation, uniform
from riskdesk.engine.special import ndtr, ndtri

_U_LO = 1e-300
_U_HI = 1.0 - 1.1102230246251565e-16


@inline
def impact_ppf(i: int, u: float, fam: np.ndarray, par: np.ndarray, pert_tab: np.ndarray,
               disc_v: np.ndarray, disc_cw: np.ndarray) -> float:
    """Quantile of risk ``i``'s impact distribution at ``u`` in (0, 1)."""
    u = min(max(u, _U_LO), _U_HI)
    f = fam[i]
    if f == FIXED:
        return par[i, 0]
    if f == UNIFORM:
        return par[i, 0] + u * (par[i, 1] - par[i, 0])
    if f == TRIANGULAR:
        a = par[i, 0]
        c = par[i, 1]
        b = par[i, 2]
        if u < par[i, 3]:
            return a + math.sqrt(u * (b - a) * (c - a))
        return b - math.sqrt((1.0 - u) * (b - a) * (b - c))
    if f == PERT:
        row = np.int64(par[i, 0])
        theta = math.acos(1.0 - 2.0 * u) * (PERT_NODES / math.pi)
        j = min(int(theta), PERT_NODES - 1)
        fr = theta - j
        return pert_tab[row, j] + fr * (pert_tab[row, j + 1] - pert_tab[row, j])
    if f == LOGUNIFORM:
        return par[i, 0] * math.exp(par[i, 1] + u * (par[i, 2] - par[i, 1]))
    if f == NORMAL:
        return par[i, 0] + par[i, 1] * ndtri(u)
    if f == LOGNORMAL:
        if par[i, 2] > 0:
            return math.exp(par[i, 0] + par[i, 1] * ndtri(u))
        return -math.exp(par[i, 0] + par[i, 1] * ndtri(1.0 - u))
    if f == DISCRETE:
        off = np.int64(par[i, 0])
        lo = off
        hi = off + np.int64(par[i, 1]) - 1
        while lo < hi:  # first index with cumulative weight >= u
            mid = (lo + hi) // 2
            if disc_cw[mid] >= u:
                hi = mid
            else:
                lo = mid + 1
        return disc_v[lo]
    return math.nan


@device
def impact_value(i: int, u: float, fam: np.ndarray, par: np.ndarray, pert_tab: np.ndarray,
                 disc_v: np.ndarray, disc_cw: np.ndarray) -> float:
    """:func:`impact_ppf` behind a call, for paths off the hot loop (keeps kernels small)."""
    return impact_ppf(i, u, fam, par, pert_tab, disc_v, disc_cw)


@inline
def compound_level(i: int, u: float, prob: np.ndarray, neg: np.ndarray) -> float:
    """Map a level ``u`` of the compound outcome O*X to the impact's level, or -1 where the
    outcome is the atom at zero (mass 1-p, placed between X<0 and X>=0)."""
    p = prob[i]
    if p <= 0.0:
        return -1.0
    q0 = p * neg[i]
    if u < q0:
        return u / p
    if u < q0 + (1.0 - p):
        return -1.0
    return (u - (1.0 - p)) / p


@kernel
def simulate_chunk(keys, rkey, dkey, lhs, start, n, fam, par, prob, neg, pert_tab, disc_v, disc_cw,
                   ph_ptr, ph_month, ph_w, wsum, capex, const_e, const_c, fac_ptr, fac_col,
                   fac_val, nfac, apply_impact,
                   out_e, out_c, tot_e, tot_c, bsum_e, bsum_c, bstat, brisk, samp_c, samp_on):
    """Simulate paths ``start .. start+n-1`` (``start`` a multiple of BLOCK).

    Draw streams are keyed by ``dkey`` (one per copula factor, or per risk when independent)
    and ``rkey`` (per risk, for occurrence), derived from risk ids and block names, so a risk
    keeps its random numbers when other risks are added or removed (common random numbers).

    Writes monthly EBITDA / cash-flow deltas ``out_e, out_c`` (n x T, float32), path totals
    ``tot_e, tot_c`` (float64), per-block sums ``bsum_*`` (nb x T), ``bstat`` (nb x 4: sum Ze,
    Ze^2, Zc, Zc^2) and ``brisk`` (nb x R x 3: sum c_i, c_i*Ze, c_i*Zc where c_i is risk i's
    contribution to the total), and for global paths below ``samp_c.shape[0]`` each risk's
    contribution and its value when forced to occur (``samp_on``).
    """
    R = fam.shape[0]
    T = const_e.shape[0]
    S = samp_c.shape[0]
    nb = (n + BLOCK - 1) // BLOCK
    corr = nfac > 0
    ndraw = nfac if corr else R
    for b in prange(nb):
        gb = start // BLOCK + b
        k0 = b * BLOCK
        k1 = min(k0 + BLOCK, n)
        perm = np.empty((2, max(R, ndraw), BLOCK if lhs else 1), np.int32)
        if lhs:
            for i in range(ndraw):
                block_permutation(keys[1], gb, dkey[i], perm[0, i])
            if apply_impact:
                for i in range(R):
                    block_permutation(keys[3], gb, rkey[i], perm[1, i])
        u = np.empty(R)
        g = np.empty(ndraw)
        cv = np.empty(R)
        e = np.empty(T)
        c = np.empty(T)
        for kk in range(k0, k1):
            k = start + kk
            j = kk - k0
            for i in range(ndraw):
                w = uniform(keys[0], k, dkey[i])
                g[i] = (perm[0, i, j] + w) / BLOCK if lhs else w
            if corr:  # Gaussian copula: z = A e with loadings A (rows sparse), u = Phi(z)
                for m in range(ndraw):
                    g[m] = ndtri(g[m])
                for i in range(R):
                    zi = 0.0
                    for q in range(fac_ptr[i], fac_ptr[i + 1]):
                        zi += fac_val[q] * g[fac_col[q]]
                    u[i] = ndtr(zi)
            else:
                for i in range(R):
                    u[i] = g[i]
            for t in range(T):
                e[t] = const_e[t]
                c[t] = const_c[t]
            for i in range(R):
                if apply_impact:  # occurrence drawn on its own, impact at the copula's level
                    level = u[i]
                    v = uniform(keys[2], k, rkey[i])
                    if lhs:
                        v = (perm[1, i, j] + v) / BLOCK
                    occurs = v < prob[i]
                else:  # one level gives both: the compound outcome's quantile
                    level = compound_level(i, u[i], prob, neg)
                    occurs = level >= 0.0
                lv = 0.0
                if occurs:  # the only inlined quantile call: kernels compile fast
                    lv = impact_ppf(i, level, fam, par, pert_tab, disc_v, disc_cw)
                if lv != 0.0:  # most risks do not occur on a path: nothing to phase
                    for q in range(ph_ptr[i], ph_ptr[i + 1]):
                        m = ph_month[q]
                        d = lv * ph_w[q]
                        c[m] += d
                        if not capex[i]:
                            e[m] += d
                cv[i] = lv * wsum[i]
                if k < S:  # the tornado sample: contribution, and the value if forced to occur
                    x = lv if occurs and apply_impact else \
                        impact_value(i, u[i], fam, par, pert_tab, disc_v, disc_cw)
                    samp_c[k, i] = cv[i]
                    samp_on[k, i] = x * wsum[i]
            ze = 0.0
            zc = 0.0
            for t in range(T):
                ze += e[t]
                zc += c[t]
                out_e[kk, t] = np.float32(e[t])
                out_c[kk, t] = np.float32(c[t])
                bsum_e[b, t] += e[t]
                bsum_c[b, t] += c[t]
            tot_e[kk] = ze
            tot_c[kk] = zc
            bstat[b, 0] += ze
            bstat[b, 1] += ze * ze
            bstat[b, 2] += zc
            bstat[b, 3] += zc * zc
            for i in range(R):
                if cv[i] != 0.0:
                    brisk[b, i, 0] += cv[i]
                    brisk[b, i, 1] += cv[i] * ze
                    brisk[b, i, 2] += cv[i] * zc


@kernel
def histogram_update(vals, lo, inv_width, counts):
    """Add each row t of ``vals`` (T x n) to ``counts[t]`` (bins 1..NB; 0 under, NB+1 over)."""
    T = vals.shape[0]
    nbins = counts.shape[1] - 2
    for t in prange(T):
        for k in range(vals.shape[1]):
            x = (vals[t, k] - lo[t]) * inv_width[t]
            if x < 0.0:
                counts[t, 0] += 1
            elif x >= nbins:
                counts[t, nbins + 1] += 1
            else:
                counts[t, 1 + np.int64(x)] += 1


@kernel
def histogram_paths(paths, lo_m, inv_m, counts_m, lo_c, inv_c, counts_c, cum):
    """Bin a chunk of paths (n x T, float32, path-major as simulated) into the monthly histograms
    ``counts_m`` and, through their running sums over months (float64, in ``cum``), into the
    cumulative ones ``counts_c``: the same bins as :func:`histogram_update` on the transposed
    values and on ``np.cumsum(paths, axis=1, dtype=float64)``, without the copies."""
    n, T = paths.shape
    nbins = counts_m.shape[1] - 2
    for k in prange(n):
        acc = 0.0
        for t in range(T):
            acc += paths[k, t]
            cum[k, t] = acc
    for t in prange(T):
        for k in range(n):
            x = (np.float64(paths[k, t]) - lo_m[t]) * inv_m[t]
            if x < 0.0:
                counts_m[t, 0] += 1
            elif x >= nbins:
                counts_m[t, nbins + 1] += 1
            else:
                counts_m[t, 1 + np.int64(x)] += 1
            y = (cum[k, t] - lo_c[t]) * inv_c[t]
            if y < 0.0:
                counts_c[t, 0] += 1
            elif y >= nbins:
                counts_c[t, nbins + 1] += 1
            else:
                counts_c[t, 1 + np.int64(y)] += 1


@kernel
def row_order_stats(mat, ranks, out):
    """``out[t, j]`` = the ``ranks[j]``-th smallest value (0-based) of row t of ``mat`` (T x N).

    Exact: a histogram pass locates the bin holding each wanted rank, and only those bins'
    values are gathered and ranked (see :func:`_ranks_in_bin`). Rows run in parallel.
    """
    T, N = mat.shape
    nb = 2048
    K = ranks.shape[0]
    for t in prange(T):
        lo = np.inf
        hi = -np.inf
        for k in range(N):
            v = np.float64(mat[t, k])
            lo = min(lo, v)
            hi = max(hi, v)
        if not hi > lo:
            for j in range(K):
                out[t, j] = lo
            continue
        scale = nb / (hi - lo)
        counts = np.zeros(nb, np.int64)
        for k in range(N):
            b = min(np.int64((np.float64(mat[t, k]) - lo) * scale), nb - 1)
            counts[b] += 1
        start = np.zeros(nb + 1, np.int64)
        for b in range(nb):
            start[b + 1] = start[b] + counts[b]
        slot = np.full(nb, -1, np.int64)
        rbin = np.empty(K, np.int64)
        nslots = 0
        for j in range(K):
            b = np.searchsorted(start, ranks[j], side="right") - 1
            rbin[j] = b
            if slot[b] < 0:
                slot[b] = nslots
                nslots += 1
        offs = np.zeros(nslots + 1, np.int64)
        for b in range(nb):
            if slot[b] >= 0:
                offs[slot[b] + 1] = counts[b]
        for q in range(nslots):
            offs[q + 1] += offs[q]
        vals = np.empty(offs[nslots])
        fill = offs[:nslots].copy()
        for k in range(N):
            v = np.float64(mat[t, k])
            b = min(np.int64((v - lo) * scale), nb - 1)
            q = slot[b]
            if q >= 0:
                vals[fill[q]] = v
                fill[q] += 1
        want = np.empty(K, np.int64)
        got = np.empty(K)
        for q in range(nslots):  # each bin once, for all the ranks it holds
            bq = -1
            m = 0
            for j in range(K):
                if slot[rbin[j]] == q:
                    bq = rbin[j]
                    want[m] = ranks[j] - start[bq]
                    m += 1
            _ranks_in_bin(vals[offs[q]:offs[q + 1]], want[:m], got[:m])
            m = 0
            for j in range(K):
                if rbin[j] == bq:
                    out[t, j] = got[m]
                    m += 1


@device
def _ranks_in_bin(seg, want, got):
    """``got[i]`` = the ``want[i]``-th smallest of ``seg``. Small bins are sorted; large ones get
    a second histogram, so an atom (many equal values) costs no sort."""
    m = seg.shape[0]
    if m <= 4096:
        srt = np.sort(seg)
        for i in range(want.shape[0]):
            got[i] = srt[want[i]]
        return
    lo = seg.min()
    hi = seg.max()
    if not hi > lo:
        for i in range(want.shape[0]):
            got[i] = lo
        return
    nb = 2048
    scale = nb / (hi - lo)
    counts = np.zeros(nb, np.int64)
    smin = np.full(nb, np.inf)
    smax = np.full(nb, -np.inf)
    for k in range(m):
        b = min(np.int64((seg[k] - lo) * scale), nb - 1)
        counts[b] += 1
        smin[b] = min(smin[b], seg[k])
        smax[b] = max(smax[b], seg[k])
    start = np.zeros(nb + 1, np.int64)
    for b in range(nb):
        start[b + 1] = start[b] + counts[b]
    for i in range(want.shape[0]):
        b = np.searchsorted(start, want[i], side="right") - 1
        if smin[b] == smax[b]:
            got[i] = smin[b]
            continue
        sub = np.empty(counts[b])
        n = 0
        for k in range(m):
            if min(np.int64((seg[k] - lo) * scale), nb - 1) == b:
                sub[n] = seg[k]
                n += 1
        got[i] = np.sort(sub)[want[i] - start[b]]


@kernel
def cumulate_months(mat):
    """Replace ``mat`` (months x paths, float32) by running sums over months, per path,
    accumulated in float64 and rounded to float32 per month."""
    T, N = mat.shape
    nblk = (N + 1023) // 1024
    for g in prange(nblk):
        k0 = g * 1024
        k1 = min(k0 + 1024, N)
        acc = np.zeros(k1 - k0)
        for t in range(T):
            for k in range(k0, k1):
                acc[k - k0] += mat[t, k]
                mat[t, k] = np.float32(acc[k - k0])


@inline
def _lerp(a: float, b: float, t: float) -> float:
    """numpy's linear-percentile interpolation, term for term (so results match it exactly)."""
    d = b - a
    if t >= 0.5:
        return b - d * (1.0 - t)
    return a + d * t


@device
def _median_of(buf: np.ndarray) -> float:
    """The "linear" median of ``buf`` (reordered in place)."""
    n = buf.shape[0]
    h = (n - 1) * 0.5
    k = np.int64(math.floor(h))
    part = np.partition(buf, k)
    a = part[k]
    b = a
    if k + 1 < n:
        b = part[k + 1:].min()
    return _lerp(a, b, h - k)


@kernel
def shifted_medians(z, contrib, on, cols, out_off, out_on):
    """For each risk column ``c = cols[j]`` of the tornado sample: the median of the total with
    the risk taken out (``z - contrib[:, c]`` -> ``out_off[j]``) and forced to occur
    (``z - contrib[:, c] + on[:, c]`` -> ``out_on[j]``). Risks run in parallel."""
    n = z.shape[0]
    for j in prange(cols.shape[0]):
        c = cols[j]
        buf = np.empty(n)
        for s in range(n):
            buf[s] = z[s] - contrib[s, c]
        out_off[j] = _median_of(buf)
        for s in range(n):
            buf[s] = (z[s] - contrib[s, c]) + on[s, c]
        out_on[j] = _median_of(buf)
