"""Use cases: one function each, one transaction each, plain values in and out, no HTTP."""
