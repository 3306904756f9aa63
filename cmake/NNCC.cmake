# nncc_add_model(<target> <model-file> [NAME <name>] [MODE infer|train] [TARGET cpu|cuda]
#                [DEPENDS ...]): compiles a model file with nncc at build time (MODE train adds
# backward and train_step) into <name>.o, <name>.h and <name>.safetensors, and makes <target> a
# static library holding the object, with the header's directory on its include path and the
# nncc runtime linked. Link <target> and include "<name>.h". With TARGET cuda the object holds
# the kernel images and the class is <Name>Cuda, over the runtime's CudaModel.
function(nncc_add_model target model)
  cmake_parse_arguments(ARG "" "NAME;MODE;TARGET" "DEPENDS" ${ARGN})
  if(NOT ARG_MODE)
    set(ARG_MODE infer)
  endif()
  if(NOT ARG_TARGET)
    set(ARG_TARGET cpu)
  endif()
  if(NOT ARG_NAME)
    get_filename_component(ARG_NAME ${model} NAME_WE)
  endif()
  set(dir ${CMAKE_CURRENT_BINARY_DIR}/${target})
  set(outputs ${dir}/${ARG_NAME}.o ${dir}/${ARG_NAME}.h ${dir}/${ARG_NAME}.safetensors)
  add_custom_command(
    OUTPUT ${outputs}
    COMMAND $<TARGET_FILE:nncc> compile ${model} --mode=${ARG_MODE} --target=${ARG_TARGET} -o ${dir}
    DEPENDS nncc ${model} ${ARG_DEPENDS}
    COMMENT "nncc: compiling ${ARG_NAME}"
    VERBATIM)
  set_source_files_properties(${dir}/${ARG_NAME}.o PROPERTIES EXTERNAL_OBJECT TRUE GENERATED TRUE)
  add_library(${target} STATIC ${dir}/${ARG_NAME}.o ${dir}/${ARG_NAME}.h)
  set_target_properties(${target} PROPERTIES LINKER_LANGUAGE CXX)
  target_include_directories(${target} PUBLIC ${dir})
  target_link_libraries(${target} PUBLIC nncc_runtime)
endfunction()
