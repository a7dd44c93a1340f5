//! Fingerprints: what an output file was made from, in 32 bytes.
//!
//! Every output of a build (a page, a feed, a PDF, a copied file) gets the SHA-256 of everything
//! its bytes depend on: the templates, `site.yaml`, the hemasite binary, and the exact releases
//! it shows. Two builds that give an output the same fingerprint give it the same bytes, so an
//! incremental build renders only the outputs whose fingerprint changed and keeps the others.
//! A fingerprint that covers too little would leave a stale page behind; `tests/incremental.rs`
//! compares incremental builds with clean ones after every kind of change to catch that.

use std::fmt;
use std::hash::{Hash, Hasher};
use std::path::Path;
use std::sync::OnceLock;
use std::time::UNIX_EPOCH;

use sha2::{Digest, Sha256};

/// The SHA-256 of an output's inputs.
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Default)]
pub struct Fingerprint([u8; 32]);

impl Fingerprint {
    /// Starts a fingerprint for one kind of output (`"page"`, `"pdf"`, …), so that two kinds
    /// fed the same inputs still differ.
    pub fn of(kind: &str) -> FingerprintBuilder {
        FingerprintBuilder(Sha256::new()).text(kind)
    }

    /// The 32 bytes, as the manifest stores them.
    pub fn as_bytes(&self) -> &[u8; 32] {
        &self.0
    }

    pub fn from_bytes(bytes: [u8; 32]) -> Fingerprint {
        Fingerprint(bytes)
    }

    /// The 64 hex digits.
    pub fn to_hex(self) -> String {
        hex(&self.0)
    }

    /// The fingerprint of 64 hex digits (either case), or `None` for anything else. Digit by
    /// digit rather than by `from_str_radix` per pair: the release cache holds 60,000.
    pub fn from_hex(hex: &str) -> Option<Fingerprint> {
        fn digit(byte: u8) -> Option<u8> {
            match byte {
                b'0'..=b'9' => Some(byte - b'0'),
                b'a'..=b'f' => Some(byte - b'a' + 10),
                b'A'..=b'F' => Some(byte - b'A' + 10),
                _ => None,
            }
        }
        let hex = hex.as_bytes();
        if hex.len() != 64 {
            return None;
        }
        let mut bytes = [0u8; 32];
        for (byte, pair) in bytes.iter_mut().zip(hex.chunks_exact(2)) {
            *byte = digit(pair[0])? << 4 | digit(pair[1])?;
        }
        Some(Fingerprint(bytes))
    }
}

/// Bytes as lowercase hex digits. By table rather than `format!` per byte: a build writes
/// some 100,000 fingerprints (manifests, the release cache), and `format!` was a tenth of an
/// incremental build's time.
pub fn hex(bytes: &[u8]) -> String {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    let mut text = String::with_capacity(bytes.len() * 2);
    for byte in bytes {
        text.push(char::from(DIGITS[usize::from(byte >> 4)]));
        text.push(char::from(DIGITS[usize::from(byte & 0xf)]));
    }
    text
}

/// As its 64 hex digits, read without a string made for each (the release cache holds 60,000
/// of them).
impl serde::Serialize for Fingerprint {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&self.to_hex())
    }
}

impl<'de> serde::Deserialize<'de> for Fingerprint {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct Hex;
        impl serde::de::Visitor<'_> for Hex {
            type Value = Fingerprint;

            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a fingerprint of 64 hex digits")
            }

            fn visit_str<E: serde::de::Error>(self, text: &str) -> Result<Fingerprint, E> {
                Fingerprint::from_hex(text)
                    .ok_or_else(|| E::invalid_value(serde::de::Unexpected::Str(text), &self))
            }
        }
        deserializer.deserialize_str(Hex)
    }
}

impl fmt::Debug for Fingerprint {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Fingerprint({})", &self.to_hex()[..12])
    }
}

/// hemasite itself: its version and the size and time of the running program, so that files
/// made by another build of hemasite (which may render them differently) are never kept.
pub fn hemasite() -> Fingerprint {
    static HEMASITE: OnceLock<Fingerprint> = OnceLock::new();
    *HEMASITE.get_or_init(|| {
        let (len, modified) = std::env::current_exe()
            .ok()
            .and_then(|program| stamp(&program))
            .unwrap_or_default();
        Fingerprint::of("hemasite")
            .text(env!("CARGO_PKG_VERSION"))
            .number(len)
            .bytes(&modified.to_le_bytes())
            .finish()
    })
}

