"""Small-count protection of the published breakdowns, across levels and periods (issue 16).

Input:  the wide frames of the indicator stage (indicators.py): the yearly frame, the monthly
        frame of the months whose breakdowns are published (the last ``RECENT_MONTHS``) and the
        monthly frame of the other stable months; the hierarchy (code → parent) and the headline
        month of each measure.
Output: :class:`Protection`: one boolean mask per published frame (same index, one column per
        breakdown cell, True = not published) and a report (cells hidden, rounds, seconds).

The rule (docs/indicators.md, "Small-count protection"; the methodology page states it):

- **primary**: a breakdown cell from 1 to 4 (an annual average above 0 and below 5) is hidden;
- **complementary**, over the whole published table at once: every additive relation that the
  published table carries — the categories of a group add up to the total; municipalities add up
  to their arrondissement, arrondissements to their province (Brussels-Capital: to the region),
  provinces to their region, regions to Belgium; the months of a year add up to its annual
  average times its number of months; a derived measure's cell is the sum of its components'
  (DIS = integration income + employment, cell by cell) — that holds a hidden cell must hold at
  least two hidden cells with a positive count, so that no hidden cell is the difference of
  published ones. Where a relation has no such cell left to hide, a zero is hidden (it is then
  protected by its own relations). Months whose breakdowns are not published are unknowns of their year's relation
  (and of the other relations of their month: :func:`_unpublished`);
- **audit**: the protected table is attacked as a reader would (interval propagation over every
  relation, in chains, with the public bounds and the true published values); a hidden cell that
  the attack pins down, or an unpublished month it pins to a value from 1 to 4, gets more
  complementary cells in its relations, and the whole step repeats until the audit finds nothing.

Complementary cells are chosen by least cost: the count, times a weight that grows with the level
(a municipal cell before an arrondissement's, …, Belgium last) and for the headline month; ties
broken by position in the sorted frames, so the result is the same for the same input. Totals are
never hidden; shares of hidden cells are hidden with them (indicators.py).
"""

from __future__ import annotations

import logging
import os
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from barometer.forked import STATE, pool, shared
from barometer.vocabulary import GROUPS

log = logging.getLogger(__name__)

THRESHOLD = 5
"""Cells strictly between 0 and this value are suppressed."""
CELL_COLUMNS: tuple[str, ...] = tuple(c for cols in GROUPS.values() for c in cols)
"""The breakdown columns of the wide frames, in this order in the masks."""
LEVEL_COST = {
    "municipality": 1.0,
    "arrondissement": 10.0,
    "province": 100.0,
    "region": 1_000.0,
    "country": 10_000.0,
}
"""Cost weight of hiding a cell, by level: a municipal cell before a higher level's."""
HEADLINE_COST = 10.0
"""Extra weight of a cell of the latest published month (the breakdown shown on area pages)."""
AUDIT_BATCH = 1_000_000
"""Coordinates of relations attacked at once (the audit's temporaries grow with them)."""
MAX_ROUNDS = 100
"""Audit rounds before giving up (an error: the build must not publish an unprotected table)."""
PARALLEL_FROM = 100_000
"""Published rows from which the families are protected in forked workers (a small table is
quicker in one process)."""

Y, M, U = 0, 1, 2
"""Row kinds: a published annual average, a published month, an unpublished month."""
GROUP_OF = np.array([gi for gi, cols in enumerate(GROUPS.values()) for _ in cols])
NCOL = len(CELL_COLUMNS)


def primary(values: np.ndarray) -> np.ndarray:
    return (values > 0) & (values < THRESHOLD)


@dataclass
class Protection:
    """The masks of the published frames (True = hidden) and what the step did."""

    yearly: pd.DataFrame
    monthly: pd.DataFrame
    report: dict = field(default_factory=dict)


