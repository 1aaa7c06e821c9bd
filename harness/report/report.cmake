# zcbench report: result files to gnuplot figures, index.html and summary.md.
# Included by the top CMakeLists.txt; adds its sources to zccore.
# Layers, each using only those above it (no include circles):
#   report_json.c                      JSON and number helpers
#   report_shutdown_load.c             the shutdown benchmark's figures of a cell
#   report_load.c, report_verdicts.c   the model: files, cells, verdicts
#   report_compare.c                   compare's verdicts (harness/compare/compare.h)
#   report_figdata.c                   a figure and its data file
#   report_figures.c, report_shutdown.c the figures (report_shutdown.c also its tables)
#   report_render.c                    gnuplot
#   report_answer.c, report_price.c, report_html.c, report_md.c   the pages
#   report_main.c                      the steps in order
target_sources(zccore PRIVATE
  ${CMAKE_CURRENT_LIST_DIR}/report_json.c
  ${CMAKE_CURRENT_LIST_DIR}/report_shutdown_load.c
  ${CMAKE_CURRENT_LIST_DIR}/report_load.c
  ${CMAKE_CURRENT_LIST_DIR}/report_verdicts.c
  ${CMAKE_CURRENT_LIST_DIR}/report_compare.c
  ${CMAKE_CURRENT_LIST_DIR}/report_figdata.c
  ${CMAKE_CURRENT_LIST_DIR}/report_figures.c
  ${CMAKE_CURRENT_LIST_DIR}/report_price.c
  ${CMAKE_CURRENT_LIST_DIR}/report_render.c
  ${CMAKE_CURRENT_LIST_DIR}/report_answer.c
  ${CMAKE_CURRENT_LIST_DIR}/report_html.c
  ${CMAKE_CURRENT_LIST_DIR}/report_md.c
  ${CMAKE_CURRENT_LIST_DIR}/report_main.c
)
# The page's skeleton, style and reading notes are template files, made into
# string constants at build time (templates/embed.cmake).
set(zc_report_tpl_dir ${CMAKE_CURRENT_LIST_DIR}/templates)
set(zc_report_tpl_h ${CMAKE_BINARY_DIR}/generated/report_templates.h)
add_custom_command(
  OUTPUT ${zc_report_tpl_h}
  COMMAND ${CMAKE_COMMAND} -DOUT=${zc_report_tpl_h}
          "-DINPUTS=zc_tpl_page=${zc_report_tpl_dir}/page.html|zc_tpl_style=${zc_report_tpl_dir}/style.css|zc_tpl_how_to_read=${zc_report_tpl_dir}/how_to_read.html"
          -P ${zc_report_tpl_dir}/embed.cmake
  DEPENDS ${zc_report_tpl_dir}/page.html ${zc_report_tpl_dir}/style.css ${zc_report_tpl_dir}/how_to_read.html
          ${zc_report_tpl_dir}/embed.cmake
  COMMENT "Embedding the report templates"
  VERBATIM)
target_sources(zccore PRIVATE ${zc_report_tpl_h})
target_include_directories(zccore PRIVATE ${CMAKE_BINARY_DIR}/generated)
# The gnuplot scripts are found at run time in the source tree;
# $ZCBENCH_PLOTS_DIR or `zcbench report --plots DIR` override it.
set_property(SOURCE ${CMAKE_CURRENT_LIST_DIR}/report_main.c APPEND PROPERTY
  COMPILE_DEFINITIONS ZC_PLOTS_DIR="${PROJECT_SOURCE_DIR}/plots")
target_sources(zccore PRIVATE ${CMAKE_CURRENT_LIST_DIR}/report_shutdown.c) # the shutdown benchmark (issue 7)

