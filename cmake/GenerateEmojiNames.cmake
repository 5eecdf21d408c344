# Script mode (cmake -P): turns Unicode's emoji-test.txt (Debian's unicode-data,
# /usr/share/unicode/emoji/emoji-test.txt) into the reaction picker's table:
# one "emoji<TAB>name" line per fully-qualified emoji, in Unicode's order, skin
# tone variants left out (the picker offers the base emoji).
#   cmake -DINPUT=emoji-test.txt -DOUTPUT=emoji-names.tsv -P GenerateEmojiNames.cmake
if(NOT INPUT OR NOT OUTPUT)
    message(FATAL_ERROR "GenerateEmojiNames: INPUT and OUTPUT are required")
endif()
file(STRINGS "${INPUT}" lines ENCODING UTF-8 REGEX "; fully-qualified")
set(table "")
set(count 0)
foreach(line IN LISTS lines)
    # "1F44D ; fully-qualified # 👍 E0.6 thumbs up"
    if(NOT line MATCHES "# ([^ ]+) E[0-9]+\\.[0-9]+ (.+)$")
        continue()
    endif()
    set(emoji "${CMAKE_MATCH_1}")
    set(name "${CMAKE_MATCH_2}")
    if(name MATCHES "skin tone")
        continue()
    endif()
    string(APPEND table "${emoji}\t${name}\n")
    math(EXPR count "${count} + 1")
endforeach()
if(count LESS 1000)
    message(FATAL_ERROR "GenerateEmojiNames: only ${count} emoji in ${INPUT}")
endif()
file(WRITE "${OUTPUT}.tmp" "${table}")
file(RENAME "${OUTPUT}.tmp" "${OUTPUT}")