def protect(
    yearly: pd.DataFrame,
    monthly: pd.DataFrame,
    unpublished: pd.DataFrame,
    parents: Mapping[str, str],
    headline: Mapping[str, str],
    derived: Mapping[str, Sequence[str]] | None = None,
    workers: int | None = None,
) -> Protection:
    """Primary and complementary suppression of every published breakdown cell at once.

    Args:
        yearly: annual averages (every level, measure and year), with ``months`` (months behind
            the average) and ``published_months`` (stable months of that year).
        monthly: the months whose breakdowns are published.
        unpublished: the other stable months (their breakdowns are not published).
        parents: code → parent code in the hierarchy ('' for Belgium).
        headline: measure → its latest published month.
        derived: derived measure → the measures it sums (dis → ris, empl_dis): a reader can
            subtract one published measure from another, so these sums are relations too.
        workers: processes protecting families at once (None: one per core when the frames are
            large, :data:`PARALLEL_FROM` rows).

    No relation joins two families of measures (a derived measure and its components are one
    family, any other measure is its own), so each family is protected on its own, in forked
    workers: the same cells as one step over everything (every choice is made within a
    relation, ties by the order of the rows, which a family keeps).
    """
    start = time.perf_counter()
    derived = derived or {}
    measures = [
        str(m)
        for m in pd.unique(
            pd.concat([f.measure.astype(str) for f in (yearly, monthly, unpublished)])
        )
    ]
    groups = families(measures, derived)
    frames = {"yearly": yearly, "monthly": monthly, "unpublished": unpublished}
    rows = {k: f.measure.astype(str).to_numpy() for k, f in frames.items()}
    large = len(yearly) + len(monthly) >= PARALLEL_FROM
    n = workers or ((os.cpu_count() or 1) if large else 1)
    # the biggest family first: the workers finish together
    groups.sort(
        key=lambda g: -int(np.isin(rows["monthly"], g).sum() + np.isin(rows["yearly"], g).sum())
    )
    with shared(frames=frames, rows=rows, parents=parents, headline=headline, derived=derived):
        if n > 1 and len(groups) > 1:
            with pool(min(n, len(groups))) as workers_:
                results = workers_.map(_protect_family, groups, chunksize=1)
        else:
            results = [_protect_family(g) for g in groups]
    grids = {
        k: np.zeros((len(f), NCOL), dtype=bool) for k, f in frames.items() if k != "unpublished"
    }
    n_primary = n_hidden = rounds = 0
    for group, (part, primary_, hidden_, rounds_) in zip(groups, results, strict=True):
        for k, grid in grids.items():
            grid[np.isin(rows[k], group)] = part[k]
        n_primary += primary_
        n_hidden += hidden_
        rounds = max(rounds, rounds_)
    out = Protection(
        yearly=pd.DataFrame(grids["yearly"], index=yearly.index, columns=list(CELL_COLUMNS)),
        monthly=pd.DataFrame(grids["monthly"], index=monthly.index, columns=list(CELL_COLUMNS)),
    )
    out.report = {
        "primary": n_primary,
        "complementary": n_hidden - n_primary,
        "audit_rounds": rounds,
        "seconds": round(time.perf_counter() - start, 2),
    }
    log.info(
        "disclosure: %d primary and %d complementary cells hidden (%d audit rounds, %.1f s)",
        n_primary,
        out.report["complementary"],
        rounds,
        out.report["seconds"],
    )
    return out


def families(measures: Sequence[str], derived: Mapping[str, Sequence[str]]) -> list[list[str]]:
    """The measures joined by relations: a derived measure with its components (transitively),
    every other measure alone; in the order of ``measures``."""
    family = {m: m for m in measures}
    for code, comps in derived.items():
        for c in comps:
            old, new = family.get(c, c), family.get(code, code)
            family = {m: (new if f == old else f) for m, f in family.items()}
    out: dict[str, list[str]] = {}
    for m in measures:
        out.setdefault(family[m], []).append(m)
    return list(out.values())


