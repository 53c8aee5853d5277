//! Codes and identifiers from the operating system's CSPRNG.

fn fill(buf: &mut [u8]) {
    // The OS generator failing is unrecoverable: never fall back to a weaker source.
    getrandom::fill(buf).expect("operating system random number generator failed");
}

/// `len` uniformly distributed decimal digits (rejection sampling avoids modulo bias).
pub fn random_digits(len: usize) -> String {
    let mut out = String::with_capacity(len);
    let mut byte = [0u8; 1];
    while out.len() < len {
        fill(&mut byte);
        // 250 is the largest multiple of 10 not above 256.
        if byte[0] < 250 {
            out.push(char::from(b'0' + byte[0] % 10));
        }
    }
    out
}

/// `len` random bytes (keys, secrets).
pub fn random_bytes(len: usize) -> Vec<u8> {
    let mut buf = vec![0u8; len];
    fill(&mut buf);
    buf
}

/// `bytes` random bytes as lower-case hex (ids: 16 bytes -> 32 hex characters).
pub fn random_hex(bytes: usize) -> String {
    hex::encode(random_bytes(bytes))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn digits_have_the_requested_length_and_alphabet() {
        for len in [1, 6, 8] {
            let d = random_digits(len);
            assert_eq!(d.len(), len);
            assert!(d.bytes().all(|b| b.is_ascii_digit()));
        }
    }

    #[test]
    fn digits_cover_every_value_roughly_evenly() {
        let sample = random_digits(20_000);
        let mut counts = [0u32; 10];
        for b in sample.bytes() {
            counts[(b - b'0') as usize] += 1;
        }
        // Expected 2000 each; 1700..2300 is > 6 sigma wide.
        assert!(
            counts.iter().all(|c| (1700..2300).contains(c)),
            "{counts:?}"
        );
    }

    #[test]
    fn hex_ids_are_unique_and_lower_case() {
        let a = random_hex(16);
        let b = random_hex(16);
        assert_eq!(a.len(), 32);
        assert_ne!(a, b);
        assert!(a
            .bytes()
            .all(|c| c.is_ascii_digit() || (b'a'..=b'f').contains(&c)));
    }
}
