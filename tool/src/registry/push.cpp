#include "registry/push.hpp"

#include <algorithm>
#include <map>
#include <memory>
#include <set>

#include "oci/layout.hpp"
#include "oci/media_types.hpp"
#include "registry/registry_error.hpp"
#include "util/error.hpp"

namespace ko {

namespace {

// What push_images knows about one image as it goes.
struct Plan {
  ImagePush* image;
  bool top_present = false;
  std::vector<std::string> missing_tags;
  std::vector<Descriptor> manifests;         // children before their index
  std::vector<Descriptor> blobs;             // configs and layers
  std::set<std::string> mount_repositories;  // other repositories its blobs are mounted from

  RegistrySession& client() const { return *image->client; }
  const Reference& target() const { return image->client->reference(); }
  bool failed() const { return !image->error.empty(); }
  void fail(const std::string& error) {
    if (image->error.empty()) image->error = error;
  }
};

// What the registry said about a request of `plan` that did not succeed.
std::string failure(const Plan& plan, const HttpResponse& r, const std::string& what) {
  return RegistryError(plan.target().registry, r, what).what();
}

std::vector<std::string> scopes_of(const Plan& plan) {
  const std::string& repository = plan.target().repository;
  std::vector<std::string> scopes{push_scope(repository)};
  std::set<std::string> pulls = plan.mount_repositories;
  if (plan.image->options.mount_from) pulls.insert(*plan.image->options.mount_from);
  pulls.erase(repository);
  for (const std::string& from : pulls) scopes.push_back(pull_scope(from));
  return scopes;
}

// HEADs the top manifest and, when the registry has it, each tag: what is missing.
class ManifestCheck : public RequestChain {
 public:
  explicit ManifestCheck(Plan& plan) : plan_(plan) {}

  std::optional<HttpRequest> next(const HttpResponse* previous) override {
    if (!previous) return head();
    const HttpResponse& r = *previous;
    if (r.status != 404 && !r.ok()) {
      plan_.fail(failure(plan_, r, "checking manifest " + identifier()));
      return std::nullopt;
    }
    const std::string top = plan_.image->top.digest.str();
    std::string digest = r.status == 404 ? "" : r.header("docker-content-digest");
    if (r.ok() && digest.empty()) digest = identifier();
    if (checked_ == 0) {
      plan_.top_present = digest == top;
      if (!plan_.top_present) {
        plan_.missing_tags = plan_.image->options.tags;  // all of them, after the manifest
        return std::nullopt;
      }
    } else if (digest != top) {
      plan_.missing_tags.push_back(identifier());
    }
    if (++checked_ > plan_.image->options.tags.size()) return std::nullopt;
    return head();
  }

 private:
  // The top manifest's digest first, then each tag.
  std::string identifier() const {
    return checked_ == 0 ? plan_.image->top.digest.str() : plan_.image->options.tags[checked_ - 1];
  }

  HttpRequest head() const {
    HttpRequest request{
        .method = "HEAD",
        .url = plan_.client().url(plan_.target().repository + "/manifests/" + identifier())};
    request.headers.push_back("Accept: " + plan_.image->top.media_type);
    return request;
  }

  Plan& plan_;
  size_t checked_ = 0;
};

// The manifests (by digest) and tags of the images bound for one repository, one after
// the other in the order the images were given, so that when two images carry the same
// tag the later one wins, as it would pushing them one by one.
class ManifestPush : public RequestChain {
 public:
  struct Step {
    Plan* plan;
    Descriptor manifest;
    std::string identifier;  // the manifest's digest, or a tag
    std::string body;
    bool pushes_top_first_time = false;  // the first tag of a top manifest not yet there
  };

  void add(Step step) { steps_.push_back(std::move(step)); }
  // Authorized by the first image's session: every image here may push to the repository.
  ChainRun run() { return steps_.front().plan->client().chain(*this); }

