# What `cmake --install build` puts where (GNU layout under CMAKE_INSTALL_PREFIX):
#   bin/sirtkit
#   share/man/man1/sirtkit.1.gz                 generated from the command definitions
#   share/bash-completion/completions/sirtkit   (idem)
#   share/zsh/vendor-completions/_sirtkit       (idem)
#   share/sirtkit/web/               browser assets of `sirtkit serve` (found from bin/../share/sirtkit/web)
#   share/sirtkit/examples/          example data (examples/, with its provenance README)
#   share/doc/sirtkit/               README.md, LICENSE, docs/ (*.md, openapi.json)
include(GNUInstallDirs)

install(TARGETS sirtkit RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR})
install(DIRECTORY ${CMAKE_BINARY_DIR}/web/ DESTINATION ${CMAKE_INSTALL_DATADIR}/sirtkit/web)
install(DIRECTORY ${PROJECT_SOURCE_DIR}/examples/ DESTINATION ${CMAKE_INSTALL_DATADIR}/sirtkit/examples)
install(FILES ${PROJECT_SOURCE_DIR}/README.md ${PROJECT_SOURCE_DIR}/LICENSE
        DESTINATION ${CMAKE_INSTALL_DOCDIR})
# docs/ keeps its name, so "docs/stats.md" in the README and in messages names it there too.
install(DIRECTORY ${PROJECT_SOURCE_DIR}/docs/ DESTINATION ${CMAKE_INSTALL_DOCDIR}/docs)

# The man page and completions, from `sirtkit __docs` after every link of the program
# (not in the sanitizer build, whose program is not installed).
if(NOT SIRTKIT_FUZZ)
  set(command_docs_dir ${CMAKE_BINARY_DIR}/generated/command-docs)
  add_custom_command(
    OUTPUT ${command_docs_dir}/sirtkit.1.gz ${command_docs_dir}/sirtkit ${command_docs_dir}/_sirtkit
    COMMAND ${CMAKE_COMMAND} -DSIRTKIT=$<TARGET_FILE:sirtkit> -DOUT_DIR=${command_docs_dir}
            -P ${PROJECT_SOURCE_DIR}/cmake/command_docs.cmake
    DEPENDS sirtkit ${PROJECT_SOURCE_DIR}/cmake/command_docs.cmake
    COMMENT "man page and shell completions from the command definitions")
  add_custom_target(sirtkit_command_docs ALL
    DEPENDS ${command_docs_dir}/sirtkit.1.gz ${command_docs_dir}/sirtkit ${command_docs_dir}/_sirtkit)
  install(FILES ${command_docs_dir}/sirtkit.1.gz DESTINATION ${CMAKE_INSTALL_MANDIR}/man1)
  install(FILES ${command_docs_dir}/sirtkit DESTINATION ${CMAKE_INSTALL_DATADIR}/bash-completion/completions)
  install(FILES ${command_docs_dir}/_sirtkit DESTINATION ${CMAKE_INSTALL_DATADIR}/zsh/vendor-completions)
endif()

# The Debian package (cpack -G DEB in the build folder; scripts/package.sh builds both).
# The full build is `sirtkit`; the statistics-only build (-DSIRTKIT_IMAGING=OFF) is
# `sirtkit-stats`, which installs the same paths and so conflicts with it.
# Depends: computed by dpkg-shlibdeps from the libraries the program links.
if(SIRTKIT_IMAGING)
  set(CPACK_PACKAGE_NAME sirtkit)
  set(CPACK_DEBIAN_PACKAGE_CONFLICTS sirtkit-stats)
  set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "Y-90 radioembolization dosimetry, clinical rules, study registry and survival statistics")
  # CPack writes the summary as the synopsis and indents these lines under it.
  set(CPACK_DEBIAN_PACKAGE_DESCRIPTION "sirtkit plans and verifies Y-90 radioembolization (SIRT) from Tc-99m MAA
SPECT/CT (MIRD, partition model, voxel dosimetry with a dose-voxel kernel,
DVH, radiobiology, vial ordering), grades clinical rules (RECIST 1.1,
mRECIST, CTCAE v5, liver scores), keeps a de-identified study registry
(SQLite or PostgreSQL, served to browsers) and runs survival statistics
identical to R's survival package.")
else()
  set(CPACK_PACKAGE_NAME sirtkit-stats)
  set(CPACK_DEBIAN_PACKAGE_CONFLICTS sirtkit)
  set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "sirtkit statistics, clinical rules and study registry (no imaging)")
  set(CPACK_DEBIAN_PACKAGE_DESCRIPTION "The statistics-only build of sirtkit, for statisticians: survival analysis
identical to R's survival package, exact tests, agreement, Table 1, clinical
rules (RECIST 1.1, mRECIST, CTCAE v5, liver scores), the de-identified study
registry and its server. Without ITK, DCMTK and FFTW: the dosimetry, planning,
verification and DICOM commands are not in this package (they are in sirtkit).")
endif()
set(CPACK_GENERATOR DEB)
set(CPACK_PACKAGE_VERSION ${PROJECT_VERSION})
set(CPACK_PACKAGE_CONTACT "sirtkit developers")
set(CPACK_PACKAGE_VENDOR "sirtkit")
set(CPACK_RESOURCE_FILE_LICENSE ${PROJECT_SOURCE_DIR}/LICENSE)
set(CPACK_PACKAGING_INSTALL_PREFIX /usr)
set(CPACK_STRIP_FILES ON)
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_DEBIAN_PACKAGE_SECTION science)
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
set(CPACK_PACKAGE_CHECKSUM SHA256)
include(CPack)
