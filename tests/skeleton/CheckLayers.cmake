# Fails when a server source includes a folder its layer must not reach:
#   - only store/sqlite/ (store/postgres/) itself and the composition roots
#     (NatterServer, StorageBackend, admin/) may include the SQLite (PostgreSQL) backend; hub/, http/ and auth/ see the storage
#     interface (store/) only, so a second backend is an addition, not surgery;
#   - store/ (the interface and its backends) includes nothing of hub/ or http/.
file(GLOB_RECURSE sources ${ROOT}/server/src/*.cpp ${ROOT}/server/src/*.h)
set(bad "")
foreach(f ${sources})
    file(RELATIVE_PATH rel ${ROOT}/server/src ${f})
    file(STRINGS ${f} includes REGEX "^#include \"")
    foreach(line ${includes})
        if(line MATCHES "\"store/sqlite/"
           AND NOT rel MATCHES "^(store/sqlite/|admin/|NatterServer\\.|StorageBackend\\.)")
            list(APPEND bad "${rel}: ${line}")
        endif()
        if(line MATCHES "\"store/postgres/"
           AND NOT rel MATCHES "^(store/postgres/|admin/|NatterServer\\.|StorageBackend\\.)")
            list(APPEND bad "${rel}: ${line}")
        endif()
        if(line MATCHES "\"(hub|http)/" AND rel MATCHES "^store/")
            list(APPEND bad "${rel}: ${line}")
        endif()
    endforeach()
endforeach()
if(bad)
    string(REPLACE ";" "\n  " bad "${bad}")
    message(FATAL_ERROR "Includes across the server's layers:\n  ${bad}")
endif()
list(LENGTH sources count)
message(STATUS "${count} server files keep to their layers")
