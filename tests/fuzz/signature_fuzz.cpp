// Signatures as registries serve them (the simple-signing payload, the .sig manifest whose
// layers we keep) and PEM keys as users give them. The first byte picks the parser.
#include "fuzz_support.hpp"
#include "signing/ec_key.hpp"
#include "signing/simple_signing.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace ko;
  if (size == 0) return 0;
  const std::string_view text = fuzz::as_text(data + 1, size - 1);
  switch (data[0] % 4) {
    case 0:
      return fuzz::run([&] { simple_signing::parse_payload(text); });
    case 1:
      return fuzz::run([&] {
        json::Array layers = simple_signing::layers_of(text, "fuzzed manifest");
        const json::Value ours = simple_signing::signature_layer("payload", "c2ln");
        simple_signing::holds(layers, ours);
        layers.push_back(ours);
        simple_signing::tag_manifest(layers);  // what a publish would push beside them
      });
    case 2:
      return fuzz::run([&] {
        VerificationKey key = VerificationKey::parse(text, "fuzzed public key");
        key.verify("message", text);
      });
    default:
      return fuzz::run([&] {
        SigningKey key = SigningKey::parse(text, "fuzzed private key");
        const std::string signature = key.sign("message");
        fuzz::require(VerificationKey::parse(key.public_key_pem(), "its public key")
                          .verify("message", signature),
                      "a signature verifies under its own key's public half");
      });
  }
}