  std::optional<HttpRequest> next(const HttpResponse* previous) override {
    if (previous) {
      const Step& step = steps_[index_];
      const HttpResponse& r = *previous;
      if (!r.ok()) {
        step.plan->fail(failure(*step.plan, r,
                                "the registry rejected manifest " + step.manifest.digest.str() +
                                    " for " + step.plan->target().name()));
      } else if (step.identifier == step.manifest.digest.str() || step.pushes_top_first_time) {
        step.plan->image->report.manifests_pushed++;
      }
      ++index_;
    }
    while (index_ < steps_.size() && steps_[index_].plan->failed()) ++index_;
    if (index_ == steps_.size()) return std::nullopt;
    return put(steps_[index_]);
  }

 private:
  static HttpRequest put(const Step& step) {
    RegistrySession& client = step.plan->client();
    HttpRequest request{
        .method = "PUT",
        .url = client.url(client.reference().repository + "/manifests/" + step.identifier)};
    request.headers.push_back("Content-Type: " + step.manifest.media_type);
    request.body = step.body;
    return request;
  }

  std::vector<Step> steps_;
  size_t index_ = 0;
};

// One blob bound for one repository, and the images that need it there; the first of them
// counts it in its report.
struct BlobJob {
  std::unique_ptr<BlobUpload> upload;
  std::vector<Plan*> needed_by;
};

void collect(const std::vector<BlobJob*>& jobs) {
  for (const BlobJob* job : jobs) {
    const BlobUpload& upload = *job->upload;
    PushReport& report = job->needed_by.front()->image->report;
    switch (upload.outcome()) {
      case BlobUpload::Outcome::kNone:
        for (Plan* plan : job->needed_by)
          plan->fail("pushing to " + plan->target().name() + ": " + upload.error());
        break;
      case BlobUpload::Outcome::kPresent:
        report.blobs_present++;
        break;
      case BlobUpload::Outcome::kMounted:
        report.blobs_mounted++;
        break;
      case BlobUpload::Outcome::kUploaded:
        report.blobs_uploaded++;
        report.bytes_uploaded += upload.blob().size;
        break;
    }
  }
}

}  // namespace

ScratchBlobStore::ScratchBlobStore() : dir_("ko-image-push-"), store_(dir_.path()) {
  std::filesystem::create_directories(dir_.path() / "blobs" / "sha256");
}

void push_images(std::vector<ImagePush>& images, int parallelism, UploadObserver* observer) {
  if (images.empty()) return;
  HttpClient& http = images.front().client->http();
  std::vector<Plan> plans;
  for (ImagePush& image : images) {
    if (&image.client->http() != &http)
      throw Error("push_images: the images' registry clients must share one HttpClient");
    image.report = {};
    image.error.clear();
    plans.push_back(Plan{.image = &image});
  }

  // 1. Authorization, one image after the other (a registry is pinged once).
  for (size_t i = 0; i < plans.size(); ++i) {
    for (size_t j = 0; j < i; ++j) plans[i].client().adopt_ping(plans[j].client());
    try {
      plans[i].client().authorize(scopes_of(plans[i]));
    } catch (const Error& e) {
      plans[i].fail(e.what());
    }
  }

  // 2. What each registry lacks: the top manifests and tags, all images at once.
  std::vector<std::unique_ptr<ManifestCheck>> checks;
  std::vector<ChainRun> runs;
  for (Plan& plan : plans) {
    if (plan.failed()) continue;
    checks.push_back(std::make_unique<ManifestCheck>(plan));
    runs.push_back(plan.client().chain(*checks.back()));
  }
  run_chains(http, runs, parallelism);

  // 3. Blobs. An image whose top manifest is there needs none.
  for (Plan& plan : plans) {
    if (plan.failed()) continue;
    if (plan.top_present) {
      plan.image->report.already_present = plan.missing_tags.empty();
      continue;
    }
    try {
      for (const Descriptor& d : reachable_blobs(*plan.image->store, plan.image->top)) {
        if (media_type::is_manifest(d.media_type) || media_type::is_index(d.media_type)) {
          plan.manifests.push_back(d);
        } else if (!plan.image->store->has(d.digest)) {
          throw Error("blob " + d.digest.str() + " is missing from the image's layout; build " +
                      "the image again");
        } else {
          plan.blobs.push_back(d);
        }
      }
    } catch (const Error& e) {
      plan.fail(e.what());
    }
    // reachable_blobs lists an index before its children: push them the other way round.
    std::reverse(plan.manifests.begin(), plan.manifests.end());
  }
  // A blob goes up once per repository. The first repository of a registry that needs it
  // gets it in the first round (mounted from the base's repository when that may hold it);
  // the others mount it from there in a second round, once it has arrived.
  std::map<std::string, BlobJob> by_repository;         // registry/repository@digest
  std::map<std::string, std::string> first_repository;  // registry@digest → repository
  std::vector<BlobJob*> first_round;
  std::vector<BlobJob*> second_round;
  for (Plan& plan : plans) {
    if (plan.failed()) continue;
    const Reference& target = plan.target();
    for (const Descriptor& blob : plan.blobs) {
      BlobJob& job = by_repository[target.name() + "@" + blob.digest.str()];
      job.needed_by.push_back(&plan);
      if (job.upload) continue;
      auto [first, is_first] =
          first_repository.emplace(target.registry + "@" + blob.digest.str(), target.repository);
      std::optional<std::string> mount_from = plan.image->options.mount_from;
      if (!is_first) {
        mount_from = first->second;
        plan.mount_repositories.insert(first->second);
      }
      job.upload = std::make_unique<BlobUpload>(plan.client(), *plan.image->store, blob, mount_from,
                                                plan.image->options.chunk_size, observer);
      (is_first ? first_round : second_round).push_back(&job);
    }
  }
  auto run_round = [&](const std::vector<BlobJob*>& round) {
    std::vector<ChainRun> uploads;
    for (BlobJob* job : round) {
      // Not for images that already failed (unless another image needs the blob too).
      if (std::all_of(job->needed_by.begin(), job->needed_by.end(),
                      [](const Plan* plan) { return plan->failed(); }))
        continue;
      uploads.push_back(job->upload->session().chain(*job->upload));
    }
    if (observer && !uploads.empty()) observer->blobs_planned(static_cast<int>(uploads.size()));
    run_chains(http, uploads, parallelism);
    std::vector<BlobJob*> ran;
    for (BlobJob* job : round)
      if (job->upload->outcome() != BlobUpload::Outcome::kNone || !job->upload->error().empty())
        ran.push_back(job);
    collect(ran);
  };
  run_round(first_round);
  if (!second_round.empty()) {
    // Mounting needs pull access to the repository mounted from (a token scope).
    for (Plan& plan : plans) {
      if (plan.failed() || plan.mount_repositories.empty()) continue;
      try {
        plan.client().authorize(scopes_of(plan));
      } catch (const Error& e) {
        plan.fail(e.what());
      }
    }
    run_round(second_round);
  }

  // 4. Manifests, children before their index, then tags: one chain per repository.
  std::map<std::string, ManifestPush> by_target;
  std::vector<std::string> order;
  for (Plan& plan : plans) {
    if (plan.failed() || (plan.top_present && plan.missing_tags.empty())) continue;
    const std::string key = plan.target().name();
    if (!by_target.contains(key)) order.push_back(key);
    ManifestPush& chain = by_target[key];
    try {
      if (!plan.top_present) {
        // A PUT by tag stores the manifest under its digest as well, so the top manifest goes
        // by digest only when no tag is pushed: one request fewer, as ko and crane push.
        for (const Descriptor& manifest : plan.manifests)
          if (manifest.digest != plan.image->top.digest || plan.missing_tags.empty())
            chain.add({&plan, manifest, manifest.digest.str(),
                       plan.image->store->read_verified(manifest.digest)});
      }
      const std::string top = plan.image->store->read_verified(plan.image->top.digest);
      for (const std::string& tag : plan.missing_tags)
        chain.add({&plan, plan.image->top, tag, top,
                   !plan.top_present && tag == plan.missing_tags.front()});
    } catch (const Error& e) {
      plan.fail(e.what());
    }
  }
  runs.clear();
  for (const std::string& key : order) runs.push_back(by_target[key].run());
  run_chains(http, runs, parallelism);
}

}  // namespace ko
