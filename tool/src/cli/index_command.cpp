#include "cli/args.hpp"
#include "cli/commands.hpp"
#include "oci/blob_store.hpp"
#include "oci/mutate.hpp"
#include "util/error.hpp"
#include "util/fs.hpp"

namespace ko::cli {

int run_index(const Argv& argv) {
  Args args("index", argv, {"blobs", "output"}, {"annotation"});
  if (args.positionals().empty())
    throw UsageError("index: give one image descriptor file per platform");
  std::vector<Descriptor> manifests;
  for (const std::string& file : args.positionals())
    manifests.push_back(read_descriptor_file(file));
  std::map<std::string, std::string> annotations;
  for (const std::string& item : args.all("annotation"))
    annotations.insert(split_key_value(item, "--annotation"));

  json::Value index = make_index(manifests, annotations);
  std::string bytes = json::dump(index);
  BlobStore store(args.required("blobs"));
  Descriptor descriptor{.media_type = index["mediaType"].as_string(),
                        .digest = store.put(bytes),
                        .size = static_cast<int64_t>(bytes.size())};
  write_file_if_changed(args.required("output"), json::dump(descriptor.to_json()) + "\n");
  return 0;
}

}  // namespace ko::cli
