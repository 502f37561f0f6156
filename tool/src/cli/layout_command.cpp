#include "cli/args.hpp"
#include "cli/commands.hpp"
#include "json/json.hpp"
#include "oci/documents.hpp"
#include "oci/layout.hpp"
#include "oci/media_types.hpp"
#include "oci/static_base.hpp"
#include "util/error.hpp"
#include "util/fs.hpp"

namespace ko::cli {

namespace {

// EXPECT_DIGEST: the image (or one platform's image) must have the pinned digest.
void check_expected(const BlobStore& blobs, const Descriptor& top, const std::string& name,
                    const std::optional<std::string>& expected,
                    const std::vector<std::string>& per_platform) {
  auto mismatch = [&](const std::string& what, const Digest& actual, const std::string& wanted) {
    throw Error(name + ": " + what + "digest " + actual.str() + " differs from EXPECT_DIGEST " +
                wanted +
                "; find what changed with ko-image diff against the release's layout, or update "
                "EXPECT_DIGEST");
  };
  if (expected && Digest::parse(*expected) != top.digest) mismatch("", top.digest, *expected);
  for (const std::string& item : per_platform) {
    auto [platform_text, wanted] = split_key_value(item, "--expect-platform-digest");
    Platform platform = Platform::parse(platform_text);
    // An index's entry for the platform; a single image when it is for the platform.
    const Index index = media_type::is_index(top.media_type) ? read_index(blobs, top, "index")
                                                             : Index{.manifests = {top}};
    const Descriptor* image = index.manifest_for(platform);
    if (!image)
      throw Error(name + ": EXPECT_DIGEST names " + platform.str() +
                  ", which this image does not build");
    if (Digest::parse(wanted) != image->digest)
      mismatch(platform.str() + " image ", image->digest, wanted);
  }
}

}  // namespace

int run_layout(const Argv& argv) {
  Args args("layout", argv,
            {"blobs", "descriptor", "layout", "digest-file", "expect-digest", "name"},
            {"tag", "expect-platform-digest"});
  Descriptor top = read_descriptor_file(args.required("descriptor"));
  check_expected(BlobStore(args.required("blobs")), top, args.optional("name").value_or("image"),
                 args.optional("expect-digest"), args.all("expect-platform-digest"));
  std::vector<std::string> tags = args.all("tag");
  if (tags.empty()) tags.push_back("latest");
  Layout(args.required("layout")).write(BlobStore(args.required("blobs")), top, tags);
  // Written last and only when it changes: it is the output Ninja watches.
  write_file_if_changed(args.required("digest-file"), top.digest.str() + "\n");
  return 0;
}

int run_static_base(const Argv& argv) {
  Args args("static-base", argv, {"output", "data"});
  write_static_base(args.required("output"), args.required("data"));
  return 0;
}

}  // namespace ko::cli
