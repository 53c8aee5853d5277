/// Characters no name may hold: controls (C0, DEL, C1: XML 1.0 cannot even carry most of
/// them, so an admin's XML listing would break), and the invisible characters that make one
/// name look like another or reorder what is shown around it (bidi controls, zero-width
/// characters, separators, tags), and noncharacters.
pub fn is_invisible(c: char) -> bool {
    c.is_control()
        || matches!(
            c,
            '\u{00AD}'
                | '\u{061C}'
                | '\u{180E}'
                | '\u{200B}'..='\u{200F}'
                | '\u{2028}'..='\u{202E}'
                | '\u{2060}'..='\u{206F}'
                | '\u{FEFF}'
                | '\u{FFF9}'..='\u{FFFB}'
                | '\u{FDD0}'..='\u{FDEF}'
                | '\u{E0000}'..='\u{E007F}'
        )
        || (c as u32) & 0xFFFE == 0xFFFE
}

/// A name shows exactly what it holds: no [`is_invisible`] character.
pub fn is_visible_text(s: &str) -> bool {
    !s.chars().any(is_invisible)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn controls_and_invisible_characters_are_refused_letters_and_spaces_are_not() {
        for bad in [
            "a\u{1}b",
            "tab\there",
            "new\nline",
            "del\u{7f}",
            "c1\u{85}",
            "rtl\u{202E}gnp.exe",
            "zero\u{200B}width",
            "bom\u{FEFF}",
            "\u{FFFE}",
            "\u{10FFFF}",
            "tag\u{E0041}",
        ] {
            assert!(!is_visible_text(bad), "{bad:?}");
        }
        for good in [
            "My phone",
            "Téléphone de Zoë",
            "電話",
            "a-b_c.d",
            "emoji 📱",
        ] {
            assert!(is_visible_text(good), "{good:?}");
        }
    }
}
