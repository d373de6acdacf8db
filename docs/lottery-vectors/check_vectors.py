#!/usr/bin/env python3
"""An independent reading of docs/lottery-spec.md, used to review the test vectors.

Written from the specification, not from the TypeScript engine: it recomputes every vector in this
folder (pool hash, seed, quotas, result lines, result hash, promotions, next-stage pools and the
building blocks in 00-primitives.json) and reports any difference. Standard library only:

    python3 docs/lottery-vectors/check_vectors.py
"""
import hashlib
import json
import sys
from fractions import Fraction
from pathlib import Path

ALGORITHM_ID = "g2g-lottery/1 (seedrandom-xor4096@3.0.5)"
M32 = 0xFFFFFFFF


def sha256_hex(text):
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def i32(x):
    x &= M32
    return x - (1 << 32) if x & 0x80000000 else x


class Xor4096:
    """seedrandom 3.0.5 lib/xor4096.js with a string seed (spec section 4)."""

    def __init__(self, seed):
        key = seed + "\0"
        limit = max(128, len(key))
        X = [0] * 128
        v = 0
        w = 0
        i = 0
        for j in range(-32, limit):
            v ^= ord(key[(j + 32) % len(key)])
            if j == 0:
                w = v
            v = i32(v ^ (v << 10))
            v = i32(v ^ ((v & M32) >> 15))
            v = i32(v ^ (v << 4))
            v = i32(v ^ ((v & M32) >> 13))
            if j >= 0:
                w = i32(w + 0x61C88647)
                X[j & 127] = i32(X[j & 127] ^ (v + w))
                t = X[j & 127]
                i = i + 1 if t == 0 else 0
        if i >= 128:
            X[len(key) & 127] = -1
        i = 127
        for _ in range(512):
            v = X[(i + 34) & 127]
            i = (i + 1) & 127
            t = X[i]
            v = i32(v ^ (v << 13))
            t = i32(t ^ (t << 17))
            v = i32(v ^ ((v & M32) >> 15))
            t = i32(t ^ ((t & M32) >> 12))
            X[i] = i32(v ^ t)
        self.X, self.w, self.i = X, w, i

    def next_uint32(self):
        X = self.X
        self.w = w = i32(self.w + 0x61C88647)
        v = X[(self.i + 34) & 127]
        self.i = i = (self.i + 1) & 127
        t = X[i]
        v = i32(v ^ (v << 13))
        t = i32(t ^ (t << 17))
        v = i32(v ^ ((v & M32) >> 15))
        t = i32(t ^ ((t & M32) >> 12))
        v = X[i] = i32(v ^ t)
        return (v + (w ^ ((w & M32) >> 16))) & M32


def sub_seed(seed, label):
    return sha256_hex(seed + "|" + label)


def uniform_index(rng, n):
    limit = (1 << 32) - ((1 << 32) % n)
    while True:
        u = rng.next_uint32()
        if u < limit:
            return u % n


def shuffle_prefix(items, steps, rng):
    n = len(items)
    for i in range(min(steps, n)):
        j = i + uniform_index(rng, n - i)
        items[i], items[j] = items[j], items[i]
    return items


def apportion(total, strata, priority):
    """strata: list of (weight, capacity); priority: lower wins ties."""
    seats = [0] * len(strata)
    open_ = [k for k, (_, c) in enumerate(strata) if c > 0]
    left = min(total, sum(c for _, c in strata))
    if left == 0:
        return seats
    while True:
        W = sum(strata[k][0] for k in open_)
        over = [k for k in open_ if Fraction(left * strata[k][0], W) > strata[k][1]]
        if not over:
            break
        for k in over:
            seats[k] = strata[k][1]
            left -= strata[k][1]
        open_ = [k for k in open_ if k not in over]
    W = sum(strata[k][0] for k in open_)
    for k in open_:
        seats[k] = left * strata[k][0] // W
    extra = left - sum(seats[k] for k in open_)
    ranked = sorted(open_, key=lambda k: (-((left * strata[k][0]) % W), priority[k]))
    for k in ranked[:extra]:
        seats[k] += 1
    return seats


def parse_pool(lines):
    pool = []
    for line in lines:
        reg, div, dist, upa, uni, gender, age, sectors, day = line.split("\t")
        pool.append(
            {
                "reg": reg,
                "division": int(div),
                "district": int(dist),
                "upazila": int(upa),
                "union": int(uni),
                "gender": gender,
                "age": int(age),
                "sectors": sectors.split(",") if sectors else [],
                "day": day,
                "line": line,
            }
        )
    return sorted(pool, key=lambda e: e["reg"])


