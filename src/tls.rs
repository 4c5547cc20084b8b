//! The TLS crypto provider the crate installs when the application has not
//! installed one: rustls with *ring*.
//!
//! Why ring: aws-lc-rs, rustls's other provider, costs 45–70 s of every clean
//! build on a 2-core machine (see BENCHMARKS.md). Why assembled here: rustls
//! 0.23.48 deprecated `rustls::crypto::ring::default_provider()`, because
//! ring has no post-quantum key exchange. The parts it is made of are not
//! deprecated, so the same provider is assembled from them, and the missing
//! post-quantum key exchange is documented instead of hidden: an application
//! that wants it installs aws-lc-rs's provider
//! (`rustls::crypto::aws_lc_rs::default_provider().install_default()`) before
//! it builds a client, and this crate then uses that one.

use std::sync::Arc;

use rustls::SignatureScheme;
use rustls::crypto::{CryptoProvider, GetRandomFailed, KeyProvider, SecureRandom, WebPkiSupportedAlgorithms};
use rustls::pki_types::PrivateKeyDer;
use rustls::sign::SigningKey;
use webpki::ring as algorithms;

/// Installs [`ring_provider`] as the process default, unless the application
/// (or another library) installed one first. reqwest is built with rustls but
/// no provider, so rustls needs a process default to make any connection.
pub(crate) fn ensure_provider() {
    if CryptoProvider::get_default().is_none() {
        // Losing a race with another thread installing one is fine: either works.
        let _ = ring_provider().install_default();
    }
}

/// rustls with ring: its default cipher suites and key exchange groups
/// (X25519, P-256, P-384), and webpki's ring signature algorithms.
fn ring_provider() -> CryptoProvider {
    CryptoProvider {
        cipher_suites: rustls::crypto::ring::DEFAULT_CIPHER_SUITES.to_vec(),
        kx_groups: rustls::crypto::ring::DEFAULT_KX_GROUPS.to_vec(),
        signature_verification_algorithms: SIGNATURE_ALGORITHMS,
        secure_random: &RingRandom,
        key_provider: &RingKeys,
    }
}

/// The certificate and handshake signatures ring verifies, and which of them
/// each TLS signature scheme may use. For TLS 1.2 an ECDSA scheme does not fix
/// the curve, so either curve is accepted with its hash.
static SIGNATURE_ALGORITHMS: WebPkiSupportedAlgorithms = WebPkiSupportedAlgorithms {
    all: &[
        algorithms::ECDSA_P256_SHA256,
        algorithms::ECDSA_P256_SHA384,
        algorithms::ECDSA_P384_SHA256,
        algorithms::ECDSA_P384_SHA384,
        algorithms::ED25519,
        algorithms::RSA_PSS_2048_8192_SHA256_LEGACY_KEY,
        algorithms::RSA_PSS_2048_8192_SHA384_LEGACY_KEY,
        algorithms::RSA_PSS_2048_8192_SHA512_LEGACY_KEY,
        algorithms::RSA_PKCS1_2048_8192_SHA256,
        algorithms::RSA_PKCS1_2048_8192_SHA384,
        algorithms::RSA_PKCS1_2048_8192_SHA512,
        algorithms::RSA_PKCS1_2048_8192_SHA256_ABSENT_PARAMS,
        algorithms::RSA_PKCS1_2048_8192_SHA384_ABSENT_PARAMS,
        algorithms::RSA_PKCS1_2048_8192_SHA512_ABSENT_PARAMS,
    ],
    mapping: &[
        (
            SignatureScheme::ECDSA_NISTP384_SHA384,
            &[algorithms::ECDSA_P384_SHA384, algorithms::ECDSA_P256_SHA384],
        ),
        (
            SignatureScheme::ECDSA_NISTP256_SHA256,
            &[algorithms::ECDSA_P256_SHA256, algorithms::ECDSA_P384_SHA256],
        ),
        (SignatureScheme::ED25519, &[algorithms::ED25519]),
        (
            SignatureScheme::RSA_PSS_SHA512,
            &[algorithms::RSA_PSS_2048_8192_SHA512_LEGACY_KEY],
        ),
        (
            SignatureScheme::RSA_PSS_SHA384,
            &[algorithms::RSA_PSS_2048_8192_SHA384_LEGACY_KEY],
        ),
        (
            SignatureScheme::RSA_PSS_SHA256,
            &[algorithms::RSA_PSS_2048_8192_SHA256_LEGACY_KEY],
        ),
        (
            SignatureScheme::RSA_PKCS1_SHA512,
            &[algorithms::RSA_PKCS1_2048_8192_SHA512],
        ),
        (
            SignatureScheme::RSA_PKCS1_SHA384,
            &[algorithms::RSA_PKCS1_2048_8192_SHA384],
        ),
        (
            SignatureScheme::RSA_PKCS1_SHA256,
            &[algorithms::RSA_PKCS1_2048_8192_SHA256],
        ),
    ],
};

/// Randomness from ring's system generator.
#[derive(Debug)]
struct RingRandom;

impl SecureRandom for RingRandom {
    fn fill(&self, buf: &mut [u8]) -> Result<(), GetRandomFailed> {
        ring::rand::SecureRandom::fill(&ring::rand::SystemRandom::new(), buf).map_err(|_| GetRandomFailed)
    }
}

/// Private keys (for client certificates, which this crate never uses) read by ring.
#[derive(Debug)]
struct RingKeys;

impl KeyProvider for RingKeys {
    fn load_private_key(&self, key_der: PrivateKeyDer<'static>) -> Result<Arc<dyn SigningKey>, rustls::Error> {
        rustls::crypto::ring::sign::any_supported_type(&key_der)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_provider_is_whole_and_consistent() {
        let provider = ring_provider();
        assert!(provider.cipher_suites.len() >= 3 && provider.kx_groups.len() >= 3);
        // Every algorithm a scheme maps to is one the provider lists.
        for (_, mapped) in SIGNATURE_ALGORITHMS.mapping {
            for algorithm in *mapped {
                assert!(
                    SIGNATURE_ALGORITHMS
                        .all
                        .iter()
                        .any(|known| std::ptr::addr_eq(*known, *algorithm)),
                    "{algorithm:?}"
                );
            }
        }
        let mut random = [0u8; 32];
        RingRandom.fill(&mut random).unwrap();
        assert_ne!(random, [0u8; 32]);
        // A client config builds with it, as reqwest's will.
        let provider = ring_provider();
        rustls::ClientConfig::builder_with_provider(Arc::new(provider))
            .with_safe_default_protocol_versions()
            .expect("ring supports TLS 1.2 and 1.3");
    }

    /// The provider assembled here is rustls's own ring provider, part for
    /// part: when rustls changes that one, this turns red.
    #[test]
    #[allow(deprecated)]
    fn it_is_rustls_own_ring_provider() {
        let ours = ring_provider();
        let theirs = rustls::crypto::ring::default_provider();
        let suites = |p: &CryptoProvider| p.cipher_suites.iter().map(|s| s.suite()).collect::<Vec<_>>();
        assert_eq!(suites(&ours), suites(&theirs));
        let groups = |p: &CryptoProvider| p.kx_groups.iter().map(|g| g.name()).collect::<Vec<_>>();
        assert_eq!(groups(&ours), groups(&theirs));
        let verification = |p: &CryptoProvider| {
            (
                p.signature_verification_algorithms.supported_schemes(),
                p.signature_verification_algorithms.all.len(),
            )
        };
        assert_eq!(verification(&ours), verification(&theirs));
    }
}
