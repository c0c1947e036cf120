"""A reader's attack on the published indicator table: what subtraction can solve (issue 16).

Independent of ``barometer.disclosure``: it reads only what a reader has, the published table (as
``build.py export`` writes it) and the public REFNIS hierarchy (code → parent), and solves every
additive relation the table carries, in chains, to a fixed point:

- **group**: the categories of a breakdown add up to the total (same entity, measure, period);
- **geography**: the municipalities add up to their arrondissement, arrondissements to their
  province (Brussels-Capital: to the region), provinces to their region, regions to Belgium —
  over the members that reported (a ``missing`` member is not in the sum: the docs say so);
- **year**: an annual average times its number of months (the ``months`` indicator) is the sum
  of the months behind it. Months whose breakdowns are not published (older than the last 12)
  are unknowns of that sum; a higher level's year is used only where every member municipality
  has all the year's months or none (then it is exactly the mean of the level's months).

Public bounds: a count is ≥ 0; a monthly count is an integer; an annual average of n months is
a multiple of 1/n (a municipality: n = its ``months``; a complete higher level: n = its
``months``); a published annual figure v was rounded to one decimal, so the truth lies in
[v − 0.05, v + 0.05]; a hidden cell is only known to be ≥ 0 (the flag says ``suppressed`` for
primary and complementary cells alike). Unpublished breakdowns of months in a year that has some
published months are unknowns ≥ 0 too (their totals are published).

Method: interval constraint propagation. For every relation Σ aᵢxᵢ = 0 and member i,
aᵢxᵢ = −Σ_{j≠i} aⱼxⱼ bounds xᵢ by the others' intervals; bounds are snapped to each cell's
lattice; repeat until nothing moves. A cell whose interval holds a single lattice value is
*recovered*. This is exactly "subtraction, also in chains, with the public bounds"; it is weaker
than linear programming over the whole system, which no reader needs to beat a lone hidden cell.
Years whose breakdowns are published for no month are left out of the year relation: their
unpublished months form, per municipality, a months × categories table with known margins,
which always has a non-negative integer filling (a transportation problem), so they add no
information about the published cells.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

ROUNDING = 0.05
"""Half the last published decimal of an annual average (one decimal)."""
EPS = 1e-7
TOL = 1e-6
"""Bounds that move by less than this are left alone (floating-point noise)."""


@dataclass
class Attack:
    """The cells the attack worked on and what it learned.

    ``cells``: one row per breakdown cell (published, hidden or unpublished) with columns geo_code,
    geo_level, measure, period_type, period, dimension, category, state ('known', 'hidden',
    'unpublished'), published value, lo, hi (the attacker's bounds), grid (lattice step, 0 = none)
    and ``single`` (True where the bounds leave one lattice value).
    """

    cells: pd.DataFrame
    relations: dict[str, int]
    iterations: int

    def recovered(self) -> pd.DataFrame:
        """Hidden cells whose value the attack pins down."""
        c = self.cells
        return c[(c.state == "hidden") & c.single]

    def recovered_unpublished_small(self) -> pd.DataFrame:
        """Unpublished monthly cells pinned to a value from 1 to 4."""
        c = self.cells
        return c[(c.state == "unpublished") & c.single & (c.lo > 0.5) & (c.lo < 4.5)]


def _str(table: pd.DataFrame) -> pd.DataFrame:
    cols = [
        "geo_code",
        "geo_level",
        "measure",
        "period",
        "period_type",
        "indicator",
        "dimension",
        "category",
        "flag",
    ]
    out = table[[*cols, "value"]].copy()
    for c in cols:
        out[c] = out[c].astype(str).replace({"nan": "", "None": "", "<NA>": ""})
    out["geo_code"] = out.geo_code.str.zfill(5)
    out["value"] = pd.to_numeric(out.value, errors="coerce").astype("float64")
    return out


def attack(
    table: pd.DataFrame,
    parents: dict[str, str],
    *,
    derived: dict[str, tuple[str, ...]] | None = None,
    max_iterations: int = 500,
) -> Attack:
    """Run the attack on a published table; ``parents``: code → parent code ('' for Belgium);
    ``derived``: a derived measure → the measures it sums, as the methodology page says."""
    t = _str(table)
    counts = t[t.indicator == "count"]
    flag = counts.flag.str.split(";")
    hidden = flag.map(lambda f: "suppressed" in f).to_numpy()
    missing = flag.map(lambda f: "missing" in f).to_numpy()
    counts = counts.assign(hidden=hidden, missing=missing)
    totals = counts[counts.dimension == "total"]
    cells = counts[(counts.dimension != "total") & ~counts.missing].copy()
    cells["state"] = np.where(cells.hidden, "hidden", "known")
    months_ind = t[(t.indicator == "months") & (t.period_type == "year")]
    months_of = months_ind.set_index(["geo_code", "measure", "period"]).value

    # --- unpublished monthly breakdowns in years that have published months --------------------
    mtot = totals[(totals.period_type == "month") & ~totals.missing]
    published_months = cells.loc[cells.period_type == "month", ["geo_code", "measure", "period"]]
    published_months = published_months.drop_duplicates()
    # (measure, year) with published months: every area's other months of it are unknowns
    pm_years = published_months.assign(year=published_months.period.str[:4])[
        ["measure", "year"]
    ].drop_duplicates()
    cand = mtot.assign(year=mtot.period.str[:4]).merge(pm_years, on=["measure", "year"])
    have = pd.MultiIndex.from_frame(published_months)
    cand = cand[~pd.MultiIndex.from_frame(cand[["geo_code", "measure", "period"]]).isin(have)]
    dims = cells[["dimension", "category"]].drop_duplicates().sort_values(["dimension", "category"])
    unpub = cand[["geo_code", "geo_level", "measure", "period", "period_type"]].merge(
        dims, how="cross"
    )
    unpub = unpub.assign(value=np.nan, state="unpublished", hidden=False)

    keycols = ["geo_code", "measure", "period_type", "period", "dimension", "category"]
    allc = pd.concat(
        [
            cells[[*keycols, "geo_level", "value", "state"]],
            unpub[[*keycols, "geo_level", "value", "state"]],
        ],
        ignore_index=True,
    )
    allc = allc.sort_values(keycols).reset_index(drop=True)
    tot = totals[~totals.missing][["geo_code", "measure", "period_type", "period", "value"]]
    tot = tot.reset_index(drop=True)
    n_cells, n_tot = len(allc), len(tot)
    # variables: cells 0..n_cells-1, totals n_cells..n_cells+n_tot-1
    yearly = (allc.period_type == "year").to_numpy()
    known = (allc.state == "known").to_numpy()
    val = allc.value.to_numpy(dtype="float64")
    lo = np.where(known, val, 0.0)
    hi = np.where(known, val, np.inf)
    lo = np.where(known & yearly, np.maximum(val - ROUNDING, 0.0), lo)
    hi = np.where(known & yearly, val + ROUNDING, hi)
    tyearly = (tot.period_type == "year").to_numpy()
    tval = tot.value.to_numpy(dtype="float64")
    lo = np.concatenate([lo, np.where(tyearly, np.maximum(tval - ROUNDING, 0.0), tval)])
    hi = np.concatenate([hi, np.where(tyearly, tval + ROUNDING, tval)])

    # lattice: monthly counts are integers; an annual average of n months is a multiple of 1/n
    grid = np.zeros(n_cells + n_tot)
    grid[:n_cells][~yearly] = 1.0
    grid[n_cells:][~tyearly] = 1.0
    ykey = pd.MultiIndex.from_frame(allc[["geo_code", "measure", "period"]])
    n_months = months_of.reindex(ykey).to_numpy(dtype="float64")
    complete = _complete_years(months_ind, parents)
    ok_year = yearly & ((allc.geo_level == "municipality").to_numpy() | ykey.isin(complete))
    grid[:n_cells][ok_year & (n_months > 0)] = 1.0 / n_months[ok_year & (n_months > 0)]
    tkey = pd.MultiIndex.from_frame(tot[["geo_code", "measure", "period"]])
    tn = months_of.reindex(tkey).to_numpy(dtype="float64")
    tlevel = (
        counts[counts.dimension == "total"]
        .set_index(["geo_code", "measure", "period_type", "period"])
        .geo_level
    )
    tl = tlevel.reindex(
        pd.MultiIndex.from_frame(tot[["geo_code", "measure", "period_type", "period"]])
    )
    tgeo_muni = (tl.to_numpy() == "municipality") | tkey.isin(complete)
    sel = tyearly & tgeo_muni & (tn > 0)
    grid[n_cells:][sel] = 1.0 / tn[sel]
    lo, hi = _snap(lo, hi, grid)

    rel_rows: list[np.ndarray] = []
    rel_vars: list[np.ndarray] = []
    rel_coef: list[np.ndarray] = []
    counts_by_kind: dict[str, int] = {}
    next_rel = 0

    def add(kind: str, rid: np.ndarray, var: np.ndarray, coef: np.ndarray) -> None:
        nonlocal next_rel
        codes, rid = np.unique(rid, return_inverse=True)
        rel_rows.append(rid + next_rel)
        rel_vars.append(var)
        rel_coef.append(coef.astype("float64"))
        next_rel += len(codes)
        counts_by_kind[kind] = len(codes)

    idx = np.arange(n_cells)
    # group: Σ categories − total = 0
    gkey = allc[["geo_code", "measure", "period_type", "period"]]
    tpos = pd.Series(np.arange(n_tot), index=pd.MultiIndex.from_frame(tot[gkey.columns]))
    tv = tpos.reindex(pd.MultiIndex.from_frame(gkey)).to_numpy(dtype="float64")
    has_t = ~np.isnan(tv)
    grp = pd.MultiIndex.from_frame(
        allc[["geo_code", "measure", "period_type", "period", "dimension"]]
    )
    gid = pd.factorize(grp)[0]
    tot_rows = pd.DataFrame({"gid": gid[has_t], "t": tv[has_t].astype(np.int64)}).drop_duplicates(
        "gid"
    )
    add(
        "group",
        np.concatenate([gid[has_t], tot_rows.gid.to_numpy()]),
        np.concatenate([idx[has_t], n_cells + tot_rows.t.to_numpy()]),
        np.concatenate([np.ones(has_t.sum()), -np.ones(len(tot_rows))]),
    )
    # geography: Σ reporting children − parent = 0
    par = allc.geo_code.map(parents).fillna("").to_numpy()
    pkey = pd.MultiIndex.from_arrays(
        [par, allc.measure, allc.period_type, allc.period, allc.dimension, allc.category]
    )
    own = pd.Series(idx, index=pd.MultiIndex.from_frame(allc[keycols]))
    ppos = own.reindex(pkey).to_numpy(dtype="float64")
    has_p = ~np.isnan(ppos)
    pid = ppos[has_p].astype(np.int64)
    parent_ids = np.unique(pid)
    add(
        "geography",
        np.concatenate([pid, parent_ids]),
        np.concatenate([idx[has_p], parent_ids]),
        np.concatenate([np.ones(has_p.sum()), -np.ones(len(parent_ids))]),
    )
    # year: Σ months − n × annual average = 0 (where the year has published months)
    mon = ~yearly
    ykey2 = pd.MultiIndex.from_arrays(
        [
            allc.geo_code[mon],
            allc.measure[mon],
            np.full(mon.sum(), "year"),
            allc.period[mon].str[:4],
            allc.dimension[mon],
            allc.category[mon],
        ]
    )
    ypos = own.reindex(ykey2).to_numpy(dtype="float64")
    yvar = np.full(n_cells, -1)
    yvar[idx[mon]] = np.where(np.isnan(ypos), -1, np.nan_to_num(ypos, nan=-1)).astype(np.int64)
    usable = (yvar >= 0) & (grid[:n_cells][np.maximum(yvar, 0)] > 0)
    m_idx = idx[usable]
    y_idx = yvar[usable]
    # n must match the number of months present for the relation to hold
    n_present = np.bincount(y_idx, minlength=n_cells)
    nm = n_months
    good_y = np.flatnonzero((n_present > 0) & (np.abs(n_present - np.nan_to_num(nm)) < 0.5))
    keep = np.isin(y_idx, good_y)
    add(
        "year",
        np.concatenate([y_idx[keep], good_y]),
        np.concatenate([m_idx[keep], good_y]),
        np.concatenate([np.ones(keep.sum()), -nm[good_y]]),
    )
    # derived: Σ components − derived = 0, cell by cell, where every municipality below has a
    # derived value exactly where it has its components (a derived month is missing where a
    # part is, and a higher level sums the members that report): the published missing flags
    # and months say where (for a year, the area's own months too: an annual average only where
    # all stand for as many months)
    span = pd.Series(np.ones(n_cells))
    span[yearly] = np.where(ok_year, n_months, np.nan)[yearly]
    mt = counts[(counts.dimension == "total") & (counts.geo_level == "municipality")]
    sig = pd.Series(
        np.where(mt.missing, -1.0, 1.0), index=pd.MultiIndex.from_frame(mt[gkey.columns])
    )
    year_sig = months_of.rename_axis(["geo_code", "measure", "period"]).reset_index()
    year_sig = year_sig.assign(period_type="year")[[*gkey.columns, "value"]]
    sig = pd.concat(
        [
            sig[sig.index.get_level_values("period_type") == "month"],
            year_sig.set_index(list(gkey.columns)).value.astype("float64"),
        ]
    )
    ids, members, coefs = [], [], []
    published = set(allc.measure)
    for code, comps in (derived or {}).items():
        if not {code, *comps} <= published:
            continue
        munis = sig.xs(code, level="measure")
        odd = pd.Series(False, index=munis.index)
        for c in comps:
            other = sig.xs(c, level="measure").reindex(munis.index)
            odd |= (other.fillna(-1.0) != munis).to_numpy()
        bad = {(g, pt, per) for g, pt, per in odd[odd].index}
        frontier = set(bad)
        while frontier:
            frontier = {(parents.get(g, ""), pt, per) for g, pt, per in frontier} - bad
            frontier = {k for k in frontier if k[0]}
            bad |= frontier
        d = idx[(allc.measure == code).to_numpy()]
        sub = allc.iloc[d]
        clean = ~pd.MultiIndex.from_arrays([sub.geo_code, sub.period_type, sub.period]).isin(
            list(bad)
        )
        d, sub = d[clean], sub[clean]
        found = [
            own.reindex(
                pd.MultiIndex.from_arrays(
                    [sub.geo_code, np.full(len(d), c), sub.period_type, sub.period]
                    + [sub.dimension, sub.category]
                )
            ).to_numpy(dtype="float64")
            for c in comps
        ]
        ok = ~np.isnan(span.to_numpy()[d])
        for f in found:
            ok &= ~np.isnan(f)
            ok[ok] &= span.to_numpy()[f[ok].astype(np.int64)] == span.to_numpy()[d[ok]]
        ids += [d[ok]] * (len(comps) + 1)
        members += [d[ok], *(f[ok].astype(np.int64) for f in found)]
        coefs += [-np.ones(ok.sum()), *(np.ones(ok.sum()) for _ in comps)]
    if ids:
        add("derived", np.concatenate(ids), np.concatenate(members), np.concatenate(coefs))
    rows = np.concatenate(rel_rows)
    var = np.concatenate(rel_vars)
    coef = np.concatenate(rel_coef)
    lo, hi, it = _propagate(rows, var, coef, lo, hi, grid, max_iterations)
    out = allc.assign(lo=lo[:n_cells], hi=hi[:n_cells], grid=grid[:n_cells])
    g = out.grid.to_numpy()
    width = out.hi.to_numpy() - out.lo.to_numpy()
    single = np.where(g > 0, width < np.where(g > 0, g, 1.0) * 0.5, width < 1e-6)
    out["single"] = single & np.isfinite(out.hi.to_numpy())
    return Attack(cells=out, relations=counts_by_kind, iterations=it)


def _complete_years(months_ind: pd.DataFrame, parents: dict[str, str]) -> pd.MultiIndex:
    """(geo, measure, year) of higher levels whose annual average is the mean of their months:
    every member municipality has all the year's months (the level's ``months``) or none."""
    m = months_ind[["geo_code", "geo_level", "measure", "period", "value"]]
    muni = m[m.geo_level == "municipality"]
    higher = m[m.geo_level != "municipality"]
    full = higher.set_index(["geo_code", "measure", "period"]).value
    anc: list[pd.DataFrame] = []
    cur = muni.assign(anc=muni.geo_code.map(parents))
    while len(cur):
        cur = cur[cur.anc.fillna("") != ""]
        anc.append(cur)
        cur = cur.assign(anc=cur.anc.map(parents))
    a = pd.concat(anc, ignore_index=True)
    want = full.reindex(pd.MultiIndex.from_frame(a[["anc", "measure", "period"]])).to_numpy()
    partial = (a.value.to_numpy() > 0) & (np.abs(a.value.to_numpy() - want) > 0.5)
    bad = pd.MultiIndex.from_frame(a.loc[partial, ["anc", "measure", "period"]]).unique()
    idx = full.index
    return idx[~idx.isin(bad)]


def _snap(lo: np.ndarray, hi: np.ndarray, grid: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    lo = np.maximum(lo, 0.0)
    g = grid > 0
    gs = np.where(g, grid, 1.0)
    with np.errstate(invalid="ignore"):
        lo = np.where(g, np.ceil(lo / gs - EPS) * gs, lo)
        hi = np.where(g & np.isfinite(hi), np.floor(hi / gs + EPS) * gs, hi)
    return lo, hi


def _propagate(rows, var, coef, lo, hi, grid, max_iterations):  # noqa: ANN001, ANN202
    """Interval propagation over Σ coef·x = 0 per row, to a fixed point."""
    n_rel = int(rows.max()) + 1 if len(rows) else 0
    order = np.argsort(var, kind="stable")
    rows, var, coef = rows[order], var[order], coef[order]
    starts = np.flatnonzero(np.r_[True, var[1:] != var[:-1]])
    uvars = var[starts]
    pos = coef > 0
    it = 0
    while it < max_iterations:
        it += 1
        lv, hv = lo[var], hi[var]
        cmin = np.where(pos, coef * lv, coef * hv)  # lower end of coef·x
        cmax = np.where(pos, coef * hv, coef * lv)
        inf_min = ~np.isfinite(cmin)
        inf_max = ~np.isfinite(cmax)
        smin = np.bincount(rows, np.where(inf_min, 0.0, cmin), n_rel)
        smax = np.bincount(rows, np.where(inf_max, 0.0, cmax), n_rel)
        nmin = np.bincount(rows, inf_min, n_rel)
        nmax = np.bincount(rows, inf_max, n_rel)
        # others' sum for each member
        o_min = smin[rows] - np.where(inf_min, 0.0, cmin)
        o_max = smax[rows] - np.where(inf_max, 0.0, cmax)
        o_min = np.where(nmin[rows] - inf_min > 0, -np.inf, o_min)
        o_max = np.where(nmax[rows] - inf_max > 0, np.inf, o_max)
        # coef·x = −others → x ∈ [−o_max, −o_min] / coef
        with np.errstate(invalid="ignore", divide="ignore"):
            a = -o_max / coef
            b = -o_min / coef
        new_lo = np.where(pos, a, b)
        new_hi = np.where(pos, b, a)
        new_lo = np.where(np.isnan(new_lo), -np.inf, new_lo)
        new_hi = np.where(np.isnan(new_hi), np.inf, new_hi)
        best_lo = np.maximum.reduceat(new_lo, starts)
        best_hi = np.minimum.reduceat(new_hi, starts)
        # only progress beyond rounding noise counts (and ends the loop when none is left)
        up = best_lo > lo[uvars] + TOL
        down = best_hi < hi[uvars] - TOL
        if not (up.any() or down.any()):
            break
        nlo, nhi = lo.copy(), hi.copy()
        nlo[uvars[up]] = best_lo[up]
        nhi[uvars[down]] = best_hi[down]
        nlo, nhi = _snap(nlo, nhi, grid)
        crossed = nlo > nhi
        if crossed.any():  # equal up to floating-point noise: the value is pinned
            worst = float(np.max(nlo[crossed] - nhi[crossed]))
            if worst > 1e-4:
                raise AssertionError(f"inconsistent published table: bounds cross by {worst}")
            mid = (nlo[crossed] + nhi[crossed]) / 2
            nlo[crossed] = mid
            nhi[crossed] = mid
        lo, hi = nlo, nhi
    return lo, hi, it