def lines_hash(lines):
    return hashlib.sha256("".join(line + "\n" for line in lines).encode("ascii")).hexdigest()


def derive_seed(draw_id, pool_hash, reveals, beacon):
    doc = {
        "algorithm": ALGORITHM_ID,
        "beacon": beacon,
        "drawId": draw_id,
        "poolHash": pool_hash,
        "reveals": [
            {"secret": r["secret"], "witnessId": r["witnessId"]}
            for r in sorted(reveals, key=lambda r: r["witnessId"])
        ],
    }
    return sha256_hex(json.dumps(doc, sort_keys=True, separators=(",", ":"), ensure_ascii=False))


def fits(order, e):
    return (
        order["sector"] in e["sectors"]
        and order["gender"] in ("any", e["gender"])
        and order["minAge"] <= e["age"] <= order["maxAge"]
    )


def choose(e, orders, has_room):
    by_id = sorted(range(len(orders)), key=lambda k: orders[k]["id"])
    for sector in e["sectors"]:
        for k in by_id:
            o = orders[k]
            if o["sector"] == sector and has_room(k) and o["gender"] in ("any", e["gender"]) and o["minAge"] <= e["age"] <= o["maxAge"]:
                return k
    return None


def draw(pool, policy, seed):
    level = policy["quota"]["level"]
    n = len(pool)
    stratum = [0 if level == "none" else e[level] for e in pool]
    ids = sorted(set(stratum))
    members = {s: [i for i in range(n) if stratum[i] == s] for s in ids}
    if policy["quota"]["basis"] == "registrants":
        weights = [len(members[s]) for s in ids]
    else:
        weights = [policy["quota"]["population"][str(s)] for s in ids]
    order = shuffle_prefix(list(range(len(ids))), len(ids), Xor4096(sub_seed(seed, "apportionment")))
    priority = [0] * len(ids)
    for pos, t in enumerate(order):
        priority[t] = pos
    quotas = apportion(policy["total"], [(weights[t], len(members[s])) for t, s in enumerate(ids)], priority)
    tie_order = [ids[t] for t in order]

    outcome = ["not-selected"] * n
    rank = [None] * n
    waitpos = [None] * n
    held = [None] * n
    per = policy["waitlist"]["per"]
    length = policy["waitlist"].get("length", 0)
    strata = []
    for t, s in enumerate(ids):
        q = quotas[t]
        wl = length if per == "stratum" else 0
        k = min(len(members[s]), q + wl)
        ranked = shuffle_prefix(list(members[s]), k, Xor4096(sub_seed(seed, f"stratum:{level}:{s}"))) if k else []
        for p in range(k):
            i = ranked[p]
            if p < q:
                outcome[i] = "selected"
            else:
                outcome[i] = "waitlisted"
                waitpos[i] = p - q + 1
        strata.append({"id": s, "registrants": len(members[s]), "weight": weights[t], "quota": q, "waitlisted": k - q})
    selected = [i for i in range(n) if outcome[i] == "selected"]
    ranking = shuffle_prefix(selected, len(selected), Xor4096(sub_seed(seed, "rank")))
    for r, i in enumerate(ranking):
        rank[i] = r + 1

    orders = policy["orders"]
    allocated = [0] * len(orders)
    waiting = [0] * len(orders)
    if orders:
        left = [o["vacancies"] for o in orders]
        for i in ranking:
            k = choose(pool[i], orders, lambda k: left[k] > 0)
            if k is not None:
                held[i] = k
                left[k] -= 1
                allocated[k] += 1
        if per == "order" and length > 0:
            reserve = [i for i in range(n) if outcome[i] != "selected"]
            rng = Xor4096(sub_seed(seed, "reserve"))
            open_orders = len(orders)
            step = 0
            while step < len(reserve) and open_orders > 0:
                j = step + uniform_index(rng, len(reserve) - step)
                reserve[step], reserve[j] = reserve[j], reserve[step]
                i = reserve[step]
                k = choose(pool[i], orders, lambda k: waiting[k] < length)
                if k is not None:
                    outcome[i] = "waitlisted"
                    held[i] = k
                    waiting[k] += 1
                    waitpos[i] = waiting[k]
                    if waiting[k] == length:
                        open_orders -= 1
                step += 1
    lines = []
    for i, e in enumerate(pool):
        lines.append(
            "\t".join(
                [
                    e["reg"],
                    outcome[i],
                    "" if rank[i] is None else str(rank[i]),
                    str(stratum[i]),
                    "" if waitpos[i] is None else str(waitpos[i]),
                    "" if held[i] is None else orders[held[i]]["id"],
                ]
            )
        )
    summary = [
        {"id": o["id"], "vacancies": o["vacancies"], "allocated": allocated[k], "waitlisted": waiting[k]}
        for k, o in enumerate(orders)
    ]
    return lines, strata, summary, tie_order


