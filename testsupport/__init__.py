"""Support code for tests and benchmarks; production code never imports it."""
