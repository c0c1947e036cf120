"""Canonical geography: the 565 municipalities of 2025, their hierarchy, and the code map.

Inputs:  REFNIS (every unit since 1970 with validity dates), the 2019 merger table (Flemish
         mergers only) and the 2025 merger table.
Outputs: ENTITIES (country, 3 regions, 10 provinces, 43 arrondissements, 565 municipalities)
         and CODE_MAP (every municipality code valid since 2005 → its 2025 successor).

The 2019 table lists only the Flemish mergers. On 1 January 2019 eleven Hainaut municipalities
also got new codes without merging (arrondissement redraw: La Louvière 55022 → 58001, Mouscron
54007 → 57096, …). They are derived here from the REFNIS validity dates: a code that ended on
31/12/2018 and is not in the merger table maps to the code that started on 01/01/2019 with the
same Dutch and French names. Every code that started on 01/01/2019 must be explained by one of
the two, or the build stops.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from barometer.errors import DataError, Problem
from barometer.schema import TableSchema
from barometer.vocabulary import COUNTRY, LEVELS

FIRST_MONTH = "2005-01"
"""Codes valid at any time since this month are in the code map (the extract starts here)."""

COUNTRY_NAMES = {"name_nl": "België", "name_fr": "Belgique", "name_de": "Belgien"}

END_2018 = "2018-12-31"
START_2019 = "2019-01-01"
END_2024 = "2024-12-31"
START_2025 = "2025-01-01"
OPEN_END = "9999-12-31"

ENTITIES = TableSchema(
    name="entities",
    columns={
        "code": "str",
        "level": "str",
        "name_nl": "str",
        "name_fr": "str",
        "name_de": "str",
        "parent": "str",
        "arrondissement": "str",
        "province": "str",
        "region": "str",
        "predecessors": "str",
        "formed": "str",
    },
    key=("code",),
    doc=(
        "every entity of the 2025 geography; parent is the next level up ('' for the country); "
        "province is '' in Brussels; predecessors ('|'-joined codes) and formed (ISO date) for "
        "municipalities created by a merger"
    ),
)

CODE_MAP = TableSchema(
    name="code_map",
    columns={
        "code": "str",
        "name_nl": "str",
        "name_fr": "str",
        "name_de": "str",
        "valid_from": "str",
        "valid_to": "str",
        "code_2025": "str",
        "event": "str",
    },
    key=("code",),
    doc=(
        "every municipality code valid since 2005-01 with its validity (YYYY-MM, inclusive) and "
        "its 2025 successor; event: unchanged, merged_2019, recoded_2019, merged_2025, created_2019, created_2025"
    ),
)


@dataclass(frozen=True)
class Geography:
    entities: pd.DataFrame
    code_map: pd.DataFrame

    @property
    def municipalities(self) -> pd.DataFrame:
        return self.entities[self.entities.level == "municipality"]

    def codes(self, level: str) -> list[str]:
        return self.entities.loc[self.entities.level == level, "code"].tolist()


def build_geography(
    refnis: pd.DataFrame,
    merger_2019: pd.DataFrame,
    merger_2025: pd.DataFrame,
    *,
    files: dict[str, str],
) -> Geography:
    """Build ENTITIES and CODE_MAP; raise DataError when the inputs do not fit together."""
    problems: list[Problem] = []
    munis = refnis[refnis.level == 4]
    current = refnis[refnis.valid_to == OPEN_END]
    names = munis.drop_duplicates("code", keep="last").set_index("code")

    recode = _recodings_2019(munis, merger_2019, files, problems)
    successors = _successors_2025(current, names, merger_2025, files, problems)
    if problems:
        raise DataError(problems)

    munis_2019 = current[current.level == 4].set_index("code")
    gone_2025 = set(merger_2025.old_code)
    kept = munis_2019.drop(index=sorted(gone_2025 - set(successors.index)))
    kept = kept.assign(predecessors="", formed="")
    kept.loc[kept.index.isin(successors.index), ["predecessors", "formed"]] = successors[
        ["predecessors", "formed"]
    ]
    new = successors.drop(index=[c for c in successors.index if c in kept.index])
    m2025 = pd.concat([kept[["name_nl", "name_fr", "name_de", "predecessors", "formed"]], new])
    # municipalities created in 2019 keep their history too
    formed_2019 = merger_2019.groupby("new_code").old_code.agg(lambda s: "|".join(sorted(s)))
    in_2019 = m2025.index.isin(formed_2019.index) & (m2025.formed == "")
    m2025.loc[in_2019, "predecessors"] = formed_2019.reindex(m2025.index[in_2019]).to_numpy()
    m2025.loc[in_2019, "formed"] = START_2019

    entities = _hierarchy(current, m2025, files, problems)
    if problems:
        raise DataError(problems)
    code_map = _code_map(munis, merger_2019, merger_2025, recode, successors)
    geo = Geography(ENTITIES.conform(entities), CODE_MAP.conform(code_map))
    sanity_check_geography(geo)
    return geo


def _recodings_2019(
    munis: pd.DataFrame, merger_2019: pd.DataFrame, files: dict[str, str], problems: list[Problem]
) -> dict[str, str]:
    """Codes that ended on 31/12/2018 without merging → the code that replaced them (same names)."""
    ended = munis[munis.valid_to == END_2018]
    started = munis[munis.valid_from == START_2019]
    merged_old = set(merger_2019.old_code)
    merged_new = set(merger_2019.new_code)
    for code in sorted(merged_old - set(ended.code)):
        problems.append(
            Problem(
                files["merger_2019"],
                0,
                "old_nis_2018",
                "a municipality that ended on 31/12/2018 in REFNIS",
                code,
            )
        )
    for code in sorted(merged_new - set(started.code)):
        problems.append(
            Problem(
                files["merger_2019"],
                0,
                "new_nis_2019",
                "a municipality that started on 01/01/2019 in REFNIS",
                code,
            )
        )
    candidates = started[~started.code.isin(merged_new)]
    by_name = candidates.groupby(["name_nl", "name_fr"]).code.agg(list)
    recode: dict[str, str] = {}
    for row in ended[~ended.code.isin(merged_old)].itertuples():
        match = by_name.get((row.name_nl, row.name_fr), [])
        if len(match) != 1:
            problems.append(
                Problem(
                    files["refnis"],
                    0,
                    "CD_REFNIS",
                    f"exactly one code starting 01/01/2019 named {row.name_nl}/{row.name_fr} to replace {row.code}",
                    f"{len(match)} ({', '.join(match) or 'none'})",
                )
            )
            continue
        recode[row.code] = match[0]
    unexplained = set(candidates.code) - set(recode.values())
    for code in sorted(unexplained):
        problems.append(
            Problem(
                files["refnis"],
                0,
                "CD_REFNIS",
                f"a predecessor for {code}, which started on 01/01/2019",
                "none",
            )
        )
    return recode


def _successors_2025(
    current: pd.DataFrame,
    names: pd.DataFrame,
    merger_2025: pd.DataFrame,
    files: dict[str, str],
    problems: list[Problem],
) -> pd.DataFrame:
    """The 2025 successors with their names, predecessors and formation date."""
    arrondissements = set(current.loc[current.level == 3, "code"])
    rows = {}
    for new_code, group in merger_2025.groupby("new_code", sort=True):
        name_nl = group.new_name_nl.iloc[0]
        if group.new_name_nl.nunique() != 1:
            problems.append(
                Problem(
                    files["merger_2025"],
                    0,
                    "new_name_nl",
                    f"one name for {new_code}",
                    ", ".join(group.new_name_nl.unique()),
                )
            )
        if new_code[:2] + "000" not in arrondissements:
            problems.append(
                Problem(
                    files["merger_2025"],
                    0,
                    "new_nis",
                    "a code whose first two digits name a current arrondissement",
                    new_code,
                )
            )
        # the successor keeps the names of the predecessor it is named after (Bastogne 82003 →
        # 82039: Bastenaken / Bastogne / Bastnach); a new name is the same in every language
        same = [
            c
            for c in group.old_code
            if name_nl in (names.loc[c, "name_nl"], names.loc[c, "name_fr"])
        ]
        source = names.loc[same[0]] if same else None
        rows[new_code] = {
            "name_nl": source.name_nl if source is not None else name_nl,
            "name_fr": source.name_fr if source is not None else name_nl,
            "name_de": source.name_de if source is not None else name_nl,
            "predecessors": "|".join(sorted(group.old_code)),
            "formed": START_2025,
        }
    return pd.DataFrame.from_dict(rows, orient="index")


def _hierarchy(
    current: pd.DataFrame, m2025: pd.DataFrame, files: dict[str, str], problems: list[Problem]
) -> pd.DataFrame:
    units = current[current.level < 4].set_index("code")
    arr_codes = set(units.index[units.level == 3])
    rows = [{"code": COUNTRY, "level": "country", **COUNTRY_NAMES, "parent": ""}]
    for code, u in units.iterrows():
        level = {1: "region", 2: "province", 3: "arrondissement"}[u.level]
        parent = u.parent if level != "region" else COUNTRY
        rows.append(
            {
                "code": code,
                "level": level,
                "name_nl": u.name_nl,
                "name_fr": u.name_fr,
                "name_de": u.name_de,
                "parent": parent,
            }
        )
    for code, m in m2025.iterrows():
        arr = code[:2] + "000"
        if arr not in arr_codes:
            problems.append(
                Problem(
                    files["refnis"], 0, "CD_SUP_REFNIS", "a current arrondissement for " + code, arr
                )
            )
        rows.append(
            {
                "code": code,
                "level": "municipality",
                "name_nl": m.name_nl,
                "name_fr": m.name_fr,
                "name_de": m.name_de,
                "parent": arr,
                "predecessors": m.predecessors,
                "formed": m.formed,
            }
        )
    ent = pd.DataFrame(rows).fillna("")
    parent = ent.set_index("code").parent
    level = ent.set_index("code").level

    def up_to(codes: pd.Series, target: str) -> pd.Series:
        out = pd.Series("", index=codes.index)
        cur = codes.copy()
        for _ in range(len(LEVELS)):
            hit = cur.map(level).eq(target) & out.eq("")
            out[hit] = cur[hit]
            cur = cur.map(parent).fillna("")
        return out

    ent["arrondissement"] = up_to(ent.code, "arrondissement")
    ent["province"] = up_to(ent.code, "province")
    ent["region"] = up_to(ent.code, "region")
    ent["level_order"] = ent.level.map({lv: i for i, lv in enumerate(LEVELS)})
    ent = ent.sort_values(["level_order", "code"]).drop(columns="level_order")
    return ent[list(ENTITIES.columns)]


def _code_map(
    munis: pd.DataFrame,
    merger_2019: pd.DataFrame,
    merger_2025: pd.DataFrame,
    recode: dict[str, str],
    successors: pd.DataFrame,
) -> pd.DataFrame:
    """Every municipality code valid since 2005 → 2025 code, following both waves."""
    recent = (
        munis[munis.valid_to >= FIRST_MONTH + "-01"].drop_duplicates("code", keep="last").copy()
    )
    to_2019 = dict(zip(merger_2019.old_code, merger_2019.new_code, strict=True)) | recode
    to_2025 = dict(zip(merger_2025.old_code, merger_2025.new_code, strict=True))
    gone_2025 = set(merger_2025.old_code) - set(successors.index)
    recent.loc[recent.code.isin(gone_2025), "valid_to"] = END_2024

    def successor(code: str) -> str:
        code = to_2019.get(code, code)
        return to_2025.get(code, code)

    def event(code: str, valid_from: str) -> str:
        if code in set(merger_2019.old_code):
            return "merged_2019"
        if code in recode:
            return "recoded_2019"
        if code in to_2025:
            return "merged_2025"
        if valid_from == START_2019:
            return "created_2019"
        return "unchanged"

    recent["code_2025"] = recent.code.map(successor)
    recent["event"] = [event(c, f) for c, f in zip(recent.code, recent.valid_from, strict=True)]
    new = successors.loc[[c for c in successors.index if c not in set(recent.code)]]
    new_rows = pd.DataFrame(
        {
            "code": new.index,
            "name_nl": new.name_nl.to_numpy(),
            "name_fr": new.name_fr.to_numpy(),
            "name_de": new.name_de.to_numpy(),
            "valid_from": START_2025,
            "valid_to": OPEN_END,
            "code_2025": new.index,
            "event": "created_2025",
        }
    )
    out = pd.concat([recent, new_rows], ignore_index=True)
    out["valid_from"] = out.valid_from.str[:7]
    out["valid_to"] = out.valid_to.str[:7]
    return out


def sanity_check_geography(geo: Geography) -> None:
    """Invariants of the 2025 geography; a failure here is a defect in the inputs or the code.

    (How many areas there are is data, not an invariant: the real geography's 565 municipalities,
    43 arrondissements, 10 provinces and 3 regions are checked by the tests on the snapshot, and a
    small test geography builds too.)"""
    ent = geo.entities
    counts = ent.level.value_counts()
    found = {lv: int(counts.get(lv, 0)) for lv in LEVELS}
    if found["country"] != 1 or not all(found.values()):
        raise DataError(
            Problem(
                "refnis", 0, "-", "one country and at least one area of every level", str(found)
            )
        )
    munis = ent[ent.level == "municipality"]
    orphans = munis[(munis.arrondissement == "") | (munis.region == "")]
    if len(orphans):
        raise DataError(
            Problem(
                "refnis",
                0,
                "CD_SUP_REFNIS",
                "an arrondissement and a region for every municipality",
                ", ".join(orphans.code[:5]),
            )
        )
    targets = set(geo.code_map.code_2025)
    munis = set(geo.municipalities.code)
    if targets != munis:
        raise DataError(
            Problem(
                "code_map",
                0,
                "code_2025",
                "every 2025 municipality as a target, and only those",
                str(sorted(targets ^ munis)),
            )
        )
