# zcbench compare: result files side by side, with a Mann-Whitney U test.
# (harness/cmd_compare.c itself is in zccore's list in CMakeLists.txt.)
target_sources(zccore PRIVATE
  ${CMAKE_CURRENT_LIST_DIR}/compare.c
  ${CMAKE_CURRENT_LIST_DIR}/compare_metrics.c
  ${CMAKE_CURRENT_LIST_DIR}/compare_format.c
  ${CMAKE_CURRENT_LIST_DIR}/compare_host.c
  ${CMAKE_CURRENT_LIST_DIR}/mannwhitney.c
  ${CMAKE_CURRENT_LIST_DIR}/gate_stats.c
)
