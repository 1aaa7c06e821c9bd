# Per-run figures split by thread class, placement and byte class.
target_sources(zccore PRIVATE ${CMAKE_CURRENT_LIST_DIR}/window_split.c)
