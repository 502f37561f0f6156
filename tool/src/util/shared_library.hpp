// Loading a C library with dlopen on first use instead of linking it, for libraries whose
// start-up cost (loading and relocating them and everything they pull in) only some
// commands should pay: libcurl (registry/curl_library.hpp), libarchive
// (util/archive_library.hpp). A library loaded here stays loaded for the process.
#pragma once

namespace ko {

// What a library is and what to tell the user when it is missing or too old.
struct SharedLibrarySpec {
  const char* soname;   // the ABI we were built against, e.g. "libcurl.so.4"
  const char* users;    // what needs it, e.g. "registry access"
  const char* package;  // the Debian package that has it, e.g. "libcurl4"
  const char* minimum;  // the oldest version with every function we use, e.g. "libcurl ≥ 7.66"
};

// dlopen(spec.soname); throws ko::Error saying what to install when that fails.
void* open_shared_library(const SharedLibrarySpec& spec);

// The address of `name` in `handle`; throws ko::Error saying what to upgrade when missing.
void* shared_library_symbol(void* handle, const SharedLibrarySpec& spec, const char* name);

// Sets `function` to `name` in `handle`, typed as the library's header declares it.
template <typename Function>
void resolve_shared_function(void* handle, const SharedLibrarySpec& spec, Function& function,
                             const char* name) {
  function = reinterpret_cast<Function>(shared_library_symbol(handle, spec, name));
}

}  // namespace ko