def _protect_family(group: list[str]) -> tuple[dict[str, np.ndarray], int, int, int]:
    """One family's protection (its frames' rows from :data:`STATE`): the masks of its yearly
    and monthly rows, primary cells, hidden cells, audit rounds."""
    frames, rows = STATE["frames"], STATE["rows"]
    part = {k: f[np.isin(rows[k], group)] for k, f in frames.items()}
    cells = _Cells.build(
        part["yearly"],
        part["monthly"],
        part["unpublished"],
        STATE["parents"],
        STATE["headline"],
        {d: c for d, c in STATE["derived"].items() if d in group},
    )
    hidden = cells.valid & primary(cells.v) & (cells.kind_c != U)
    n_primary = int(hidden.sum())
    rounds = 0
    audited = None  # every component in the first round; then those where cells were added
    for round_no in range(1, MAX_ROUNDS + 1):
        rounds = round_no
        before = hidden
        hidden = cells.complete(hidden)
        if audited is not None:
            audited = np.union1d(audited, cells.comp[hidden & ~before])
        pinned = cells.audit(hidden, audited)
        log.debug("disclosure round %d: %d cells pinned", round_no, len(pinned))
        if not len(pinned):
            break
        more = cells.loosen(pinned, hidden)
        if not len(more):
            raise AssertionError(
                f"disclosure audit: {len(pinned)} cells can be recovered and no published cell "
                "is left to hide in their relations"
            )
        hidden = hidden.copy()
        hidden[more] = True
        # hiding more only widens a reader's bounds: only components that changed can pin
        audited = np.unique(cells.comp[np.r_[pinned, more]])
    else:
        raise AssertionError(
            f"disclosure audit still finds recoverable cells after {rounds} rounds"
        )
    n_rows = cells.n_y + cells.n_m
    grid = hidden[: n_rows * NCOL].reshape(n_rows, NCOL)
    masks = {"yearly": grid[: cells.n_y], "monthly": grid[cells.n_y :]}
    return masks, n_primary, int(hidden.sum()), rounds


# --- the cells and their relations ----------------------------------------------------------------


