# Debian's ITK 5.2 headers accept only the compiler ITK was built with (GCC):
# itk_compiler_detection.h stops with "Unsupported compiler" under clang. The
# fuzz build (clang, for libFuzzer) therefore force-includes a copy of that
# header that reads GCC's feature table with every C++11/14 feature on (clang 15
# in C++20 mode has them all). Only src/io includes ITK (DESIGN.md).
function(sirtkit_itk_clang_shim target)
  set(itk_dir "")
  foreach(dir ${ITK_INCLUDE_DIRS})
    if(EXISTS "${dir}/itk_compiler_detection.h")
      set(itk_dir "${dir}")
    endif()
  endforeach()
  if(NOT itk_dir)
    message(FATAL_ERROR "itk_compiler_detection.h not found in ${ITK_INCLUDE_DIRS}")
  endif()
  set(out_dir "${CMAKE_BINARY_DIR}/itk_clang_shim")
  file(READ "${itk_dir}/compilers/ITK_COMPILER_INFO_GNU_CXX.h" info)
  string(REPLACE "(__GNUC__ * 100 + __GNUC_MINOR__)" "1200" info "${info}")
  string(REPLACE "(__GNUC__ * 10000 + __GNUC_MINOR__ * 100 + __GNUC_PATCHLEVEL__)" "120000" info "${info}")
  file(WRITE "${out_dir}/itk_compiler_info_for_clang.h" "${info}")
  file(READ "${itk_dir}/itk_compiler_detection.h" detection)
  string(REPLACE "#  if ITK_COMPILER_IS_GNU\n" "#  if 1\n" detection "${detection}")
  string(REPLACE "\"compilers/ITK_COMPILER_INFO_GNU_CXX.h\"" "\"${out_dir}/itk_compiler_info_for_clang.h\"" detection "${detection}")
  file(WRITE "${out_dir}/itk_compiler_detection.h" "${detection}")
  target_compile_options(${target} PRIVATE -include "${out_dir}/itk_compiler_detection.h")
endfunction()
