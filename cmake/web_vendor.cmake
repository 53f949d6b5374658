# npm packages of the browser workspace (issue 14: @niivue/niivue for the plan
# viewer, web/plan.js), installed at build time with `npm ci` from the pinned
# web/package-lock.json into build/npm, then only what the browser loads is
# copied into build/web/vendor/ (no CDN: the server works offline). npm comes
# from scripts/install-deps.sh. Without npm the build goes on and the plan page
# says the viewer is missing.
find_program(SIRTKIT_NPM npm)
set(sirtkit_npm_dir ${CMAKE_BINARY_DIR}/npm)
set(sirtkit_npm_stamp ${sirtkit_npm_dir}/npm-ci.stamp)
if(SIRTKIT_NPM)
  # A stamp, not the installed files: npm sets their times to 1985.
  add_custom_command(OUTPUT ${sirtkit_npm_stamp}
    COMMAND ${CMAKE_COMMAND} -E make_directory ${sirtkit_npm_dir}
    COMMAND ${CMAKE_COMMAND} -E copy ${PROJECT_SOURCE_DIR}/web/package.json ${PROJECT_SOURCE_DIR}/web/package-lock.json ${sirtkit_npm_dir}
    COMMAND ${SIRTKIT_NPM} ci --prefix ${sirtkit_npm_dir} --no-audit --no-fund --ignore-scripts --loglevel=error
    COMMAND ${CMAKE_COMMAND} -E touch ${sirtkit_npm_stamp}
    DEPENDS ${PROJECT_SOURCE_DIR}/web/package.json ${PROJECT_SOURCE_DIR}/web/package-lock.json
    COMMENT "npm ci (web/package-lock.json): @niivue/niivue")
  set(niivue_dist ${sirtkit_npm_dir}/node_modules/@niivue/niivue)
  add_custom_target(sirtkit_web_vendor ALL
    COMMAND ${CMAKE_COMMAND} -E make_directory ${CMAKE_BINARY_DIR}/web/vendor/niivue
    # The self-contained ES module build (no bare imports) and its package.json (version, BSD-2-Clause licence).
    COMMAND ${CMAKE_COMMAND} -E copy ${niivue_dist}/dist/index.js ${CMAKE_BINARY_DIR}/web/vendor/niivue/niivue.js
    COMMAND ${CMAKE_COMMAND} -E copy ${niivue_dist}/package.json ${CMAKE_BINARY_DIR}/web/vendor/niivue/package.json
    DEPENDS ${sirtkit_npm_stamp}
    COMMENT "copying @niivue/niivue into build/web/vendor/niivue")
  add_dependencies(sirtkit_web_vendor sirtkit_web)
else()
  message(WARNING "npm not found (scripts/install-deps.sh installs it): build/web/vendor/niivue is not built, the plan viewer will be missing")
endif()
