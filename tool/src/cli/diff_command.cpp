#include <iostream>

#include "cli/args.hpp"
#include "cli/commands.hpp"
#include "oci/image_diff.hpp"
#include "oci/layout.hpp"
#include "oci/media_types.hpp"
#include "registry/pull.hpp"
#include "util/error.hpp"

namespace ko::cli {

namespace {

Descriptor top_of(const Layout& layout) {
  std::vector<Descriptor> entries = layout.manifests();
  if (entries.empty()) throw Error(layout.dir().string() + " holds no image");
  Descriptor top = entries.front();
  top.annotations.clear();
  return top;
}

}  // namespace

int run_diff(const Argv& argv) {
  Args args("diff", argv, {});
  if (args.positionals().size() != 2) throw UsageError("diff: give two OCI layout directories");
  Layout a(args.positionals()[0]), b(args.positionals()[1]);
  std::string explanation = explain_difference({a.blobs(), top_of(a), a.dir().string(), nullptr},
                                               {b.blobs(), top_of(b), b.dir().string(), nullptr});
  if (explanation.empty()) {
    std::cout << "identical: " << top_of(a).digest.str() << "\n";
    return 0;
  }
  std::cout << explanation << "\n";
  return 1;
}

int run_verify(const Argv& argv) {
  Args args("verify", argv, {"layout"});
  if (args.positionals().size() != 1) throw UsageError("verify: give one registry reference");
  Reference reference = Reference::parse(args.positionals().front());
  Layout layout(args.required("layout"));
  Descriptor local = top_of(layout);

  PullSession session(reference);
  Descriptor remote = session.puller().fetch_manifest(reference.identifier());
  auto ensure = [&](const Descriptor& d) { session.puller().ensure(d); };
  std::string explanation =
      explain_difference({layout.blobs(), local, layout.dir().string(), nullptr},
                         {session.cache(), remote, reference.str(), ensure});
  if (explanation.empty()) {
    std::cout << "verified: " << reference.str() << " is " << remote.digest.str()
              << ", identical to " << layout.dir().string() << "\n";
    return 0;
  }
  std::cout << "MISMATCH: " << explanation << "\n";
  return 1;
}

}  // namespace ko::cli
