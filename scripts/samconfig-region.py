#!/usr/bin/env python3
"""`samconfig-region.py ENV`: the region samconfig.toml deploys ENV to (the pipeline's)."""

import os
import sys
import tomllib

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
with open(os.path.join(ROOT, "samconfig.toml"), "rb") as f:
    print(tomllib.load(f)[sys.argv[1]]["deploy"]["parameters"]["region"])
