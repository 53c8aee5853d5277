//! The `otpauth://` key URI of an authenticator app, and its QR code as a PNG data URI.

use base64::Engine;
use data_encoding::BASE32_NOPAD;
use qrcode::{Color, EcLevel, QrCode};

/// Percent-encodes everything outside RFC 3986's unreserved characters.
fn encode(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for b in text.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~') {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

pub fn base32(secret: &[u8]) -> String {
    BASE32_NOPAD.encode(secret)
}

/// `otpauth://totp/<issuer>:<name>?secret=<BASE32>&issuer=<issuer>` (DECISIONS.md 22).
pub fn key_uri(issuer: &str, name: &str, secret: &[u8]) -> String {
    format!(
        "otpauth://totp/{}:{}?secret={}&issuer={}",
        encode(issuer),
        encode(name),
        base32(secret),
        encode(issuer)
    )
}

/// Pixels per QR module, and the quiet zone the QR specification asks for (4 modules).
const SCALE: usize = 8;
const QUIET_ZONE: usize = 4;

/// `data:image/png;base64,…` of a QR code (error correction M) holding `text`.
pub fn qr_png_data_uri(text: &str) -> Result<String, String> {
    let code = QrCode::with_error_correction_level(text.as_bytes(), EcLevel::M)
        .map_err(|e| e.to_string())?;
    let modules = code.width();
    let colors = code.to_colors();
    let side = (modules + 2 * QUIET_ZONE) * SCALE;
    let mut pixels = vec![255u8; side * side];
    for (i, color) in colors.iter().enumerate() {
        if *color == Color::Dark {
            let (mx, my) = (i % modules + QUIET_ZONE, i / modules + QUIET_ZONE);
            for y in my * SCALE..(my + 1) * SCALE {
                pixels[y * side + mx * SCALE..y * side + (mx + 1) * SCALE].fill(0);
            }
        }
    }
    let mut png_bytes = Vec::new();
    {
        let mut encoder = png::Encoder::new(&mut png_bytes, side as u32, side as u32);
        encoder.set_color(png::ColorType::Grayscale);
        encoder.set_depth(png::BitDepth::Eight);
        let mut writer = encoder.write_header().map_err(|e| e.to_string())?;
        writer
            .write_image_data(&pixels)
            .map_err(|e| e.to_string())?;
    }
    Ok(format!(
        "data:image/png;base64,{}",
        base64::engine::general_purpose::STANDARD.encode(png_bytes)
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_original_services_key_uri_example() {
        // BEHAVIOR.md 10 #113.
        assert_eq!(
            key_uri("Rackspace", "Test 1", &[0u8; 20]),
            "otpauth://totp/Rackspace:Test%201?secret=AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA&issuer=Rackspace"
        );
    }

    #[test]
    fn labels_encode_every_reserved_and_non_ascii_character() {
        let uri = key_uri("My Co", "a:b/c?d&e#f'g é", &[0u8; 20]);
        assert!(
            uri.starts_with("otpauth://totp/My%20Co:a%3Ab%2Fc%3Fd%26e%23f%27g%20%C3%A9?secret="),
            "{uri}"
        );
        assert!(uri.ends_with("&issuer=My%20Co"));
    }

    #[test]
    fn base32_round_trips_without_padding() {
        let secret: Vec<u8> = (0..20).collect();
        let text = base32(&secret);
        assert_eq!(text.len(), 32);
        assert!(!text.contains('='));
        assert_eq!(BASE32_NOPAD.decode(text.as_bytes()).unwrap(), secret);
    }

    #[test]
    fn the_qr_code_is_a_png() {
        let uri =
            qr_png_data_uri("otpauth://totp/Rackspace:x?secret=AAAA&issuer=Rackspace").unwrap();
        let b64 = uri.strip_prefix("data:image/png;base64,").unwrap();
        let bytes = base64::engine::general_purpose::STANDARD
            .decode(b64)
            .unwrap();
        assert_eq!(&bytes[..8], b"\x89PNG\r\n\x1a\n");
    }
}
