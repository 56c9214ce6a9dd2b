#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0
"""validate.py SCHEMA REPORT...: check each SARIF report against the JSON
schema with the validator its "$schema" names (Debian's python3-jsonschema);
print one line per report, "ok" or its first errors, and exit 1 if any
report is invalid."""
import json
import sys

import jsonschema

schema = json.load(open(sys.argv[1]))
validator = jsonschema.validators.validator_for(schema)(schema)
bad = 0
for path in sys.argv[2:]:
    errors = sorted(validator.iter_errors(json.load(open(path))), key=lambda e: list(e.path))
    if errors:
        bad += 1
        print(f"{path}: {len(errors)} errors")
        for e in errors[:3]:
            print(f"  at {'/'.join(map(str, e.path))}: {e.message[:160]}")
    else:
        print(f"{path}: ok ({type(validator).__name__})")
sys.exit(1 if bad else 0)
