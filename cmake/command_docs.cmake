# Runs the built program's hidden `sirtkit __docs KIND` for the man page and the
# shell completions, so they are generated from the command definitions and
# never drift from them. In: SIRTKIT (the program), OUT_DIR.
file(MAKE_DIRECTORY "${OUT_DIR}")
foreach(pair "man;sirtkit.1" "bash;sirtkit" "zsh;_sirtkit")
  list(GET pair 0 kind)
  list(GET pair 1 name)
  execute_process(COMMAND "${SIRTKIT}" __docs ${kind} OUTPUT_FILE "${OUT_DIR}/${name}.tmp" RESULT_VARIABLE status)
  if(NOT status EQUAL 0)
    message(FATAL_ERROR "sirtkit __docs ${kind} failed: ${status}")
  endif()
  file(RENAME "${OUT_DIR}/${name}.tmp" "${OUT_DIR}/${name}")
endforeach()
# Debian installs man pages compressed; -n keeps the timestamp out (reproducible).
file(REMOVE "${OUT_DIR}/sirtkit.1.gz")
execute_process(COMMAND gzip -9n "${OUT_DIR}/sirtkit.1" RESULT_VARIABLE status)
if(NOT status EQUAL 0)
  message(FATAL_ERROR "gzip of the man page failed: ${status}")
endif()
