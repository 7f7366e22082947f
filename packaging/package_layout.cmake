# Run by CPack for every generator after it installs into its staging directory: the rpm gets
# Fedora's zsh completion directory instead of Debian's, and only the .deb keeps lintian's
# overrides.
file(GLOB roots LIST_DIRECTORIES true "${CPACK_TEMPORARY_INSTALL_DIRECTORY}" "${CPACK_TEMPORARY_INSTALL_DIRECTORY}/*")
foreach(root IN LISTS roots)
  if(CPACK_GENERATOR STREQUAL "RPM" AND IS_DIRECTORY "${root}/usr/share/zsh/vendor-completions")
    file(RENAME "${root}/usr/share/zsh/vendor-completions" "${root}/usr/share/zsh/site-functions")
  endif()
  if(NOT CPACK_GENERATOR STREQUAL "DEB" AND IS_DIRECTORY "${root}/usr/share/lintian")
    file(REMOVE_RECURSE "${root}/usr/share/lintian")
  endif()
endforeach()
