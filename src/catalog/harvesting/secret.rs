//! Push targets' API tokens, sealed: AES-256-GCM (the `aes-gcm` crate of RustCrypto) with a
//! key from `[harvest] secret_key`, a random nonce per seal, and the target's id as associated
//! data, so a sealed token copied onto another target's row does not open. The token in clear
//! lives only in memory during a run; no action, log line or page shows it.

use std::path::Path;

use aes_gcm::aead::{Aead, AeadCore, KeyInit, OsRng, Payload};
use aes_gcm::{Aes256Gcm, Key, Nonce};
use anyhow::{bail, Context};
use sha2::{Digest, Sha256};

/// Shortest configured key, in bytes.
const MIN_KEY_BYTES: usize = 32;
/// Prefix of a sealed token: the scheme, so a later one can be told apart.
const SCHEME: &str = "v1:";
/// Bytes of an AES-GCM nonce.
const NONCE_BYTES: usize = 12;

/// Seals and opens target tokens.
#[derive(Clone)]
pub struct TokenSeal {
    cipher: Aes256Gcm,
}

/// Written by hand: the key never reaches a log.
impl std::fmt::Debug for TokenSeal {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("TokenSeal(<hidden>)")
    }
}

impl TokenSeal {
    /// The seal of the configured key. Empty: in production, refused; elsewhere a random key
    /// kept in `data_dir/harvest.key` (so stored tokens survive a restart). A configured key
    /// must be 32 bytes or more and not one repeated pattern.
    pub fn from_settings(
        secret_key: &str,
        data_dir: &Path,
        env_name: &str,
    ) -> anyhow::Result<Self> {
        let configured = secret_key.trim();
        if configured.is_empty() {
            if env_name == "production" {
                bail!(
                    "harvest.secret_key is not set: in production the target tokens need a key \
                     of 32 bytes or more (DATAPORTAL__HARVEST__SECRET_KEY)"
                );
            }
            return Ok(TokenSeal::of(&local_key(data_dir)?));
        }
        if configured.len() < MIN_KEY_BYTES {
            bail!(
                "harvest.secret_key is {} bytes long: it must be {MIN_KEY_BYTES} bytes or more",
                configured.len()
            );
        }
        let mut distinct = configured.bytes().collect::<Vec<_>>();
        distinct.sort_unstable();
        distinct.dedup();
        if distinct.len() < 12 {
            bail!("harvest.secret_key is too regular: use random text (openssl rand -base64 48)");
        }
        Ok(TokenSeal::of(configured))
    }

    /// The seal of a key text (hashed to the cipher's 256 bits).
    fn of(key_text: &str) -> TokenSeal {
        let digest = Sha256::digest(key_text.as_bytes());
        TokenSeal {
            cipher: Aes256Gcm::new(Key::<Aes256Gcm>::from_slice(&digest)),
        }
    }

    /// `token` sealed for the target `owner`; the empty token seals to the empty text.
    pub fn seal(&self, owner: &str, token: &str) -> anyhow::Result<String> {
        if token.is_empty() {
            return Ok(String::new());
        }
        let nonce = Aes256Gcm::generate_nonce(&mut OsRng);
        let sealed = self
            .cipher
            .encrypt(
                &nonce,
                Payload {
                    msg: token.as_bytes(),
                    aad: owner.as_bytes(),
                },
            )
            .map_err(|_| anyhow::anyhow!("sealing a target token"))?;
        let mut bytes = nonce.to_vec();
        bytes.extend(sealed);
        Ok(format!("{SCHEME}{}", hex::encode(bytes)))
    }

    /// The token sealed for `owner`; the empty text opens to the empty token.
    pub fn open(&self, owner: &str, sealed: &str) -> anyhow::Result<String> {
        if sealed.is_empty() {
            return Ok(String::new());
        }
        let bytes = sealed
            .strip_prefix(SCHEME)
            .and_then(|h| hex::decode(h).ok())
            .filter(|b| b.len() > NONCE_BYTES)
            .context("a sealed token of an unknown form")?;
        let (nonce, sealed) = bytes.split_at(NONCE_BYTES);
        let opened = self
            .cipher
            .decrypt(
                Nonce::from_slice(nonce),
                Payload {
                    msg: sealed,
                    aad: owner.as_bytes(),
                },
            )
            .map_err(|_| {
                anyhow::anyhow!(
                    "the target's token does not open with harvest.secret_key (was the key \
                     changed? set the token again)"
                )
            })?;
        String::from_utf8(opened).context("a sealed token that is not text")
    }
}

/// The key of a development set-up: random, made once, kept beside the database.
fn local_key(data_dir: &Path) -> anyhow::Result<String> {
    let path = data_dir.join("harvest.key");
    if let Ok(text) = std::fs::read_to_string(&path) {
        if text.trim().len() >= MIN_KEY_BYTES {
            return Ok(text.trim().to_owned());
        }
    }
    let mut bytes = [0u8; 32];
    rand::RngCore::fill_bytes(&mut rand::rngs::OsRng, &mut bytes);
    let key = hex::encode(bytes);
    std::fs::write(&path, &key).with_context(|| format!("writing {}", path.display()))?;
    tracing::info!(
        path = %path.display(),
        "harvest.secret_key is empty: a random key kept in the data folder seals target tokens"
    );
    Ok(key)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_sealed_token_opens_only_for_its_target() {
        let seal = TokenSeal::of("a key of thirty-two bytes or more, random enough");
        let sealed = seal.seal("target-1", "secret-token").unwrap();
        assert!(!sealed.contains("secret-token"));
        assert_eq!(seal.open("target-1", &sealed).unwrap(), "secret-token");
        assert!(seal.open("target-2", &sealed).is_err());
        let other = TokenSeal::of("another key of thirty-two bytes, just as random");
        assert!(other.open("target-1", &sealed).is_err());
        assert_ne!(seal.seal("target-1", "secret-token").unwrap(), sealed);
    }

    #[test]
    fn weak_keys_are_refused_and_production_needs_one() {
        let dir = tempfile::tempdir().unwrap();
        assert!(TokenSeal::from_settings("short", dir.path(), "local").is_err());
        assert!(TokenSeal::from_settings(&"ab".repeat(40), dir.path(), "local").is_err());
        assert!(TokenSeal::from_settings("", dir.path(), "production").is_err());
        let first = TokenSeal::from_settings("", dir.path(), "local").unwrap();
        let again = TokenSeal::from_settings("", dir.path(), "local").unwrap();
        let sealed = first.seal("t", "x").unwrap();
        assert_eq!(again.open("t", &sealed).unwrap(), "x");
    }
}
