//! SHA-256 that can stop and go on: its state after a number of whole
//! 64-byte blocks can be written down (in the manifest) and taken up again
//! by the next run, which then hashes only the bytes appended since. The
//! archive only grows, so a nightly run costs the night's bytes while the
//! manifest still holds the standard SHA-256 of the whole file, the one
//! `sha256sum` prints. `ring`, which hashes everything else, keeps its state
//! to itself, hence this.
//!
//! FIPS 180-4, section 6.2, checked against `ring` in the tests.

use serde::{Deserialize, Serialize};

const K: [u32; 64] = [
    0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5, 0xd807aa98,
    0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174, 0xe49b69c1, 0xefbe4786,
    0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da, 0x983e5152, 0xa831c66d, 0xb00327c8,
    0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967, 0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13,
    0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85, 0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819,
    0xd6990624, 0xf40e3585, 0x106aa070, 0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a,
    0x5b9cca4f, 0x682e6ff3, 0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7,
    0xc67178f2,
];

const INITIAL: [u32; 8] = [
    0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19,
];

/// Bytes as lowercase hex, as every digest of the archive is written.
pub(crate) fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// The SHA-256 of `bytes` (by `ring`), lowercase hex.
pub(crate) fn sha256_hex(bytes: &[u8]) -> String {
    hex(ring::digest::digest(&ring::digest::SHA256, bytes).as_ref())
}

/// Where a hash of a file can be taken up again: its state after the
/// first `offset` bytes, a multiple of 64.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Midstate {
    /// Bytes hashed, a multiple of 64.
    pub offset: u64,
    /// The eight state words, as 64 lowercase hex digits.
    pub state: String,
    /// The bytes after `offset` that were hashed but are no whole block
    /// (under 64), hex: taken up from here, not read again from the file,
    /// so that a change to them shows.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub pending: String,
}

/// A SHA-256 in progress.
#[derive(Clone)]
pub(crate) struct Sha256 {
    state: [u32; 8],
    /// Bytes hashed into `state`, a multiple of 64.
    blocks_len: u64,
    /// Bytes not yet a whole block.
    pending: Vec<u8>,
}

impl Sha256 {
    pub(crate) fn new() -> Self {
        Self {
            state: INITIAL,
            blocks_len: 0,
            pending: Vec::with_capacity(64),
        }
    }

    /// Takes up a hash from a written-down state; `None` if it is not one.
    pub(crate) fn resume(midstate: &Midstate) -> Option<Self> {
        if !midstate.offset.is_multiple_of(64) || midstate.state.len() != 64 {
            return None;
        }
        let mut state = [0u32; 8];
        for (i, word) in state.iter_mut().enumerate() {
            *word = u32::from_str_radix(midstate.state.get(i * 8..i * 8 + 8)?, 16).ok()?;
        }
        let pending: Option<Vec<u8>> = (0..midstate.pending.len())
            .step_by(2)
            .map(|i| u8::from_str_radix(midstate.pending.get(i..i + 2)?, 16).ok())
            .collect();
        let pending = pending.filter(|p| p.len() < 64)?;
        Some(Self {
            state,
            blocks_len: midstate.offset,
            pending,
        })
    }

    /// The bytes hashed after the last whole block.
    pub(crate) fn pending(&self) -> &[u8] {
        &self.pending
    }

    /// The state after the last whole block hashed.
    pub(crate) fn midstate(&self) -> Midstate {
        Midstate {
            offset: self.blocks_len,
            state: self.state.iter().map(|w| format!("{w:08x}")).collect(),
            pending: hex(&self.pending),
        }
    }

    pub(crate) fn update(&mut self, mut data: &[u8]) {
        if !self.pending.is_empty() {
            let take = (64 - self.pending.len()).min(data.len());
            self.pending.extend_from_slice(&data[..take]);
            data = &data[take..];
            if self.pending.len() == 64 {
                let block: [u8; 64] = self.pending[..].try_into().expect("64 bytes");
                self.compress(&block);
                self.pending.clear();
            }
        }
        let mut blocks = data.chunks_exact(64);
        for block in &mut blocks {
            self.compress(block.try_into().expect("64 bytes"));
        }
        self.pending.extend_from_slice(blocks.remainder());
    }

