#include "registry/signatures.hpp"

#include <memory>
#include <optional>

#include "digest/encoding.hpp"
#include "oci/blob_store.hpp"
#include "oci/media_types.hpp"
#include "registry/push.hpp"
#include "registry/registry_error.hpp"
#include "signing/simple_signing.hpp"
#include "util/error.hpp"
#include "util/fs.hpp"

namespace ko {

namespace ss = simple_signing;

namespace {

constexpr size_t kMaxPayloadBytes = 1 << 20;  // a simple-signing payload is a few hundred bytes

std::string manifest_accept() {
  return "Accept: " + std::string(media_type::kOciManifest) + ", " +
         std::string(media_type::kDockerManifest);
}

// GETs the subject's signature tag, then its referrers: what the registry holds already.
RequestSequence look(SignatureJob& job) {
  RegistrySession& session = *job.client;
  const std::string& repository = session.reference().repository;
  HttpRequest tag{
      .url = session.url(repository + "/manifests/" + ss::signature_tag(job.subject.digest)),
      .max_response_bytes = 4 << 20};
  tag.headers.push_back(manifest_accept());
  return RequestSequence({tag, HttpRequest{.url = session.url(repository + "/referrers/" +
                                                              job.subject.digest.str())}});
}

// GETs a small blob of the client's repository and checks it against its digest.
std::string fetch_small_blob(RegistrySession& client, const Descriptor& blob) {
  if (blob.size < 0 || static_cast<size_t>(blob.size) > kMaxPayloadBytes)
    throw Error("signature layer " + blob.digest.str() + " of " + client.reference().name() +
                " is " + std::to_string(blob.size) + " bytes, too large for a signature payload");
  HttpRequest request{
      .url = client.url(client.reference().repository + "/blobs/" + blob.digest.str()),
      .max_response_bytes = kMaxPayloadBytes,
      .follow_redirects = true};
  HttpResponse response = client.send(request);
  if (!response.ok())
    throw RegistryError(
        client.reference().registry, response,
        "fetching signature payload " + blob.digest.str() + " of " + client.reference().name());
  if (Digest::of_bytes(response.body) != blob.digest)
    throw Error("the registry sent signature payload " + blob.digest.str() + " of " +
                client.reference().name() + " with other content");
  return response.body;
}

// What one job pushes: the tagged signature manifest and/or the referrer, into `store`.
struct Pushes {
  std::optional<ss::SignatureManifest> tagged;
  std::optional<ss::SignatureManifest> referrer;
};

Pushes plan(SignatureJob& job, const RequestSequence& look, BlobStore& store) {
  RegistrySession& client = *job.client;
  const std::string tag = ss::signature_tag(job.subject.digest);
  const std::string payload =
      ss::payload(ss::docker_reference(client.reference()), job.subject.digest);
  const json::Value layer = ss::signature_layer(payload, base64_encode(job.key->sign(payload)));
  store.put(payload);

  const HttpResponse& tagged = look.responses().at(0);
  const HttpResponse& referrers = look.responses().at(1);
  Pushes pushes;
  json::Array layers;
  if (tagged.ok()) {
    layers = ss::layers_of(tagged.body, client.reference().name() + ":" + tag);
    if (!ss::holds(layers, layer)) {
      // Another signature (another key, cosign's own): keep it and add ours, as cosign
      // does. Its payloads must be in the store for push_images; they are small.
      for (const json::Value& existing : layers) {
        Descriptor d = Descriptor::from_json(existing, tag + " layer");
        if (!store.has(d.digest)) store.put(fetch_small_blob(client, d));
      }
      layers.push_back(layer);
      pushes.tagged = ss::tag_manifest(layers);
    }
  } else if (tagged.status == 404) {
    pushes.tagged = ss::tag_manifest(json::Array{layer});
  } else {
    throw Error("looking up " + client.reference().name() + ":" + tag + ": " +
                describe_error(tagged));
  }
  if (pushes.tagged) {
    job.manifest = pushes.tagged->descriptor().digest;
    store.put(pushes.tagged->config);
    store.put(pushes.tagged->manifest);
  } else {
    job.manifest = Digest::of_bytes(tagged.body);
  }

  // A registry with the referrers API answers with an index; others say 404.
  if (referrers.ok() && referrers.header("content-type").starts_with(media_type::kOciIndex)) {
    job.as_referrer = true;
    ss::SignatureManifest referrer = ss::referrer_manifest(json::Array{layer}, job.subject);
    if (referrers.body.find(referrer.descriptor().digest.str()) == std::string::npos) {
      store.put(referrer.config);
      store.put(referrer.manifest);
      pushes.referrer = std::move(referrer);
    }
  }
  job.already_signed = !pushes.tagged && !pushes.referrer;
  return pushes;
}

bool claims_repository(const std::string& claimed, const std::string& expected) {
  if (claimed == expected) return true;
  // cosign --sign-container-identity may name a tag or digest of the same repository.
  return claimed.starts_with(expected) &&
         (claimed[expected.size()] == ':' || claimed[expected.size()] == '@');
}

}  // namespace

void push_signatures(std::vector<SignatureJob>& jobs, int parallelism) {
  if (jobs.empty()) return;
  const std::vector<RequestSequence> looks = run_sequences(
      jobs, [](SignatureJob& job) { return look(job); }, parallelism);

  // Signature blobs live in a scratch store for the run: nothing is written to the build.
  ScratchBlobStore scratch;
  BlobStore& store = scratch.store();
  std::vector<ImagePush> pushes;
  std::vector<SignatureJob*> owners;
  for (size_t i = 0; i < jobs.size(); ++i) {
    SignatureJob& job = jobs[i];
    try {
      Pushes p = plan(job, looks[i], store);
      if (p.tagged) {
        pushes.push_back(ImagePush{.client = job.client,
                                   .store = &store,
                                   .top = p.tagged->descriptor(),
                                   .options = {.tags = {ss::signature_tag(job.subject.digest)}}});
        owners.push_back(&job);
      }
      if (p.referrer) {  // by digest only: the referrers API finds it through its subject
        pushes.push_back(ImagePush{
            .client = job.client, .store = &store, .top = p.referrer->descriptor(), .options = {}});
        owners.push_back(&job);
      }
    } catch (const Error& e) {
      job.error = e.what();
    }
  }
  push_images(pushes, parallelism);
  for (size_t i = 0; i < pushes.size(); ++i)
    if (!pushes[i].error.empty() && owners[i]->error.empty())
      owners[i]->error = "pushing the signature: " + pushes[i].error;
}

int verify_signatures(RegistrySession& client, const Descriptor& subject,
                      const VerificationKey& key) {
  const std::string name = client.reference().name();
  const std::string tag = ss::signature_tag(subject.digest);
  client.authorize({pull_scope(client.reference().repository)});
  HttpRequest request{.url = client.url(client.reference().repository + "/manifests/" + tag),
                      .max_response_bytes = 4 << 20};
  request.headers.push_back(manifest_accept());
  HttpResponse response = client.send(request);
  if (response.status == 404)
    throw Error(name + "@" + subject.digest.str() + " is not signed: there is no " + tag + " tag");
  if (!response.ok())
    throw RegistryError(client.reference().registry, response, "fetching " + name + ":" + tag);

  const std::string expected_reference = ss::docker_reference(client.reference());
  std::string why = tag + " holds no cosign signature layer";
  int verified = 0;
  for (const json::Value& layer : ss::layers_of(response.body, name + ":" + tag)) {
    Descriptor d = Descriptor::from_json(layer, tag + " layer");
    auto annotation = d.annotations.find(std::string(ss::kSignatureAnnotation));
    if (d.media_type != ss::kPayloadMediaType || annotation == d.annotations.end()) continue;
    const std::string payload = fetch_small_blob(client, d);
    std::string signature;
    try {
      signature = base64_decode(annotation->second, "the signature annotation");
    } catch (const Error& e) {
      why = std::string(e.what()) + " (layer " + d.digest.str() + ")";
      continue;
    }
    if (!key.verify(payload, signature)) {
      why = "the signature of payload " + d.digest.str() +
            " does not verify under the key: it was made with another key, or the payload was "
            "changed after signing";
      continue;
    }
    ss::Claim claim = ss::parse_payload(payload);
    if (claim.manifest_digest != subject.digest.str()) {
      why = "a valid signature claims " + claim.manifest_digest + ", not " + subject.digest.str();
      continue;
    }
    if (!claims_repository(claim.docker_reference, expected_reference)) {
      why = "a valid signature was made for " + claim.docker_reference + ", not " +
            expected_reference;
      continue;
    }
    ++verified;
  }
  if (verified == 0)
    throw Error("no valid signature of " + name + "@" + subject.digest.str() + ": " + why);
  return verified;
}

}  // namespace ko
