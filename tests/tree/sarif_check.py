#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""
Check a SARIF log against the structure SARIF 2.1.0 requires (the parts
mapcheck writes): version, $schema, runs[].tool.driver with rules carrying
id/shortDescription/defaultConfiguration, results with ruleId, ruleIndex
pointing at the right rule, level, message.text, and physical locations
with 1-based regions; every rule id in rules/ present.  (The official JSON
schema cannot be fetched here; this checks its required properties.)

usage: sarif_check.py LOG RULES_DIR
"""
import glob, json, os, sys

log, rules_dir = sys.argv[1], sys.argv[2]
d = json.load(open(log))
errors = []
def need(cond, msg):
    if not cond:
        errors.append(msg)

need(d.get("version") == "2.1.0", "version must be 2.1.0")
need("sarif-2.1.0" in d.get("$schema", ""), "$schema must name sarif-2.1.0")
need(isinstance(d.get("runs"), list) and len(d["runs"]) == 1, "one run")
run = d["runs"][0]
drv = run["tool"]["driver"]
need(drv.get("name") == "mapcheck", "tool.driver.name")
rules = drv.get("rules", [])
ids = [r.get("id") for r in rules]
want = {os.path.basename(p)[:-3] for p in glob.glob(os.path.join(rules_dir, "*.md"))
        if not p.endswith("README.md")}
need(set(ids) == want, f"rules in SARIF {sorted(set(ids))} != rules/ {sorted(want)}")
for r in rules:
    need(r.get("shortDescription", {}).get("text"), f"{r.get('id')}: shortDescription.text")
    need(r.get("defaultConfiguration", {}).get("level") in ("note", "warning", "error"),
         f"{r.get('id')}: defaultConfiguration.level")
need(run.get("originalUriBaseIds", {}).get("SRCROOT", {}).get("uri", "").endswith("/"),
     "originalUriBaseIds.SRCROOT.uri ends with /")
for res in run.get("results", []):
    rid, idx = res.get("ruleId"), res.get("ruleIndex")
    need(rid in ids, f"result ruleId {rid} not among the rules")
    need(idx is not None and 0 <= idx < len(ids) and ids[idx] == rid, f"ruleIndex of {rid}")
    need(res.get("level") in ("note", "warning", "error"), "result level")
    need(res.get("message", {}).get("text"), "result message.text")
    for loc in res.get("locations", []) + res.get("relatedLocations", []):
        pl = loc["physicalLocation"]
        need(pl["artifactLocation"].get("uri") and not pl["artifactLocation"]["uri"].startswith("/"),
             "artifactLocation.uri relative to SRCROOT")
        reg = pl.get("region")
        if reg:
            need(reg.get("startLine", 0) >= 1, "region.startLine >= 1")
            need(reg.get("startColumn", 1) >= 1, "region.startColumn >= 1")
print(f"  SARIF: {len(rules)} rules, {len(run.get('results', []))} results, "
      f"{len(errors)} problems")
for e in errors[:20]:
    print("   ", e)
sys.exit(1 if errors else 0)
