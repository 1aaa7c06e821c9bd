# Test-only fault hooks (issue 10): ZCBENCH_TEST_FAULTS, read by the parent,
# the peer and the subject (workloads/faults.h).
target_sources(zccore PRIVATE ${PROJECT_SOURCE_DIR}/workloads/faults.c)
