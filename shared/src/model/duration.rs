//! `xsd:duration` values (bypass-code validity): parsed from requests, rendered the way the
//! original service does (Java's lexical form, e.g. `P0Y0M0DT0H30M0.000S`).

const SECOND: f64 = 1_000.0;
const MINUTE: f64 = 60.0 * SECOND;
const HOUR: f64 = 60.0 * MINUTE;
const DAY: f64 = 24.0 * HOUR;

/// Milliseconds of a positive duration such as `PT20M`, `P1DT2H`, `PT1.5S`. Years count 365
/// days and months 30 (the value is clamped by the caller anyway). `None` if malformed.
pub fn parse_duration_ms(text: &str) -> Option<i64> {
    let rest = text.trim().strip_prefix('P')?;
    let (date, time) = match rest.split_once('T') {
        Some((d, t)) if !t.is_empty() => (d, Some(t)),
        Some(_) => return None,
        None => (rest, None),
    };
    let mut total = 0.0;
    let mut any = false;
    let mut eat = |part: &str, units: &[(char, f64)], fraction_unit: Option<char>| -> Option<()> {
        let mut number = String::new();
        let mut next_unit = 0;
        for c in part.chars() {
            if c.is_ascii_digit() || c == '.' {
                number.push(c);
                continue;
            }
            let index = units[next_unit..].iter().position(|(u, _)| *u == c)? + next_unit;
            if number.is_empty() || (number.contains('.') && Some(c) != fraction_unit) {
                return None;
            }
            total += number.parse::<f64>().ok()? * units[index].1;
            any = true;
            number.clear();
            next_unit = index + 1;
        }
        number.is_empty().then_some(())
    };
    eat(
        date,
        &[('Y', 365.0 * DAY), ('M', 30.0 * DAY), ('D', DAY)],
        None,
    )?;
    if let Some(t) = time {
        eat(t, &[('H', HOUR), ('M', MINUTE), ('S', SECOND)], Some('S'))?;
    }
    (any && total.is_finite()).then_some(total.round() as i64)
}

/// `P0Y0M<d>DT<h>H<m>M<s>.<ms>S`.
pub fn format_duration_ms(ms: i64) -> String {
    let (days, rest) = (ms / 86_400_000, ms % 86_400_000);
    let (hours, rest) = (rest / 3_600_000, rest % 3_600_000);
    let (minutes, rest) = (rest / 60_000, rest % 60_000);
    format!(
        "P0Y0M{days}DT{hours}H{minutes}M{}.{:03}S",
        rest / 1000,
        rest % 1000
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations_parse_to_milliseconds() {
        assert_eq!(parse_duration_ms("PT20M"), Some(1_200_000));
        assert_eq!(parse_duration_ms("PT120S"), Some(120_000));
        assert_eq!(parse_duration_ms("PT1.5S"), Some(1_500));
        assert_eq!(parse_duration_ms("P1DT2H"), Some(93_600_000));
        assert_eq!(parse_duration_ms("P1Y"), Some(365 * 86_400_000));
        assert_eq!(parse_duration_ms("P0Y0M0DT0H30M0.000S"), Some(1_800_000));
    }

    #[test]
    fn malformed_durations_are_refused() {
        for bad in [
            "",
            "P",
            "PT",
            "20M",
            "twenty minutes",
            "PT20",
            "P1H",
            "PT1M2H",
            "PT1.5M",
            "-PT1M",
            "P1D2",
        ] {
            assert_eq!(parse_duration_ms(bad), None, "{bad}");
        }
    }

    #[test]
    fn durations_render_like_the_original() {
        assert_eq!(format_duration_ms(1_800_000), "P0Y0M0DT0H30M0.000S");
        assert_eq!(format_duration_ms(120_000), "P0Y0M0DT0H2M0.000S");
        assert_eq!(format_duration_ms(10_800_000), "P0Y0M0DT3H0M0.000S");
        assert_eq!(format_duration_ms(30 * 86_400_000), "P0Y0M30DT0H0M0.000S");
        assert_eq!(
            parse_duration_ms(&format_duration_ms(1_234_567)),
            Some(1_234_567)
        );
    }
}