/// Feeds inputs into a fingerprint. Each input is length-prefixed, so that `("ab", "c")` and
/// `("a", "bc")` differ.
pub struct FingerprintBuilder(Sha256);

impl FingerprintBuilder {
    pub fn bytes(mut self, bytes: &[u8]) -> FingerprintBuilder {
        self.0.update((bytes.len() as u64).to_le_bytes());
        self.0.update(bytes);
        self
    }

    pub fn text(self, text: &str) -> FingerprintBuilder {
        self.bytes(text.as_bytes())
    }

    pub fn number(mut self, number: u64) -> FingerprintBuilder {
        self.0.update(number.to_le_bytes());
        self
    }

    pub fn fingerprint(mut self, other: Fingerprint) -> FingerprintBuilder {
        self.0.update(other.0);
        self
    }

    pub fn fingerprints<'a>(
        mut self,
        others: impl IntoIterator<Item = &'a Fingerprint>,
    ) -> FingerprintBuilder {
        let mut count = 0u64;
        for other in others {
            self.0.update(other.0);
            count += 1;
        }
        self.number(count)
    }

    /// Feeds in a value through its `Hash`: every field of an output kind (see
    /// `site::kinds`), so that a field added to a kind is in its fingerprint without anyone
    /// listing it. `Hash` delimits what it feeds (a string ends in `0xff`, a list starts with
    /// its length), and hashes the same way in every run of the same hemasite, which is all a
    /// fingerprint needs (it holds [`hemasite`] too).
    pub fn hashed(mut self, value: &(impl Hash + ?Sized)) -> FingerprintBuilder {
        value.hash(&mut Feed(&mut self.0));
        self
    }

    pub fn finish(self) -> Fingerprint {
        Fingerprint(self.0.finalize().into())
    }
}

/// `Hash` into SHA-256.
struct Feed<'a>(&'a mut Sha256);

impl Hasher for Feed<'_> {
    fn write(&mut self, bytes: &[u8]) {
        self.0.update(bytes);
    }

    /// Never asked for: the digest is read by [`FingerprintBuilder::finish`].
    fn finish(&self) -> u64 {
        0
    }
}

/// A file's size and modification time, or `None` when it is missing.
pub fn stamp(path: &Path) -> Option<(u64, u128)> {
    std::fs::metadata(path)
        .ok()
        .map(|metadata| stamp_of(&metadata))
}

/// The size and modification time in `metadata`.
pub fn stamp_of(metadata: &std::fs::Metadata) -> (u64, u128) {
    let modified = metadata
        .modified()
        .ok()
        .and_then(|time| time.duration_since(UNIX_EPOCH).ok())
        .map_or(0, |since| since.as_nanos());
    (metadata.len(), modified)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn inputs_are_delimited_and_kinds_differ() {
        let split = |a: &str, b: &str| Fingerprint::of("x").text(a).text(b).finish();
        assert_ne!(split("ab", "c"), split("a", "bc"));
        assert_ne!(
            Fingerprint::of("page").text("a").finish(),
            Fingerprint::of("pdf").text("a").finish()
        );
        assert_eq!(split("a", "b"), split("a", "b"));
        let hashed = |a: &str, b: &str| Fingerprint::of("x").hashed(&(a, b)).finish();
        assert_ne!(hashed("ab", "c"), hashed("a", "bc"));
        assert_eq!(hashed("a", "b"), hashed("a", "b"));
    }

    #[test]
    fn hex_round_trips() {
        let fingerprint = Fingerprint::of("x").finish();
        assert_eq!(
            Fingerprint::from_hex(&fingerprint.to_hex()),
            Some(fingerprint)
        );
        assert_eq!(Fingerprint::from_hex("zz"), None);
        assert_eq!(Fingerprint::from_hex(&"0g".repeat(32)), None);
        assert_eq!(
            Fingerprint::from_hex(&fingerprint.to_hex().to_uppercase()),
            Some(fingerprint)
        );
        assert_eq!(Fingerprint::from_hex(&"é".repeat(32)), None);
    }
}
