# The remote peer (issue 17): `zcbench peer` and the client side of
# run/all --peer, one protocol (workloads/remote.h).
target_sources(zccore PRIVATE
  ${CMAKE_CURRENT_LIST_DIR}/cmd_peer.c
  ${CMAKE_CURRENT_LIST_DIR}/../workloads/remote_proto.c
  ${CMAKE_CURRENT_LIST_DIR}/../workloads/remote_client.c
)
