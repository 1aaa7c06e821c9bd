# Paired verdicts, noise warnings and the terminal table (issue 11).
target_sources(zccore PRIVATE
  ${CMAKE_CURRENT_LIST_DIR}/verdicts.c
  ${CMAKE_CURRENT_LIST_DIR}/noise.c
  ${CMAKE_CURRENT_LIST_DIR}/table.c)
