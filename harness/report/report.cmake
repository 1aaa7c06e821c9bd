# zcbench report: result files to gnuplot figures, index.html and summary.md.
# Included by the top CMakeLists.txt; adds its sources to zccore.
target_sources(zccore PRIVATE
  ${CMAKE_CURRENT_LIST_DIR}/report_load.c
  ${CMAKE_CURRENT_LIST_DIR}/report_figures.c
  ${CMAKE_CURRENT_LIST_DIR}/report_render.c
  ${CMAKE_CURRENT_LIST_DIR}/report_html.c
  ${CMAKE_CURRENT_LIST_DIR}/report_md.c
  ${CMAKE_CURRENT_LIST_DIR}/report_main.c
)
# The gnuplot scripts are found at run time in the source tree;
# $ZCBENCH_PLOTS_DIR or `zcbench report --plots DIR` override it.
set_property(SOURCE ${CMAKE_CURRENT_LIST_DIR}/report_main.c APPEND PROPERTY
  COMPILE_DEFINITIONS ZC_PLOTS_DIR="${PROJECT_SOURCE_DIR}/plots")
target_sources(zccore PRIVATE ${CMAKE_CURRENT_LIST_DIR}/report_shutdown.c) # the shutdown benchmark (issue 7)
