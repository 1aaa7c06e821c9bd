# What the calibrate and hyperfine commands and their shared helpers (files,
# spawning programs, quoting) bring to zccore.
target_sources(zccore PRIVATE
  ${CMAKE_CURRENT_LIST_DIR}/util.c
  ${CMAKE_CURRENT_LIST_DIR}/calibrate.c
  ${CMAKE_CURRENT_LIST_DIR}/hyperfine_import.c
)
