# Warnings and sanitizers applied to every socksim target through socksim_options.
add_library(socksim_options INTERFACE)
target_compile_options(socksim_options INTERFACE
  -Wall -Wextra -Wpedantic -Werror=switch -Werror=return-type
  # Designated initializers that rely on member defaults are the intended style.
  -Wno-missing-field-initializers)

if(SOCKSIM_SANITIZE)
  # ASan + UBSan; UBSan findings abort so that CTest reports them as failures.
  target_compile_options(socksim_options INTERFACE
    -fsanitize=address,undefined -fno-sanitize-recover=undefined -fno-omit-frame-pointer)
  target_link_options(socksim_options INTERFACE -fsanitize=address,undefined)
endif()
