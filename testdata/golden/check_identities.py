#!/usr/bin/env python3
"""Check the table identities of docs/reports.md on every golden file.

Usage: python3 testdata/golden/check_identities.py [golden.json ...]
Prints, per file, each identity the printed document breaks (a finding, not an error
in the golden: goldens keep printed values).
"""
import glob, json, os, sys

T3COLS = ["natural_person", "commercial", "research", "social_welfare", "legal_service", "other_org", "total"]
T4COLS = ["upheld", "corrected", "other", "pending", "total"]
OUTCOME = ["granted", "partially_granted", "denied_state_secret", "denied_law_forbidden",
           "denied_three_safeties", "denied_third_party", "denied_internal_affairs",
           "denied_process_info", "denied_enforcement_file", "denied_admin_query",
           "unable_not_held", "unable_needs_creation", "unable_unclear", "rejected_petition",
           "rejected_repeat", "rejected_publication", "rejected_massive", "rejected_confirm",
           "other", "other_no_correction", "other_no_fee", "other_other"]


def n(x):
    return x if isinstance(x, (int, float)) else 0


def check(g):
    out = []
    cells = g.get("cells", {})
    t3 = cells.get("t3", {})
    for k, r in t3.items():
        if "total" in r and all(c in r for c in T3COLS[:6]):
            s = sum(n(r[c]) for c in T3COLS[:6])
            if s != n(r["total"]):
                out.append(f"t3 row {k}: sum of 6 applicant columns {s} != total {r['total']}")
    for col in T3COLS + ["org_subtotal"]:
        get = lambda k: t3.get(k, {}).get(col)
        if all(k in t3 for k in ["new_received", "carried_over", "total_processed", "carried_forward"]):
            a = n(get("new_received")) + n(get("carried_over"))
            b = n(get("total_processed")) + n(get("carried_forward"))
            if a != b and (get("new_received") is not None or get("total_processed") is not None):
                out.append(f"t3 col {col}: new_received+carried_over={a} != total_processed+carried_forward={b}")
        if "total_processed" in t3 and get("total_processed") is not None:
            s = sum(n(get(k)) for k in OUTCOME if k in t3)
            if s != n(get("total_processed")):
                out.append(f"t3 col {col}: sum of outcome rows {s} != total_processed {get('total_processed')}")
    for k, r in cells.get("t4", {}).items():
        s = sum(n(r.get(c)) for c in T4COLS[:4])
        if s != n(r.get("total")):
            out.append(f"t4 {k}: upheld+corrected+other+pending={s} != total {r.get('total')}")
    return out


if __name__ == "__main__":
    files = sys.argv[1:] or sorted(glob.glob(os.path.join(os.path.dirname(os.path.abspath(__file__)), "*.json")))
    for f in files:
        g = json.load(open(f, encoding="utf-8"))
        res = check(g)
        print(f"{os.path.basename(f)}: {'all identities hold' if not res else ''}")
        for line in res:
            print("   BREAK", line)
