# natter_add_test(<name> SOURCES <files...> LIBS <targets...> [GUI] [LABELS <labels...>])
#
# Adds one Qt Test executable and registers it with CTest. Every test knows where
# the freshly built natterd lives through NATTERD_BIN, so integration tests start
# the real server process.
function(natter_add_test name)
    cmake_parse_arguments(ARG "GUI" "TIMEOUT" "SOURCES;LIBS;LABELS" ${ARGN})
    add_executable(${name} ${ARG_SOURCES})
    target_link_libraries(${name} PRIVATE Qt6::Test natter-testsupport ${ARG_LIBS})
    add_test(NAME ${name} COMMAND ${name})
    set(env "NATTERD_BIN=$<TARGET_FILE:natterd>")
    if(ARG_GUI)
        list(APPEND env "QT_QPA_PLATFORM=offscreen")
    endif()
    if(NOT ARG_TIMEOUT)
        set(ARG_TIMEOUT 300)
    endif()
    set_tests_properties(${name} PROPERTIES ENVIRONMENT "${env}" TIMEOUT ${ARG_TIMEOUT}
                                            LABELS "${ARG_LABELS}")
    add_dependencies(${name} natterd)
endfunction()