def promote(policy, pool, lines, vacancy, unavailable):
    per = policy["waitlist"]["per"]
    order = None
    if vacancy["orderId"] is not None:
        order = next(o for o in policy["orders"] if o["id"] == vacancy["orderId"])
    if per == "none" or (per == "order" and order is None):
        return None
    rows = [line.split("\t") for line in lines]
    serving = []
    for e, (reg, outcome, _, stratum, pos, held) in zip(pool, rows):
        if outcome != "waitlisted":
            continue
        if (per == "stratum" and int(stratum) == vacancy["stratum"]) or (per == "order" and held == order["id"]):
            serving.append((int(pos), reg, e))
    for pos, reg, e in sorted(serving, key=lambda x: x[0]):
        if reg in unavailable:
            continue
        if order is None or fits(order, e):
            return {"registrationNumber": reg, "waitlistPosition": pos, "orderId": None if order is None else order["id"]}
    return None


def check(name, got, want, problems):
    if got != want:
        problems.append(f"{name}: expected {want!r}, recomputed {got!r}")


def main():
    folder = Path(__file__).parent
    problems = []
    for path in sorted(folder.glob("*.json")):
        vector = json.loads(path.read_text())
        check(f"{path.name} algorithm", vector["algorithm"], ALGORITHM_ID, problems)
        if vector["name"] == "00-primitives":
            for p in vector["prng"]:
                rng = Xor4096(p["seed"])
                check(f"prng {p['seed'][:8]}", [rng.next_uint32() for _ in p["first"]], p["first"], problems)
            for s in vector["subSeeds"]:
                check(f"subSeed {s['label']}", sub_seed(s["seed"], s["label"]), s["subSeed"], problems)
            for s in vector["shuffles"]:
                got = shuffle_prefix(list(range(s["n"])), s["steps"], Xor4096(s["seed"]))[: s["steps"]]
                check(f"shuffle {s['n']}/{s['steps']}", got, s["prefix"], problems)
            for a in vector["apportionments"]:
                got = apportion(a["total"], [(s["weight"], s["capacity"]) for s in a["strata"]], a["tiePriority"])
                check(f"apportion {a['total']}", got, a["seats"], problems)
            for c in vector["commitments"]:
                check("commitment", sha256_hex(c["secret"]), c["commitment"], problems)
            continue
        results = []
        for k, stage in enumerate(vector["stages"]):
            label = f"{path.name} stage {k}"
            expected = stage["expected"]
            if "poolLines" in stage:
                pool = parse_pool(stage["poolLines"])
                check(f"{label} canonical order", [e["line"] for e in pool], stage["poolLines"], problems)
            else:
                source = stage["poolFrom"]
                prev_pool, prev_lines = results[source["stage"]]
                keep = [
                    e
                    for e, line in zip(prev_pool, prev_lines)
                    if (line.split("\t")[1] == "selected" and e["reg"] not in source["withdrawn"])
                    or e["reg"] in source["promoted"]
                ]
                pool = keep
                check(f"{label} next-stage pool", [e["line"] for e in pool], expected["poolLines"], problems)
            pool_hash = lines_hash([e["line"] for e in pool])
            check(f"{label} pool hash", pool_hash, expected["poolHash"], problems)
            for r in stage["reveals"]:
                check(f"{label} commitment {r['witnessId']}", sha256_hex(r["secret"]), r["commitment"], problems)
            seed = derive_seed(stage["drawId"], pool_hash, stage["reveals"], stage["beacon"])
            check(f"{label} seed", seed, expected["seed"], problems)
            lines, strata, orders, tie_order = draw(pool, stage["policy"], seed)
            check(f"{label} apportionment tie order", tie_order, expected["apportionmentTieOrder"], problems)
            check(f"{label} strata", strata, expected["strata"], problems)
            check(f"{label} orders", orders, expected["orders"], problems)
            check(f"{label} result lines", lines, expected["resultLines"], problems)
            check(f"{label} result hash", lines_hash(lines), expected["resultHash"], problems)
            for p in expected["promotions"]:
                got = promote(stage["policy"], pool, lines, p["vacancy"], set(p["unavailable"]))
                check(f"{label} promotion {p['vacancy']}", got, p["promoted"], problems)
            results.append((pool, lines))
    for problem in problems:
        print(problem)
    print(f"{len(problems)} difference(s)")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
