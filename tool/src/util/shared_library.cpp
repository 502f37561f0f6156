#include "util/shared_library.hpp"

#include <dlfcn.h>

#include <string>

#include "util/error.hpp"

namespace ko {

void* open_shared_library(const SharedLibrarySpec& spec) {
  // RTLD_LOCAL: its symbols stay out of the global scope; RTLD_NOW: a missing dependency
  // fails here, with this message, not at some later call.
  void* handle = dlopen(spec.soname, RTLD_NOW | RTLD_LOCAL);
  if (!handle) {
    const char* why = dlerror();
    throw Error(std::string("cannot load ") + spec.soname + " (" + (why ? why : "unknown error") +
                "), which " + spec.users + " needs: install " + spec.package +
                " (apt-get install " + spec.package + ")");
  }
  return handle;
}

void* shared_library_symbol(void* handle, const SharedLibrarySpec& spec, const char* name) {
  void* symbol = dlsym(handle, name);
  if (!symbol)
    throw Error(std::string(spec.soname) + " has no " + name + " (" + spec.minimum +
                " is needed): upgrade " + spec.package);
  return symbol;
}

}  // namespace ko
