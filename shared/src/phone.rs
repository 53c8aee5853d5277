//! Phone numbers: parse with libphonenumber rules (default region US), keep only valid,
//! dialable, ordinary numbers, store E.164 and show the INTERNATIONAL form.

use crate::config::Config;
use crate::error::ApiError;
use phonenumber::{country, Mode, Type};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParsedNumber {
    /// `+15125550123`: stored, compared and given to SNS.
    pub e164: String,
    /// `+1 512-555-0123`: what responses show, stored beside it so that reading a phone needs
    /// no libphonenumber (its metadata is half a megabyte of every binary that links it).
    pub international: String,
    /// ISO 3166 region (`US`), for the SMS allow-list; none for a non-geographic number.
    pub region: Option<String>,
}

#[derive(Debug, PartialEq, Eq)]
pub struct InvalidNumber;

pub fn parse_number(input: &str) -> Result<ParsedNumber, InvalidNumber> {
    let number = phonenumber::parse(Some(country::Id::US), input).map_err(|_| InvalidNumber)?;
    // DECISIONS.md 20: an extension, a premium-rate or a shared-cost number is refused
    // (SMS toll fraud goes through exactly those).
    if !phonenumber::is_valid(&number) || number.extension().is_some() {
        return Err(InvalidNumber);
    }
    if matches!(
        number.number_type(&phonenumber::metadata::DATABASE),
        Type::PremiumRate | Type::SharedCost
    ) {
        return Err(InvalidNumber);
    }
    Ok(ParsedNumber {
        e164: number.format().mode(Mode::E164).to_string(),
        international: number.format().mode(Mode::International).to_string(),
        region: number.country().id().map(|id| id.as_ref().to_owned()),
    })
}

/// 400 for a number whose region is not in `SMS_ALLOWED_REGIONS` (SMS pumping: SECURITY.md).
pub fn region_refused(config: &Config, region: Option<&str>) -> ApiError {
    let allowed = config.sms_allowed_regions.join(", ");
    ApiError::BadRequest(match region {
        Some(region) => format!(
            "Phone numbers in region {region} cannot receive SMS from this service (allowed: {allowed})."
        ),
        None => format!(
            "Phone numbers outside a region cannot receive SMS from this service (allowed: {allowed})."
        ),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn e164(input: &str) -> String {
        parse_number(input).unwrap().e164
    }

    #[test]
    fn us_numbers_in_any_common_notation_normalise_to_one_e164() {
        for input in [
            "5125550123",
            "(512) 555-0123",
            "1-512-555-0123",
            "+15125550123",
            "+1 512-555-0123",
        ] {
            assert_eq!(e164(input), "+15125550123", "{input}");
        }
        assert_eq!(
            parse_number("5125550123").unwrap().international,
            "+1 512-555-0123"
        );
        assert_eq!(
            parse_number("5125550123").unwrap().region.as_deref(),
            Some("US")
        );
        assert_eq!(
            parse_number("+1 416 555 0123").unwrap().region.as_deref(),
            Some("CA")
        );
        assert_eq!(
            parse_number("+44 20 7946 0958").unwrap().region.as_deref(),
            Some("GB")
        );
    }

    #[test]
    fn other_countries_keep_their_own_grouping() {
        assert_eq!(e164("+44 20 7946 0958"), "+442079460958");
        let international = |input| parse_number(input).unwrap().international;
        assert_eq!(international("+442079460958"), "+44 20 7946 0958");
        assert_eq!(international("+41 44 668 1800"), "+41 44 668 18 00");
        assert_eq!(e164("+1 210-312-4600"), "+12103124600");
    }

    #[test]
    fn unparseable_invalid_and_risky_numbers_are_refused() {
        for input in [
            "",
            "abcd",
            "1234",
            "+1234567890123456",
            "512.555.0123 x12",
            "+1 900-555-0123",
        ] {
            assert_eq!(parse_number(input), Err(InvalidNumber), "{input}");
        }
    }
}
