# The signal discipline every command shares.
target_sources(zccore PRIVATE ${CMAKE_CURRENT_LIST_DIR}/signals.c)