@dataclass
class _Cells:
    """Every breakdown cell (published or not) as flat arrays, and the relations between them.

    Rows: the yearly frame (kind Y), the published months (kind M), then the unpublished months
    of the years that also have published months (kind U). Cell id = row × NCOL + column.
    Relations are stored as coordinate lists: relation id, cell id, coefficient; relation r
    reads Σ coef × cell = rhs[r].
    """

    n_y: int
    n_m: int
    v: np.ndarray
    valid: np.ndarray
    kind_c: np.ndarray
    cost: np.ndarray
    eligible: np.ndarray
    grid: np.ndarray
    sensitive_u: np.ndarray
    comp: np.ndarray
    """Per cell: its component (measure × group × year, a derived measure and its components
    being one measure here); no relation crosses two."""
    rel: np.ndarray
    var: np.ndarray
    coef: np.ndarray
    rhs: np.ndarray
    n_rel: int
    rel_start: np.ndarray
    """Coordinates of relation r: rel_start[r] to rel_start[r + 1] (rel is sorted)."""
    by_var: np.ndarray
    var_start: np.ndarray
    """Coordinates of cell c: by_var[var_start[c]:var_start[c + 1]]."""

    @classmethod
    def build(
        cls,
        yearly: pd.DataFrame,
        monthly: pd.DataFrame,
        unpublished: pd.DataFrame,
        parents: Mapping[str, str],
        headline: Mapping[str, str],
        derived: Mapping[str, Sequence[str]],
    ) -> _Cells:
        ucols = list(CELL_COLUMNS)
        u = _unpublished(monthly, unpublished)
        rows = pd.DataFrame(
            {
                "kind": np.concatenate(
                    [np.full(len(yearly), Y), np.full(len(monthly), M), np.full(len(u), U)]
                ),
                "geo": _strs(yearly.geo_code, monthly.geo_code, u.geo_code),
                "level": _strs(yearly.geo_level, monthly.geo_level, u.geo_level),
                "measure": _strs(yearly.measure, monthly.measure, u.measure),
                "period": _strs(yearly.period, monthly.period, u.period),
            }
        )
        rows["year"] = rows.period.str[:4]
        vals = np.vstack(
            [
                yearly[ucols].to_numpy(dtype="float64", na_value=np.nan),
                monthly[ucols].to_numpy(dtype="float64", na_value=np.nan),
                u[ucols].to_numpy(dtype="float64", na_value=np.nan),
            ]
        )
        total = np.concatenate(
            [
                yearly.total.to_numpy(dtype="float64", na_value=np.nan),
                monthly.total.to_numpy(dtype="float64", na_value=np.nan),
                u.total.to_numpy(dtype="float64", na_value=np.nan),
            ]
        )
        n_rows = len(rows)
        kind = rows.kind.to_numpy()
        v = vals.ravel()
        valid = ~np.isnan(v)
        kind_c = np.repeat(kind, NCOL)
        level_w = rows.level.map(LEVEL_COST).to_numpy(dtype="float64")
        head = (kind == M) & (rows.period.to_numpy() == rows.measure.map(headline).to_numpy())
        row_w = level_w * np.where(head, HEADLINE_COST, 1.0)
        cost = np.nan_to_num(v) * np.repeat(row_w, NCOL)
        # a cell can be hidden to protect another if it is published and its row is not all zero
        eligible = valid & (kind_c != U) & np.repeat(total > 0, NCOL)

        # lattice of each cell (the step between its possible true values)
        months = np.concatenate(
            [
                yearly.months.to_numpy(dtype="float64", na_value=np.nan),
                np.full(len(monthly) + len(u), np.nan),
            ]
        )
        complete_year = _complete_years(rows, yearly, parents)
        row_grid = np.where(kind == Y, 0.0, 1.0)
        lattice = (kind == Y) & complete_year & (months > 0)
        row_grid[lattice] = 1.0 / months[lattice]
        grid = np.repeat(row_grid, NCOL)

        # an unpublished month is revealed if an attack pins one of its cells at 1 to 4
        sensitive_u = (kind_c == U) & valid & (v > 0) & (v < THRESHOLD)

        # a derived measure and its components are one component: relations join them
        family = {m: g[0] for g in families(list(rows.measure.unique()), derived) for m in g}
        row_comp = pd.factorize(pd.MultiIndex.from_arrays([rows.measure.map(family), rows.year]))[0]
        comp = np.repeat(row_comp, NCOL) * len(GROUPS) + np.tile(GROUP_OF, n_rows)
        index = pd.MultiIndex.from_frame(rows[["kind", "geo", "measure", "period"]])
        rel_parts: list[tuple[np.ndarray, np.ndarray, np.ndarray]] = []
        rhs_parts: list[np.ndarray] = []
        offset = 0

        def add(
            rid: np.ndarray,
            cell: np.ndarray,
            coef: np.ndarray,
            rhs_of: Callable[[np.ndarray], np.ndarray],
        ) -> None:
            nonlocal offset
            keep = valid[cell]
            rid, cell, coef = rid[keep], cell[keep], coef[keep]
            uniq, local = np.unique(rid, return_inverse=True)
            rel_parts.append((local + offset, cell, coef.astype("float64")))
            rhs_parts.append(rhs_of(uniq))
            offset += len(uniq)

        ridx = np.arange(n_rows)
        cols = np.arange(NCOL)

        def cells(rows: np.ndarray) -> np.ndarray:
            """Every cell of these rows, row by row (cell id = row × NCOL + column)."""
            return np.repeat(rows, NCOL) * NCOL + np.tile(cols, len(rows))

        def sum_relation(
            members: np.ndarray, sum_of: np.ndarray, sums: np.ndarray, weight: np.ndarray
        ) -> None:
            """Σ members − weight × their sum = 0, in every column: one relation per cell of a
            sum row (``sum_of``: the sum row of each member)."""
            add(
                np.concatenate([cells(sum_of), cells(sums)]),
                np.concatenate([cells(members), cells(sums)]),
                np.concatenate([np.ones(len(members) * NCOL), -np.repeat(weight, NCOL)]),
                lambda g: np.zeros(len(g)),
            )

        # group: Σ categories = total
        r_all = np.repeat(ridx, NCOL)
        c_all = np.tile(cols, n_rows)
        has_total = np.repeat(~np.isnan(total), NCOL)
        n_groups = len(GROUPS)
        add(
            (r_all * n_groups + GROUP_OF[c_all])[has_total],
            (r_all * NCOL + c_all)[has_total],
            np.ones(int(has_total.sum())),
            lambda g: total[g // n_groups],
        )
        # geography: Σ reporting members − parent = 0 (every kind: Y, M and U alike)
        parent = rows.geo.map(parents).fillna("").to_numpy()
        pkey = pd.MultiIndex.from_arrays([kind, parent, rows.measure, rows.period])
        prow = index.get_indexer(pkey)
        child = np.flatnonzero(prow >= 0)
        p = prow[child]
        uparents = np.unique(p)
        sum_relation(child, p, uparents, np.ones(len(uparents)))
        # year: Σ months (published, and the unpublished ones' sum) − months × average = 0, for
        # every year that has published months (an area may have only unpublished ones in it)
        ykey = pd.MultiIndex.from_arrays([np.full(n_rows, Y), rows.geo, rows.measure, rows.year])
        yrow = index.get_indexer(ykey)
        member = np.flatnonzero((kind != Y) & (yrow >= 0))
        yr = yrow[member]
        with_member = np.zeros(n_rows, dtype=bool)
        with_member[yr] = True
        usable = with_member & (kind == Y) & complete_year & (months > 0)
        member = member[usable[yr]]
        yr = yrow[member]
        years = np.unique(yr)
        sum_relation(member, yr, years, months[years])
        # derived: Σ components − derived = 0, cell by cell, where all are there and stand for
        # the same months and members (a derived month is missing where a component is, so a
        # higher level or a year sums fewer of them unless as many are missing: a municipality's
        # month always; an annual average over as many months; a higher level with as many
        # members missing)
        # who a row stands for, as one number: its months + 1000 × its members missing
        span = np.concatenate(
            [
                np.where(complete_year[: len(yearly)], months[: len(yearly)], np.nan),
                np.ones(len(monthly)),
                np.ones(len(u)),
            ]
        ) + 1e3 * np.concatenate(
            [f.n_missing.to_numpy(dtype="float64") for f in (yearly, monthly, u)]
        )
        measure_of, geo_of, period_of = (rows[c].to_numpy() for c in ("measure", "geo", "period"))
        yearly_row = kind == Y  # a month is published for one measure, not for another
        by_period = pd.MultiIndex.from_arrays([yearly_row, geo_of, measure_of, period_of])
        for code, comps in derived.items():
            d = np.flatnonzero(measure_of == code)
            found = [
                by_period.get_indexer(
                    pd.MultiIndex.from_arrays(
                        [yearly_row[d], geo_of[d], np.full(len(d), c, dtype=object), period_of[d]]
                    )
                )
                for c in comps
            ]
            ok = ~np.isnan(span[d])
            for f in found:
                ok &= (f >= 0) & (span[np.maximum(f, 0)] == span[d])
            d_cells = cells(d[ok])
            c_cells = [cells(f[ok]) for f in found]
            both = valid[d_cells] & np.logical_and.reduce([valid[c] for c in c_cells])
            d_cells, c_cells = d_cells[both], [c[both] for c in c_cells]
            add(
                np.tile(d_cells, len(comps) + 1),
                np.concatenate([d_cells, *c_cells]),
                np.concatenate([-np.ones(len(d_cells)), np.ones(len(d_cells) * len(comps))]),
                lambda g: np.zeros(len(g)),
            )
        rel = np.concatenate([r for r, _, _ in rel_parts])
        var = np.concatenate([c for _, c, _ in rel_parts])
        coef = np.concatenate([k for _, _, k in rel_parts])
        order = np.argsort(rel, kind="stable")
        rel, var, coef = rel[order], var[order], coef[order]
        n_cells = n_rows * NCOL
        return cls(
            n_y=len(yearly),
            n_m=len(monthly),
            v=np.nan_to_num(v),
            valid=valid,
            kind_c=kind_c,
            cost=cost,
            eligible=eligible,
            grid=grid,
            sensitive_u=sensitive_u,
            comp=comp,
            rel=rel,
            var=var,
            coef=coef,
            rhs=np.concatenate(rhs_parts),
            n_rel=offset,
            rel_start=np.r_[0, np.cumsum(np.bincount(rel, minlength=offset))],
            by_var=np.argsort(var, kind="stable"),
            var_start=np.r_[0, np.cumsum(np.bincount(var, minlength=n_cells))],
        )

    # --- complementary suppression: every relation holding a hidden cell holds two positive ones

    def complete(self, hidden: np.ndarray) -> np.ndarray:
        """Add complementary cells until every relation that holds a hidden cell holds at least
        two hidden cells with a positive count, or no published cell is left to hide in it; a
        zero is hidden only where no positive cell is left (the relation's sum first).
        Iterates until nothing changes; only relations that changed are looked at again."""
        hidden = hidden.copy()
        rel, var = self.rel, self.var
        positive = self.v > 0
        h = hidden[var]
        cand = self.eligible[var] & ~h
        n_hidden = np.bincount(rel, h, self.n_rel)
        n_pos = np.bincount(rel, h & positive[var], self.n_rel)
        n_pos_cand = np.bincount(rel, cand & positive[var], self.n_rel)
        n_cand = np.bincount(rel, cand, self.n_rel)
        zero_side = np.where(self.coef < 0, 0.0, 0.5)  # among zeros, the sum side first
        active = np.flatnonzero(n_hidden > 0)
        while len(active):
            pos_cand = n_pos_cand[active] > 0
            exposed = (n_pos[active] < 2) & (
                pos_cand | ((n_hidden[active] < 2) & (n_cand[active] > 0))
            )
            ex = active[exposed]
            if not len(ex):
                break
            idx = _ranges(self.rel_start[ex], self.rel_start[ex + 1])
            x = var[idx]
            ok = self.eligible[x] & ~hidden[x]
            ok &= np.where(n_pos_cand[rel[idx]] > 0, positive[x], True)
            idx = idx[ok]
            chosen = _cheapest(rel[idx], var[idx], self.cost[var[idx]] + zero_side[idx])
            chosen = chosen[~hidden[chosen]]
            hidden[chosen] = True
            # update the counts of every relation of the chosen cells
            nz = self.by_var[_ranges(self.var_start[chosen], self.var_start[chosen + 1])]
            r, c = rel[nz], var[nz]
            np.add.at(n_hidden, r, 1)
            np.add.at(n_pos, r, positive[c])
            np.add.at(n_cand, r, -self.eligible[c].astype(np.int64))
            np.add.at(n_pos_cand, r, -(self.eligible[c] & positive[c]).astype(np.int64))
            active = np.unique(r)
        return hidden

    # --- the audit: a reader's attack with the true published values ---------------------------

    def audit(self, hidden: np.ndarray, components: np.ndarray | None = None) -> np.ndarray:
        """Cells an attack pins down: hidden cells, and unpublished months it pins at 1 to 4.

        ``components``: audit only the relations of these components (None: all). No relation
        crosses two components, so they are attacked a batch at a time (at most
        :data:`AUDIT_BATCH` coordinates each): the same bounds, a fraction of the memory."""
        unknown = (hidden | (self.kind_c == U)) & self.valid
        n_comp = int(self.comp.max()) + 1
        if components is None:
            components = np.arange(n_comp)
        block = self.comp[self.var]
        size = np.bincount(block, minlength=n_comp)[components]
        batch = np.cumsum(size) // AUDIT_BATCH
        pinned = []
        for b in np.unique(batch):
            wanted = np.zeros(n_comp, dtype=bool)
            wanted[components[batch == b]] = True
            inside = wanted[block]
            rel, var, coef = self.rel[inside], self.var[inside], self.coef[inside]
            known = np.where(unknown[var], 0.0, coef * self.v[var])
            rhs = self.rhs - np.bincount(rel, known, self.n_rel)
            keep = unknown[var]
            r, x, a = rel[keep], var[keep], coef[keep]
            lo, hi = _propagate(r, x, a, rhs, self.grid, self.n_rel)
            g = self.grid[x]
            width = hi - lo
            single = np.where(g > 0, width < 0.5 * np.where(g > 0, g, 1.0), width < 1e-6)
            pinned.append(np.unique(x[single]))
        xs = np.unique(np.concatenate(pinned)) if pinned else np.zeros(0, dtype=np.int64)
        bad = hidden[xs] | self.sensitive_u[xs]
        self._pinned = xs  # every pinned unknown (used by loosen)
        return xs[bad]

    def loosen(self, pinned: np.ndarray, hidden: np.ndarray) -> np.ndarray:
        """Complementary cells for pinned cells: in every relation of a pinned cell, its cheapest
        published positive cell, else its cheapest published zero (the relation's sum first:
        a hidden sum lets the members move). In a relation with no published cell left (such as
        the unpublished months' own group), the same for its other pinned members."""
        rel, var, coef = self.rel, self.var, self.coef

        def candidates(rels: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
            idx = _ranges(self.rel_start[rels], self.rel_start[rels + 1])
            x = var[idx]
            cand = self.eligible[x] & ~hidden[x]
            pos = cand & (self.v[x] > 0)
            return idx, cand, pos

        rels = self._relations_of(pinned)
        idx, cand, _ = candidates(rels)
        has_cand = np.zeros(self.n_rel, dtype=bool)
        has_cand[rel[idx[cand]]] = True
        stuck = rels[~has_cand[rels]]
        if len(stuck):
            members = var[_ranges(self.rel_start[stuck], self.rel_start[stuck + 1])]
            others = np.intersect1d(members, self._pinned)
            rels = np.union1d(rels, self._relations_of(others))
        idx, cand, pos = candidates(rels)
        has_pos = np.zeros(self.n_rel, dtype=bool)
        has_pos[rel[idx[pos]]] = True
        take = np.where(has_pos[rel[idx]], pos, cand)
        idx = idx[take]
        # among zeros, the sum side (negative coefficient) first
        cost = self.cost[var[idx]] + np.where(coef[idx] < 0, 0.0, 0.5)
        return _cheapest(rel[idx], var[idx], cost)

    def _relations_of(self, cells: np.ndarray) -> np.ndarray:
        nz = self.by_var[_ranges(self.var_start[cells], self.var_start[cells + 1])]
        return np.unique(self.rel[nz])


def _cheapest(rel: np.ndarray, var: np.ndarray, cost: np.ndarray) -> np.ndarray:
    """Per relation, the candidate of least cost (ties: the first cell); distinct cells."""
    if not len(rel):
        return np.zeros(0, dtype=np.int64)
    order = np.lexsort((var, cost, rel))
    r = rel[order]
    first = np.r_[True, r[1:] != r[:-1]]
    return np.unique(var[order][first])


def _propagate(
    rel: np.ndarray,
    var: np.ndarray,
    coef: np.ndarray,
    rhs: np.ndarray,
    grid: np.ndarray,
    n_rel: int,
    max_iterations: int = 200,
) -> tuple[np.ndarray, np.ndarray]:
    """Bounds of each ``var`` (≥ 0, on its lattice) under Σ coef × x = rhs, to a fixed point.

    Returns lo and hi aligned with ``var`` (the coordinate list), not per variable.
    """
    seen = np.zeros(len(grid), dtype=bool)
    seen[var] = True
    uvars = np.flatnonzero(seen)
    slot = np.full(len(grid), -1)
    slot[uvars] = np.arange(len(uvars))
    inv = slot[var]
    lo = np.zeros(len(uvars))
    hi = np.full(len(uvars), np.inf)
    g = grid[uvars]
    # relation → its members (sorted by relation), variable → its relations
    by_var = np.argsort(inv, kind="stable")
    var_start = np.r_[0, np.cumsum(np.bincount(inv, minlength=len(uvars)))]
    rel_start = np.r_[0, np.cumsum(np.bincount(rel, minlength=n_rel))]
    mark = np.zeros(n_rel, dtype=bool)
    slot_rel = np.zeros(n_rel, dtype=np.int64)
    mark[rel] = True
    active = np.flatnonzero(mark)
    for _ in range(max_iterations):
        if not len(active):
            break
        # the coordinates of the active relations (rel is sorted)
        idx = _ranges(rel_start[active], rel_start[active + 1])
        r, k, x = rel[idx], coef[idx], inv[idx]
        na = len(active)
        slot_rel[active] = np.arange(na)
        rr = slot_rel[r]
        pos = k > 0
        l_, h_ = lo[x], hi[x]
        cmin = np.where(pos, k * l_, k * h_)
        cmax = np.where(pos, k * h_, k * l_)
        fmin, fmax = np.isfinite(cmin), np.isfinite(cmax)
        smin = np.bincount(rr, np.where(fmin, cmin, 0.0), na)
        smax = np.bincount(rr, np.where(fmax, cmax, 0.0), na)
        imin = np.bincount(rr, ~fmin, na)
        imax = np.bincount(rr, ~fmax, na)
        # the others' sum, for each member: coef × x = rhs − others
        o_min = np.where(imin[rr] - ~fmin > 0, -np.inf, smin[rr] - np.where(fmin, cmin, 0.0))
        o_max = np.where(imax[rr] - ~fmax > 0, np.inf, smax[rr] - np.where(fmax, cmax, 0.0))
        a = (rhs[r] - o_max) / k
        b = (rhs[r] - o_min) / k
        new_lo = np.nan_to_num(np.where(pos, a, b), nan=-np.inf)
        new_hi = np.nan_to_num(np.where(pos, b, a), nan=np.inf)
        best_lo = np.full(len(uvars), -np.inf)
        best_hi = np.full(len(uvars), np.inf)
        np.maximum.at(best_lo, x, new_lo)
        np.minimum.at(best_hi, x, new_hi)
        up = best_lo > lo + 1e-6
        down = best_hi < hi - 1e-6
        changed = np.flatnonzero(up | down)
        if not len(changed):
            break
        lo[up] = best_lo[up]
        hi[down] = best_hi[down]
        cl, ch = _snap(lo[changed], hi[changed], g[changed])
        crossed = cl > ch
        if crossed.any():  # equal up to floating-point noise
            mid = (cl[crossed] + ch[crossed]) / 2
            cl[crossed], ch[crossed] = mid, mid
        lo[changed], hi[changed] = cl, ch
        # next: the relations of the variables that moved
        members = by_var[_ranges(var_start[changed], var_start[changed + 1])]
        mark[active] = False  # the marks set last time, not the whole array
        mark[rel[members]] = True
        active = np.flatnonzero(mark)
    return lo[inv], hi[inv]


def _ranges(starts: np.ndarray, ends: np.ndarray) -> np.ndarray:
    """The concatenated integer ranges [start, end) (vectorised)."""
    lengths = ends - starts
    total = int(lengths.sum())
    if not total:
        return np.zeros(0, dtype=np.int64)
    offsets = np.repeat(starts - np.r_[0, np.cumsum(lengths)[:-1]], lengths)
    return np.arange(total) + offsets


def _snap(lo: np.ndarray, hi: np.ndarray, g: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Bounds ≥ 0 and on each variable's lattice (step g; 0 = none)."""
    lo = np.maximum(lo, 0.0)
    on = g > 0
    step = np.where(on, g, 1.0)
    lo = np.where(on, np.ceil(lo / step - 1e-7) * step, lo)
    fin = on & np.isfinite(hi)
    hi = np.where(fin, np.floor(np.where(fin, hi, 0.0) / step + 1e-7) * step, hi)
    return lo, hi


# --- inputs ---------------------------------------------------------------------------------------


def _strs(*parts: pd.Series) -> np.ndarray:
    return np.concatenate([p.astype(str).to_numpy() for p in parts])


def _unpublished(monthly: pd.DataFrame, unpublished: pd.DataFrame) -> pd.DataFrame:
    """The unpublished months of every (measure, year) that has published months.

    Their breakdowns are unknowns of their year's relation; years without any published month
    are left out (a municipality's months × categories table of such a year, with the published
    monthly totals and annual averages as margins, always has a non-negative integer filling, so
    they add nothing a reader could use). Months are kept one by one, not summed per year: a
    derived measure ties the months of its components month by month. Columns: geo_code,
    geo_level, measure, period (the month), total, the breakdown columns, n_missing.
    """
    pub = monthly[["measure", "period"]].astype(str)
    pub_years = pd.MultiIndex.from_arrays([pub.measure, pub.period.str[:4]]).unique()
    measure = unpublished.measure.astype(str).to_numpy()
    period = unpublished.period.astype(str).to_numpy()
    keep = pd.MultiIndex.from_arrays([measure, pd.Index(period).str[:4]]).isin(pub_years)
    keep &= unpublished.total.notna().to_numpy()
    u = unpublished[keep]
    return pd.DataFrame(
        {
            "geo_code": u.geo_code.astype(str).to_numpy(),
            "geo_level": u.geo_level.astype(str).to_numpy(),
            "measure": measure[keep],
            "period": period[keep],
            **{c: u[c].to_numpy(dtype="float64") for c in ("total", *CELL_COLUMNS)},
            "n_missing": u.n_missing.to_numpy(dtype="int64"),
        }
    )


def _complete_years(
    rows: pd.DataFrame, yearly: pd.DataFrame, parents: Mapping[str, str]
) -> np.ndarray:
    """Per row: True for an annual average that is exactly the mean of its area's months.

    A municipality's always is (over its own months). A higher level's is the sum of its members'
    averages, which is the mean of its own months only when every member has all the year's
    months or none."""
    y = yearly[["geo_code", "geo_level", "measure", "period", "months", "published_months"]]
    y = y.astype({"geo_code": str, "geo_level": str, "measure": str, "period": str})
    muni = y[y.geo_level == "municipality"]
    partial = muni[(muni.months > 0) & (muni.months < muni.published_months)]
    anc = []
    cur = partial[["geo_code", "measure", "period"]].assign(geo_code=partial.geo_code.map(parents))
    while len(cur := cur[cur.geo_code.fillna("") != ""]):
        anc.append(cur)
        cur = cur.assign(geo_code=cur.geo_code.map(parents))
    if not anc:
        return np.ones(len(rows), dtype=bool)
    bad = pd.MultiIndex.from_frame(pd.concat(anc)).unique()
    keys = pd.MultiIndex.from_frame(rows[["geo", "measure", "period"]])
    return ~((rows.level != "municipality").to_numpy() & keys.isin(bad))
