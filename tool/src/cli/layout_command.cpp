#include "cli/args.hpp"
#include "cli/commands.hpp"
#include "oci/layout.hpp"
#include "oci/static_base.hpp"
#include "util/fs.hpp"

namespace ko::cli {

int run_layout(const Argv& argv) {
  Args args("layout", argv, {"blobs", "descriptor", "layout", "digest-file"}, {"tag"});
  Descriptor top = read_descriptor_file(args.required("descriptor"));
  std::vector<std::string> tags = args.all("tag");
  if (tags.empty()) tags.push_back("latest");
  Layout(args.required("layout")).write(BlobStore(args.required("blobs")), top, tags);
  // Written last and only when it changes: it is the output Ninja watches.
  write_file_if_changed(args.required("digest-file"), top.digest.str() + "\n");
  return 0;
}

int run_static_base(const Argv& argv) {
  Args args("static-base", argv, {"output"});
  write_static_base(args.required("output"));
  return 0;
}

}  // namespace ko::cli