    /// The digest, lowercase hex.
    pub(crate) fn finish(mut self) -> String {
        let bits = (self.blocks_len + self.pending.len() as u64) * 8;
        let mut tail = std::mem::take(&mut self.pending);
        tail.push(0x80);
        while tail.len() % 64 != 56 {
            tail.push(0);
        }
        tail.extend_from_slice(&bits.to_be_bytes());
        for block in tail.chunks_exact(64) {
            self.compress(block.try_into().expect("64 bytes"));
        }
        self.state.iter().map(|w| format!("{w:08x}")).collect()
    }

    fn compress(&mut self, block: &[u8; 64]) {
        let mut w = [0u32; 64];
        for (i, word) in block.chunks_exact(4).enumerate() {
            w[i] = u32::from_be_bytes(word.try_into().expect("4 bytes"));
        }
        for i in 16..64 {
            let s0 = w[i - 15].rotate_right(7) ^ w[i - 15].rotate_right(18) ^ (w[i - 15] >> 3);
            let s1 = w[i - 2].rotate_right(17) ^ w[i - 2].rotate_right(19) ^ (w[i - 2] >> 10);
            w[i] = w[i - 16].wrapping_add(s0).wrapping_add(w[i - 7]).wrapping_add(s1);
        }
        let [mut a, mut b, mut c, mut d, mut e, mut f, mut g, mut h] = self.state;
        for i in 0..64 {
            let s1 = e.rotate_right(6) ^ e.rotate_right(11) ^ e.rotate_right(25);
            let choice = (e & f) ^ (!e & g);
            let t1 = h
                .wrapping_add(s1)
                .wrapping_add(choice)
                .wrapping_add(K[i])
                .wrapping_add(w[i]);
            let s0 = a.rotate_right(2) ^ a.rotate_right(13) ^ a.rotate_right(22);
            let majority = (a & b) ^ (a & c) ^ (b & c);
            let t2 = s0.wrapping_add(majority);
            h = g;
            g = f;
            f = e;
            e = d.wrapping_add(t1);
            d = c;
            c = b;
            b = a;
            a = t1.wrapping_add(t2);
        }
        for (word, add) in self.state.iter_mut().zip([a, b, c, d, e, f, g, h]) {
            *word = word.wrapping_add(add);
        }
        self.blocks_len += 64;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn equals_ring_at_every_length_and_split_and_after_a_resume() {
        let data: Vec<u8> = (0..300u32).map(|i| (i * 31 + 7) as u8).collect();
        for len in [0, 1, 55, 56, 63, 64, 65, 119, 128, 200, 300] {
            let whole = &data[..len];
            for split in [0, 1, 63, 64, len / 2, len] {
                let split = split.min(len);
                let mut hash = Sha256::new();
                hash.update(&whole[..split]);
                // Written down and taken up again, then the rest.
                let midstate = hash.midstate();
                let mut resumed = Sha256::resume(&midstate).unwrap();
                // The bytes after the last whole block come with it.
                assert_eq!(midstate.offset as usize + resumed.pending().len(), split);
                resumed.update(&whole[split..]);
                assert_eq!(resumed.finish(), sha256_hex(whole), "len {len}, split {split}");
                hash.update(&whole[split..]);
                assert_eq!(hash.finish(), sha256_hex(whole), "len {len}, split {split}");
            }
        }
        assert_eq!(
            Sha256::new().finish(),
            "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
        );
        let bad = |offset, state: &str, pending: &str| Midstate {
            offset,
            state: state.into(),
            pending: pending.into(),
        };
        assert!(Sha256::resume(&bad(3, &"0".repeat(64), "")).is_none());
        assert!(Sha256::resume(&bad(64, "zz", "")).is_none());
        assert!(Sha256::resume(&bad(64, &"0".repeat(64), "zz")).is_none());
    }
}
