#include <iostream>
#include <optional>

#include "cli/args.hpp"
#include "cli/commands.hpp"
#include "cli/environment.hpp"
#include "oci/documents.hpp"
#include "oci/image_diff.hpp"
#include "oci/layout.hpp"
#include "oci/media_types.hpp"
#include "registry/pull.hpp"
#include "registry/signatures.hpp"
#include "signing/ec_key.hpp"
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
  Args args("verify", argv, {"layout", "key"});
  if (args.positionals().size() != 1) throw UsageError("verify: give one registry reference");
  const std::optional<std::string> layout_dir = args.optional("layout");
  const std::optional<std::string> key_file = args.optional("key");
  if (!layout_dir && !key_file)
    throw UsageError(
        "verify: give --layout DIR (compare with a build), --key PUB.pem (check the "
        "signatures), or both");
  Reference reference = Reference::parse(args.positionals().front());
  std::optional<VerificationKey> key;
  if (key_file) key.emplace(VerificationKey::load(*key_file));

  PullSession session(reference, registry_options_from_environment());
  Descriptor remote = session.puller().fetch_manifest(reference.identifier());
  bool ok = true;
  if (layout_dir) {
    Layout layout(*layout_dir);
    auto ensure = [&](const Descriptor& d) { session.puller().ensure(d); };
    std::string explanation =
        explain_difference({layout.blobs(), top_of(layout), layout.dir().string(), nullptr},
                           {session.cache(), remote, reference.str(), ensure});
    if (explanation.empty()) {
      std::cout << "verified: " << reference.str() << " is " << remote.digest.str()
                << ", identical to " << layout.dir().string() << "\n";
    } else {
      std::cout << "MISMATCH: " << explanation << "\n";
      ok = false;
    }
  }
  if (key) {
    // The index and each of its images: a runtime may pull either by digest.
    std::vector<Descriptor> subjects{remote};
    if (media_type::is_index(remote.media_type)) {
      for (const Descriptor& child : read_index(session.cache(), remote, "index").manifests)
        subjects.push_back(child);
    }
    try {
      for (const Descriptor& subject : subjects) verify_signatures(session.client(), subject, *key);
      std::cout << "signed: " << reference.str() << " (" << subjects.size()
                << " manifest(s)) has a valid signature under " << *key_file << "\n";
    } catch (const Error& e) {
      std::cout << "SIGNATURE NOT VERIFIED: " << e.what() << "\n";
      ok = false;
    }
  }
  return ok ? 0 : 1;
}

}  // namespace ko::cli
