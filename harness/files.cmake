# File safety: output files written atomically and only over regular files,
# the private cache directory (its locks and the sweep of dead processes'
# files), and the checks made before any pattern is generated.
target_sources(zccore PRIVATE
  ${CMAKE_CURRENT_LIST_DIR}/safe_file.c
  ${CMAKE_CURRENT_LIST_DIR}/cache_dir.c
  ${CMAKE_CURRENT_LIST_DIR}/cells_prepare.c
)
