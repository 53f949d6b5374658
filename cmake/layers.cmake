# Sources that need ITK, DCMTK, FFTW or GLPK (themselves or through the physics,
# image and dosimetry layers): left out of the statistics-only build
# (-DSIRTKIT_IMAGING=OFF). A new imaging source in a shared layer goes here.
set(SIRTKIT_IMAGING_ONLY_SOURCES
  "/src/io/(dicom|image)/"
  "/src/io/dicom_network/dicom_"
  "/src/report/(planning|dicom)/"
  "/src/pipelines/(planning|dicom)/"
  "/src/cli/(dosimetry|dicom)_commands")

# One static library per layer folder: src/<layer>/*.cpp and its domain subfolders
# (src/pipelines/planning/...), minus the program's main.
function(sirtkit_layer name)
  file(GLOB_RECURSE sources CONFIGURE_DEPENDS ${PROJECT_SOURCE_DIR}/src/${name}/*.cpp)
  list(FILTER sources EXCLUDE REGEX "/src/cli/main\\.cpp$")
  if(NOT SIRTKIT_IMAGING)
    foreach(pattern IN LISTS SIRTKIT_IMAGING_ONLY_SOURCES)
      list(FILTER sources EXCLUDE REGEX "${pattern}")
    endforeach()
  endif()
  if(NOT sources)
    add_library(sirtkit_${name} INTERFACE)
    target_include_directories(sirtkit_${name} INTERFACE ${PROJECT_SOURCE_DIR}/src)
    target_link_libraries(sirtkit_${name} INTERFACE ${ARGN})
    return()
  endif()
  add_library(sirtkit_${name} STATIC ${sources})
  target_include_directories(sirtkit_${name} PUBLIC ${PROJECT_SOURCE_DIR}/src)
  target_link_libraries(sirtkit_${name} PUBLIC ${ARGN})
  target_compile_options(sirtkit_${name} PRIVATE -Wall -Wextra)
endfunction()

# One GoogleTest executable per layer: tests/<layer>/*_test.cpp and the subfolders
# that mirror the sources' (tests/pipelines/planning/...).
function(sirtkit_layer_tests name)
  file(GLOB_RECURSE sources CONFIGURE_DEPENDS ${CMAKE_CURRENT_SOURCE_DIR}/${name}/*_test.cpp)
  if(NOT sources)
    return()
  endif()
  add_executable(sirtkit_${name}_tests ${sources})
  target_link_libraries(sirtkit_${name}_tests PRIVATE sirtkit_${name} ${ARGN} GTest::gtest_main)
  target_compile_definitions(sirtkit_${name}_tests PRIVATE
    SIRTKIT_SOURCE_DIR="${PROJECT_SOURCE_DIR}"
    SIRTKIT_BINARY="$<TARGET_FILE:sirtkit>")
  gtest_discover_tests(sirtkit_${name}_tests DISCOVERY_TIMEOUT 60)
endfunction()
